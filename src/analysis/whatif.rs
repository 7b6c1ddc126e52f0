//! The offline What-If: which policies apply to a simulated sign-in, why, and what the sign-in
//! must then satisfy.
//!
//! Semantics (Microsoft Learn, "Conditional Access: Users, groups…", "Target resources",
//! "Conditions", "Filter for devices", "The What If tool"):
//! - Only On and Report-only policies are evaluated; Report-only results are listed apart and
//!   never enforced.
//! - A policy applies when every configured condition is met; a condition that is not configured
//!   (absent, null or empty) is met. Users: the union of the includes minus the union of the
//!   excludes — an exclusion wins.
//! - Resources are apps, user actions or authentication contexts; a policy that targets user
//!   actions is the only kind matched by a user action, and vice versa.
//! - Device platform: an unknown platform is only covered by "Any device" (`all`).
//! - Device filter: the rule is evaluated with `crate::filter::eval`; an unregistered device is
//!   an empty device (every property null); include mode applies on a match, exclude mode on a
//!   non-match.
//! - Combined result: any applying enforced block blocks; otherwise every applying enforced
//!   policy's grant must be met (AND across policies, each policy's own AND/OR inside).
//!
//! Where the documentation is silent the output carries a note saying what was assumed.
//!
//! Speed: [`CompiledPolicySet::new`] parses each device filter once and interns every object id,
//! so a scenario is checked against a policy with integer comparisons on small sorted lists; the
//! words of a verdict are only written by [`CompiledPolicySet::evaluate`], never by
//! [`CompiledPolicySet::outcome`].

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::grant::{Control, Grant};
use super::read::{self, State};
use crate::filter::{self, Device, Expr, Mode, Value as DeviceValue};
use crate::policy::model::*;
use crate::policy::templates::REGISTER_SECURITY_INFO;

/// The My Sign-ins app (mysignins.microsoft.com), where users register security info. The id is
/// from third-party catalogues (`graph-ca-policy.md` §6), not a Microsoft page.
pub const MY_SIGNINS_APP: &str = "19db86c3-b2b9-44cc-b339-36da233a3be2";
/// Office 365 Exchange Online (Graph create-policy example).
pub const EXCHANGE_ONLINE_APP: &str = "00000002-0000-0ff1-ce00-000000000000";
/// Office 365 SharePoint Online.
pub const SHAREPOINT_ONLINE_APP: &str = "00000003-0000-0ff1-ce00-000000000000";

/// Apps this simulator knows to be in the `Office365` suite. Microsoft's full list
/// ("Apps included in Conditional Access Microsoft 365 app suite") is longer; other apps get a
/// note when a policy uses `Office365`.
const OFFICE365_APPS: [&str; 2] = [EXCHANGE_ONLINE_APP, SHAREPOINT_ONLINE_APP];

// ---------------------------------------------------------------------------------------------
// Scenario
// ---------------------------------------------------------------------------------------------

/// A simulated sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scenario {
    pub user: User,
    pub resource: Resource,
    pub client_app: ClientApp,
    /// `None`: the platform could not be determined from the user agent.
    pub platform: Option<DevicePlatform>,
    pub location: Location,
    pub sign_in_risk: Risk,
    pub user_risk: Risk,
    /// `None`: an ordinary sign-in (no device code flow, no authentication transfer).
    pub auth_flow: Option<AuthFlow>,
    /// The device's filter attributes; an empty device is an unregistered one.
    pub device: Device,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Object id.
    pub id: String,
    /// Object ids of every group the user is a member of (transitively).
    pub groups: Vec<String>,
    /// Role template ids of the user's active built-in directory roles.
    pub roles: Vec<String>,
    pub kind: UserKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum UserKind {
    Member,
    Guest {
        guest_type: GuestOrExternalUserType,
        /// The guest's home tenant id, for policies that list external tenants.
        home_tenant: Option<String>,
    },
}

/// What the sign-in is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type", content = "id")]
pub enum Resource {
    /// An application (client `appId`).
    App(String),
    /// `urn:user:registersecurityinfo` or `urn:user:registerdevice`.
    UserAction(String),
    /// An authentication context id (`c1` … `c99`).
    AuthContext(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ClientApp {
    Browser,
    MobileAppsAndDesktopClients,
    ExchangeActiveSync,
    /// Other (legacy authentication) clients.
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Location {
    /// The IP address matched no named location the simulator was told about.
    Unknown,
    Known {
        /// Ids of the named locations the IP address falls in.
        named: Vec<String>,
        /// Whether one of them is marked trusted.
        trusted: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Risk {
    None,
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AuthFlow {
    DeviceCodeFlow,
    AuthenticationTransfer,
}

impl Scenario {
    /// The application sign-in that precedes a security-info registration: the user signs in to
    /// My Sign-ins (or Microsoft Authenticator) first, and that sign-in is evaluated against the
    /// application policies, `All` resources included. `None` for any other scenario.
    pub fn preceding_sign_in(&self) -> Option<Scenario> {
        match &self.resource {
            Resource::UserAction(a) if a.eq_ignore_ascii_case(REGISTER_SECURITY_INFO) => {
                Some(Scenario {
                    resource: Resource::App(MY_SIGNINS_APP.into()),
                    ..self.clone()
                })
            }
            _ => None,
        }
    }

    fn is_compliant(&self) -> bool {
        matches!(
            self.device.get("isCompliant"),
            Some(DeviceValue::Bool(true))
        ) || matches!(self.device.get("isCompliant"), Some(DeviceValue::Str(s)) if s.eq_ignore_ascii_case("true"))
    }

    fn is_hybrid_joined(&self) -> bool {
        matches!(self.device.get("trustType"), Some(DeviceValue::Str(s)) if s.eq_ignore_ascii_case("ServerAD"))
    }

    /// Whether this sign-in can satisfy a grant control by itself. Device controls need the
    /// device state; approved-app and app-protection controls need a registered iOS/Android
    /// device signing in to an app from a mobile client (the broker registers the device), and
    /// never a user action (Authenticator is not an Intune-protected app, errata (h)).
    pub fn can_satisfy(&self, c: &Control) -> bool {
        match c {
            Control::Block | Control::Unknown(_) => false,
            Control::CompliantDevice => self.is_compliant(),
            Control::DomainJoinedDevice => self.is_hybrid_joined(),
            Control::ApprovedApplication | Control::CompliantApplication => {
                matches!(self.resource, Resource::App(_))
                    && self.client_app == ClientApp::MobileAppsAndDesktopClients
                    && matches!(
                        self.platform,
                        Some(DevicePlatform::IOS | DevicePlatform::Android)
                    )
                    && !self.device.is_unregistered()
            }
            _ => true,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/// The condition a verdict is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Condition {
    State,
    Users,
    Resources,
    ClientApps,
    DevicePlatforms,
    Locations,
    SignInRisk,
    UserRisk,
    InsiderRisk,
    AuthenticationFlows,
    DeviceFilter,
}

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

/// A grant the sign-in must satisfy, and which policy asks for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    pub policy: usize,
    pub name: String,
    pub grant: Grant,
}

/// Session controls one applying policy adds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionRequirement {
    pub policy: usize,
    pub name: String,
    pub controls: Vec<String>,
}

/// What a group of applying policies (enforced, or report-only) asks of the sign-in.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Indexes of the applying policies that block. Non-empty means blocked.
    pub blocked_by: Vec<usize>,
    /// Every one must be met (each by its own AND/OR).
    pub requirements: Vec<Requirement>,
    pub session: Vec<SessionRequirement>,
}

impl Decision {
    pub fn is_blocked(&self) -> bool {
        !self.blocked_by.is_empty()
    }
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

/// A persona's result in the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "outcome", content = "details")]
pub enum Outcome {
    /// Why: the blocking policies, or the requirement this sign-in cannot meet.
    Blocked(Vec<String>),
    /// The requirements, one line per applying policy ("MFA OR a compliant device").
    Challenged(Vec<String>),
    Allowed,
}

// ---------------------------------------------------------------------------------------------
// Compiled policies
// ---------------------------------------------------------------------------------------------

/// Policies prepared for many evaluations.
#[derive(Debug, Clone)]
pub struct CompiledPolicySet {
    policies: Vec<CompiledPolicy>,
    /// Lower-cased object id → interned number.
    ids: HashMap<String, u32>,
    /// Interned number → id as first written.
    names: Vec<String>,
}

#[derive(Debug, Clone)]
struct CompiledPolicy {
    index: usize,
    name: String,
    state: State,
    users: Option<UsersC>,
    resources: ResourcesC,
    /// Bit set of `CLIENT_*`; `None` = not configured or `all`.
    client_apps: Option<u8>,
    platforms: Option<PlatformsC>,
    locations: Option<LocationsC>,
    sign_in_risk: Option<u8>,
    user_risk: Option<u8>,
    insider_risk: bool,
    flows: Option<u8>,
    device_filter: Option<DeviceFilterC>,
    grant: Option<Grant>,
    session: Vec<String>,
}

#[derive(Debug, Clone, Default)]
struct UsersC {
    all: bool,
    none: bool,
    include_users: Vec<u32>,
    include_groups: Vec<u32>,
    include_roles: Vec<u32>,
    include_guests: Option<GuestSel>,
    exclude_users: Vec<u32>,
    exclude_groups: Vec<u32>,
    exclude_roles: Vec<u32>,
    exclude_guests: Option<GuestSel>,
}

/// A guests-or-external-users selector; the `GuestsOrExternalUsers` token is "every type from
/// every tenant".
#[derive(Debug, Clone)]
struct GuestSel {
    /// `None`: every type.
    types: Option<Vec<GuestOrExternalUserType>>,
    /// `None`: every tenant.
    tenants: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
enum ResourcesC {
    Apps {
        all: bool,
        include: Vec<u32>,
        office365: bool,
        admin_portals: bool,
        exclude: Vec<u32>,
        exclude_office365: bool,
        filter: bool,
    },
    Actions(Vec<String>),
    Contexts(Vec<String>),
    Nothing,
}

#[derive(Debug, Clone)]
struct PlatformsC {
    all: bool,
    include: u8,
    exclude: u8,
}

#[derive(Debug, Clone)]
struct LocationsC {
    all: bool,
    include_trusted: bool,
    include: Vec<u32>,
    exclude_trusted: bool,
    exclude: Vec<u32>,
}

#[derive(Debug, Clone)]
struct DeviceFilterC {
    mode: Mode,
    expr: Result<Expr, String>,
}

const CLIENT_BROWSER: u8 = 1;
const CLIENT_MOBILE: u8 = 2;
const CLIENT_EAS: u8 = 4;
const CLIENT_OTHER: u8 = 8;

fn client_bit(c: ClientApp) -> u8 {
    match c {
        ClientApp::Browser => CLIENT_BROWSER,
        ClientApp::MobileAppsAndDesktopClients => CLIENT_MOBILE,
        ClientApp::ExchangeActiveSync => CLIENT_EAS,
        ClientApp::Other => CLIENT_OTHER,
    }
}

fn platform_bit(p: &DevicePlatform) -> u8 {
    match p {
        DevicePlatform::Android => 1,
        DevicePlatform::IOS => 2,
        DevicePlatform::Windows => 4,
        DevicePlatform::WindowsPhone => 8,
        DevicePlatform::MacOS => 16,
        DevicePlatform::Linux => 32,
        _ => 0,
    }
}

fn risk_bit(r: Risk) -> u8 {
    match r {
        Risk::None => 1,
        Risk::Low => 2,
        Risk::Medium => 4,
        Risk::High => 8,
    }
}

fn flow_bit(f: AuthFlow) -> u8 {
    match f {
        AuthFlow::DeviceCodeFlow => 1,
        AuthFlow::AuthenticationTransfer => 2,
    }
}

/// Why a condition is met or not; turned into words only on request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Why {
    StateOn,
    StateReportOnly,
    StateOff,
    StateInvalid,
    NoUsersCondition,
    IncludedAll,
    IncludedUser,
    IncludedGroup(u32),
    IncludedRole(u32),
    IncludedGuests,
    IncludedNone,
    NotIncluded,
    ExcludedUser,
    ExcludedGroup(u32),
    ExcludedRole(u32),
    ExcludedGuests,
    AllResources,
    AppIncluded,
    AppInOffice365,
    AppNotKnownOffice365,
    AppInAdminPortals,
    AppExcluded,
    AppExcludedOffice365,
    AppNotIncluded,
    AppFilterNotEvaluated,
    PolicyTargetsApps,
    PolicyTargetsActions,
    PolicyTargetsContexts,
    ActionIncluded,
    ActionNotIncluded,
    ContextIncluded,
    ContextNotIncluded,
    NoResources,
    NotConfigured,
    ClientAppListed,
    ClientAppNotListed,
    PlatformIncluded,
    PlatformExcluded,
    PlatformNotIncluded,
    UnknownPlatformAll,
    UnknownPlatformNotAll,
    LocationAll,
    LocationTrusted,
    LocationNamed,
    LocationExcludedTrusted,
    LocationExcludedNamed,
    LocationNotIncluded,
    LocationUnknownAll,
    LocationUnknownNotAll,
    RiskListed,
    RiskNotListed,
    InsiderRiskNotSimulated,
    FlowListed,
    FlowNotListed,
    NoFlow,
    DeviceFilter { matched: bool },
    DeviceFilterInvalid,
}

impl Why {
    /// The assumption behind a verdict where the documentation is silent.
    fn note(self) -> Option<&'static str> {
        Some(match self {
            Why::LocationUnknownAll | Why::LocationUnknownNotAll => {
                "documentation is silent on a sign-in from an address in no named location; assumed it is untrusted and in no named location, so only policies including any location (All) cover it"
            }
            Why::AppNotKnownOffice365 => {
                "the app id is not one of the Office 365 apps this simulator knows (Exchange Online, SharePoint Online); assumed it is not in the Office 365 suite — check Microsoft's list of apps in the suite"
            }
            Why::AppInAdminPortals => {
                "documentation lists the Microsoft Admin Portals by name, not app id; assumed this app is not one of them"
            }
            Why::AppFilterNotEvaluated => {
                "application filters match custom security attributes this simulator does not know; assumed the app does not match"
            }
            Why::InsiderRiskNotSimulated => {
                "insider risk is not simulated; assumed the user has no insider risk, so policies scoped to insider risk levels do not apply"
            }
            Why::DeviceFilterInvalid => {
                "a policy's device filter rule has errors (the service would refuse the policy); assumed that policy does not apply"
            }
            Why::StateInvalid => "a policy has no valid state; the service would refuse it; assumed it is not evaluated",
            _ => return None,
        })
    }
}

/// Sorted, deduplicated interned ids of `items`, interning as needed.
fn intern_all(ids: &mut HashMap<String, u32>, names: &mut Vec<String>, items: &[&str]) -> Vec<u32> {
    let mut out: Vec<u32> = items
        .iter()
        .map(|s| {
            let key = s.to_ascii_lowercase();
            *ids.entry(key).or_insert_with(|| {
                names.push(s.to_string());
                (names.len() - 1) as u32
            })
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

fn lookup(ids: &HashMap<String, u32>, s: &str) -> Option<u32> {
    // Ids are nearly always written in lower case; only allocate for the rest.
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        ids.get(&s.to_ascii_lowercase()).copied()
    } else {
        ids.get(s).copied()
    }
}

fn contains(sorted: &[u32], x: u32) -> bool {
    sorted.binary_search(&x).is_ok()
}

/// The first element of `xs` (sorted or not) in `sorted`.
fn first_in(xs: &[u32], sorted: &[u32]) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    xs.iter().copied().find(|x| contains(sorted, *x))
}

/// A scenario with its ids interned against one compiled set.
struct Resolved {
    user: Option<u32>,
    groups: Vec<u32>,
    roles: Vec<u32>,
    app: Option<u32>,
    app_in_office365: bool,
    client: u8,
    platform: Option<u8>,
    locations: Vec<u32>,
    trusted: bool,
    known_location: bool,
    sign_in_risk: u8,
    user_risk: u8,
    flow: Option<u8>,
}

impl CompiledPolicySet {
    pub fn new(policies: &[Policy]) -> CompiledPolicySet {
        let mut ids = HashMap::new();
        let mut names = Vec::new();
        let policies = policies
            .iter()
            .enumerate()
            .map(|(index, p)| compile(index, p, &mut ids, &mut names))
            .collect();
        CompiledPolicySet {
            policies,
            ids,
            names,
        }
    }

    pub fn len(&self) -> usize {
        self.policies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    fn resolve(&self, s: &Scenario) -> Resolved {
        let many = |xs: &[String]| -> Vec<u32> {
            xs.iter().filter_map(|x| lookup(&self.ids, x)).collect()
        };
        let (app, app_in_office365) = match &s.resource {
            Resource::App(a) => (
                lookup(&self.ids, a),
                OFFICE365_APPS.iter().any(|o| o.eq_ignore_ascii_case(a)),
            ),
            _ => (None, false),
        };
        let (locations, trusted, known_location) = match &s.location {
            Location::Unknown => (Vec::new(), false, false),
            Location::Known { named, trusted } => (many(named), *trusted, true),
        };
        Resolved {
            user: lookup(&self.ids, &s.user.id),
            groups: many(&s.user.groups),
            roles: many(&s.user.roles),
            app,
            app_in_office365,
            client: client_bit(s.client_app),
            platform: s.platform.as_ref().map(platform_bit),
            locations,
            trusted,
            known_location,
            sign_in_risk: risk_bit(s.sign_in_risk),
            user_risk: risk_bit(s.user_risk),
            flow: s.auth_flow.map(flow_bit),
        }
    }

    /// The full What-If: every policy's verdict with reasons in words, the enforced result, the
    /// report-only result apart, and the notes.
    pub fn evaluate(&self, s: &Scenario) -> WhatIf {
        let r = self.resolve(s);
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
            let applies = p.check(&r, s, false, &mut |cond, met, why| {
                if let Some(n) = why.note() {
                    note(n);
                }
                reasons.push(ConditionVerdict {
                    condition: cond,
                    met,
                    verdict: self.words(p, cond, met, why, s),
                });
            });
            let is_report_only = p.state == State::ReportOnly;
            if applies {
                if let Some(n) = p.grant.as_ref().and_then(|g| g.note.as_deref()) {
                    note(n);
                }
                p.add_to(if is_report_only {
                    &mut report_only
                } else {
                    &mut enforced
                });
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
                "registering security information starts with a sign-in to My Sign-ins or Microsoft Authenticator; that sign-in is evaluated separately against application policies (All resources included) — see Scenario::preceding_sign_in; the documentation is silent on whether All resources policies also apply to the user action itself; assumed they do not",
            );
        }
        WhatIf {
            policies: verdicts,
            enforced,
            report_only,
            notes,
        }
    }

    /// The enforced decision only, with no words: what the matrix and the benchmark use.
    pub fn decide(&self, s: &Scenario) -> Decision {
        let r = self.resolve(s);
        let mut d = Decision::default();
        for p in &self.policies {
            if p.state != State::On {
                continue;
            }
            if p.check(&r, s, true, &mut |_, _, _| {}) {
                p.add_to(&mut d);
            }
        }
        d
    }

    /// Blocked, challenged or allowed, for the enforced policies. A grant this sign-in cannot
    /// satisfy (a compliant device on an unregistered phone) counts as blocked.
    pub fn outcome(&self, s: &Scenario) -> Outcome {
        outcome_of(&self.decide(s), s, &self.policies)
    }

    /// Words for one verdict.
    fn words(
        &self,
        p: &CompiledPolicy,
        cond: Condition,
        met: bool,
        why: Why,
        s: &Scenario,
    ) -> String {
        let id = |n: u32| self.names.get(n as usize).cloned().unwrap_or_default();
        let resource = match &s.resource {
            Resource::App(a) => format!("app {a}"),
            Resource::UserAction(a) => format!("user action {a}"),
            Resource::AuthContext(c) => format!("authentication context {c}"),
        };
        let platform = s
            .platform
            .as_ref()
            .map_or("unknown".to_string(), |p| p.as_str().to_string());
        match why {
            Why::StateOn => "the policy is On".into(),
            Why::StateReportOnly => "the policy is Report-only: evaluated and reported, never enforced".into(),
            Why::StateOff => "the policy is Off: What-If evaluates only On and Report-only policies".into(),
            Why::StateInvalid => format!("the policy's state {:?} is not a valid state", p.state.label()),
            Why::NoUsersCondition => "the policy has no users condition (a workload-identity policy), so it does not apply to user sign-ins".into(),
            Why::IncludedAll => "included: All users".into(),
            Why::IncludedUser => format!("included: user {}", s.user.id),
            Why::IncludedGroup(g) => format!("included as a member of group {}", id(g)),
            Why::IncludedRole(r) => format!("included by directory role {}", id(r)),
            Why::IncludedGuests => "included as a guest or external user".into(),
            Why::IncludedNone => "the policy includes no users (None)".into(),
            Why::NotIncluded => "not included: the user is in none of the policy's users, groups, roles or guest types".into(),
            Why::ExcludedUser => format!("excluded: user {} is excluded (exclusions win over inclusions)", s.user.id),
            Why::ExcludedGroup(g) => format!("excluded as a member of group {} (exclusions win over inclusions)", id(g)),
            Why::ExcludedRole(r) => format!("excluded by directory role {} (exclusions win over inclusions)", id(r)),
            Why::ExcludedGuests => "excluded as a guest or external user (exclusions win over inclusions)".into(),
            Why::AllResources => format!("included: All resources cover {resource}"),
            Why::AppIncluded => format!("included: {resource} is listed"),
            Why::AppInOffice365 => format!("included: {resource} is part of Office 365"),
            Why::AppNotKnownOffice365 | Why::AppInAdminPortals | Why::AppNotIncluded => {
                format!("not included: {resource} is not among the policy's resources")
            }
            Why::AppExcluded => format!("excluded: {resource} is excluded"),
            Why::AppExcludedOffice365 => format!("excluded: {resource} is part of the excluded Office 365 suite"),
            Why::AppFilterNotEvaluated => format!("not included: {resource} is not listed and the application filter was not evaluated"),
            Why::PolicyTargetsApps => format!("not applicable: the policy targets applications, and this sign-in is for {resource}"),
            Why::PolicyTargetsActions => format!("not applicable: the policy targets user actions, and this sign-in is for {resource}"),
            Why::PolicyTargetsContexts => format!("not applicable: the policy targets authentication contexts, and this sign-in is for {resource}"),
            Why::ActionIncluded => format!("included: the policy targets {resource}"),
            Why::ActionNotIncluded => format!("not included: the policy targets other user actions than {resource}"),
            Why::ContextIncluded => format!("included: the policy targets {resource}"),
            Why::ContextNotIncluded => format!("not included: the policy targets other authentication contexts than {resource}"),
            Why::NoResources => "the policy targets no resources".into(),
            Why::NotConfigured => format!("{} not configured: applies to every sign-in", condition_name(cond)),
            Why::ClientAppListed => format!("client app {:?} is one of the policy's client apps", s.client_app),
            Why::ClientAppNotListed => format!("client app {:?} is not one of the policy's client apps", s.client_app),
            Why::PlatformIncluded => format!("device platform {platform} is included"),
            Why::PlatformExcluded => format!("device platform {platform} is excluded"),
            Why::PlatformNotIncluded => format!("device platform {platform} is not included"),
            Why::UnknownPlatformAll => "the device platform is unknown, and the policy includes any device".into(),
            Why::UnknownPlatformNotAll => "the device platform is unknown, and the policy lists specific platforms only".into(),
            Why::LocationAll => "included: any location".into(),
            Why::LocationTrusted => "included: the location is trusted".into(),
            Why::LocationNamed => "included: the sign-in is in an included named location".into(),
            Why::LocationExcludedTrusted => "excluded: the location is trusted and trusted locations are excluded".into(),
            Why::LocationExcludedNamed => "excluded: the sign-in is in an excluded named location".into(),
            Why::LocationNotIncluded => "not included: the sign-in is in none of the included locations".into(),
            Why::LocationUnknownAll => "the location is unknown; the policy includes any location".into(),
            Why::LocationUnknownNotAll => "the location is unknown; the policy includes only specific locations".into(),
            Why::RiskListed | Why::RiskNotListed => {
                let (level, what) = match cond {
                    Condition::UserRisk => (s.user_risk, "user risk"),
                    _ => (s.sign_in_risk, "sign-in risk"),
                };
                let verb = if met { "is" } else { "is not" };
                format!("{what} {level:?} {verb} one of the policy's levels")
            }
            Why::InsiderRiskNotSimulated => "the policy is scoped to insider risk levels, which this simulation does not set".into(),
            Why::FlowListed => format!("authentication flow {:?} is targeted", s.auth_flow),
            Why::FlowNotListed => format!("authentication flow {:?} is not targeted", s.auth_flow),
            Why::NoFlow => "the policy targets device code flow / authentication transfer, and this is an ordinary sign-in".into(),
            Why::DeviceFilter { matched } => {
                let f = p.device_filter.as_ref().expect("a device-filter verdict comes from a filter");
                let attrs = device_words(f, &s.device);
                match (f.mode, matched) {
                    (Mode::Exclude, true) => format!("excluded by device filter: {attrs}"),
                    (Mode::Exclude, false) => format!("not excluded by device filter (exclude mode, rule does not match): {attrs}"),
                    (Mode::Include, true) => format!("included by device filter: {attrs}"),
                    (Mode::Include, false) => format!("not included by device filter (include mode, rule does not match): {attrs}"),
                }
            }
            Why::DeviceFilterInvalid => {
                let f = p.device_filter.as_ref().expect("a device-filter verdict comes from a filter");
                format!("the device filter rule is invalid: {}", f.expr.as_ref().err().cloned().unwrap_or_default())
            }
        }
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

/// "trustType is AzureAD, isCompliant is null" for the properties the rule reads.
fn device_words(f: &DeviceFilterC, device: &Device) -> String {
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
    seen.iter()
        .map(|name| match device.get(name) {
            None => format!("{name} is null"),
            Some(DeviceValue::Str(s)) => format!("{name} is {s}"),
            Some(DeviceValue::Bool(b)) => {
                format!("{name} is {}", if *b { "True" } else { "False" })
            }
            Some(DeviceValue::List(xs)) => format!("{name} is [{}]", xs.join(", ")),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl CompiledPolicy {
    /// Checks the conditions in order, reporting each verdict to `visit`; with `stop_early`,
    /// stops at the first unmet one (the fast path). Returns whether the policy applies.
    fn check(
        &self,
        r: &Resolved,
        s: &Scenario,
        stop_early: bool,
        visit: &mut dyn FnMut(Condition, bool, Why),
    ) -> bool {
        let mut applies = true;
        macro_rules! step {
            ($cond:expr, $e:expr) => {{
                let (met, why): (bool, Why) = $e;
                visit($cond, met, why);
                if !met {
                    applies = false;
                    if stop_early {
                        return false;
                    }
                }
            }};
        }
        step!(
            Condition::State,
            match &self.state {
                State::On => (true, Why::StateOn),
                State::ReportOnly => (true, Why::StateReportOnly),
                State::Off => (false, Why::StateOff),
                State::Invalid(_) => (false, Why::StateInvalid),
            }
        );
        step!(Condition::Users, self.users_verdict(r, s));
        step!(Condition::Resources, self.resource_verdict(r, s));
        step!(
            Condition::ClientApps,
            match self.client_apps {
                None => (true, Why::NotConfigured),
                Some(bits) if bits & r.client != 0 => (true, Why::ClientAppListed),
                Some(_) => (false, Why::ClientAppNotListed),
            }
        );
        step!(
            Condition::DevicePlatforms,
            self.platform_verdict(r.platform)
        );
        step!(Condition::Locations, self.location_verdict(r));
        step!(
            Condition::SignInRisk,
            risk_verdict(self.sign_in_risk, r.sign_in_risk)
        );
        step!(
            Condition::UserRisk,
            risk_verdict(self.user_risk, r.user_risk)
        );
        step!(
            Condition::InsiderRisk,
            if self.insider_risk {
                (false, Why::InsiderRiskNotSimulated)
            } else {
                (true, Why::NotConfigured)
            }
        );
        step!(
            Condition::AuthenticationFlows,
            match (self.flows, r.flow) {
                (None, _) => (true, Why::NotConfigured),
                (Some(_), None) => (false, Why::NoFlow),
                (Some(bits), Some(f)) if bits & f != 0 => (true, Why::FlowListed),
                (Some(_), Some(_)) => (false, Why::FlowNotListed),
            }
        );
        // Last: the only condition that costs more than a few comparisons.
        step!(Condition::DeviceFilter, self.device_verdict(&s.device));
        applies
    }

    fn users_verdict(&self, r: &Resolved, s: &Scenario) -> (bool, Why) {
        let Some(u) = &self.users else {
            return (false, Why::NoUsersCondition);
        };
        let guest = match &s.user.kind {
            UserKind::Member => None,
            UserKind::Guest {
                guest_type,
                home_tenant,
            } => Some((guest_type, home_tenant.as_deref())),
        };
        let guest_matches = |sel: &Option<GuestSel>| match (sel, guest) {
            (Some(sel), Some((t, tenant))) => {
                sel.types.as_ref().is_none_or(|ts| ts.contains(t))
                    && (*t == GuestOrExternalUserType::InternalGuest
                        || sel.tenants.as_ref().is_none_or(|ms| {
                            tenant.is_some_and(|h| ms.iter().any(|m| m.eq_ignore_ascii_case(h)))
                        }))
            }
            _ => false,
        };
        if r.user.is_some_and(|id| contains(&u.exclude_users, id)) {
            return (false, Why::ExcludedUser);
        }
        if let Some(g) = first_in(&r.groups, &u.exclude_groups) {
            return (false, Why::ExcludedGroup(g));
        }
        if let Some(x) = first_in(&r.roles, &u.exclude_roles) {
            return (false, Why::ExcludedRole(x));
        }
        if guest_matches(&u.exclude_guests) {
            return (false, Why::ExcludedGuests);
        }
        if u.all {
            return (true, Why::IncludedAll);
        }
        if r.user.is_some_and(|id| contains(&u.include_users, id)) {
            return (true, Why::IncludedUser);
        }
        if let Some(g) = first_in(&r.groups, &u.include_groups) {
            return (true, Why::IncludedGroup(g));
        }
        if let Some(x) = first_in(&r.roles, &u.include_roles) {
            return (true, Why::IncludedRole(x));
        }
        if guest_matches(&u.include_guests) {
            return (true, Why::IncludedGuests);
        }
        (
            false,
            if u.none {
                Why::IncludedNone
            } else {
                Why::NotIncluded
            },
        )
    }

    fn resource_verdict(&self, r: &Resolved, s: &Scenario) -> (bool, Why) {
        match (&self.resources, &s.resource) {
            (
                ResourcesC::Apps {
                    all,
                    include,
                    office365,
                    admin_portals,
                    exclude,
                    exclude_office365,
                    filter,
                },
                Resource::App(_),
            ) => {
                if r.app.is_some_and(|a| contains(exclude, a)) {
                    return (false, Why::AppExcluded);
                }
                if *exclude_office365 && r.app_in_office365 {
                    return (false, Why::AppExcludedOffice365);
                }
                if *all {
                    return (true, Why::AllResources);
                }
                if r.app.is_some_and(|a| contains(include, a)) {
                    return (true, Why::AppIncluded);
                }
                if *office365 {
                    return if r.app_in_office365 {
                        (true, Why::AppInOffice365)
                    } else {
                        (false, Why::AppNotKnownOffice365)
                    };
                }
                if *admin_portals {
                    return (false, Why::AppInAdminPortals);
                }
                if *filter {
                    return (false, Why::AppFilterNotEvaluated);
                }
                (false, Why::AppNotIncluded)
            }
            (ResourcesC::Apps { .. }, _) => (false, Why::PolicyTargetsApps),
            (ResourcesC::Actions(list), Resource::UserAction(a)) => {
                if list.iter().any(|x| x.eq_ignore_ascii_case(a)) {
                    (true, Why::ActionIncluded)
                } else {
                    (false, Why::ActionNotIncluded)
                }
            }
            (ResourcesC::Actions(_), _) => (false, Why::PolicyTargetsActions),
            (ResourcesC::Contexts(list), Resource::AuthContext(c)) => {
                if list.iter().any(|x| x.eq_ignore_ascii_case(c)) {
                    (true, Why::ContextIncluded)
                } else {
                    (false, Why::ContextNotIncluded)
                }
            }
            (ResourcesC::Contexts(_), _) => (false, Why::PolicyTargetsContexts),
            (ResourcesC::Nothing, _) => (false, Why::NoResources),
        }
    }

    fn platform_verdict(&self, platform: Option<u8>) -> (bool, Why) {
        let Some(p) = &self.platforms else {
            return (true, Why::NotConfigured);
        };
        match platform {
            None if p.all => (true, Why::UnknownPlatformAll),
            None => (false, Why::UnknownPlatformNotAll),
            Some(bit) if p.exclude & bit != 0 => (false, Why::PlatformExcluded),
            Some(bit) if p.all || p.include & bit != 0 => (true, Why::PlatformIncluded),
            Some(_) => (false, Why::PlatformNotIncluded),
        }
    }

    fn location_verdict(&self, r: &Resolved) -> (bool, Why) {
        let Some(l) = &self.locations else {
            return (true, Why::NotConfigured);
        };
        if !r.known_location {
            return if l.all {
                (true, Why::LocationUnknownAll)
            } else {
                (false, Why::LocationUnknownNotAll)
            };
        }
        if l.exclude_trusted && r.trusted {
            return (false, Why::LocationExcludedTrusted);
        }
        if first_in(&r.locations, &l.exclude).is_some() {
            return (false, Why::LocationExcludedNamed);
        }
        if l.all {
            (true, Why::LocationAll)
        } else if l.include_trusted && r.trusted {
            (true, Why::LocationTrusted)
        } else if first_in(&r.locations, &l.include).is_some() {
            (true, Why::LocationNamed)
        } else {
            (false, Why::LocationNotIncluded)
        }
    }

    /// Whether the policy applies to the device, by its filter.
    fn device_verdict(&self, device: &Device) -> (bool, Why) {
        let Some(f) = &self.device_filter else {
            return (true, Why::NotConfigured);
        };
        match &f.expr {
            Ok(expr) => {
                let matched = filter::eval(expr, device);
                (
                    filter::applies_to_device(f.mode, matched),
                    Why::DeviceFilter { matched },
                )
            }
            Err(_) => (false, Why::DeviceFilterInvalid),
        }
    }

    fn add_to(&self, d: &mut Decision) {
        if let Some(g) = &self.grant {
            if g.is_block() {
                d.blocked_by.push(self.index);
            } else {
                d.requirements.push(Requirement {
                    policy: self.index,
                    name: self.name.clone(),
                    grant: g.clone(),
                });
            }
        }
        if !self.session.is_empty() {
            d.session.push(SessionRequirement {
                policy: self.index,
                name: self.name.clone(),
                controls: self.session.clone(),
            });
        }
    }
}

fn risk_verdict(levels: Option<u8>, level: u8) -> (bool, Why) {
    match levels {
        None => (true, Why::NotConfigured),
        Some(bits) if bits & level != 0 => (true, Why::RiskListed),
        Some(_) => (false, Why::RiskNotListed),
    }
}

fn outcome_of(d: &Decision, s: &Scenario, policies: &[CompiledPolicy]) -> Outcome {
    let name = |i: usize| {
        policies
            .iter()
            .find(|p| p.index == i)
            .map_or_else(String::new, |p| p.name.clone())
    };
    if d.is_blocked() {
        return Outcome::Blocked(
            d.blocked_by
                .iter()
                .map(|&i| format!("blocked by {:?}", name(i)))
                .collect(),
        );
    }
    let unmet: Vec<String> = d
        .requirements
        .iter()
        .filter(|r| !r.grant.satisfiable_by(|c| s.can_satisfy(c)))
        .map(|r| {
            format!(
                "{:?} requires {}, which this sign-in cannot provide",
                r.name,
                r.grant.describe()
            )
        })
        .collect();
    if !unmet.is_empty() {
        return Outcome::Blocked(unmet);
    }
    if d.requirements.is_empty() {
        Outcome::Allowed
    } else {
        Outcome::Challenged(
            d.requirements
                .iter()
                .map(|r| format!("{}: {}", r.name, r.grant.describe()))
                .collect(),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Compiling one policy
// ---------------------------------------------------------------------------------------------

fn compile(
    index: usize,
    p: &Policy,
    ids: &mut HashMap<String, u32>,
    names: &mut Vec<String>,
) -> CompiledPolicy {
    let c = read::conditions(p);
    let users = read::users(p).map(|u| compile_users(u, ids, names));
    let resources = match read::applications(p) {
        None => ResourcesC::Nothing,
        Some(a) => {
            let include = read::strings(&a.include_applications);
            let actions = read::strings(&a.include_user_actions);
            let contexts = read::strings(&a.include_authentication_context_class_references);
            let filter = a.application_filter.value().is_some();
            // Targets are mutually exclusive; apps win if a file lists several.
            if !include.is_empty() || filter {
                let exclude = read::strings(&a.exclude_applications);
                let ids_of =
                    |list: &[&str], ids: &mut HashMap<String, u32>, names: &mut Vec<String>| {
                        let plain: Vec<&str> = list
                            .iter()
                            .copied()
                            .filter(|x| {
                                !["All", "None", "Office365", "MicrosoftAdminPortals"]
                                    .iter()
                                    .any(|t| t.eq_ignore_ascii_case(x))
                            })
                            .collect();
                        intern_all(ids, names, &plain)
                    };
                ResourcesC::Apps {
                    all: read::has(&include, "All"),
                    include: ids_of(&include, ids, names),
                    office365: read::has(&include, "Office365"),
                    admin_portals: read::has(&include, "MicrosoftAdminPortals"),
                    exclude: ids_of(&exclude, ids, names),
                    exclude_office365: read::has(&exclude, "Office365"),
                    filter,
                }
            } else if !actions.is_empty() {
                ResourcesC::Actions(actions.iter().map(|s| s.to_string()).collect())
            } else if !contexts.is_empty() {
                ResourcesC::Contexts(contexts.iter().map(|s| s.to_string()).collect())
            } else {
                ResourcesC::Nothing
            }
        }
    };
    let client_apps = c.and_then(|c| {
        let list = read::members(&c.client_app_types);
        if list.is_empty() || list.contains(&ClientAppType::All) {
            return None;
        }
        Some(list.iter().fold(0u8, |bits, t| {
            bits | match t {
                ClientAppType::Browser => CLIENT_BROWSER,
                ClientAppType::MobileAppsAndDesktopClients => CLIENT_MOBILE,
                ClientAppType::ExchangeActiveSync | ClientAppType::EasSupported => CLIENT_EAS,
                ClientAppType::Other => CLIENT_OTHER,
                _ => 0,
            }
        }))
    });
    let platforms = c.and_then(|c| c.platforms.value()).and_then(|pl| {
        let include = read::members(&pl.include_platforms);
        if include.is_empty() {
            return None;
        }
        let exclude = read::members(&pl.exclude_platforms);
        Some(PlatformsC {
            all: include.contains(&DevicePlatform::All),
            include: include.iter().fold(0, |b, x| b | platform_bit(x)),
            exclude: exclude.iter().fold(0, |b, x| b | platform_bit(x)),
        })
    });
    let locations = c.and_then(|c| c.locations.value()).and_then(|l| {
        let include = read::strings(&l.include_locations);
        if include.is_empty() {
            return None;
        }
        let exclude = read::strings(&l.exclude_locations);
        let named = |list: &[&str], ids: &mut HashMap<String, u32>, names: &mut Vec<String>| {
            let plain: Vec<&str> = list
                .iter()
                .copied()
                .filter(|x| !read::has(&["All", "AllTrusted"], x))
                .collect();
            intern_all(ids, names, &plain)
        };
        Some(LocationsC {
            all: read::has(&include, "All"),
            include_trusted: read::has(&include, "AllTrusted"),
            include: named(&include, ids, names),
            exclude_trusted: read::has(&exclude, "AllTrusted"),
            exclude: named(&exclude, ids, names),
        })
    });
    let risk = |f: Option<&Field<Vec<RiskLevel>>>| -> Option<u8> {
        let bits = read::members(f?).iter().fold(0u8, |b, x| {
            b | match x {
                RiskLevel::None => risk_bit(Risk::None),
                RiskLevel::Low => risk_bit(Risk::Low),
                RiskLevel::Medium => risk_bit(Risk::Medium),
                RiskLevel::High => risk_bit(Risk::High),
                _ => 0,
            }
        });
        (bits != 0).then_some(bits)
    };
    let flows = c
        .and_then(|c| c.authentication_flows.value())
        .and_then(|f| {
            let bits = f.transfer_methods.value()?.0.iter().fold(0u8, |b, m| {
                b | match m {
                    TransferMethod::DeviceCodeFlow => flow_bit(AuthFlow::DeviceCodeFlow),
                    TransferMethod::AuthenticationTransfer => {
                        flow_bit(AuthFlow::AuthenticationTransfer)
                    }
                    _ => 0,
                }
            });
            (bits != 0).then_some(bits)
        });
    let device_filter = c
        .and_then(|c| c.devices.value())
        .and_then(|d| d.device_filter.value())
        .map(|f| {
            let rule = f.rule.value().cloned().unwrap_or_default();
            let mode = f.mode.value().and_then(FilterMode::as_filter_mode);
            let checked = filter::check(&rule, None);
            let first_error = checked.errors().next().map(|d| d.message.clone());
            let expr = match (mode, checked.ast) {
                (None, _) => Err(format!(
                    "the filter mode {:?} is neither include nor exclude",
                    f.mode.value().map(|m| m.as_str().to_string())
                )),
                (Some(_), Some(e)) => Ok(e),
                (Some(_), None) => Err(first_error.unwrap_or_else(|| "the rule has errors".into())),
            };
            DeviceFilterC {
                mode: mode.unwrap_or(Mode::Include),
                expr,
            }
        });
    CompiledPolicy {
        index,
        name: read::name(p).to_string(),
        state: State::of(p),
        users,
        resources,
        client_apps,
        platforms,
        locations,
        sign_in_risk: risk(c.map(|c| &c.sign_in_risk_levels)),
        user_risk: risk(c.map(|c| &c.user_risk_levels)),
        insider_risk: c
            .and_then(|c| c.insider_risk_levels.value())
            .is_some_and(|f| !f.0.is_empty()),
        flows,
        device_filter,
        grant: Grant::of(p),
        session: session_words(p),
    }
}

fn compile_users(u: &Users, ids: &mut HashMap<String, u32>, names: &mut Vec<String>) -> UsersC {
    let include_users = read::strings(&u.include_users);
    let exclude_users = read::strings(&u.exclude_users);
    fn plain<'a>(list: &[&'a str]) -> Vec<&'a str> {
        let tokens = ["All", "None", "GuestsOrExternalUsers"];
        list.iter()
            .copied()
            .filter(|x| !tokens.iter().any(|t| t.eq_ignore_ascii_case(x)))
            .collect()
    }
    let every_guest = GuestSel {
        types: None,
        tenants: None,
    };
    let sel = |g: &Field<GuestsOrExternalUsers>| -> Option<GuestSel> {
        let g = g.value()?;
        let types = g.guest_or_external_user_types.value().map(|f| f.0.clone());
        let tenants = g
            .external_tenants
            .value()
            .and_then(|t| match t.membership_kind.value() {
                Some(MembershipKind::Enumerated) => Some(
                    read::strings(&t.members)
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                ),
                _ => None,
            });
        Some(GuestSel { types, tenants })
    };
    UsersC {
        all: read::has(&include_users, "All"),
        none: read::has(&include_users, "None"),
        include_users: intern_all(ids, names, &plain(&include_users)),
        include_groups: intern_all(ids, names, &read::strings(&u.include_groups)),
        include_roles: intern_all(ids, names, &read::strings(&u.include_roles)),
        include_guests: if read::has(&include_users, "GuestsOrExternalUsers") {
            Some(every_guest.clone())
        } else {
            sel(&u.include_guests_or_external_users)
        },
        exclude_users: intern_all(ids, names, &plain(&exclude_users)),
        exclude_groups: intern_all(ids, names, &read::strings(&u.exclude_groups)),
        exclude_roles: intern_all(ids, names, &read::strings(&u.exclude_roles)),
        exclude_guests: if read::has(&exclude_users, "GuestsOrExternalUsers") {
            Some(every_guest)
        } else {
            sel(&u.exclude_guests_or_external_users)
        },
    }
}

/// The enabled session controls, in words.
fn session_words(p: &Policy) -> Vec<String> {
    let Some(s) = p.session_controls.value() else {
        return Vec::new();
    };
    let on = |f: &Field<bool>| f.value() == Some(&true);
    let mut out = Vec::new();
    if s.application_enforced_restrictions
        .value()
        .is_some_and(|c| on(&c.is_enabled))
    {
        out.push("use app enforced restrictions".to_string());
    }
    if let Some(c) = s.cloud_app_security.value().filter(|c| on(&c.is_enabled)) {
        let t = c
            .cloud_app_security_type
            .value()
            .map_or("custom policy", |t| t.as_str());
        out.push(format!("use Conditional Access App Control ({t})"));
    }
    if let Some(c) = s.persistent_browser.value().filter(|c| on(&c.is_enabled)) {
        let m = c.mode.value().map_or("?", |m| m.as_str());
        out.push(format!("persistent browser session: {m}"));
    }
    if let Some(c) = s.sign_in_frequency.value().filter(|c| on(&c.is_enabled)) {
        match (
            c.frequency_interval.value(),
            c.value.value(),
            c.r#type.value(),
        ) {
            (Some(SignInFrequencyInterval::EveryTime), _, _) => {
                out.push("sign-in frequency: every time".into())
            }
            (_, Some(v), Some(t)) => {
                out.push(format!("sign-in frequency: every {v} {}", t.as_str()))
            }
            _ => out.push("sign-in frequency".into()),
        }
    }
    if s.secure_sign_in_session
        .value()
        .is_some_and(|c| on(&c.is_enabled))
    {
        out.push("require token protection for sign-in sessions".into());
    }
    if s.disable_resilience_defaults.value() == Some(&true) {
        out.push("resilience defaults disabled".into());
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Convenience, personas and the matrix
// ---------------------------------------------------------------------------------------------

/// Compiles `policies` and evaluates one scenario.
pub fn evaluate(policies: &[Policy], scenario: &Scenario) -> WhatIf {
    CompiledPolicySet::new(policies).evaluate(scenario)
}

/// The object id every persona signs in as: a member in no group and no role, so only policies
/// that reach all users (or guests, for the guest) apply — what a typical user meets.
pub const PERSONA_USER: &str = "0f5c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
/// The guest persona's home tenant.
pub const PERSONA_GUEST_TENANT: &str = "7d1e2f3a-4b5c-4d6e-9f0a-1b2c3d4e5f6a";

fn persona(
    user_kind: UserKind,
    resource: Resource,
    client_app: ClientApp,
    platform: DevicePlatform,
    device: Device,
) -> Scenario {
    Scenario {
        user: User {
            id: PERSONA_USER.into(),
            groups: vec![],
            roles: vec![],
            kind: user_kind,
        },
        resource,
        client_app,
        platform: Some(platform),
        location: Location::Unknown,
        sign_in_risk: Risk::None,
        user_risk: Risk::None,
        auth_flow: None,
        device,
    }
}

/// Typical personas and devices for the matrix view.
pub fn personas() -> Vec<(&'static str, Scenario)> {
    let exchange = || Resource::App(EXCHANGE_ONLINE_APP.into());
    let managed_laptop = Device::default()
        .with("trustType", DeviceValue::Str("AzureAD".into()))
        .with("isCompliant", DeviceValue::Bool(true))
        .with("deviceOwnership", DeviceValue::Str("Company".into()))
        .with("operatingSystem", DeviceValue::Str("Windows".into()));
    let hybrid_desktop = Device::default()
        .with("trustType", DeviceValue::Str("ServerAD".into()))
        .with("isCompliant", DeviceValue::Bool(false))
        .with("deviceOwnership", DeviceValue::Str("Company".into()))
        .with("operatingSystem", DeviceValue::Str("Windows".into()));
    let personal_phone = Device::default()
        .with("trustType", DeviceValue::Str("Workplace".into()))
        .with("isCompliant", DeviceValue::Bool(false))
        .with("deviceOwnership", DeviceValue::Str("Personal".into()))
        .with("operatingSystem", DeviceValue::Str("iOS".into()));
    vec![
        (
            "managed laptop",
            persona(
                UserKind::Member,
                exchange(),
                ClientApp::MobileAppsAndDesktopClients,
                DevicePlatform::Windows,
                managed_laptop,
            ),
        ),
        (
            "hybrid-joined desktop",
            persona(
                UserKind::Member,
                exchange(),
                ClientApp::MobileAppsAndDesktopClients,
                DevicePlatform::Windows,
                hybrid_desktop,
            ),
        ),
        (
            "personal phone",
            persona(
                UserKind::Member,
                exchange(),
                ClientApp::MobileAppsAndDesktopClients,
                DevicePlatform::IOS,
                personal_phone,
            ),
        ),
        (
            "unregistered phone registering a passkey",
            persona(
                UserKind::Member,
                Resource::UserAction(REGISTER_SECURITY_INFO.into()),
                ClientApp::MobileAppsAndDesktopClients,
                DevicePlatform::IOS,
                Device::unregistered(),
            ),
        ),
        (
            "guest",
            persona(
                UserKind::Guest {
                    guest_type: GuestOrExternalUserType::B2bCollaborationGuest,
                    home_tenant: Some(PERSONA_GUEST_TENANT.into()),
                },
                exchange(),
                ClientApp::Browser,
                DevicePlatform::Windows,
                Device::unregistered(),
            ),
        ),
    ]
}

impl CompiledPolicySet {
    /// A scenario's outcome including the sign-in that precedes it (for a security-info
    /// registration, the sign-in to My Sign-ins): blocked if either step is blocked, otherwise
    /// every step's requirements.
    pub fn outcome_with_preceding(&self, s: &Scenario) -> Outcome {
        let mut steps = Vec::new();
        if let Some(pre) = s.preceding_sign_in() {
            steps.push(self.outcome(&pre));
        }
        steps.push(self.outcome(s));
        let mut blocked = Vec::new();
        let mut challenged = Vec::new();
        for o in steps {
            match o {
                Outcome::Blocked(why) => blocked.extend(why),
                Outcome::Challenged(reqs) => challenged.extend(reqs),
                Outcome::Allowed => {}
            }
        }
        if !blocked.is_empty() {
            Outcome::Blocked(blocked)
        } else if !challenged.is_empty() {
            challenged.dedup();
            Outcome::Challenged(challenged)
        } else {
            Outcome::Allowed
        }
    }
}

/// For the current policy set: which persona is blocked, challenged or let through (enforced
/// policies only; a registration persona includes its preceding sign-in).
pub fn matrix(policies: &[Policy]) -> Vec<(&'static str, Outcome)> {
    let set = CompiledPolicySet::new(policies);
    personas()
        .into_iter()
        .map(|(name, s)| (name, set.outcome_with_preceding(&s)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// For the audit: does a policy reach a passkey registration on an unmanaged phone?
// ---------------------------------------------------------------------------------------------

/// How a policy reaches a security-info registration from an unregistered phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RegistrationPath {
    /// The policy targets the Register security information user action.
    UserAction,
    /// The policy covers the application sign-in before it (All resources, or My Sign-ins).
    PrecedingSignIn,
}

/// The ways `p` reaches a registration from an unregistered iOS or Android phone (browser or
/// Authenticator) in ordinary circumstances: the resource, client app, platform and device-filter
/// conditions are checked with the What-If's own verdicts; users only need to include someone;
/// a policy scoped to risk, insider risk, authentication flows or to particular named locations
/// only is by design about unusual sign-ins, so it does not count.
pub(crate) fn registration_paths(p: &Policy) -> Vec<RegistrationPath> {
    let set = CompiledPolicySet::new(std::slice::from_ref(p));
    let cp = &set.policies[0];
    let reaches_someone = cp.users.as_ref().is_some_and(|u| {
        u.all
            || !u.include_users.is_empty()
            || !u.include_groups.is_empty()
            || !u.include_roles.is_empty()
            || u.include_guests.is_some()
    });
    let ordinary = cp.sign_in_risk.is_none()
        && cp.user_risk.is_none()
        && !cp.insider_risk
        && cp.flows.is_none()
        && cp.locations.as_ref().is_none_or(|l| l.all); // any location reaches a phone at home; named locations only do not
    if !reaches_someone || !ordinary {
        return Vec::new();
    }
    let base = persona(
        UserKind::Member,
        Resource::UserAction(REGISTER_SECURITY_INFO.into()),
        ClientApp::MobileAppsAndDesktopClients,
        DevicePlatform::IOS,
        Device::unregistered(),
    );
    let mut out = Vec::new();
    let steps = [
        (RegistrationPath::UserAction, base.clone()),
        (
            RegistrationPath::PrecedingSignIn,
            base.preceding_sign_in()
                .expect("the base is a registration"),
        ),
    ];
    for (path, step) in steps {
        let reached = [DevicePlatform::IOS, DevicePlatform::Android]
            .into_iter()
            .any(|platform| {
                [ClientApp::Browser, ClientApp::MobileAppsAndDesktopClients]
                    .into_iter()
                    .any(|client_app| {
                        let s = Scenario {
                            platform: Some(platform.clone()),
                            client_app,
                            ..step.clone()
                        };
                        let r = set.resolve(&s);
                        cp.resource_verdict(&r, &s).0
                            && cp.client_apps.is_none_or(|bits| bits & r.client != 0)
                            && cp.platform_verdict(r.platform).0
                            && cp.device_verdict(&s.device).0
                    })
            });
        if reached {
            out.push(path);
        }
    }
    out
}
