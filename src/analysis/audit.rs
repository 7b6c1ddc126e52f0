//! Findings about one policy, for the audit table and as the per-policy half of the lint.
//! Codes are stable: the UI writes them into `data-findings`.
//!
//! Two readings published walkthroughs get wrong: "requires a compliant device" is the grant
//! control `compliantDevice` (v1.0 has no device-state condition), and "uses user risk" means a
//! non-empty `userRiskLevels` (the service returns `[]`, never `null`: count, don't compare with
//! null). See `docs/graph.md#mistakes-the-product-corrects`.

use serde::Serialize;
use serde_json::Value;

use super::grant::{Control, Grant, Operator};
use super::read::{self, State};
use super::whatif::{registration_paths, RegistrationPath};
use super::Severity;
use crate::policy::model::*;

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
        State::ReportOnly => out.push(Finding::new(
            "report-only",
            Severity::Info,
            "state",
            "Report-only: evaluated and logged, never enforced",
        )),
        State::Off => out.push(Finding::new(
            "policy-disabled",
            Severity::Info,
            "state",
            "Off: not evaluated",
        )),
        State::Invalid(s) => out.push(
            Finding::new(
                "invalid-state",
                Severity::Error,
                "state",
                format!("state {s} is not a Graph state; the service refuses the policy"),
            )
            .with_fix(
                "set state to enabledForReportingButNotEnforced (Report-only), enabled or disabled",
            ),
        ),
    }
    let grant = Grant::of(policy);
    if let Some(g) = &grant {
        if g.requires(&Control::CompliantDevice) {
            out.push(Finding::new(
                "requires-compliant-device",
                Severity::Info,
                "grantControls.builtInControls",
                format!(
                    "requires a device marked as compliant{}",
                    alternatives(g, &Control::CompliantDevice)
                ),
            ));
        }
        if g.requires(&Control::DomainJoinedDevice) {
            out.push(Finding::new(
                "requires-hybrid-joined-device",
                Severity::Info,
                "grantControls.builtInControls",
                format!(
                    "requires a Microsoft Entra hybrid joined device{}",
                    alternatives(g, &Control::DomainJoinedDevice)
                ),
            ));
        }
    }
    if let Some(c) = read::conditions(policy) {
        for (code, field, levels, what) in [
            (
                "uses-user-risk",
                "conditions.userRiskLevels",
                &c.user_risk_levels,
                "user risk",
            ),
            (
                "uses-sign-in-risk",
                "conditions.signInRiskLevels",
                &c.sign_in_risk_levels,
                "sign-in risk",
            ),
        ] {
            let levels = read::members(levels);
            if !levels.is_empty() {
                let list = levels
                    .iter()
                    .map(RiskLevel::as_str)
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(Finding::new(
                    code,
                    Severity::Info,
                    field,
                    format!("applies at {what} {list} (needs Microsoft Entra ID P2)"),
                ));
            }
        }
    }
    if let Some(f) = registration_finding(policy, &state, grant.as_ref()) {
        out.push(f);
    }
    if let Some(f) = break_glass_finding(policy, &state, break_glass) {
        out.push(f);
    }
    out.extend(beta_only(policy));
    out
}

/// " (or MFA)" / " (together with MFA)" / "" for a control within a grant.
fn alternatives(g: &Grant, c: &Control) -> String {
    let others: Vec<String> = g
        .controls
        .iter()
        .filter(|x| *x != c)
        .map(Control::label)
        .collect();
    match (others.is_empty(), g.operator) {
        (true, _) => String::new(),
        (false, Operator::Any) => format!(", or instead: {}", others.join(" or ")),
        (false, Operator::All) => format!(", together with {}", others.join(" and ")),
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
    let (field, how) = match paths.first()? {
        RegistrationPath::UserAction => (
            "conditions.applications.includeUserActions",
            "it targets the Register security information user action",
        ),
        RegistrationPath::PrecedingSignIn => (
            "conditions.applications.includeApplications",
            "it targets All resources, which covers the sign-in to My Sign-ins / Microsoft Authenticator that registration starts with",
        ),
    };
    let severity = match state {
        State::On => Severity::Error,
        State::ReportOnly => Severity::Warning,
        _ => Severity::Info,
    };
    let outside = read::conditions(p)
        .and_then(|c| c.locations.value())
        .filter(|l| !read::strings(&l.exclude_locations).is_empty())
        .map_or("", |_| " outside the locations it excludes");
    let asks = if g.is_block() {
        "blocks access".to_string()
    } else {
        format!("requires {}", g.describe())
    };
    Some(
        Finding::new(
            "blocks-security-info-registration",
            severity,
            field,
            format!(
                "would stop passkey registration on an unmanaged phone{outside}: {how}, and it {asks}, which an unregistered phone cannot satisfy (Authenticator is not an Intune-protected app)"
            ),
        )
        .with_fix(
            "exclude the Register security information user action from this requirement: keep it off this policy's resources, and protect registration with a separate policy that requires MFA (a Temporary Access Pass satisfies it) — or add MFA as an OR alternative",
        ),
    )
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
    let all_users = read::has(&include_users, "All");
    let severity = if *state == State::On && all_users {
        Severity::Error
    } else {
        Severity::Warning
    };
    let fix = "add the emergency-access accounts to conditions.users.excludeUsers (or their group to excludeGroups)";
    if !bg.is_declared() {
        let what = if excluded_users.is_empty() && excluded_groups.is_empty() {
            "and the policy excludes no user or group at all".to_string()
        } else {
            format!(
                "the policy excludes {} user(s) and {} group(s) — make sure your emergency-access accounts are among them",
                excluded_users.len(),
                excluded_groups.len()
            )
        };
        return Some(
            Finding::new(
                "no-break-glass-exclusion",
                Severity::Warning,
                "conditions.users.excludeUsers",
                format!("no break-glass accounts were declared, so their exclusion cannot be checked; {what}"),
            )
            .with_fix("declare the break-glass accounts (--break-glass-user ID / --break-glass-group ID), then exclude them"),
        );
    }
    if bg.groups.iter().any(|g| read::has(&excluded_groups, g)) {
        return None;
    }
    let missing: Vec<&String> = bg
        .users
        .iter()
        .filter(|id| !read::has(&excluded_users, id))
        .collect();
    if !bg.users.is_empty() && missing.is_empty() {
        return None;
    }
    let message = if bg.users.is_empty() {
        "none of the declared break-glass groups is excluded".to_string()
    } else {
        format!(
            "break-glass account(s) {} not excluded, and no declared break-glass group is",
            missing
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Some(
        Finding::new("no-break-glass-exclusion", severity, "conditions.users.excludeUsers", format!("{message}; Microsoft recommends excluding emergency-access accounts from every policy"))
            .with_fix(fix),
    )
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
        for name in *names {
            // Beta GETs echo unused properties as null or empty; only a value is a use.
            let used = match extra.get(*name) {
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
            let device_state = name.contains("DeviceStates") || *name == "deviceStates";
            let mut f = Finding::new(
                "beta-only-property",
                Severity::Warning,
                &format!("{path}.{name}"),
                format!(
                    "{name} exists only in the beta API: a v1.0 list (GET /v1.0/identity/conditionalAccess/policies) may omit this policy, and a v1.0 write refuses it{}",
                    if device_state {
                        "; the device-state condition is deprecated — requiring a compliant device is the grant control compliantDevice, and device conditions are written as a device filter"
                    } else {
                        ""
                    }
                ),
            );
            f = f.with_fix(if device_state {
                "replace the device-state condition with conditions.devices.deviceFilter (e.g. exclude mode, device.isCompliant -eq True -or device.trustType -eq \"ServerAD\")"
            } else {
                "list and edit this policy through /beta, or remove the property to manage it through v1.0"
            });
            out.push(f);
        }
    }
    out
}
