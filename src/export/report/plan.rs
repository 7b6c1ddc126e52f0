//! The rollout as steps: its phases in order (read, methods, policies in Report-only, review,
//! switch On, pilot-scoped policies first), the permission and role each step needs, and how
//! to roll each step back (switch the policy off or back to Report-only, or restore the
//! previous body).
//!
//! The permission names come in as data ([`Permissions`]): the table of what each Graph call
//! needs lives in the graph layer, above this one, and the application layer hands it down,
//! so the document and the page's pre-flight checks name the same permissions.

use serde_json::{json, Value};

use super::document::{Block, Section};
use super::methods::{restore_body, MethodsPart};
use super::words::policy_name;
use crate::builders::methods::Method;
use crate::export::graph_json::{pretty_body, POLICIES_PATH};
use crate::policy::diff::SetDiff;
use crate::policy::{to_patch_body, Policy};

/// The kinds of request the rollout makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ReadPolicies,
    ReadMethods,
    UpdateMethod,
    CreatePolicy,
    UpdatePolicy,
    ReadSignIns,
}

impl Action {
    pub const ALL: [Action; 6] = [
        Action::ReadPolicies,
        Action::ReadMethods,
        Action::UpdateMethod,
        Action::CreatePolicy,
        Action::UpdatePolicy,
        Action::ReadSignIns,
    ];
}

/// What one kind of request needs: the least-privileged permission and the directory roles a
/// delegated caller needs one of.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Permission {
    pub permission: String,
    pub roles: Vec<String>,
}

/// The permission of each [`Action`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Permissions(pub Vec<(Action, Permission)>);

impl Permissions {
    fn words(&self, a: Action) -> String {
        match self.0.iter().find(|(x, _)| *x == a) {
            Some((_, p)) if p.roles.is_empty() => p.permission.clone(),
            Some((_, p)) => format!("{} (role: {})", p.permission, p.roles.join(" or ")),
            None => "(not listed)".into(),
        }
    }
}

/// One step of the plan.
struct Step {
    phase: &'static str,
    what: String,
    request: String,
    action: Action,
    rollback: String,
    /// A body the rollback sends, when it sends one.
    rollback_body: Option<Value>,
}

fn state_of(body: &Value) -> Option<&str> {
    body.get("state").and_then(Value::as_str)
}

/// Whether a policy is scoped to named users or groups (a pilot) rather than to all users.
fn is_narrow(body: &Value) -> bool {
    let all = body["conditions"]["users"]["includeUsers"]
        .as_array()
        .is_some_and(|l| {
            l.iter()
                .any(|u| u.as_str().is_some_and(|u| u.eq_ignore_ascii_case("All")))
        });
    !all
}

fn policy_url(p: &Value, created_at: usize) -> String {
    match p
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
    {
        Some(id) => format!("{POLICIES_PATH}/{id}"),
        None => format!("{POLICIES_PATH}/{{id returned by step {created_at}}}"),
    }
}

fn steps(
    policies: &[Policy],
    methods: Option<&MethodsPart>,
    tenant: Option<(&[Policy], &SetDiff)>,
) -> Vec<Step> {
    let mut out = vec![Step {
        phase: "1. Prepare",
        what:
            "Read the tenant's Conditional Access policies (kept as the rollback's previous bodies)"
                .into(),
        request: format!("GET {POLICIES_PATH}"),
        action: Action::ReadPolicies,
        rollback: "Nothing to undo: a read.".into(),
        rollback_body: None,
    }];
    if let Some(m) = methods {
        out.push(Step {
            phase: "1. Prepare",
            what: "Read the Authentication methods policy (the settings each PATCH is merged with)"
                .into(),
            request: "GET /policies/authenticationMethodsPolicy".into(),
            action: Action::ReadMethods,
            rollback: "Nothing to undo: a read.".into(),
            rollback_body: None,
        });
        for ch in m.changes.iter().filter(|c| c.patch.is_ok()) {
            let method: Method = ch.current.method;
            out.push(Step {
                phase: "2. Methods",
                what: format!("Set the {} method for the pilot", method.label()),
                request: format!("PATCH {}", method.path()),
                action: Action::UpdateMethod,
                rollback: format!(
                    "Restore the previous settings: PATCH {} with the settings read in step 2.",
                    method.path()
                ),
                rollback_body: Some(restore_body(&ch.current)),
            });
        }
    }
    let bodies: Vec<Value> = policies.iter().map(Policy::to_post_body).collect();
    let mut created_at = vec![0; bodies.len()];
    for (i, b) in bodies.iter().enumerate() {
        let name = policy_name(b);
        let previous = tenant.and_then(|(t, d)| {
            d.pairs
                .iter()
                .find(|p| p.after == i)
                .map(|p| (&t[p.before], !p.changes.is_empty()))
        });
        let off = state_of(b) == Some("disabled");
        let state = if off { "Off" } else { "Report-only" };
        created_at[i] = out.len() + 1;
        out.push(match previous {
            Some((before, changed)) => {
                let url = policy_url(&before.to_post_body(), 0);
                let url = before
                    .id
                    .value()
                    .map(|id| format!("{POLICIES_PATH}/{id}"))
                    .unwrap_or(url);
                Step {
                    phase: "3. Policies in Report-only",
                    what: if changed {
                        format!("Update {name:?} ({state} first)")
                    } else {
                        format!("{name:?} is already as the file says: no request")
                    },
                    request: if changed {
                        format!("PATCH {url}")
                    } else {
                        "(none)".into()
                    },
                    action: Action::UpdatePolicy,
                    rollback: format!("Restore the previous body: PATCH {url} with the tenant's policy as read in step 1."),
                    rollback_body: changed.then(|| to_patch_body(&policies[i], before)),
                }
            }
            None => Step {
                phase: "3. Policies in Report-only",
                what: format!("Create {name:?} in {state}"),
                request: format!("POST {POLICIES_PATH}"),
                action: Action::CreatePolicy,
                rollback: format!(
                    "Switch it off: PATCH {} with state disabled (or DELETE it).",
                    policy_url(b, created_at[i])
                ),
                rollback_body: Some(json!({ "state": "disabled" })),
            },
        });
    }
    out.push(Step {
        phase: "4. Review",
        what: "Review the Report-only results: the sign-in logs' Conditional Access (Report-only) tab, and the bootstrap proof below".into(),
        request: "GET /auditLogs/signIns".into(),
        action: Action::ReadSignIns,
        rollback: "Nothing to undo: a read.".into(),
        rollback_body: None,
    });
    // Pilot-scoped policies first: a mistake there locks out the pilot, not everyone.
    let mut order: Vec<usize> = (0..bodies.len())
        .filter(|&i| state_of(&bodies[i]) != Some("disabled"))
        .collect();
    order.sort_by_key(|&i| !is_narrow(&bodies[i]));
    for i in order {
        let b = &bodies[i];
        let scope = if is_narrow(b) {
            "pilot scope"
        } else {
            "all users"
        };
        let url = match tenant
            .and_then(|(t, d)| d.pairs.iter().find(|p| p.after == i).map(|p| &t[p.before]))
        {
            Some(before) => before
                .id
                .value()
                .map(|id| format!("{POLICIES_PATH}/{id}"))
                .unwrap_or_else(|| policy_url(b, created_at[i])),
            None => policy_url(b, created_at[i]),
        };
        out.push(Step {
            phase: "5. Switch On",
            what: format!("Switch {:?} On ({scope})", policy_name(b)),
            request: format!("PATCH {url}"),
            action: Action::UpdatePolicy,
            rollback: format!("Back to Report-only: PATCH {url} with state enabledForReportingButNotEnforced (or disabled to switch it off)."),
            rollback_body: Some(json!({ "state": "enabledForReportingButNotEnforced" })),
        });
    }
    out
}

/// The sections: phases and order, permissions per step, and the rollback per step.
pub fn plan_sections(
    policies: &[Policy],
    methods: Option<&MethodsPart>,
    tenant: Option<(&[Policy], &SetDiff)>,
    permissions: &Permissions,
) -> (Section, Section, Section) {
    let steps = steps(policies, methods, tenant);
    let mut order = Section::new(2, "Phases and order");
    order.push(Block::Paragraph(
        "Each policy is created in Report-only and switched On only after the review; policies scoped to the pilot are switched On before those for all users.".into(),
    ));
    order.push(Block::Table {
        head: vec!["#".into(), "Phase".into(), "Step".into(), "Request".into()],
        rows: steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    (i + 1).to_string(),
                    s.phase.into(),
                    s.what.clone(),
                    s.request.clone(),
                ]
            })
            .collect(),
    });
    let mut perms = Section::new(2, "Permissions each step needs");
    perms.push(Block::Paragraph(
        "The least-privileged Microsoft Graph permission (delegated or application) and, for a delegated sign-in, the directory roles of which one is needed.".into(),
    ));
    perms.push(Block::Table {
        head: vec!["#".into(), "Request".into(), "Permission".into()],
        rows: steps
            .iter()
            .enumerate()
            .map(|(i, s)| {
                vec![
                    (i + 1).to_string(),
                    s.request.clone(),
                    permissions.words(s.action),
                ]
            })
            .collect(),
    });
    let mut back = Section::new(2, "Rollback, step by step");
    back.push(Block::Paragraph(
        "Undo in reverse order: the last step first.".into(),
    ));
    for (i, s) in steps.iter().enumerate().rev() {
        back.push(Block::Paragraph(format!(
            "Step {}: {}. {}",
            i + 1,
            s.what,
            s.rollback
        )));
        if let Some(body) = &s.rollback_body {
            back.push(Block::Code(pretty_body(body)));
        }
    }
    (order, perms, back)
}
