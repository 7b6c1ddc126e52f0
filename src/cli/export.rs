//! `ca-policy export --format json|powershell|powershell-invoke [--update POLICY_ID] FILE|-`
//!
//! Reads a policy file (any shape `ca-policy import` accepts), and prints:
//! - `json`: for each policy, the Graph Explorer request (`POST …/policies`, or `PATCH
//!   …/policies/{id}` with `--update`), a blank line and the body; several policies give
//!   several requests, in file order, separated by a blank line;
//! - `powershell` / `powershell-invoke`: ONE script (SDK cmdlets / `Invoke-MgGraphRequest`)
//!   that creates every policy of the file in order, after checking that none of their display
//!   names exists yet; with `--update`, a script that PATCHes the one policy.
//!
//! `--update` names one policy, so a file holding several is refused (exit 2) rather than
//! guessing which one is meant. The body sent is the policy's POST body (read-only properties
//! such as `id` dropped); as a PATCH it replaces every list it contains and merges objects.
//!
//! PowerShell output is ASCII, so a redirected `.ps1` reads the same in Windows PowerShell 5.1
//! (which reads a file without BOM in the ANSI code page) as in PowerShell 7; its bytes are
//! `powershell::script_file_bytes`.
//!
//! Exit codes: 0 ok; 1 the input has errors (message names the file, and line:column for
//! JSON errors, or the JSON pointer of the value for content no script can carry); 2 usage
//! (unknown option, bad option value, unreadable file).

use std::io::Read;

use super::output;
use crate::export::{render, Format, Operation, PolicyId};
use crate::policy::import_bytes;

const EXPORT_USAGE: &str = "\
usage: ca-policy export --format json|powershell|powershell-invoke [--update POLICY_ID] FILE|-

  --format json               the Graph Explorer request line and the JSON body
  --format powershell         a script using the Graph PowerShell SDK cmdlets
  --format powershell-invoke  a script using Invoke-MgGraphRequest with the JSON body
  --update POLICY_ID          update (PATCH) that policy instead of creating one;
                              the file must then hold exactly one policy

FILE may hold one policy, an array, or a Graph list response; `-` or no FILE reads stdin.
Without --update every policy in the file is exported, in order.";

fn usage(msg: &str) -> i32 {
    output::error(&format!("{msg}\n\n{EXPORT_USAGE}"), 2)
}

fn input_error(msg: &str) -> i32 {
    output::error(msg, 1)
}

/// `args` are the arguments after `export`.
pub(crate) fn run(args: &[String]) -> i32 {
    let mut format = None;
    let mut update = None;
    let mut file: Option<&str> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        // Both `--opt value` and `--opt=value`.
        let (opt, inline) = super::split_option(arg);
        match opt {
            "-h" | "--help" => return output::text(&format!("{EXPORT_USAGE}\n")),
            "--format" | "--update" => {
                let Some(value) = inline.or_else(|| it.next().cloned()) else {
                    return usage(&format!("{opt} needs a value"));
                };
                if opt == "--format" {
                    match Format::parse(&value) {
                        Some(f) => format = Some(f),
                        None => {
                            return usage(&format!(
                            "--format must be json, powershell or powershell-invoke, not {value:?}"
                        ))
                        }
                    }
                } else {
                    match PolicyId::parse(&value) {
                        Ok(id) => update = Some(id),
                        Err(e) => return usage(&format!("--update: {e}")),
                    }
                }
            }
            o if o.starts_with('-') && o != "-" => return usage(&format!("unknown option {o}")),
            positional if file.is_none() => file = Some(positional),
            extra => {
                return usage(&format!(
                    "unexpected argument {extra:?}; export takes one FILE"
                ))
            }
        }
    }
    let Some(format) = format else {
        return usage("--format is required");
    };

    let (source, bytes) = match file {
        None | Some("-") => ("<stdin>".to_string(), read_stdin()),
        Some(f) => (f.to_string(), std::fs::read(f)),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return output::error(&format!("cannot read {source}: {e}"), 2),
    };
    let policies = match import_bytes(&bytes) {
        Ok(p) => p,
        Err(e) => return input_error(&format!("{source}:{}:{}: {}", e.line, e.column, e.message)),
    };
    let bodies: Vec<serde_json::Value> = policies.iter().map(|p| p.to_post_body()).collect();
    if bodies.is_empty() {
        return input_error(&format!("{source}: the file holds no policy"));
    }
    let operation = match update {
        Some(policy_id) if bodies.len() > 1 => {
            return usage(&format!(
                "--update {policy_id} names one policy, but {source} holds {}; \
                 export them without --update, or split the file",
                bodies.len()
            ))
        }
        Some(policy_id) => Operation::Update { policy_id },
        None => Operation::Create,
    };

    match render(format, &operation, &bodies) {
        Ok(text) if format == Format::Json => output::json(&text),
        Ok(text) => output::script(&text),
        Err(e) => {
            // Error locations are JSON pointers; with several policies they start with the
            // policy's index in the file (`/1/displayName`).
            input_error(&format!("{source}: {e}"))
        }
    }
}

/// Bytes, not text: the file may be UTF-16.
fn read_stdin() -> std::io::Result<Vec<u8>> {
    let mut b = Vec::new();
    std::io::stdin().read_to_end(&mut b)?;
    Ok(b)
}
