//! Whether a policy may be exported as something to run: the decision the export panel and
//! `ca-policy export` share. A policy with an error Graph would refuse (an empty users
//! condition, a value Graph does not define, a control it refuses next to another…) gets no
//! script; its errors are listed instead. Errors that Graph accepts but that put the tenant at
//! risk (a block of All users, no break-glass declared yet) and warnings stay beside a
//! runnable script, where the admin reads them before running it.

use crate::analysis::{lint, LintConfig, LintFinding, Severity};
use crate::app::draft::Draft;
use crate::app::AppError;
use crate::export::{render_labelled, Format};
use crate::policy::model::Policy;

/// What the export panel shows for step `index`: [`Draft::export`] (what `ca-policy export`
/// prints), with the draft's labels naming the ids in the script's comments.
pub fn draft_export(draft: &Draft, index: usize, format: Format) -> Result<String, AppError> {
    let op = draft.operation(index)?;
    let body = draft.effective_policy(index).to_post_body();
    Ok(render_labelled(format, &op, &[body], &draft.labels)?)
}

/// One thing to say next to (or instead of) an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The finding's code (a lint, audit or device-filter code, or `form-FIELD`).
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// Where: the JSON path of the property (or the form field) concerned.
    pub field: String,
}

/// What the export of one policy is: runnable or not, and why.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Readiness {
    /// The errors that keep the policy from being exported as a script; empty when runnable.
    pub blocking: Vec<Problem>,
    /// Everything else worth reading before running it: errors Graph accepts, then warnings.
    pub beside: Vec<Problem>,
}

impl Readiness {
    pub fn is_runnable(&self) -> bool {
        self.blocking.is_empty()
    }
}

/// Errors Graph accepts: the policy is created as written, and what it does is the risk the
/// finding describes. These are shown beside the script, never in place of it.
const ACCEPTED_ERRORS: [&str; 5] = [
    "all-users-block",
    "approved-client-app-retired",
    "blocks-security-info-registration",
    "authentication-strength-loop",
    "no-break-glass-exclusion",
];

/// The device filter's rule: its checker's diagnostics are shown by the filter editor as the
/// rule is typed and listed beside the script; they hold a rule to the documented syntax,
/// stricter than what the service is known to refuse, so they do not hold the export back.
const FILTER_RULE: &str = "conditions.devices.deviceFilter.rule";

/// Whether a finding (its severity, code and field) keeps the policy from being exported.
pub fn blocks(severity: Severity, code: &str, field: &str) -> bool {
    let filter_diagnostic = field == FILTER_RULE && code != "invalid-filter-rule";
    severity == Severity::Error && !ACCEPTED_ERRORS.contains(&code) && !filter_diagnostic
}

fn problem(f: &LintFinding) -> Problem {
    Problem {
        code: f.finding.code.to_string(),
        severity: f.finding.severity,
        message: f.finding.message.clone(),
        field: f.finding.field.clone(),
    }
}

fn split(problems: impl IntoIterator<Item = Problem>) -> Readiness {
    let mut r = Readiness::default();
    for p in problems {
        if blocks(p.severity, &p.code, &p.field) {
            r.blocking.push(p);
        } else if p.severity != Severity::Info {
            r.beside.push(p);
        }
    }
    crate::sort::sort_by_key(&mut r.beside, |p| p.severity);
    r
}

/// The lint's findings about the effective policy of step `index`, linted with the rest of
/// the draft and the declared break-glass accounts: what the checks panel and the export's
/// readiness both read.
pub fn draft_lint(draft: &Draft, index: usize) -> Vec<LintFinding> {
    let policies: Vec<Policy> = (0..draft.steps.len())
        .map(|i| draft.effective_policy(i))
        .collect();
    let config = LintConfig {
        break_glass_users: draft.break_glass.users.clone(),
        break_glass_groups: draft.break_glass.groups.clone(),
        naming_pattern: None,
    };
    lint(&policies, &config)
        .into_iter()
        .filter(|f| f.policy.index == index)
        .collect()
}

/// The readiness of step `index` of the draft: the form's checks of that step and the lint's
/// findings about its effective policy, linted with the rest of the draft and the declared
/// break-glass accounts (as the checks panel does).
pub fn draft_readiness(draft: &Draft, index: usize) -> Readiness {
    // Break-glass accounts not declared yet: Graph accepts the policy, so the error is read
    // beside the script; an id that is not a GUID (the same field, accounts declared) it refuses.
    let undeclared = |c: &crate::app::draft::FormCheck| {
        c.field == "break-glass-users" && !draft.break_glass.is_declared()
    };
    let (accepted, checks): (Vec<_>, Vec<_>) =
        draft.form_checks(index).into_iter().partition(undeclared);
    let form = |c: crate::app::draft::FormCheck| Problem {
        code: format!("form-{}", c.field),
        severity: if c.is_error {
            Severity::Error
        } else {
            Severity::Warning
        },
        message: c.message,
        field: format!("field-{}", c.field),
    };
    let mut problems: Vec<Problem> = checks.into_iter().map(form).collect();
    problems.extend(draft_lint(draft, index).iter().map(problem));
    let mut r = split(problems);
    r.beside.extend(accepted.into_iter().map(form));
    crate::sort::sort_by_key(&mut r.beside, |p| p.severity);
    r
}

/// A policy of a file that is not exported, with the errors that keep it back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub index: usize,
    pub name: String,
    pub errors: Vec<Problem>,
}

/// The policies of a set that have blocking errors, in order (what `ca-policy export`
/// refuses). Linted as one set, without break-glass declarations.
pub fn blocked_policies(policies: &[Policy]) -> Vec<Blocked> {
    let findings = lint(policies, &LintConfig::default());
    let mut out: Vec<Blocked> = Vec::new();
    for f in findings
        .iter()
        .filter(|f| blocks(f.finding.severity, f.finding.code, &f.finding.field))
    {
        match out.iter_mut().find(|b| b.index == f.policy.index) {
            Some(b) => b.errors.push(problem(f)),
            None => out.push(Blocked {
                index: f.policy.index,
                name: f.policy.name.clone(),
                errors: vec![problem(f)],
            }),
        }
    }
    crate::sort::sort_by_key(&mut out, |b| b.index);
    out
}
