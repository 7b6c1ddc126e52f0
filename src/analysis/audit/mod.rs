//! Findings about one policy, for the audit table and as the per-policy half of the lint.
//! Codes are stable: the UI writes them into `data-findings`.
//!
//! Two readings published walkthroughs get wrong: "requires a compliant device" is the grant
//! control `compliantDevice` (v1.0 has no device-state condition), and "uses user risk" means a
//! non-empty `userRiskLevels` (the service returns `[]`, never `null`: count, don't compare with
//! null). See `docs/graph.md#mistakes-the-product-corrects`.
//!
//! The findings themselves (code, severity, message, fix) are in [`kind`].

mod kind;

use serde::Serialize;
use serde_json::Value;

use super::grant::{Control, Grant};
use super::read::{self, State};
use super::whatif::{registration_paths, RegistrationPath};
use super::Severity;
use crate::builders::strength::{strength_loop, StrengthLoop, PHISHING_RESISTANT_STRENGTH};
use crate::policy::model::*;
use kind::{Alternatives, AuditKind, BreakGlassGap};

/// The emergency-access accounts the admin declared. Never guessed from names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BreakGlass {
    /// User object ids.
    pub users: Vec<String>,
    /// Group object ids.
    pub groups: Vec<String>,
}

impl BreakGlass {
    pub fn is_declared(&self) -> bool {
        !self.users.is_empty() || !self.groups.is_empty()
    }
}

/// One finding about one policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable kebab-case code.
    pub code: &'static str,
    pub severity: Severity,
    /// In the admin's words.
    pub message: String,
    /// JSON path of the property concerned, e.g. `grantControls.builtInControls`.
    pub field: String,
    /// How to fix it, where there is a fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Finding {
    pub(crate) fn new(
        code: &'static str,
        severity: Severity,
        field: &str,
        message: impl Into<String>,
    ) -> Finding {
        Finding {
            code,
            severity,
            message: message.into(),
            field: field.into(),
            fix: None,
        }
    }

    pub(crate) fn with_fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = Some(fix.into());
        self
    }
}

/// Every audit finding for `policy`, in a fixed order.
pub fn audit(policy: &Policy, break_glass: &BreakGlass) -> Vec<Finding> {
    let mut out = Vec::new();
    let state = State::of(policy);
    match &state {
        State::On => {}
        State::ReportOnly => out.push(AuditKind::ReportOnly.at("state")),
        State::Off => out.push(AuditKind::PolicyDisabled.at("state")),
        State::Invalid(s) => out.push(AuditKind::InvalidState { state: s.clone() }.at("state")),
    }
    let grant = Grant::of(policy);
    if let Some(g) = &grant {
        if g.requires(&Control::CompliantDevice) {
            let others = alternatives(g, &Control::CompliantDevice);
            out.push(
                AuditKind::RequiresCompliantDevice { others }.at("grantControls.builtInControls"),
            );
        }
        if g.requires(&Control::DomainJoinedDevice) {
            let others = alternatives(g, &Control::DomainJoinedDevice);
            out.push(
                AuditKind::RequiresHybridJoinedDevice { others }
                    .at("grantControls.builtInControls"),
            );
        }
    }
    if let Some(c) = read::conditions(policy) {
        if let Some(levels) = risk_levels(&c.user_risk_levels) {
            out.push(AuditKind::UsesUserRisk { levels }.at("conditions.userRiskLevels"));
        }
        if let Some(levels) = risk_levels(&c.sign_in_risk_levels) {
            out.push(AuditKind::UsesSignInRisk { levels }.at("conditions.signInRiskLevels"));
        }
    }
    if let Some(f) = registration_finding(policy, &state, grant.as_ref()) {
        out.push(f);
    }
    if let Some(f) = break_glass_finding(policy, &state, break_glass) {
        out.push(f);
    }
    out.extend(beta_only(policy));
    if let Some(kind) = strength_loop(policy) {
        let field = match kind {
            StrengthLoop::AllResources => "conditions.applications.includeApplications",
            StrengthLoop::Registration => "conditions.applications.includeUserActions",
        };
        let state = state.clone();
        out.push(AuditKind::AuthenticationStrengthLoop { state, kind }.at(field));
    }
    if let Some(g) = &grant {
        let user_risk = read::conditions(policy)
            .is_some_and(|c| !read::members(&c.user_risk_levels).is_empty());
        if user_risk && g.requires(&Control::PasswordChange) {
            out.push(AuditKind::PasswordChangeForUserRisk.at("grantControls.builtInControls"));
        }
    }
    if let Some(admins_locked_out) = managed(policy) {
        out.push(AuditKind::MicrosoftManagedPolicy { admins_locked_out }.at("displayName"));
    }
    out
}

/// Whether the policy is Microsoft-managed, or requires a phishing-resistant strength of admin
/// roles; `Some(true)` when it requires that strength, which admins without a passkey cannot
/// meet (<https://learn.microsoft.com/entra/identity/conditional-access/managed-policies>).
fn managed(p: &Policy) -> Option<bool> {
    let named = read::name(p)
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("microsoft-managed:");
    let phishing_resistant = p
        .grant_controls
        .value()
        .and_then(|g| g.authentication_strength.value())
        .is_some_and(|s| {
            s.id.value()
                .is_some_and(|id| id.eq_ignore_ascii_case(PHISHING_RESISTANT_STRENGTH))
                || s.display_name
                    .value()
                    .is_some_and(|n| n.to_ascii_lowercase().contains("phishing"))
        });
    let admins = read::users(p).is_some_and(|u| !read::strings(&u.include_roles).is_empty());
    if named {
        Some(phishing_resistant)
    } else if admins && phishing_resistant && State::of(p) != State::Off {
        Some(true)
    } else {
        None
    }
}

/// The risk levels a condition applies at, comma-separated; `None` when it has none (the
/// service returns `[]`, never null, for no condition).
fn risk_levels(levels: &Field<Vec<RiskLevel>>) -> Option<String> {
    let levels = read::members(levels);
    (!levels.is_empty()).then(|| {
        levels
            .iter()
            .map(RiskLevel::as_str)
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// The grant's controls besides `c`.
fn alternatives(g: &Grant, c: &Control) -> Alternatives {
    Alternatives {
        labels: g
            .controls
            .iter()
            .filter(|x| *x != c)
            .map(Control::label)
            .collect(),
        operator: g.operator,
    }
}

/// The passkey catch-22: the policy reaches a registration on an unmanaged phone and asks for
/// something that phone cannot give.
fn registration_finding(p: &Policy, state: &State, grant: Option<&Grant>) -> Option<Finding> {
    let g = grant?;
    if g.satisfiable_by(Control::unmanaged_phone_can_satisfy) {
        return None;
    }
    let paths = registration_paths(p);
    let path = *paths.first()?;
    let field = match path {
        RegistrationPath::UserAction => "conditions.applications.includeUserActions",
        RegistrationPath::PrecedingSignIn => "conditions.applications.includeApplications",
    };
    let outside = read::conditions(p)
        .and_then(|c| c.locations.value())
        .is_some_and(|l| !read::strings(&l.exclude_locations).is_empty());
    let requires = (!g.is_block()).then(|| g.describe());
    let kind = AuditKind::BlocksSecurityInfoRegistration {
        state: state.clone(),
        path,
        outside,
        requires,
    };
    Some(kind.at(field))
}

fn break_glass_finding(p: &Policy, state: &State, bg: &BreakGlass) -> Option<Finding> {
    let u = read::users(p)?;
    let include_users = read::strings(&u.include_users);
    let reaches_users = !(include_users.iter().all(|x| x.eq_ignore_ascii_case("None"))
        && read::strings(&u.include_groups).is_empty()
        && read::strings(&u.include_roles).is_empty()
        && u.include_guests_or_external_users.value().is_none());
    if !reaches_users {
        return None;
    }
    let excluded_users = read::strings(&u.exclude_users);
    let excluded_groups = read::strings(&u.exclude_groups);
    let all_users_on = *state == State::On && read::has(&include_users, "All");
    let gap = if !bg.is_declared() {
        BreakGlassGap::Undeclared {
            excluded_users: excluded_users.len(),
            excluded_groups: excluded_groups.len(),
        }
    } else if bg.groups.iter().any(|g| read::has(&excluded_groups, g)) {
        return None;
    } else if bg.users.is_empty() {
        BreakGlassGap::GroupsNotExcluded
    } else {
        let missing: Vec<String> = bg
            .users
            .iter()
            .filter(|id| !read::has(&excluded_users, id))
            .cloned()
            .collect();
        if missing.is_empty() {
            return None;
        }
        BreakGlassGap::UsersNotExcluded { missing }
    };
    let kind = AuditKind::NoBreakGlassExclusion { gap, all_users_on };
    Some(kind.at("conditions.users.excludeUsers"))
}

/// Beta-only properties (`graph-schema/conditional-access.beta-diff.json`) in use, per object.
pub(crate) const BETA_ONLY: &[(&str, &[&str])] = &[
    ("conditions", &["deviceStates", "agentIdRiskLevels"]),
    (
        "conditions.applications",
        &["globalSecureAccess", "networkAccess"],
    ),
    (
        "conditions.clientApplications",
        &[
            "includeAgentIdServicePrincipals",
            "excludeAgentIdServicePrincipals",
            "agentIdServicePrincipalFilter",
        ],
    ),
    (
        "conditions.devices",
        &[
            "includeDeviceStates",
            "excludeDeviceStates",
            "includeDevices",
            "excludeDevices",
        ],
    ),
    (
        "sessionControls",
        &[
            "continuousAccessEvaluation",
            "globalSecureAccessFilteringProfile",
        ],
    ),
];

fn beta_only(p: &Policy) -> Vec<Finding> {
    let c = read::conditions(p);
    let extras = |path: &str| -> Option<&serde_json::Map<String, Value>> {
        match path {
            "conditions" => c.map(|c| &c.extra),
            "conditions.applications" => c.and_then(|c| c.applications.value()).map(|a| &a.extra),
            "conditions.clientApplications" => c
                .and_then(|c| c.client_applications.value())
                .map(|a| &a.extra),
            "conditions.devices" => c.and_then(|c| c.devices.value()).map(|d| &d.extra),
            "sessionControls" => p.session_controls.value().map(|s| &s.extra),
            _ => None,
        }
    };
    let mut out = Vec::new();
    for (path, names) in BETA_ONLY {
        let Some(extra) = extras(path) else { continue };
        for &name in *names {
            // Beta GETs echo unused properties as null or empty; only a value is a use.
            let used = match extra.get(name) {
                None | Some(Value::Null) => false,
                Some(Value::Array(a)) => !a.is_empty(),
                Some(Value::Object(o)) => o
                    .values()
                    .any(|v| !v.is_null() && v != &Value::Array(vec![])),
                Some(_) => true,
            };
            if !used {
                continue;
            }
            let kind = AuditKind::BetaOnlyProperty { name };
            out.push(kind.at(&format!("{path}.{name}")));
        }
    }
    out
}
