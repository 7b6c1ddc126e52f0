//! The `ca-policy` command line: argument dispatch only; each command family
//! lives in its own file. Exit codes: 0 ok, 1 the input has errors, 2 usage.

mod builders;
mod export;
mod filter;
mod lint;
mod output;
mod policy;

use std::ffi::OsString;

pub const USAGE: &str = "\
usage: ca-policy <command> [options]

commands:
  filter check [--json] [--mode include|exclude] [RULE]   validate a device-filter rule
  filter eval --device DEVICE.json [RULE]                  evaluate a rule against a device
  filter fmt [RULE]                                        print the canonical form
  template NAME [options]                                  print a rollout template's Graph JSON
  export --format json|powershell|powershell-invoke [--update POLICY_ID] FILE|-
  import FILE|-                                            print policies as the model holds them
  lint [--json] [options] FILE...                          lint a policy set (see `ca-policy lint --help`)
  passkey-policy | tap-policy | auth-strength | rollout    passkey builders (see `ca-policy rollout --help`)

RULE is read from standard input when absent.";

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
    match args.first().map(String::as_str) {
        Some("filter") => filter::run(&args[1..]),
        Some("template") | Some("import") => policy::run(args),
        Some("export") => export::run(&args[1..]),
        Some("lint") => lint::run(&args[1..]),
        Some("passkey-policy" | "tap-policy" | "auth-strength" | "rollout") => builders::run(args),
        Some("-h") | Some("--help") | Some("help") => output::text(&format!("{USAGE}\n")),
        _ => usage_error("expected a command"),
    }
}

/// Prints a usage error to stderr and returns exit code 2.
pub(crate) fn usage_error(msg: &str) -> i32 {
    output::error(&format!("{msg}\n\n{USAGE}"), 2)
}

/// Splits `--opt=value` into the option and its inline value; anything else is returned whole.
pub(crate) fn split_option(arg: &str) -> (&str, Option<String>) {
    match arg.split_once('=') {
        Some((o, v)) if o.starts_with("--") => (o, Some(v.to_string())),
        _ => (arg, None),
    }
}

/// Reads one option, `--opt value` or `--opt=value`: its name and its value (empty for an
/// option that takes none). `Err` holds the usage message.
pub(crate) fn next_option<'a>(
    arg: &'a str,
    takes_value: impl Fn(&str) -> bool,
    rest: &mut std::slice::Iter<'a, String>,
) -> Result<(&'a str, String), String> {
    let (opt, inline) = split_option(arg);
    if takes_value(opt) {
        match inline.or_else(|| rest.next().cloned()) {
            Some(v) => Ok((opt, v)),
            None => Err(format!("{opt} needs a value")),
        }
    } else if inline.is_some() {
        Err(format!("{opt} takes no value"))
    } else {
        Ok((opt, String::new()))
    }
}

/// Reads a positional argument, or all of standard input when it is absent or `-`.
pub(crate) fn arg_or_stdin(arg: Option<&String>) -> std::io::Result<String> {
    match arg.map(String::as_str) {
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
