//! `ca-policy whatif [--json] [--report-only-as-on] --policies FILE [--policies FILE]...
//! [--directory FILE] [--locations FILE] [REQUEST|-]`: the offline What-If, reading the body of
//! Graph's `POST /identity/conditionalAccess/evaluate` and answering in its response's shape.
//!
//! Exit codes: 0 it ran (whatever the verdict), 1 an input has an error (FILE:LINE:COLUMN),
//! 2 usage (and a file that cannot be read).

use super::args::WhatifArgs;
use super::error::CliError;
use super::output;
use super::usage::Family;
use crate::analysis::read::State;
use crate::analysis::whatif::evaluate::{
    evaluate_request, read_directory, read_locations, read_request, respond, Directory,
    EvaluateError, EvaluateRequest, Evaluated, Evaluator, NamedLocations, Prepared, SignInContext,
    SignInIdentity,
};
use crate::located::Located;
use crate::policy::{import_bytes, Policy};

fn usage(msg: impl Into<String>) -> CliError {
    CliError::usage(Family::Whatif, msg)
}

fn is_stdin(f: &str) -> bool {
    f == "-"
}

pub(crate) fn run(args: WhatifArgs) -> Result<i32, CliError> {
    if args.policies.is_empty() {
        return Err(usage("expected at least one --policies FILE"));
    }
    let request_file = args.request.as_deref().unwrap_or("-");
    let stdin_users = args
        .policies
        .iter()
        .map(String::as_str)
        .chain(args.directory.as_deref())
        .chain(args.locations.as_deref())
        .chain(std::iter::once(request_file))
        .filter(|f| is_stdin(f))
        .count();
    if stdin_users > 1 {
        return Err(usage(
            "standard input (-) can be read once: give the other inputs as files",
        ));
    }
    let mut policies: Vec<Policy> = Vec::new();
    for file in &args.policies {
        let bytes = read(file)?;
        let ps = import_bytes(&bytes).map_err(|e| located(file, e))?;
        policies.extend(ps);
    }
    let directory = match &args.directory {
        Some(f) => read_directory(&read(f)?).map_err(|e| located(f, e))?,
        None => Directory::default(),
    };
    let locations = match &args.locations {
        Some(f) => read_locations(&read(f)?).map_err(|e| located(f, e))?,
        None => NamedLocations::default(),
    };
    let request = read_request(&read(request_file)?).map_err(|e| located(request_file, e))?;
    let prepared = Prepared::new(&request, &directory, &locations).map_err(|e| match e {
        EvaluateError::At(l) => located(request_file, l),
        other => located(request_file, Located::whole(other.to_string())),
    })?;
    let evaluator = Evaluator::new(&policies);
    let evaluated = evaluate_request(&evaluator, &prepared, args.report_only_as_on);
    if args.json {
        let doc = respond(&policies, &evaluated, request.applied_policies_only);
        let text = serde_json::to_string_pretty(&doc).map_err(CliError::JsonOutput)? + "\n";
        Ok(output::json(&text))
    } else {
        Ok(output::text(&report(
            &request,
            &evaluated,
            request.applied_policies_only,
        )))
    }
}

fn read(file: &str) -> Result<Vec<u8>, CliError> {
    super::file_or_stdin(Some(file))
        .map_err(|e| CliError::unreadable(&super::source_name(Some(file)), e))
}

fn located(file: &str, e: Located) -> CliError {
    CliError::located(&super::source_name(Some(file)), e)
}

/// The readable report: the sign-in, the policies that apply, why the others do not, the
/// combined verdict and the assumptions.
fn report(request: &EvaluateRequest, e: &Evaluated, applied_only: bool) -> String {
    let mut out = String::new();
    let who = match &request.sign_in_identity {
        SignInIdentity::User { user_id, .. } => format!("user {user_id}"),
        SignInIdentity::ServicePrincipal {
            service_principal_id,
        } => format!("service principal {service_principal_id}"),
    };
    let what = match &request.sign_in_context {
        SignInContext::Application {
            include_applications,
        } => format!("application {}", include_applications.join(", ")),
        SignInContext::UserAction { user_action } => format!(
            "user action {}",
            serde_json::to_value(user_action)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ),
        SignInContext::AuthContext {
            authentication_context_value,
        } => format!("authentication context {authentication_context_value}"),
    };
    out.push_str(&format!("What-If: {who}, {what}\n"));
    let label = |s: &State| match s {
        State::On => "On".to_string(),
        State::ReportOnly => "Report-only".to_string(),
        State::Off => "Off".to_string(),
        State::Invalid(v) => format!("invalid state {v:?}"),
    };
    let applying: Vec<_> = e.policies.iter().filter(|p| p.result.applies).collect();
    out.push_str(&format!(
        "\nApplies ({} of {}):\n",
        applying.len(),
        e.policies.len()
    ));
    if applying.is_empty() {
        out.push_str("  (none)\n");
    }
    for p in &applying {
        out.push_str(&format!(
            "  {:?} ({}) [{}]\n",
            p.name,
            shown_id(&p.id),
            label(&p.state)
        ));
    }
    if !applied_only {
        let others: Vec<_> = e.policies.iter().filter(|p| !p.result.applies).collect();
        out.push_str(&format!("\nDoes not apply ({}):\n", others.len()));
        if others.is_empty() {
            out.push_str("  (none)\n");
        }
        for p in others {
            out.push_str(&format!(
                "  {:?} ({}) [{}]: {}\n",
                p.name,
                shown_id(&p.id),
                label(&p.state),
                p.result.reasons
            ));
            for why in p.explanation.iter().filter(|w| w.starts_with("not met")) {
                out.push_str(&format!("    {why}\n"));
            }
        }
    }
    let v = &e.verdict;
    out.push_str(&format!("\nVerdict: {}", v.outcome));
    if v.report_only_as_on {
        out.push_str(" (Report-only policies previewed as On)");
    }
    out.push('\n');
    for d in &v.details {
        out.push_str(&format!("  {d}\n"));
    }
    if !v.report_only.is_empty() {
        out.push_str(&format!(
            "  Report-only policies that apply, not enforced ({}); --report-only-as-on previews them On\n",
            v.report_only.len()
        ));
    }
    if !v.notes.is_empty() {
        out.push_str("\nAssumptions:\n");
        for n in &v.notes {
            out.push_str(&format!("  - {n}\n"));
        }
    }
    out
}

fn shown_id(id: &str) -> &str {
    if id.is_empty() {
        "no id"
    } else {
        id
    }
}
