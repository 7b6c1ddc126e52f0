//! The `ca-policy` command line: argument dispatch only; each command family
//! lives in its own file. Exit codes: 0 ok, 1 the input has errors, 2 usage.

mod builders;
mod export;
mod filter;
mod lint;
mod policy;

use std::io::Write;

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

/// Runs the CLI and returns the process exit code.
pub fn run(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("filter") => filter::run(&args[1..]),
        Some("template") | Some("import") => policy::run(args),
        Some("export") => export::run(&args[1..]),
        Some("lint") => lint::run(&args[1..]),
        Some("passkey-policy" | "tap-policy" | "auth-strength" | "rollout") => builders::run(args),
        Some("-h") | Some("--help") | Some("help") => {
            println!("{USAGE}");
            0
        }
        _ => usage_error("expected a command"),
    }
}

/// Prints a usage error to stderr and returns exit code 2.
pub(crate) fn usage_error(msg: &str) -> i32 {
    let _ = writeln!(std::io::stderr(), "error: {msg}\n\n{USAGE}");
    2
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
