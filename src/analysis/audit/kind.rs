//! Every finding the audit makes, as data: one variant per code, holding what its message
//! needs. The code, the severity, the message and the fix of each are written here and nowhere
//! else; the checks in `mod.rs` only pick a kind and the field it concerns.
//!
//! The codes are the stable part: the audit table's `data-findings` and `data-code` and
//! `ca-policy lint --json` (which passes the warnings and errors on) expose them, and
//! `docs/diagnostics.md` documents each one (a test keeps the two lists equal).

use std::fmt;

use super::super::grant::Operator;
use super::super::read::State;
use super::super::whatif::RegistrationPath;
use super::super::Severity;
use super::Finding;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AuditKind {
    ReportOnly,
    PolicyDisabled,
    /// `state`: the value found (`absent`, `null` or the unknown string).
    InvalidState {
        state: String,
    },
    RequiresCompliantDevice {
        others: Alternatives,
    },
    RequiresHybridJoinedDevice {
        others: Alternatives,
    },
    /// `levels`: the risk levels, comma-separated.
    UsesUserRisk {
        levels: String,
    },
    UsesSignInRisk {
        levels: String,
    },
    /// `outside`: the policy excludes some locations; `requires`: what the grant asks for as
    /// `Grant::describe` words it, `None` when it blocks.
    BlocksSecurityInfoRegistration {
        state: State,
        path: RegistrationPath,
        outside: bool,
        requires: Option<String>,
    },
    /// `all_users_on`: the policy is On and includes All users, so a missing exclusion locks
    /// the emergency-access accounts out.
    NoBreakGlassExclusion {
        gap: BreakGlassGap,
        all_users_on: bool,
    },
    /// `name`: the property, as `BETA_ONLY` lists it.
    BetaOnlyProperty {
        name: &'static str,
    },
}

/// The other controls of a grant, besides the one a finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Alternatives {
    /// As `Control::label` words them.
    pub labels: Vec<String>,
    pub operator: Operator,
}

/// " (or MFA)" / " (together with MFA)" / "" after a control.
impl fmt::Display for Alternatives {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.labels.is_empty(), self.operator) {
            (true, _) => Ok(()),
            (false, Operator::Any) => write!(f, ", or instead: {}", self.labels.join(" or ")),
            (false, Operator::All) => write!(f, ", together with {}", self.labels.join(" and ")),
        }
    }
}

/// Why the break-glass accounts are not known to be excluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum BreakGlassGap {
    /// None were declared; the counts of the users and groups the policy excludes.
    Undeclared {
        excluded_users: usize,
        excluded_groups: usize,
    },
    /// Only groups were declared, and none of them is excluded.
    GroupsNotExcluded,
    /// These declared users are not excluded, and no declared group is.
    UsersNotExcluded { missing: Vec<String> },
}

impl AuditKind {
    /// The stable kebab-case identifier the audit table and `ca-policy lint --json` expose.
    pub(crate) fn code(&self) -> &'static str {
        use AuditKind::*;
        match self {
            ReportOnly => "report-only",
            PolicyDisabled => "policy-disabled",
            InvalidState { .. } => "invalid-state",
            RequiresCompliantDevice { .. } => "requires-compliant-device",
            RequiresHybridJoinedDevice { .. } => "requires-hybrid-joined-device",
            UsesUserRisk { .. } => "uses-user-risk",
            UsesSignInRisk { .. } => "uses-sign-in-risk",
            BlocksSecurityInfoRegistration { .. } => "blocks-security-info-registration",
            NoBreakGlassExclusion { .. } => "no-break-glass-exclusion",
            BetaOnlyProperty { .. } => "beta-only-property",
        }
    }

    pub(crate) fn severity(&self) -> Severity {
        use AuditKind::*;
        match self {
            InvalidState { .. } => Severity::Error,
            // As severe as the lockout it causes: none while the policy is not evaluated.
            BlocksSecurityInfoRegistration { state, .. } => match state {
                State::On => Severity::Error,
                State::ReportOnly => Severity::Warning,
                _ => Severity::Info,
            },
            // Without a declaration the finding is a reminder, not a proven lockout.
            NoBreakGlassExclusion {
                gap: BreakGlassGap::Undeclared { .. },
                ..
            } => Severity::Warning,
            NoBreakGlassExclusion {
                all_users_on: true, ..
            } => Severity::Error,
            NoBreakGlassExclusion { .. } | BetaOnlyProperty { .. } => Severity::Warning,
            ReportOnly
            | PolicyDisabled
            | RequiresCompliantDevice { .. }
            | RequiresHybridJoinedDevice { .. }
            | UsesUserRisk { .. }
            | UsesSignInRisk { .. } => Severity::Info,
        }
    }

    pub(crate) fn message(&self) -> String {
        use AuditKind::*;
        match self {
            ReportOnly => "Report-only: evaluated and logged, never enforced".into(),
            PolicyDisabled => "Off: not evaluated".into(),
            InvalidState { state } => {
                format!("state {state} is not a Graph state; the service refuses the policy")
            }
            RequiresCompliantDevice { others } => {
                format!("requires a device marked as compliant{others}")
            }
            RequiresHybridJoinedDevice { others } => {
                format!("requires a Microsoft Entra hybrid joined device{others}")
            }
            UsesUserRisk { levels } => {
                format!("applies at user risk {levels} (needs Microsoft Entra ID P2)")
            }
            UsesSignInRisk { levels } => {
                format!("applies at sign-in risk {levels} (needs Microsoft Entra ID P2)")
            }
            BlocksSecurityInfoRegistration {
                path,
                outside,
                requires,
                ..
            } => {
                let outside = if *outside {
                    " outside the locations it excludes"
                } else {
                    ""
                };
                let how = match path {
                    RegistrationPath::UserAction => {
                        "it targets the Register security information user action"
                    }
                    RegistrationPath::PrecedingSignIn => {
                        "it targets All resources, which covers the sign-in to My Sign-ins / Microsoft Authenticator that registration starts with"
                    }
                };
                let asks = match requires {
                    None => "blocks access".to_string(),
                    Some(what) => format!("requires {what}"),
                };
                format!(
                    "would stop passkey registration on an unmanaged phone{outside}: {how}, and it {asks}, which an unregistered phone cannot satisfy (Authenticator is not an Intune-protected app)"
                )
            }
            NoBreakGlassExclusion { gap, .. } => match gap {
                BreakGlassGap::Undeclared {
                    excluded_users,
                    excluded_groups,
                } => {
                    let what = if *excluded_users == 0 && *excluded_groups == 0 {
                        "and the policy excludes no user or group at all".to_string()
                    } else {
                        format!(
                            "the policy excludes {excluded_users} user(s) and {excluded_groups} group(s) — make sure your emergency-access accounts are among them"
                        )
                    };
                    format!("no break-glass accounts were declared, so their exclusion cannot be checked; {what}")
                }
                BreakGlassGap::GroupsNotExcluded => format!(
                    "none of the declared break-glass groups is excluded; {RECOMMENDATION}"
                ),
                BreakGlassGap::UsersNotExcluded { missing } => format!(
                    "break-glass account(s) {} not excluded, and no declared break-glass group is; {RECOMMENDATION}",
                    missing.join(", ")
                ),
            },
            BetaOnlyProperty { name } => format!(
                "{name} exists only in the beta API: a v1.0 list (GET /v1.0/identity/conditionalAccess/policies) may omit this policy, and a v1.0 write refuses it{}",
                if is_device_state(name) {
                    "; the device-state condition is deprecated — requiring a compliant device is the grant control compliantDevice, and device conditions are written as a device filter"
                } else {
                    ""
                }
            ),
        }
    }

    /// How to fix it, where there is a fix.
    pub(crate) fn fix(&self) -> Option<&'static str> {
        use AuditKind::*;
        let fix = match self {
            ReportOnly
            | PolicyDisabled
            | RequiresCompliantDevice { .. }
            | RequiresHybridJoinedDevice { .. }
            | UsesUserRisk { .. }
            | UsesSignInRisk { .. } => return None,
            InvalidState { .. } => {
                "set state to enabledForReportingButNotEnforced (Report-only), enabled or disabled"
            }
            BlocksSecurityInfoRegistration { .. } => {
                "exclude the Register security information user action from this requirement: keep it off this policy's resources, and protect registration with a separate policy that requires MFA (a Temporary Access Pass satisfies it) — or add MFA as an OR alternative"
            }
            NoBreakGlassExclusion {
                gap: BreakGlassGap::Undeclared { .. },
                ..
            } => {
                "declare the break-glass accounts (--break-glass-user ID / --break-glass-group ID), then exclude them"
            }
            NoBreakGlassExclusion { .. } => {
                "add the emergency-access accounts to conditions.users.excludeUsers (or their group to excludeGroups)"
            }
            BetaOnlyProperty { name } if is_device_state(name) => {
                "replace the device-state condition with conditions.devices.deviceFilter (e.g. exclude mode, device.isCompliant -eq True -or device.trustType -eq \"ServerAD\")"
            }
            BetaOnlyProperty { .. } => {
                "list and edit this policy through /beta, or remove the property to manage it through v1.0"
            }
        };
        Some(fix)
    }

    /// The finding about `field` (a JSON path in the policy).
    pub(crate) fn at(self, field: &str) -> Finding {
        let finding = Finding::new(self.code(), self.severity(), field, self.message());
        match self.fix() {
            Some(fix) => finding.with_fix(fix),
            None => finding,
        }
    }
}

const RECOMMENDATION: &str =
    "Microsoft recommends excluding emergency-access accounts from every policy";

/// The deprecated device-state condition, under either of its beta names.
fn is_device_state(name: &str) -> bool {
    name.contains("DeviceStates") || name == "deviceStates"
}
