//! Every finding the policy-set lint makes itself, as data: one variant per
//! code, holding what its message and fix need. The code, the severity, the
//! message and the fix of each are written here and nowhere else; the checks
//! only pick a kind and the field it concerns. (The audit's findings and the
//! device-filter diagnostics the lint passes on keep their own codes.)

use serde_json::Value;

use super::super::audit::Finding;
use super::super::Severity;

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LintKind {
    NamingConvention {
        name: String,
        pattern: String,
    },
    /// `deployed`: the policy has an id, so its history is not in the file.
    EnabledWithoutReportOnly {
        deployed: bool,
    },
    /// `enabled`: the policy is On.
    AllUsersBlock {
        scope: &'static str,
        excludes_nobody: bool,
        enabled: bool,
    },
    InvalidFilterMode,
    InvalidFilterRule,
    MoreFilterDiagnostics {
        more: usize,
    },
    NullCollection,
    ScalarForCollection {
        value: String,
    },
    /// `value`: the JSON found.
    WrongShape {
        value: String,
    },
    UnknownMember {
        members: Vec<String>,
    },
    /// The conflict as `builders::strength` words it.
    ControlWithAuthenticationStrength {
        message: &'static str,
        fix: &'static str,
    },
    /// `name`: `includeGroups` or `includeRoles`.
    AllUsersWithGroups {
        name: &'static str,
    },
    /// `ascii`: the name with the characters replaced.
    TypographicCharactersInName {
        found: char,
        ascii: String,
    },
    TargetsClientApp,
    /// The users condition includes nobody: no user, group, role or guest type.
    NoUsersIncluded,
    DuplicateDisplayName {
        earlier: usize,
    },
    DuplicatePolicy {
        earlier: usize,
        later: usize,
    },
    ContradictoryPolicies {
        blocker: usize,
        granter: usize,
    },
    OverlappingPolicies {
        earlier: usize,
        later: usize,
    },
    PasswordChangeRules {
        rule: PasswordChangeRule,
    },
    RiskRemediationRules {
        rule: RiskRemediationRule,
    },
    /// `mfa`: the grant asks for MFA (or a strength), which the filter waives.
    JoinedDevicesExempt,
    /// `only`: approvedApplication is the policy's only control.
    ApprovedClientAppRetired {
        only: bool,
    },
}

/// A `passwordChange` rule the policy breaks (Graph's "special considerations when using
/// passwordChange as a control",
/// <https://learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols>).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PasswordChangeRule {
    /// Not under AND with mfa (or an authentication strength, which is itself multifactor).
    NotWithMfa,
    NoUserRisk,
    /// `names`: the other conditions, comma-separated.
    OtherConditions {
        names: String,
    },
    /// Targets less than All resources, or excludes some.
    NotAllResources,
}

/// A `riskRemediation` rule the policy breaks (same page; the portal's *Require risk
/// remediation* adds the strength and sign-in frequency every time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum RiskRemediationRule {
    WithPasswordChange,
    /// No authentication strength, or not under AND.
    NoStrengthUnderAnd,
    NoEveryTime,
    NoUserRisk,
}

impl LintKind {
    /// The stable kebab-case identifier `ca-policy lint --json` and the page expose.
    pub(crate) fn code(&self) -> &'static str {
        use LintKind::*;
        match self {
            NamingConvention { .. } => "naming-convention",
            EnabledWithoutReportOnly { .. } => "enabled-without-report-only",
            AllUsersBlock { .. } => "all-users-block",
            InvalidFilterMode => "invalid-filter-mode",
            InvalidFilterRule => "invalid-filter-rule",
            MoreFilterDiagnostics { .. } => "more-filter-diagnostics",
            NullCollection => "null-collection",
            ScalarForCollection { .. } => "scalar-for-collection",
            WrongShape { .. } => "wrong-shape",
            UnknownMember { .. } => "unknown-member",
            ControlWithAuthenticationStrength { .. } => "control-with-authentication-strength",
            AllUsersWithGroups { .. } => "all-users-with-groups",
            TypographicCharactersInName { .. } => "typographic-characters-in-name",
            TargetsClientApp => "targets-client-app",
            NoUsersIncluded => "no-users-included",
            DuplicateDisplayName { .. } => "duplicate-display-name",
            DuplicatePolicy { .. } => "duplicate-policy",
            ContradictoryPolicies { .. } => "contradictory-policies",
            OverlappingPolicies { .. } => "overlapping-policies",
            PasswordChangeRules { .. } => "password-change-rules",
            RiskRemediationRules { .. } => "risk-remediation-rules",
            JoinedDevicesExempt => "joined-devices-exempt",
            ApprovedClientAppRetired { .. } => "approved-client-app-retired",
        }
    }

    pub(crate) fn severity(&self) -> Severity {
        use LintKind::*;
        match self {
            // A draft can still start in Report-only; for a deployed policy only remind.
            EnabledWithoutReportOnly { deployed: true } => Severity::Info,
            EnabledWithoutReportOnly { deployed: false } => Severity::Warning,
            AllUsersBlock {
                excludes_nobody: true,
                enabled: true,
                ..
            } => Severity::Error,
            InvalidFilterMode
            | InvalidFilterRule
            | ScalarForCollection { .. }
            | WrongShape { .. }
            | UnknownMember { .. }
            | ControlWithAuthenticationStrength { .. }
            | NoUsersIncluded
            | ApprovedClientAppRetired { only: true } => Severity::Error,
            PasswordChangeRules {
                rule: PasswordChangeRule::NotAllResources,
            }
            | RiskRemediationRules {
                rule: RiskRemediationRule::NoEveryTime | RiskRemediationRule::NoUserRisk,
            } => Severity::Warning,
            PasswordChangeRules { .. } | RiskRemediationRules { .. } => Severity::Error,
            MoreFilterDiagnostics { .. }
            | TypographicCharactersInName { .. }
            | OverlappingPolicies { .. } => Severity::Info,
            _ => Severity::Warning,
        }
    }

    pub(crate) fn message(&self) -> String {
        use LintKind::*;
        match self {
            NamingConvention { name, pattern } => {
                format!("{name:?} does not follow the naming convention {pattern:?}")
            }
            EnabledWithoutReportOnly { .. } => "the policy is On without a Report-only period visible here; Microsoft's walkthroughs create policies in Report-only and switch them On after reviewing their impact".into(),
            AllUsersBlock {
                scope,
                excludes_nobody,
                ..
            } => format!(
                "blocks All users from {scope}{}; a mistake in its conditions locks out the whole tenant, administrators included",
                if *excludes_nobody { " and excludes nobody" } else { "" }
            ),
            InvalidFilterMode => "the device filter's mode must be include or exclude".into(),
            InvalidFilterRule => "the device filter has no rule".into(),
            MoreFilterDiagnostics { more } => {
                format!("and {more} more device-filter diagnostics; fix the ones above first")
            }
            NullCollection => "null where Graph keeps a list: the service stores and returns [] (never null), so a script testing `-ne $null` or a diff against this file misreads it".into(),
            ScalarForCollection { value } => format!("{value:?} is a single string where Graph expects an array; the PowerShell SDK's -BodyParameter coerces it, but a JSON request (Invoke-MgGraphRequest, REST) is refused"),
            WrongShape { value } => format!("{value} is not a list of strings; Graph refuses it"),
            UnknownMember { members } => format!(
                "{} not a value Graph defines here (values are case-sensitive)",
                members
                    .iter()
                    .map(|m| format!("{m:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
                    + if members.len() == 1 { " is" } else { " are" }
            ),
            ControlWithAuthenticationStrength { message, .. } => message.to_string(),
            AllUsersWithGroups { name } => format!("{name} does not narrow the policy: includeUsers is All, and includes are unioned, so it still targets every user"),
            TypographicCharactersInName { found, .. } => format!(
                "the name contains {found:?} (U+{:04X}); a `displayName eq '…'` filter typed with a plain hyphen or quote finds nothing",
                *found as u32
            ),
            TargetsClientApp => "Microsoft Authenticator is a client (public) app: Conditional Access applies to the resources it calls, never to it, and it is not an Intune-protected app".into(),
            NoUsersIncluded => "the policy includes no users: includeUsers, includeGroups and includeRoles are empty and no guest type is included, which Graph refuses".into(),
            DuplicateDisplayName { earlier } => format!("another policy (#{earlier}) has the same name; name-based lookups and \"update instead of create\" become ambiguous"),
            DuplicatePolicy { earlier, later } => {
                format!("#{earlier} and #{later} have the same conditions and controls")
            }
            ContradictoryPolicies { blocker, granter } => format!("#{blocker} blocks exactly the sign-ins that #{granter} grants with controls (same conditions): the block always wins, so the grant never takes effect"),
            OverlappingPolicies { earlier, later } => format!("#{earlier} and #{later} apply to exactly the same sign-ins; their requirements add up (AND)"),
            PasswordChangeRules { rule } => match rule {
                PasswordChangeRule::NotWithMfa => "Require password change must be accompanied by multifactor authentication (mfa, or an authentication strength) under AND; Graph refuses it otherwise".into(),
                PasswordChangeRule::NoUserRisk => "Require password change is accepted only in a policy with a user-risk condition (userRiskLevels); Graph refuses it otherwise".into(),
                PasswordChangeRule::OtherConditions { names } => format!("a policy with Require password change may have no condition besides users, applications and userRiskLevels; it also has {names}, which Graph refuses"),
                PasswordChangeRule::NotAllResources => "a policy with Require password change should target All resources and exclude none; otherwise a risky user can keep using the resources it leaves out".into(),
            },
            RiskRemediationRules { rule } => match rule {
                RiskRemediationRule::WithPasswordChange => "Require risk remediation and Require password change are separate controls and cannot be in one policy".into(),
                RiskRemediationRule::NoStrengthUnderAnd => "Require risk remediation must come with an authentication strength under AND".into(),
                RiskRemediationRule::NoEveryTime => "Require risk remediation needs sign-in frequency Every time (the portal adds it, and Microsoft's template makes it mandatory)".into(),
                RiskRemediationRule::NoUserRisk => "Require risk remediation is built for user-risk policies (userRiskLevels); a sign-in-risk policy should require MFA or an authentication strength instead".into(),
            },
            JoinedDevicesExempt => "the device filter exempts every Microsoft Entra joined device from this policy: joined says nothing about whether the device is compliant or who holds it, so anyone signing in on any joined device skips MFA".into(),
            ApprovedClientAppRetired { only } => format!(
                "Require approved client app is no longer enforced since 30 June 2026: the service treats the policy as if the control were not selected{}",
                if *only { ", and it is this policy's only control, so the policy no longer protects anything" } else { "" }
            ),
        }
    }

    /// How to fix it, where there is a fix.
    pub(crate) fn fix(&self) -> Option<String> {
        use LintKind::*;
        let fix = match self {
            NamingConvention { pattern, .. } => format!("rename the policy to match {pattern:?}"),
            EnabledWithoutReportOnly { .. } => "set state to enabledForReportingButNotEnforced, review the Report-only results in the sign-in logs, then switch it On".into(),
            AllUsersBlock { .. } => "exclude the break-glass accounts, keep the policy in Report-only until its sign-in log results are reviewed, and narrow it with conditions".into(),
            InvalidFilterMode => {
                "set mode to \"include\" or \"exclude\" (PATCH sends mode and rule together)".into()
            }
            InvalidFilterRule | MoreFilterDiagnostics { .. } | WrongShape { .. } => return None,
            NullCollection => "write [] instead of null".into(),
            ScalarForCollection { value } => {
                format!("write [{}]", Value::String(value.clone()))
            }
            UnknownMember { .. } => "use the documented spelling, e.g. clientAppTypes \"all\", platforms \"iOS\"/\"macOS\"".into(),
            ControlWithAuthenticationStrength { fix, .. } => fix.to_string(),
            AllUsersWithGroups { name } => format!("clear includeUsers ([]) in the same PATCH that sets {name}, keeping the exclusions"),
            TypographicCharactersInName { ascii, .. } => {
                format!("rename to {ascii:?}, or look the policy up by id")
            }
            TargetsClientApp => "protect passkey registration with the Register security information user action (urn:user:registersecurityinfo)".into(),
            NoUsersIncluded => "include the pilot group (includeGroups), some users, or [\"None\"] in includeUsers to stage a policy that applies to nobody".into(),
            DuplicateDisplayName { .. } => "give each policy a unique name".into(),
            DuplicatePolicy { .. } => "delete one of them".into(),
            ContradictoryPolicies { .. } => "narrow one of them (e.g. exclude the granted group or platform from the block) or delete the one that is not meant".into(),
            OverlappingPolicies { .. } => "merge them into one policy if that is what is meant".into(),
            PasswordChangeRules { rule } => match rule {
                PasswordChangeRule::NotWithMfa => "set operator AND with builtInControls [\"mfa\", \"passwordChange\"] — or, as Microsoft now recommends for user risk, require risk remediation (ca-policy template user-risk)".into(),
                PasswordChangeRule::NoUserRisk => "add conditions.userRiskLevels (e.g. [\"high\"]), or require MFA or an authentication strength instead of a password change".into(),
                PasswordChangeRule::OtherConditions { .. } => "remove the other conditions, or put them in a separate policy".into(),
                PasswordChangeRule::NotAllResources => "include All resources and clear excludeApplications".into(),
            },
            RiskRemediationRules { rule } => match rule {
                RiskRemediationRule::WithPasswordChange => "remove passwordChange: risk remediation already makes a password user change their password securely".into(),
                RiskRemediationRule::NoStrengthUnderAnd => "set operator AND and grantControls.authenticationStrength { \"id\": \"00000000-0000-0000-0000-000000000002\" } (the built-in Multifactor authentication strength), without the built-in mfa control".into(),
                RiskRemediationRule::NoEveryTime => "set sessionControls.signInFrequency to { \"isEnabled\": true, \"frequencyInterval\": \"everyTime\", \"authenticationType\": \"primaryAndSecondaryAuthentication\" }".into(),
                RiskRemediationRule::NoUserRisk => "use userRiskLevels, as ca-policy template user-risk does; for sign-in risk use ca-policy template sign-in-risk".into(),
            },
            JoinedDevicesExempt => "drop the device filter and grant access with MFA OR a compliant device OR a hybrid joined device (operator OR, builtInControls [\"mfa\", \"compliantDevice\", \"domainJoinedDevice\"]), Microsoft's template \"Require compliant or hybrid joined device or MFA\": a managed device then counts only when it is compliant or hybrid joined, and the sign-in logs show which control was satisfied. To keep a filter, exempt only compliant or hybrid joined devices (device.isCompliant -eq True -or device.trustType -eq \"ServerAD\")".into(),
            ApprovedClientAppRetired { .. } => "replace approvedApplication with compliantApplication (Require app protection policy, which needs Intune app protection), or offer a compliant device under OR; neither can be met by Microsoft Authenticator itself, so keep it out of the policy's resources".into(),
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::analysis::{lint, LintConfig};
    use crate::policy::import::import_str;

    const DOC: &str = include_str!("../../../docs/diagnostics.md");
    const SOURCE: &str = include_str!("kind.rs");

    /// The codes as `code()` writes them, one string literal per arm.
    fn codes_in_source() -> Vec<&'static str> {
        let start = SOURCE.find("fn code(&self)").expect("code() is in kind.rs");
        let body = &SOURCE[start..];
        let body = &body[..body.find("\n    }\n").expect("code() ends")];
        body.split('"').skip(1).step_by(2).collect()
    }

    /// The documented lint codes: the `### `code`` headings of the `# Policy-set lint codes`
    /// part, with the text of their section.
    fn documented() -> Vec<(&'static str, &'static str)> {
        let start = DOC
            .find("\n# Policy-set lint codes\n")
            .expect("the doc has a lint part");
        let part = &DOC[start + 1..];
        let part = &part[..part.find("\n# ").unwrap_or(part.len())];
        part.split("\n### `")
            .skip(1)
            .map(|section| {
                let (code, rest) = section.split_once('`').expect("heading closes its code");
                let end = rest.find("\n## ").unwrap_or(rest.len());
                (code, &rest[..end])
            })
            .collect()
    }

    /// One kind of each code, and of each severity a code can have.
    fn samples() -> Vec<LintKind> {
        use LintKind::*;
        let block = |excludes_nobody, enabled| AllUsersBlock {
            scope: "all resources",
            excludes_nobody,
            enabled,
        };
        vec![
            NamingConvention {
                name: "Require MFA".into(),
                pattern: "CA??? - *".into(),
            },
            EnabledWithoutReportOnly { deployed: true },
            EnabledWithoutReportOnly { deployed: false },
            block(true, true),
            block(true, false),
            block(false, true),
            InvalidFilterMode,
            InvalidFilterRule,
            MoreFilterDiagnostics { more: 3 },
            NullCollection,
            ScalarForCollection {
                value: "all".into(),
            },
            WrongShape { value: "7".into() },
            UnknownMember {
                members: vec!["All".into()],
            },
            ControlWithAuthenticationStrength {
                message: "mfa",
                fix: "remove mfa",
            },
            AllUsersWithGroups {
                name: "includeGroups",
            },
            TypographicCharactersInName {
                found: '\u{2013}',
                ascii: "CA001 - Require MFA".into(),
            },
            TargetsClientApp,
            NoUsersIncluded,
            DuplicateDisplayName { earlier: 0 },
            DuplicatePolicy {
                earlier: 0,
                later: 1,
            },
            ContradictoryPolicies {
                blocker: 0,
                granter: 1,
            },
            OverlappingPolicies {
                earlier: 0,
                later: 1,
            },
            PasswordChangeRules {
                rule: PasswordChangeRule::NotWithMfa,
            },
            PasswordChangeRules {
                rule: PasswordChangeRule::NotAllResources,
            },
            RiskRemediationRules {
                rule: RiskRemediationRule::WithPasswordChange,
            },
            RiskRemediationRules {
                rule: RiskRemediationRule::NoEveryTime,
            },
            JoinedDevicesExempt,
            ApprovedClientAppRetired { only: true },
            ApprovedClientAppRetired { only: false },
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
            assert!(
                !code.is_empty()
                    && !code.starts_with('-')
                    && !code.ends_with('-')
                    && !code.contains("--")
                    && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "`{code}` is not kebab-case"
            );
        }
        let sampled: BTreeSet<_> = samples().iter().map(LintKind::code).collect();
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
            "documented in docs/diagnostics.md but not a LintKind"
        );
        assert_eq!(
            codes.difference(&doc_set).collect::<Vec<_>>(),
            Vec::<&&str>::new(),
            "a LintKind missing from docs/diagnostics.md"
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

    #[test]
    fn every_doc_example_raises_its_code() {
        // Needing a --naming pattern or 21 diagnostics: described in words instead.
        let described = ["naming-convention", "more-filter-diagnostics"];
        for (code, section) in documented() {
            let Some((_, rest)) = section.split_once("```policy\n") else {
                assert!(described.contains(&code), "`{code}` has no example");
                continue;
            };
            let example = &rest[..rest.find("\n```").unwrap()];
            let policies = import_str(example)
                .unwrap_or_else(|e| panic!("`{code}`: {e:?}"))
                .policies;
            let found: Vec<_> = lint(&policies, &LintConfig::default())
                .into_iter()
                .map(|f| f.finding.code)
                .collect();
            assert!(
                found.contains(&code),
                "`{code}`: the example gives {found:?}"
            );
        }
    }
}
