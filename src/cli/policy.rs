//! `ca-policy template NAME [options]` and `ca-policy import FILE|-`.
//!
//! Exit codes (as for every command): 0 ok, 1 the input has errors, 2 usage (unknown template or
//! option, a bad option value, a file that cannot be read).

use super::args::{ImportArgs, TemplateArgs};
use super::error::CliError;
use super::output;
use super::usage::Family;
use crate::builders::risk;
use crate::policy::{import_document, Template, TemplateParams};

fn usage(msg: impl Into<String>) -> CliError {
    CliError::usage(Family::Template, msg)
}

pub(crate) fn template(args: TemplateArgs) -> Result<i32, CliError> {
    let Some(name) = args.name else {
        return Err(usage("expected a template NAME"));
    };
    let Some(t) = Template::from_name(&name) else {
        return Err(usage(format!("unknown template {name:?}")));
    };
    if args.outside_trusted_locations && t != Template::ProtectRegistration {
        return Err(usage(
            "--outside-trusted-locations applies to protect-registration only",
        ));
    }
    let p = TemplateParams {
        display_name: args.display_name,
        exclude_users: args.exclude_users,
        exclude_groups: args.exclude_groups,
        pilot_group: args.pilot_group,
        state: args.state.unwrap_or_default(),
        exclude_trusted_locations: args.outside_trusted_locations,
    };
    let policy = t.build(&p).map_err(|e| usage(e.message))?;
    if p.lacks_break_glass() {
        output::err_line(
            "warning: no break-glass account is excluded; Microsoft recommends excluding emergency-access \
             accounts from every policy (--exclude-user ID / --exclude-group ID)",
        );
    }
    // Why the risk templates are written as they are, and what to check first.
    let notes: &[&str] = match t {
        Template::UserRisk => &risk::USER_RISK_NOTES,
        Template::SignInRisk => &risk::SIGN_IN_RISK_NOTES,
        _ => &[],
    };
    for n in notes {
        output::err_line(&format!("note: {n}"));
    }
    print_json(&policy.to_post_body())
}

pub(crate) fn import(args: ImportArgs) -> Result<i32, CliError> {
    let source = super::source_name(args.file.as_deref());
    let bytes =
        super::file_or_stdin(args.file.as_deref()).map_err(|e| CliError::unreadable(&source, e))?;
    match import_document(&bytes) {
        Ok(doc) => print_json(&doc.to_value()),
        Err(e) => Err(CliError::located(&source, e)),
    }
}

/// Pretty JSON, two-space indent, trailing newline.
fn print_json(v: &serde_json::Value) -> Result<i32, CliError> {
    match serde_json::to_string_pretty(v) {
        Ok(text) => Ok(output::json(&format!("{text}\n"))),
        Err(e) => Err(CliError::JsonOutput(e)),
    }
}
