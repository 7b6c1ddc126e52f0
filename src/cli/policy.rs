//! `ca-policy template NAME [options]` and `ca-policy import FILE|-`.
//!
//! Exit codes (as for every command): 0 ok, 1 the input has errors, 2 usage (unknown template or
//! option, a bad option value, a file that cannot be read).

use std::io::Read;

use super::output;
use crate::policy::{import_document, RolloutState, Template, TemplateParams};

const TEMPLATE_USAGE: &str = "\
usage: ca-policy template NAME [--display-name S] [--exclude-user ID]... [--exclude-group ID]...
                               [--pilot-group ID] [--state enabled|disabled|report-only]
                               [--outside-trusted-locations]

Prints the Graph JSON body for POST /identity/conditionalAccess/policies.
The state defaults to report-only. IDs are object ids (GUIDs); --exclude-user/--exclude-group
declare break-glass accounts and may be repeated. --pilot-group is required by `pilot`.
--outside-trusted-locations (protect-registration only) requires MFA only outside trusted locations.

templates:";

const IMPORT_USAGE: &str =
    "usage: ca-policy import FILE|-   (print the policies as the model holds them)";

/// `args[0]` is `template` or `import`.
pub(crate) fn run(args: &[String]) -> i32 {
    match args.first().map(String::as_str) {
        Some("template") => template(&args[1..]),
        Some("import") => import(&args[1..]),
        _ => super::usage_error("expected `template` or `import`"),
    }
}

fn template_usage(msg: &str) -> i32 {
    let mut list = String::new();
    for t in Template::ALL {
        list.push_str(&format!("\n  {:<22} {}", t.name(), t.summary()));
    }
    output::error(&format!("{msg}\n\n{TEMPLATE_USAGE}{list}"), 2)
}

fn template(args: &[String]) -> i32 {
    let mut name: Option<&str> = None;
    let mut p = TemplateParams::default();
    let mut outside_trusted = false;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        // Accept both `--opt value` and `--opt=value`.
        let (opt, value) = match super::next_option(
            arg,
            |o| {
                matches!(
                    o,
                    "--display-name"
                        | "--exclude-user"
                        | "--exclude-group"
                        | "--pilot-group"
                        | "--state"
                )
            },
            &mut it,
        ) {
            Ok(x) => x,
            Err(msg) => return template_usage(&msg),
        };
        match opt {
            "-h" | "--help" => {
                let _ = template_usage("help requested");
                return 0;
            }
            "--display-name" => p.display_name = Some(value),
            "--exclude-user" => p.exclude_users.push(value),
            "--exclude-group" => p.exclude_groups.push(value),
            "--pilot-group" => p.pilot_group = Some(value),
            "--state" => match RolloutState::parse(&value) {
                Some(s) => p.state = s,
                None => {
                    return template_usage(&format!(
                        "--state must be enabled, disabled or report-only, not {value:?}"
                    ))
                }
            },
            "--outside-trusted-locations" => outside_trusted = true,
            o if o.starts_with('-') && o != "-" => {
                return template_usage(&format!("unknown option {o}"))
            }
            positional if name.is_none() => name = Some(positional),
            extra => return template_usage(&format!("unexpected argument {extra:?}")),
        }
    }
    let Some(name) = name else {
        return template_usage("expected a template NAME");
    };
    let Some(t) = Template::from_name(name) else {
        return template_usage(&format!("unknown template {name:?}"));
    };
    if outside_trusted && t != Template::ProtectRegistration {
        return template_usage("--outside-trusted-locations applies to protect-registration only");
    }
    p.exclude_trusted_locations = outside_trusted;
    let policy = match t.build(&p) {
        Ok(policy) => policy,
        Err(e) => return template_usage(&e.message),
    };
    if p.lacks_break_glass() {
        output::err_line(
            "warning: no break-glass account is excluded; Microsoft recommends excluding emergency-access \
             accounts from every policy (--exclude-user ID / --exclude-group ID)",
        );
    }
    print_json(&policy.to_post_body())
}

fn import(args: &[String]) -> i32 {
    let (source, bytes) = match args {
        [] => ("<stdin>".to_string(), read_stdin()),
        [f] if f == "-" => ("<stdin>".to_string(), read_stdin()),
        [f] if f.starts_with('-') => {
            return super::usage_error(&format!("unknown option {f}\n{IMPORT_USAGE}"))
        }
        [f] => (f.clone(), std::fs::read(f)),
        _ => return super::usage_error(&format!("import takes one FILE or -\n{IMPORT_USAGE}")),
    };
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => return output::error(&format!("cannot read {source}: {e}"), 2),
    };
    match import_document(&bytes) {
        Ok(doc) => print_json(&doc.to_value()),
        Err(e) => output::error(
            &format!("{source}:{}:{}: {}", e.line, e.column, e.message),
            1,
        ),
    }
}

/// Bytes, not text: the file may be UTF-16.
fn read_stdin() -> std::io::Result<Vec<u8>> {
    let mut b = Vec::new();
    std::io::stdin().read_to_end(&mut b)?;
    Ok(b)
}

/// Pretty JSON, two-space indent, trailing newline.
fn print_json(v: &serde_json::Value) -> i32 {
    match serde_json::to_string_pretty(v) {
        Ok(text) => output::json(&format!("{text}\n")),
        Err(e) => output::error(&format!("cannot write JSON: {e}"), 1),
    }
}
