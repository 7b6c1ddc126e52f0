//! The full What-If report: every policy's verdict on every condition in words, the enforced and
//! report-only results apart, and the notes on what was assumed where the documentation is silent.

use serde::Serialize;

use super::compile::{ApprovedApp, CompiledDeviceFilter, CompiledPolicy, CompiledPolicySet};
use super::conditions::{Condition, Reason};
use super::decide::{outcome_named, Decision, Outcome, Requirement};
use super::scenario::{Resource, Scenario};
use crate::analysis::read::State;
use crate::filter::{self, Device, Mode, Value as DeviceValue};
use crate::policy::model::Policy;

/// One condition's verdict, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionVerdict {
    pub condition: Condition,
    pub met: bool,
    /// e.g. "excluded by device filter: trustType is AzureAD".
    pub verdict: String,
}

/// Whether one policy applies, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyVerdict {
    /// Position in the input.
    pub index: usize,
    pub name: String,
    pub applies: bool,
    /// Report-only: evaluated and reported, never enforced.
    pub report_only: bool,
    pub reasons: Vec<ConditionVerdict>,
}

/// The What-If result.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatIf {
    /// Every policy, in input order.
    pub policies: Vec<PolicyVerdict>,
    /// What the On policies enforce.
    pub enforced: Decision,
    /// What the Report-only policies would add; never enforced.
    pub report_only: Decision,
    /// Assumptions made where the documentation is silent, and other caveats.
    pub notes: Vec<String>,
}

impl WhatIf {
    /// Blocked, challenged or allowed, from this report's own enforced result: the words cite
    /// only policies this report lists as applying and enforced ([`Decision::cited`] gives
    /// their positions). `s` is the sign-in the report is about (what it can satisfy).
    pub fn outcome(&self, s: &Scenario) -> Outcome {
        outcome_named(&self.enforced, s, |i| {
            self.policies
                .iter()
                .find(|v| v.index == i)
                .map_or_else(String::new, |v| v.name.clone())
        })
    }
}

impl CompiledPolicySet {
    /// The full What-If: every policy's verdict with reasons in words, the enforced result, the
    /// report-only result apart, and the notes.
    pub fn evaluate(&self, s: &Scenario) -> WhatIf {
        self.evaluate_in(s, s.is_registration())
    }

    /// For a security-info registration, the What-If of the sign-in before it
    /// ([`Scenario::preceding_sign_in`]) as a step of that registration: what
    /// [`CompiledPolicySet::outcome_with_preceding`] counts for it. `None` for any other
    /// scenario.
    pub fn evaluate_preceding(&self, s: &Scenario) -> Option<WhatIf> {
        s.preceding_sign_in()
            .map(|pre| self.evaluate_in(&pre, true))
    }

    /// `registering`: `s` is a step of a registration (see `CompiledPolicySet::decide_in`).
    fn evaluate_in(&self, s: &Scenario, registering: bool) -> WhatIf {
        let r = self.intern(s);
        let mut verdicts = Vec::with_capacity(self.policies.len());
        let mut enforced = Decision::default();
        let mut report_only = Decision::default();
        let mut notes: Vec<String> = Vec::new();
        let mut note = |n: &str| {
            if !notes.iter().any(|x| x == n) {
                notes.push(n.to_string());
            }
        };
        for p in &self.policies {
            let mut reasons = Vec::new();
            let applies = p.check(&r, s, false, &mut |cond, met, reason| {
                if matches!(reason, Reason::AllResourcesCoverRegistration { .. }) {
                    note(ALL_RESOURCES_COVER_REGISTRATION);
                }
                if let Some(n) = reason.note() {
                    note(n);
                }
                reasons.push(ConditionVerdict {
                    condition: cond,
                    met,
                    verdict: self.reason_words(p, cond, met, reason, s),
                });
            });
            let is_report_only = p.state == State::ReportOnly;
            if applies {
                if let Some(n) = p.grant.as_ref().and_then(|g| g.note.as_deref()) {
                    note(n);
                }
                match p.approved_app {
                    ApprovedApp::NotAsked => {}
                    ApprovedApp::LeftOut => note(APPROVED_APP_RETIRED),
                    ApprovedApp::WasTheOnlyControl => {
                        note(APPROVED_APP_RETIRED);
                        note(APPROVED_APP_ONLY_CONTROL);
                    }
                }
                let decision = if is_report_only {
                    &mut report_only
                } else {
                    &mut enforced
                };
                p.add_to(decision, s, registering);
            }
            verdicts.push(PolicyVerdict {
                index: p.index,
                name: p.name.clone(),
                applies,
                report_only: is_report_only,
                reasons,
            });
        }
        if s.platform.is_none() && self.policies.iter().any(|p| p.platforms.is_some()) {
            note("the device platform is unknown: only policies that include any device platform (all) cover it; policies that list platforms do not");
        }
        if s.preceding_sign_in().is_some() {
            note(
                "registering security information starts with a sign-in to My Sign-ins or Microsoft Authenticator; that sign-in is evaluated separately against application policies (shown as the sign-in before it)",
            );
        }
        if enforced
            .requirements
            .iter()
            .chain(&report_only.requirements)
            .any(|r| r.first_passkey.is_some())
        {
            note(FIRST_PASSKEY);
        }
        let hidden = self
            .policies
            .iter()
            .filter_map(|p| p.device_filter.as_ref()?.expr.as_ref().ok())
            .any(|e| !filter::eval::hidden_extension_attributes(e, &s.device).is_empty());
        if hidden {
            note(EXTENSION_ATTRIBUTES_NULL);
        }
        WhatIf {
            policies: verdicts,
            enforced,
            report_only,
            notes,
        }
    }

    /// Words for one verdict.
    fn reason_words(
        &self,
        p: &CompiledPolicy,
        cond: Condition,
        met: bool,
        reason: Reason,
        s: &Scenario,
    ) -> String {
        let id = |n: u32| self.ids.id(n);
        let resource = match &s.resource {
            Resource::App(a) => format!("app {a}"),
            Resource::UserAction(a) => format!("user action {a}"),
            Resource::AuthContext(c) => format!("authentication context {c}"),
            Resource::AppGroup(g) => format!("the app group {g} (not an app id)"),
        };
        let platform = s
            .platform
            .as_ref()
            .map_or("unknown".to_string(), |p| p.as_str().to_string());
        match reason {
            Reason::StateOn => "the policy is On".into(),
            Reason::StateReportOnly => "the policy is Report-only: evaluated and reported, never enforced".into(),
            Reason::StateOff => "the policy is Off: What-If evaluates only On and Report-only policies".into(),
            Reason::StateInvalid => format!("the policy's state {:?} is not a valid state", p.state.label()),
            Reason::NoUsersCondition => "the policy has no users condition (a workload-identity policy), so it does not apply to user sign-ins".into(),
            Reason::IncludedAll => "included: All users".into(),
            Reason::IncludedUser => format!("included: user {}", s.user.id),
            Reason::IncludedGroup(g) => format!("included as a member of group {}", id(g)),
            Reason::IncludedRole(r) => format!("included by directory role {}", id(r)),
            Reason::IncludedGuests => "included as a guest or external user".into(),
            Reason::IncludedNone => "the policy includes no users (None)".into(),
            Reason::NotIncluded => "not included: the user is in none of the policy's users, groups, roles or guest types".into(),
            Reason::ExcludedUser => format!("excluded: user {} is excluded (exclusions win over inclusions)", s.user.id),
            Reason::ExcludedGroup(g) => format!("excluded as a member of group {} (exclusions win over inclusions)", id(g)),
            Reason::ExcludedRole(r) => format!("excluded by directory role {} (exclusions win over inclusions)", id(r)),
            Reason::ExcludedGuests => "excluded as a guest or external user (exclusions win over inclusions)".into(),
            Reason::AllResources => format!("included: All resources cover {resource}"),
            Reason::AllResourcesCoverRegistration { excludes_apps } => format!(
                "included: All resources cover {resource} (Microsoft's What-If API returns policies on All resources as applying to security-info registration){}",
                if excludes_apps { "; the excluded apps do not exclude a user action" } else { "" }
            ),
            Reason::SpecificAppsNotRegistration => format!("not applicable: the policy targets specific applications, not All resources, and this sign-in is for {resource}"),
            Reason::AllResourcesNotOtherAction => format!("not applicable: the policy targets All resources, which Microsoft documents as covering security-info registration, not {resource}"),
            Reason::AppIncluded => format!("included: {resource} is listed"),
            Reason::AppInOffice365 => format!("included: {resource} is part of Office 365"),
            Reason::AppNotKnownOffice365 | Reason::AppInAdminPortals | Reason::AppNotIncluded => {
                format!("not included: {resource} is not among the policy's resources")
            }
            Reason::AppExcluded => format!("excluded: {resource} is excluded"),
            Reason::AppExcludedOffice365 => format!("excluded: {resource} is part of the excluded Office 365 suite"),
            Reason::AppFilterNotEvaluated => format!("not included: {resource} is not listed and the application filter was not evaluated"),
            Reason::PolicyTargetsApps => format!("not applicable: the policy targets applications, and this sign-in is for {resource}"),
            Reason::PolicyTargetsActions => format!("not applicable: the policy targets user actions, and this sign-in is for {resource}"),
            Reason::PolicyTargetsContexts => format!("not applicable: the policy targets authentication contexts, and this sign-in is for {resource}"),
            Reason::ActionIncluded => format!("included: the policy targets {resource}"),
            Reason::ActionNotIncluded => format!("not included: the policy targets other user actions than {resource}"),
            Reason::ContextIncluded => format!("included: the policy targets {resource}"),
            Reason::ContextNotIncluded => format!("not included: the policy targets other authentication contexts than {resource}"),
            Reason::NoResources => "the policy targets no resources".into(),
            Reason::NotConfigured => format!("{} not configured: applies to every sign-in", condition_name(cond)),
            Reason::ClientAppListed => format!("client app {:?} is one of the policy's client apps", s.client_app),
            Reason::ClientAppNotListed => format!("client app {:?} is not one of the policy's client apps", s.client_app),
            Reason::PlatformIncluded => format!("device platform {platform} is included"),
            Reason::PlatformExcluded => format!("device platform {platform} is excluded"),
            Reason::PlatformNotIncluded => format!("device platform {platform} is not included"),
            Reason::UnknownPlatformAll => "the device platform is unknown, and the policy includes any device".into(),
            Reason::UnknownPlatformNotAll => "the device platform is unknown, and the policy lists specific platforms only".into(),
            Reason::LocationAll => "included: any location".into(),
            Reason::LocationTrusted => "included: the location is trusted".into(),
            Reason::LocationNamed => "included: the sign-in is in an included named location".into(),
            Reason::LocationExcludedTrusted => "excluded: the location is trusted and trusted locations are excluded".into(),
            Reason::LocationExcludedNamed => "excluded: the sign-in is in an excluded named location".into(),
            Reason::LocationNotIncluded => "not included: the sign-in is in none of the included locations".into(),
            Reason::LocationUnknownAll => "the location is unknown; the policy includes any location".into(),
            Reason::LocationUnknownNotAll => "the location is unknown; the policy includes only specific locations".into(),
            Reason::RiskListed | Reason::RiskNotListed => {
                let (level, what) = match cond {
                    Condition::UserRisk => (s.user_risk, "user risk"),
                    _ => (s.sign_in_risk, "sign-in risk"),
                };
                let verb = if met { "is" } else { "is not" };
                format!("{what} {level:?} {verb} one of the policy's levels")
            }
            Reason::InsiderRiskNotSimulated => "the policy is scoped to insider risk levels, which this simulation does not set".into(),
            Reason::FlowListed => format!("authentication flow {:?} is targeted", s.auth_flow),
            Reason::FlowNotListed => format!("authentication flow {:?} is not targeted", s.auth_flow),
            Reason::NoFlow => "the policy targets device code flow / authentication transfer, and this is an ordinary sign-in".into(),
            Reason::DeviceFilter { matched } => {
                let f = p.device_filter.as_ref().expect("a device-filter verdict comes from a filter");
                let attrs = device_words(f, &s.device);
                match (f.mode, matched) {
                    (Mode::Exclude, true) => format!("excluded by device filter: {attrs}"),
                    (Mode::Exclude, false) => format!("not excluded by device filter (exclude mode, rule does not match): {attrs}"),
                    (Mode::Include, true) => format!("included by device filter: {attrs}"),
                    (Mode::Include, false) => format!("not included by device filter (include mode, rule does not match): {attrs}"),
                }
            }
            Reason::DeviceFilterInvalid => {
                let f = p.device_filter.as_ref().expect("a device-filter verdict comes from a filter");
                format!("the device filter rule is invalid: {}", f.expr.as_ref().err().cloned().unwrap_or_default())
            }
        }
    }
}

impl Reason {
    /// The assumption behind a verdict where the documentation is silent.
    fn note(self) -> Option<&'static str> {
        Some(match self {
            Reason::LocationUnknownAll | Reason::LocationUnknownNotAll => {
                "documentation is silent on a sign-in from an address in no named location; assumed it is untrusted and in no named location, so only policies including any location (All) cover it"
            }
            Reason::AppNotKnownOffice365 => {
                "the app id is not one of the Office 365 apps this simulator knows (Exchange Online, SharePoint Online); assumed it is not in the Office 365 suite — check Microsoft's list of apps in the suite"
            }
            Reason::AppInAdminPortals => {
                "documentation lists the Microsoft Admin Portals by name, not app id; assumed this app is not one of them"
            }
            Reason::AppFilterNotEvaluated => {
                "application filters match custom security attributes this simulator does not know; assumed the app does not match"
            }
            Reason::InsiderRiskNotSimulated => {
                "insider risk is not simulated; assumed the user has no insider risk, so policies scoped to insider risk levels do not apply"
            }
            Reason::DeviceFilterInvalid => {
                "a policy's device filter rule has errors (the service would refuse the policy); assumed that policy does not apply"
            }
            Reason::StateInvalid => "a policy has no valid state; the service would refuse it; assumed it is not evaluated",
            Reason::AllResourcesCoverRegistration { excludes_apps: true } => {
                "documentation is silent on whether the apps an All resources policy excludes take security-info registration out of it; assumed they do not, since a policy cannot exclude a user action (the excluded apps still spare the sign-in before it)"
            }
            Reason::SpecificAppsNotRegistration => {
                "Microsoft's What-If example shows only policies on All resources applying to security-info registration besides the policies on the user action; assumed a policy on specific apps or app groups does not apply to the registration itself (it may still apply to the sign-in before it)"
            }
            Reason::AllResourcesNotOtherAction => {
                "Microsoft documents policies on All resources applying to registering security information, not to other user actions; assumed they do not apply to Register or join devices"
            }
            _ => return None,
        })
    }
}

fn condition_name(c: Condition) -> &'static str {
    match c {
        Condition::State => "state",
        Condition::Users => "users",
        Condition::Resources => "target resources",
        Condition::ClientApps => "client apps",
        Condition::DevicePlatforms => "device platforms",
        Condition::Locations => "locations",
        Condition::SignInRisk => "sign-in risk",
        Condition::UserRisk => "user risk",
        Condition::InsiderRisk => "insider risk",
        Condition::AuthenticationFlows => "authentication flows",
        Condition::DeviceFilter => "device filter",
    }
}

/// Applied where a policy on All resources meets a security-info registration.
const ALL_RESOURCES_COVER_REGISTRATION: &str = "policies on All resources apply to registering security information, together with the policies on the user action: Microsoft's What-If API returns that result (Graph conditionalAccessRoot evaluate, v1.0, Example 3: https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-1.0)";

/// Applied where a requirement cannot be met by someone registering a first passkey.
const FIRST_PASSKEY: &str = "assumed the user registering holds no passkey or other phishing-resistant credential yet and signs in with a Temporary Access Pass (Microsoft's onboarding route for users without methods: https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass) or with a method they already have; a phishing-resistant strength on All resources where a phone signs in, or a strength a Temporary Access Pass does not satisfy on the user action, is then one they cannot meet";

impl Requirement {
    /// Why someone registering a first passkey cannot meet this requirement, and the
    /// documented ways out; `None` when they can.
    pub fn first_passkey_words(&self) -> Option<String> {
        let kind = self.first_passkey?;
        Some(format!(
            "cannot be met by someone registering a first passkey: {}. Ways out: {}",
            kind.why(),
            kind.ways_out()
        ))
    }
}

/// Applied where an applying policy asked for approved client app.
const APPROVED_APP_RETIRED: &str = "Require approved client app (approvedApplication) was retired on 30 June 2026: Microsoft no longer enforces it, and a policy behaves as if it were not selected, so it was left out of the grant; Require app protection policy replaces it (https://learn.microsoft.com/entra/identity/conditional-access/migrate-approved-client-app)";

/// The assumption for a policy whose only grant control was approved client app.
const APPROVED_APP_ONLY_CONTROL: &str = "Microsoft does not spell out how a policy behaves whose only grant control was Require approved client app; assumed it asks for nothing (the policy no longer protects anything)";

/// Applied where a device gives extension attributes the service does not see.
const EXTENSION_ATTRIBUTES_NULL: &str = "extension attributes are only available to Conditional Access on a device that is Intune-managed, compliant or Microsoft Entra hybrid joined (https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices); this device is none of these, so the device filter read the extension attributes it gives as null";

/// "trustType is AzureAD, isCompliant is null" for the properties the rule reads.
fn device_words(f: &CompiledDeviceFilter, device: &Device) -> String {
    if device.is_unregistered() {
        return "the device is not registered, so every property the rule reads is null".into();
    }
    let Ok(expr) = &f.expr else {
        return String::new();
    };
    let mut seen: Vec<&str> = Vec::new();
    for c in expr.comparisons() {
        let name = c.property.name();
        if !seen.contains(&name) {
            seen.push(name);
        }
    }
    let hidden = filter::eval::hidden_extension_attributes(expr, device);
    seen.iter()
        .map(|name| match device.get(name) {
            None => format!("{name} is null"),
            Some(DeviceValue::Str(s)) if hidden.contains(name) => {
                format!("{name} is null to Conditional Access (the device gives {s}, but it is neither Intune-managed, compliant nor hybrid joined)")
            }
            Some(DeviceValue::Str(s)) => format!("{name} is {s}"),
            Some(DeviceValue::Bool(b)) => {
                format!("{name} is {}", if *b { "True" } else { "False" })
            }
            Some(DeviceValue::List(xs)) => format!("{name} is [{}]", xs.join(", ")),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Compiles `policies` and evaluates one scenario.
pub fn evaluate(policies: &[Policy], scenario: &Scenario) -> WhatIf {
    CompiledPolicySet::new(policies).evaluate(scenario)
}
