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
use crate::builders::strength::StrengthLoop;

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
    /// The strength can only be met with the passkey the user is about to register.
    AuthenticationStrengthLoop {
        state: State,
        kind: StrengthLoop,
    },
    /// User risk answered by `passwordChange`, the pattern Microsoft's templates used before
    /// Require risk remediation.
    PasswordChangeForUserRisk,
    /// A policy Microsoft created (its name starts with "Microsoft-managed:") or one that
    /// requires a phishing-resistant strength of admin roles; `admins_locked_out`: it requires a
    /// phishing-resistant strength, which pilot admins without a passkey cannot meet.
    MicrosoftManagedPolicy {
        admins_locked_out: bool,
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
            AuthenticationStrengthLoop { .. } => "authentication-strength-loop",
            PasswordChangeForUserRisk => "password-change-for-user-risk",
            MicrosoftManagedPolicy { .. } => "microsoft-managed-policy",
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
            AuthenticationStrengthLoop { state, .. } => match state {
                State::On => Severity::Error,
                State::ReportOnly => Severity::Warning,
                _ => Severity::Info,
            },
            PasswordChangeForUserRisk
            | MicrosoftManagedPolicy {
                admins_locked_out: true,
            } => Severity::Warning,
            MicrosoftManagedPolicy {
                admins_locked_out: false,
            } => Severity::Info,
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
            AuthenticationStrengthLoop { kind, .. } => format!("authentication-strength loop: {}", kind.why()),
            PasswordChangeForUserRisk => "user risk is answered by Require password change, the older pattern: Microsoft now recommends Require risk remediation, and a passwordless user (one who registered a passkey and has no password) cannot remediate with a password change; the legacy ID Protection risk policies retired on 1 October 2026, so this policy is what protects the tenant".into(),
            MicrosoftManagedPolicy { admins_locked_out: true } => "requires phishing-resistant authentication of admin roles (a Microsoft-managed or Baseline security mode policy): pilot admins who have no passkey yet are locked out once it is On, and a Temporary Access Pass does not satisfy the Phishing-resistant MFA strength; Microsoft turns a managed policy left in Report-only On no less than 30 days after it appears".into(),
            MicrosoftManagedPolicy { admins_locked_out: false } => "a Microsoft-managed policy: only its state and its excluded users and groups can be changed (duplicate it to customise), and Microsoft turns it On no less than 30 days after it appears in Report-only".into(),
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
            | UsesSignInRisk { .. }
            | MicrosoftManagedPolicy {
                admins_locked_out: false,
            } => return None,
            AuthenticationStrengthLoop { kind, .. } => kind.ways_out(),
            PasswordChangeForUserRisk => {
                "require risk remediation: builtInControls [\"riskRemediation\"] AND an authentication strength (the built-in Multifactor authentication strength), sign-in frequency Every time, without passwordChange (ca-policy template user-risk writes it)"
            }
            MicrosoftManagedPolicy {
                admins_locked_out: true,
            } => {
                "add the pilot admins to its excluded users (admins may change the state and the exclusions) until What-If and their registration details show they have a passkey, and give them a Temporary Access Pass to register one"
            }
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::analysis::{audit, BreakGlass};
    use crate::policy::import::import_str;

    const DOC: &str = include_str!("../../../docs/diagnostics.md");
    const SOURCE: &str = include_str!("kind.rs");

    /// The codes as `code()` writes them: one string literal per arm, so the list holds every
    /// code (the match is exhaustive) and a code used for two kinds shows up twice.
    fn codes_in_source() -> Vec<&'static str> {
        let start = SOURCE.find("fn code(&self)").expect("code() is in kind.rs");
        let body = &SOURCE[start..];
        let body = &body[..body.find("\n    }\n").expect("code() ends")];
        body.split('"').skip(1).step_by(2).collect()
    }

    /// The `### `code`` headings of `text`, with the text of their section.
    fn sections(text: &'static str) -> Vec<(&'static str, &'static str)> {
        text.split("\n### `")
            .skip(1)
            .map(|section| {
                let (code, rest) = section.split_once('`').expect("heading closes its code");
                let end = rest.find("\n## ").unwrap_or(rest.len());
                (code, &rest[..end])
            })
            .collect()
    }

    /// The documented audit codes: the `# Audit codes` part, up to the next part.
    fn documented() -> Vec<(&'static str, &'static str)> {
        let start = DOC
            .find("\n# Audit codes\n")
            .expect("the doc has an audit part");
        let part = &DOC[start + 1..];
        let part = &part[..part.find("\n# ").unwrap_or(part.len())];
        sections(part)
    }

    /// One kind of each code, and of each severity a code can have.
    fn samples() -> Vec<AuditKind> {
        use AuditKind::*;
        let others = || Alternatives {
            labels: vec!["multifactor authentication".into()],
            operator: Operator::Any,
        };
        let registration = |state| BlocksSecurityInfoRegistration {
            state,
            path: RegistrationPath::UserAction,
            outside: false,
            requires: None,
        };
        let break_glass = |gap, all_users_on| NoBreakGlassExclusion { gap, all_users_on };
        vec![
            ReportOnly,
            PolicyDisabled,
            InvalidState { state: "on".into() },
            RequiresCompliantDevice { others: others() },
            RequiresHybridJoinedDevice { others: others() },
            UsesUserRisk {
                levels: "high".into(),
            },
            UsesSignInRisk {
                levels: "high".into(),
            },
            registration(State::On),
            registration(State::ReportOnly),
            registration(State::Off),
            break_glass(
                BreakGlassGap::Undeclared {
                    excluded_users: 0,
                    excluded_groups: 0,
                },
                true,
            ),
            break_glass(BreakGlassGap::GroupsNotExcluded, true),
            break_glass(BreakGlassGap::GroupsNotExcluded, false),
            BetaOnlyProperty {
                name: "includeDeviceStates",
            },
            AuthenticationStrengthLoop {
                state: State::On,
                kind: StrengthLoop::AllResources,
            },
            AuthenticationStrengthLoop {
                state: State::ReportOnly,
                kind: StrengthLoop::Registration,
            },
            AuthenticationStrengthLoop {
                state: State::Off,
                kind: StrengthLoop::AllResources,
            },
            PasswordChangeForUserRisk,
            MicrosoftManagedPolicy {
                admins_locked_out: true,
            },
            MicrosoftManagedPolicy {
                admins_locked_out: false,
            },
        ]
    }

    #[test]
    fn codes_are_kebab_case_and_unique() {
        let codes = codes_in_source();
        let unique: BTreeSet<_> = codes.iter().collect();
        assert_eq!(
            unique.len(),
            codes.len(),
            "a code names two kinds: {codes:?}"
        );
        for code in &codes {
            let kebab = !code.is_empty()
                && !code.starts_with('-')
                && !code.ends_with('-')
                && !code.contains("--")
                && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
            assert!(kebab, "`{code}` is not kebab-case");
        }
        let sampled: BTreeSet<_> = samples().iter().map(AuditKind::code).collect();
        assert_eq!(sampled, codes.iter().copied().collect::<BTreeSet<_>>());
    }

    #[test]
    fn the_doc_lists_exactly_the_codes_with_their_severity() {
        let documented = documented();
        let doc_set: BTreeSet<_> = documented.iter().map(|(c, _)| *c).collect();
        assert_eq!(
            doc_set.len(),
            documented.len(),
            "a code is documented twice"
        );
        let codes: BTreeSet<_> = codes_in_source().into_iter().collect();
        assert_eq!(
            doc_set.difference(&codes).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "documented in docs/diagnostics.md but not an AuditKind"
        );
        assert_eq!(
            codes.difference(&doc_set).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "an AuditKind missing from docs/diagnostics.md"
        );
        for kind in samples() {
            let (_, section) = documented.iter().find(|(c, _)| *c == kind.code()).unwrap();
            let severity = format!("**{}**", kind.severity().as_str());
            let line = section
                .lines()
                .find(|l| l.starts_with("Severity: "))
                .unwrap_or_else(|| panic!("`{}` has no Severity line", kind.code()));
            assert!(line.contains(&severity), "`{}`: {line}", kind.code());
            assert!(!kind.message().is_empty());
        }
    }

    /// `ca-policy lint --json` mixes the three lists: a code must say which checker raised it.
    #[test]
    fn no_code_is_documented_twice_on_the_page() {
        let all = sections(DOC);
        let unique: BTreeSet<_> = all.iter().map(|(c, _)| *c).collect();
        assert_eq!(unique.len(), all.len(), "a code is in two lists");
    }

    #[test]
    fn every_doc_example_raises_its_code() {
        for (code, section) in documented() {
            let (_, rest) = section
                .split_once("```policy\n")
                .unwrap_or_else(|| panic!("`{code}` has no example"));
            let example = &rest[..rest.find("\n```").unwrap()];
            let policies = import_str(example)
                .unwrap_or_else(|e| panic!("`{code}`: {e:?}"))
                .policies;
            let found: Vec<_> = policies
                .iter()
                .flat_map(|p| audit(p, &BreakGlass::default()))
                .map(|f| f.code)
                .collect();
            assert!(
                found.contains(&code),
                "`{code}`: the example gives {found:?}"
            );
        }
    }
}
