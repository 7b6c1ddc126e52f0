//! The `ca-policy` command line: the arguments parsed by clap (`args`), dispatched to the
//! command families (one file each), and every failure a `CliError` (`error`) that decides
//! its message and exit code: 0 ok, 1 the input has errors, 2 usage.

mod args;
mod bootstrap;
mod builders;
mod diff;
mod error;
mod export;
mod filter;
mod lint;
mod output;
mod policy;
mod report;
mod usage;
mod whatif;

use std::ffi::OsString;

use clap::FromArgMatches;

use args::{Cli, Command};
use error::{CliError, Stop};
use usage::Family;

pub use usage::USAGE;

/// Runs the CLI on the process's arguments (after the program name) and returns the exit
/// code. An argument that is not valid UTF-8 is a usage error naming its position.
pub fn run_os(args: &[OsString]) -> i32 {
    let mut text = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        match a.to_str() {
            Some(s) => text.push(s.to_string()),
            None => {
                return usage_error(&format!(
                    "argument {} is not valid UTF-8: {}",
                    i + 1,
                    show_invalid(a)
                ))
            }
        }
    }
    run(&text)
}

/// An argument that is not UTF-8, readable: its valid parts as text, each other byte as `\xNN`.
#[cfg(unix)]
fn show_invalid(a: &std::ffi::OsStr) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in a.as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
}

/// Elsewhere arguments are UTF-16; what does not decode shows as U+FFFD.
#[cfg(not(unix))]
fn show_invalid(a: &std::ffi::OsStr) -> String {
    a.to_string_lossy().into_owned()
}

/// Runs the CLI and returns the process exit code.
pub fn run(args: &[String]) -> i32 {
    let family = Family::of(args);
    let argv = std::iter::once("ca-policy").chain(args.iter().map(String::as_str));
    let parsed = args::command()
        .try_get_matches_from(argv)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            return match error::from_clap(&e, family) {
                Stop::Print(text) => output::text(&text),
                // A word clap took for the rule may be an option mistyped (see `stray_option`).
                Stop::Error(e) => match filter::stray_option(args) {
                    Some(o) if family == Family::Filter => {
                        CliError::usage(family, family.unknown_option(o)).report()
                    }
                    _ => e.report(),
                },
            };
        }
    };
    let done = match cli.command {
        Command::Filter { command } => filter::run(command, args),
        Command::Template(a) => policy::template(a),
        Command::Import(a) => policy::import(a),
        Command::Export(a) => export::run(a),
        Command::Diff(a) => diff::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Whatif(a) => whatif::run(a),
        Command::PasskeyPolicy(a) => builders::passkey_policy(a),
        Command::TapPolicy(a) => builders::tap_policy(a),
        Command::AuthStrength(a) => builders::auth_strength(a),
        Command::Rollout(a) => builders::rollout(a),
        Command::Bootstrap(a) => bootstrap::run(a),
        Command::Report(a) => report::run(a),
    };
    done.unwrap_or_else(|e| e.report())
}

/// Prints a usage error of the whole command line to stderr and returns exit code 2.
fn usage_error(msg: &str) -> i32 {
    CliError::usage(Family::Top, msg).report()
}

/// The bytes of FILE, or of standard input for `-` or no FILE. Bytes, not text: a policy
/// file may be UTF-16.
pub(crate) fn file_or_stdin(file: Option<&str>) -> std::io::Result<Vec<u8>> {
    match file {
        None | Some("-") => {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)?;
            Ok(b)
        }
        Some(f) => std::fs::read(f),
    }
}

/// How messages name FILE: `<stdin>` for standard input.
pub(crate) fn source_name(file: Option<&str>) -> String {
    match file {
        None | Some("-") => "<stdin>".to_string(),
        Some(f) => f.to_string(),
    }
}

/// Reads a positional argument, or all of standard input when it is absent or `-`.
pub(crate) fn arg_or_stdin(arg: Option<&str>) -> std::io::Result<String> {
    match arg {
        Some("-") | None => {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
            // A rule piped from `echo` ends in a newline that is not part of the rule.
            if s.ends_with('\n') {
                s.pop();
                if s.ends_with('\r') {
                    s.pop();
                }
            }
            Ok(s)
        }
        Some(s) => Ok(s.to_string()),
    }
}
