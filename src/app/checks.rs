//! What the checks panel lists, computed from the draft alone. Two sources: the form's own
//! checks (break-glass declared? pilot group given?) and the policy-set lint over every policy
//! of the draft, which also carries the device filter's diagnostics and the usual rollout
//! mistakes. Every id a message or a fix names is shown beside its name, as [`Naming`] words
//! it.

use std::collections::HashSet;

use crate::analysis::Severity;
use crate::app::draft::Draft;
use crate::app::export::draft_lint;
use crate::names::{Lookup, Naming};
use crate::policy::edit::IdList;

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub fix: Option<String>,
    /// The id of the control to go to.
    pub field: String,
}

/// The form control that edits a JSON path, or the step's heading when no control does.
fn field_for(path: &str) -> String {
    if let Some(l) = IdList::ALL.into_iter().find(|l| path.starts_with(l.path())) {
        let tail = l.path().rsplit('.').next().unwrap_or_default();
        // includeUsers -> field-include-users
        let mut id = String::from("field-");
        for c in tail.chars() {
            if c.is_ascii_uppercase() {
                id.push('-');
                id.push(c.to_ascii_lowercase());
            } else {
                id.push(c);
            }
        }
        return id;
    }
    let id = match path {
        p if p.starts_with("conditions.devices.deviceFilter") || p == "conditions.devices" => {
            "device-filter-rule"
        }
        "grantControls.authenticationStrength" => "field-authentication-strength",
        p if p.starts_with("grantControls") => "field-grant-controls",
        p if p.starts_with("conditions.clientAppTypes") => "field-client-app-types",
        p if p.starts_with("conditions.platforms.excludePlatforms") => "field-exclude-platforms",
        p if p.starts_with("conditions.platforms") => "field-include-platforms",
        "displayName" => "field-display-name",
        "state" => "field-state",
        _ => "step-title",
    };
    id.to_string()
}

/// Everything to say about the open step, errors first: the form's checks, then the lint's
/// findings the form does not already show by their field.
pub fn check_items(draft: &Draft, lookup: Lookup) -> Vec<Item> {
    let names = Naming::new(&draft.labels, lookup);
    let index = draft.current;
    let checks = draft.form_checks(index);
    let mut items: Vec<Item> = checks
        .iter()
        .map(|c| Item {
            severity: if c.is_error {
                Severity::Error
            } else {
                Severity::Warning
            },
            code: format!("form-{}", c.field),
            message: names.name_ids_in(&c.message),
            fix: None,
            field: format!("field-{}", c.field),
        })
        .collect();
    let form_covers_break_glass = checks.iter().any(|c| c.field == "break-glass-users");
    let form_covers_strength = checks.iter().any(|c| c.field == "authentication-strength");
    for f in draft_lint(draft, index) {
        // Where the form already says it, by the field concerned, once is enough.
        if (form_covers_break_glass && f.finding.code == "no-break-glass-exclusion")
            || (form_covers_strength && f.finding.code == "control-with-authentication-strength")
        {
            continue;
        }
        let related = f
            .related
            .map(|r| format!(" (see \"{}\")", r.name))
            .unwrap_or_default();
        items.push(Item {
            severity: f.finding.severity,
            code: f.finding.code.to_string(),
            message: names.name_ids_in(&format!("{}{related}", f.finding.message)),
            fix: f.finding.fix.map(|fix| names.name_ids_in(&fix)),
            field: field_for(&f.finding.field),
        });
    }
    if let Lookup::Connected { not_found } = lookup {
        items.extend(not_in_tenant(draft, not_found, names));
    }
    crate::sort::sort_by_key(&mut items, |i| i.severity);
    items
}

/// Connected, after a names lookup: the open step's lists, and the break-glass accounts every
/// step excludes, that hold ids the tenant did not return. Such an entry reaches nothing: a
/// break-glass exclusion of a mistyped or deleted account protects no account.
fn not_in_tenant(draft: &Draft, not_found: &HashSet<String>, names: Naming) -> Vec<Item> {
    let bg = &draft.break_glass;
    let is_bg = |id: &str| {
        bg.users
            .iter()
            .chain(&bg.groups)
            .any(|b| b.trim().eq_ignore_ascii_case(id))
    };
    // A break-glass account is reported once, as one, whichever lists also hold it.
    let missing = |ids: &mut dyn Iterator<Item = &String>, bg_only: bool| -> Vec<String> {
        ids.map(|id| id.trim())
            .filter(|id| not_found.contains(&id.to_ascii_lowercase()) && is_bg(id) == bg_only)
            .map(|id| names.describe(id))
            .collect()
    };
    let mut out = Vec::new();
    let accounts = missing(&mut bg.users.iter().chain(&bg.groups), true);
    if !accounts.is_empty() {
        out.push(Item {
            severity: Severity::Warning,
            code: "break-glass-not-in-tenant".into(),
            message: format!(
                "break-glass account(s) {}: the tenant did not return them when their names were looked up, and every policy excludes them, so the exclusion protects no account",
                accounts.join(", ")
            ),
            fix: Some("declare the emergency-access accounts by their current object ids (Prepare)".into()),
            field: "field-break-glass-users".into(),
        });
    }
    let policy = &draft.step().policy;
    for list in IdList::ALL {
        let ids = missing(&mut list.get(policy).iter(), false);
        if ids.is_empty() {
            continue;
        }
        out.push(Item {
            severity: Severity::Warning,
            code: "not-in-tenant".into(),
            message: format!(
                "{} holds {}: the tenant did not return it when its name was looked up (deleted, or not of the kind the list holds), so the list reaches nothing through it",
                list.path(),
                ids.join(", ")
            ),
            fix: Some(format!("remove it from {}, or put the current object id in its place", list.path())),
            field: field_for(list.path()),
        });
    }
    out
}
