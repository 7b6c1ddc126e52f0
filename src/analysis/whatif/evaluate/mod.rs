//! The What-If in the language of Graph's evaluate API (v1.0
//! `POST /identity/conditionalAccess/evaluate`): its request read as a [`Scenario`] for the
//! offline engine, and its response (`policyApplies`, `analysisReasons`) written back, so one
//! scenario file works offline and against the tenant.
//!
//! Semantics, from Microsoft's documentation of the API and of the What If tool
//! (<https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-1.0>,
//! <https://learn.microsoft.com/entra/identity/conditional-access/what-if-tool>):
//! - On and Report-only policies are evaluated (Report-only ones get `policyApplies` too);
//!   Off policies come back with `policyNotEnabled`.
//! - A condition the request does not supply does not match a policy conditioned on it: no
//!   `clientAppType` matches no policy that lists client apps; no risk level is risk `none`;
//!   no `ipAddress`/`country` is an unknown location; no `authenticationFlow` is an ordinary
//!   sign-in.
//! - App groups named in a request (`Office365`, `MicrosoftAdminPortals`, `All`) match nothing:
//!   the request must name app ids.
//! - Where the documentation is silent, the result carries a note saying what was assumed.
//!
//! The modules: `json` (strict reading with positions), `request`, `directory`, `locations`
//! (the inputs), `scenario_for` here (the request as a [`Scenario`]), `reasons` (the
//! `whatIfAnalysisReasons` flags), `response` (the per-policy result, the decision path and the
//! response document).

mod directory;
mod json;
mod locations;
mod reasons;
mod request;
mod response;

use std::fmt;
use std::net::IpAddr;

use super::scenario::{AuthFlow, ClientApp, Location, Resource, Risk, Scenario, User, UserKind};
use crate::filter::{Device, Value as DeviceValue};
use crate::located::Located;
use crate::policy::model::{
    ClientAppType, DevicePlatform, GuestOrExternalUserType, RiskLevel, TransferMethod,
};
use crate::policy::templates::REGISTER_SECURITY_INFO;

pub use directory::{read_directory, Directory, DirectoryUser, UserType};
pub use locations::{read_locations, IpRange, LocationKind, NamedLocation, NamedLocations};
pub use reasons::AnalysisReasons;
pub use request::{
    read_request, AuthenticationFlow, DeviceInfo, EvaluateRequest, SignInConditions, SignInContext,
    SignInIdentity, UserAction,
};
pub use response::{
    evaluate_request, respond, Evaluated, Evaluator, PolicyOutcome, PolicyResult, Prepared,
    Verdict, EMPTY_POLICY, NOT_ENOUGH_INFORMATION,
};

/// The Register or join devices user action's id in policies.
pub const REGISTER_DEVICE: &str = "urn:user:registerdevice";

/// App names a request may give that are groups, not apps: they match nothing.
pub const APP_GROUPS: [&str; 4] = ["All", "None", "Office365", "MicrosoftAdminPortals"];

/// Why a request (or a persona's conditions) cannot be evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EvaluateError {
    /// A file's text is wrong at a position.
    At(Located),
    /// A value of already-typed conditions is not one the evaluation can use.
    Value {
        /// `signInConditions.devicePlatform`, `signInContext.includeApplications`.
        field: &'static str,
        value: String,
        expected: &'static str,
    },
}

impl fmt::Display for EvaluateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EvaluateError::At(l) => write!(f, "{l}"),
            EvaluateError::Value {
                field,
                value,
                expected,
            } => write!(f, "{field} is {value:?}; expected {expected}"),
        }
    }
}

impl std::error::Error for EvaluateError {}

impl From<Located> for EvaluateError {
    fn from(l: Located) -> Self {
        EvaluateError::At(l)
    }
}

/// The sign-in of user `user_id` for `context` under `conditions`, as a [`Scenario`] for the
/// engine, with the notes on what was assumed. Groups, roles and user type come from
/// `directory` (a user not listed: member of no group, no role, a member); `ipAddress` and
/// `country` resolve through `locations`. For an application context naming several apps, the
/// scenario is for the first (see [`Prepared`] for all of them).
pub fn scenario_for(
    user_id: &str,
    context: &SignInContext,
    conditions: &SignInConditions,
    directory: &Directory,
    locations: &NamedLocations,
) -> Result<(Scenario, Vec<String>), EvaluateError> {
    let mut notes = Notes::default();
    let resources = resources(context, &mut notes)?;
    let first = resources.into_iter().next().ok_or(EvaluateError::Value {
        field: "signInContext.includeApplications",
        value: String::new(),
        expected: "at least one application id",
    })?;
    let s = scenario(user_id, first, conditions, directory, locations, &mut notes)?;
    Ok((s, notes.0))
}

/// Notes in order of first appearance, each once.
#[derive(Debug, Default)]
pub(super) struct Notes(pub(super) Vec<String>);

impl Notes {
    pub(super) fn add(&mut self, n: impl Into<String>) {
        let n = n.into();
        if !self.0.contains(&n) {
            self.0.push(n);
        }
    }
}

/// The resources a context names, one scenario each.
pub(super) fn resources(
    context: &SignInContext,
    notes: &mut Notes,
) -> Result<Vec<Resource>, EvaluateError> {
    Ok(match context {
        SignInContext::Application {
            include_applications,
        } => {
            if include_applications.is_empty() {
                return Err(EvaluateError::Value {
                    field: "signInContext.includeApplications",
                    value: String::new(),
                    expected: "at least one application id",
                });
            }
            include_applications
                .iter()
                .map(|a| {
                    let a = a.trim();
                    match APP_GROUPS.iter().find(|g| g.eq_ignore_ascii_case(a)) {
                        Some(g) => {
                            notes.add(format!(
                                "the request names the app group {g}, not an app id: as in Graph's evaluate, a group given as input matches no policy (Microsoft's What If tool asks for an app id)"
                            ));
                            Resource::AppGroup(g.to_string())
                        }
                        None => Resource::App(a.to_string()),
                    }
                })
                .collect()
        }
        SignInContext::UserAction { user_action } => vec![match user_action {
            UserAction::RegisterSecurityInformation => {
                Resource::UserAction(REGISTER_SECURITY_INFO.into())
            }
            UserAction::RegisterOrJoinDevices => Resource::UserAction(REGISTER_DEVICE.into()),
            UserAction::UnknownFutureValue => {
                notes.add("the user action unknownFutureValue names no action; assumed no policy on user actions covers it");
                Resource::UserAction("unknownFutureValue".into())
            }
        }],
        SignInContext::AuthContext {
            authentication_context_value,
        } => vec![Resource::AuthContext(
            authentication_context_value.trim().to_string(),
        )],
    })
}

pub(super) fn scenario(
    user_id: &str,
    resource: Resource,
    c: &SignInConditions,
    directory: &Directory,
    locations: &NamedLocations,
    notes: &mut Notes,
) -> Result<Scenario, EvaluateError> {
    let listed = directory.user(user_id);
    let kind = match listed.map(|u| u.user_type) {
        Some(UserType::Guest) => {
            notes.add("the directory lists the user as a guest without a guest type; assumed a B2B collaboration guest from an unknown home tenant");
            UserKind::Guest {
                guest_type: GuestOrExternalUserType::B2bCollaborationGuest,
                home_tenant: None,
            }
        }
        _ => UserKind::Member,
    };
    let user = User {
        id: user_id.trim().to_string(),
        groups: listed.map(|u| u.groups.clone()).unwrap_or_default(),
        roles: listed.map(|u| u.roles.clone()).unwrap_or_default(),
        kind,
    };
    let client_app = match &c.client_app_type {
        None => {
            notes.add("no clientAppType was supplied: policies that list client apps do not apply (conditions not supplied do not match)");
            ClientApp::NotSupplied
        }
        Some(ClientAppType::Browser) => ClientApp::Browser,
        Some(ClientAppType::MobileAppsAndDesktopClients) => ClientApp::MobileAppsAndDesktopClients,
        Some(ClientAppType::ExchangeActiveSync | ClientAppType::EasSupported) => {
            ClientApp::ExchangeActiveSync
        }
        Some(ClientAppType::Other) => ClientApp::Other,
        Some(ClientAppType::All) => {
            notes.add("clientAppType all names no client; assumed as not supplied");
            ClientApp::NotSupplied
        }
        Some(other) => return Err(EvaluateError::Value {
            field: "signInConditions.clientAppType",
            value: other.to_string(),
            expected:
                "browser, mobileAppsAndDesktopClients, exchangeActiveSync, easSupported or other",
        }),
    };
    let platform = match &c.device_platform {
        None => {
            notes.add("no devicePlatform was supplied: only policies on any device platform (all) cover the sign-in; policies that list platforms do not");
            None
        }
        Some(DevicePlatform::All | DevicePlatform::UnknownFutureValue) => {
            notes.add("the devicePlatform given names no platform; assumed unknown, so only policies on any device platform (all) cover it");
            None
        }
        Some(DevicePlatform::Unknown(v)) => {
            return Err(EvaluateError::Value {
                field: "signInConditions.devicePlatform",
                value: v.clone(),
                expected: "android, iOS, windows, windowsPhone, macOS or linux",
            })
        }
        Some(p) => Some(p.clone()),
    };
    let ip = match c.ip_address.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(text.parse::<IpAddr>().map_err(|_| EvaluateError::Value {
            field: "signInConditions.ipAddress",
            value: text.to_string(),
            expected: "an IPv4 or IPv6 address",
        })?),
    };
    let country = c
        .country
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let location = if ip.is_none() && country.is_none() {
        notes.add("no ipAddress or country was supplied: the location is unknown, so policies on specific locations do not apply, and a policy on any location (All) is assumed to cover it");
        Location::Unknown
    } else {
        if locations.locations.is_empty() {
            notes.add("no named locations were given (--locations): the sign-in is in no named location and not trusted");
        }
        if ip.is_none() {
            notes.add("no ipAddress was supplied: IP named locations (and so trusted locations) do not match");
        }
        if locations.has_gps_locations() {
            notes.add("a country location looks the country up by the Authenticator app's GPS, which a request cannot give: it never matches here");
        }
        let r = locations.resolve(ip, country);
        Location::Known {
            named: r.ids,
            trusted: r.trusted,
        }
    };
    let risk = |r: &Option<RiskLevel>, field: &'static str, notes: &mut Notes| match r {
        None | Some(RiskLevel::None) => Ok(Risk::None),
        Some(RiskLevel::Low) => Ok(Risk::Low),
        Some(RiskLevel::Medium) => Ok(Risk::Medium),
        Some(RiskLevel::High) => Ok(Risk::High),
        Some(RiskLevel::Hidden | RiskLevel::UnknownFutureValue) => {
            notes.add(format!(
                "{field} names no level a policy can list; assumed none"
            ));
            Ok(Risk::None)
        }
        Some(RiskLevel::Unknown(v)) => Err(EvaluateError::Value {
            field,
            value: v.clone(),
            expected: "none, low, medium or high",
        }),
    };
    let sign_in_risk = risk(
        &c.sign_in_risk_level,
        "signInConditions.signInRiskLevel",
        notes,
    )?;
    let user_risk = risk(&c.user_risk_level, "signInConditions.userRiskLevel", notes)?;
    let auth_flow = match c
        .authentication_flow
        .as_ref()
        .and_then(|f| f.transfer_method.as_ref())
    {
        None | Some(TransferMethod::None) => None,
        Some(TransferMethod::DeviceCodeFlow) => Some(AuthFlow::DeviceCodeFlow),
        Some(TransferMethod::AuthenticationTransfer) => Some(AuthFlow::AuthenticationTransfer),
        Some(TransferMethod::UnknownFutureValue) => {
            notes.add("authenticationFlow.transferMethod unknownFutureValue names no flow; assumed an ordinary sign-in");
            None
        }
        Some(TransferMethod::Unknown(v)) => {
            return Err(EvaluateError::Value {
                field: "signInConditions.authenticationFlow.transferMethod",
                value: v.clone(),
                expected: "none, deviceCodeFlow or authenticationTransfer",
            })
        }
    };
    let device = match &c.device_info {
        None => {
            notes.add("no deviceInfo was supplied: the device is read as unregistered (every device property null), as for an empty deviceInfo");
            Device::unregistered()
        }
        Some(d) => device(d, notes),
    };
    Ok(Scenario {
        user,
        resource,
        client_app,
        platform,
        location,
        sign_in_risk,
        user_risk,
        auth_flow,
        device,
    })
}

/// `deviceInfo` as the device-filter evaluator's device.
fn device(d: &DeviceInfo, notes: &mut Notes) -> Device {
    let mut out = Device::unregistered();
    let mut s = |name: &str, v: &Option<String>| {
        if let Some(v) = v {
            out.set(name, DeviceValue::Str(v.clone()));
        }
    };
    s("deviceId", &d.device_id);
    s("displayName", &d.display_name);
    s("enrollmentProfileName", &d.enrollment_profile_name);
    let attrs = [
        &d.extension_attribute1,
        &d.extension_attribute2,
        &d.extension_attribute3,
        &d.extension_attribute4,
        &d.extension_attribute5,
        &d.extension_attribute6,
        &d.extension_attribute7,
        &d.extension_attribute8,
        &d.extension_attribute9,
        &d.extension_attribute10,
        &d.extension_attribute11,
        &d.extension_attribute12,
        &d.extension_attribute13,
        &d.extension_attribute14,
        &d.extension_attribute15,
    ];
    for (i, a) in attrs.iter().enumerate() {
        s(&format!("extensionAttribute{}", i + 1), a);
    }
    s("manufacturer", &d.manufacturer);
    s("mdmAppId", &d.mdm_app_id);
    s("model", &d.model);
    s("operatingSystem", &d.operating_system);
    s("operatingSystemVersion", &d.operating_system_version);
    // evaluate's deviceInfo says `ownership`; device filters call the attribute `deviceOwnership`.
    s("deviceOwnership", &d.ownership);
    s("profileType", &d.profile_type);
    match d.trust_type.as_deref().map(str::trim) {
        // Graph's evaluate examples write Microsoft Entra joined as EntraID; device filters
        // (and so the engine) know it as AzureAD.
        Some(t) if t.eq_ignore_ascii_case("EntraID") => {
            notes.add("deviceInfo.trustType EntraID (as in Graph's evaluate examples) is read as the device filter's AzureAD (Microsoft Entra joined)");
            s("trustType", &Some("AzureAD".into()));
        }
        _ => s("trustType", &d.trust_type),
    }
    if let Some(b) = d.is_compliant {
        out.set("isCompliant", DeviceValue::Bool(b));
    }
    if let Some(xs) = &d.physical_ids {
        out.set("physicalIds", DeviceValue::List(xs.clone()));
    }
    if let Some(xs) = &d.system_labels {
        out.set("systemLabels", DeviceValue::List(xs.clone()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::model::DevicePlatform;

    /// A persona's sign-in (the bootstrap proof's input): the directory gives groups, roles
    /// and the guest type; an empty deviceInfo is an unregistered device; an app group names no
    /// app; unknown values are errors, not guesses.
    #[test]
    fn scenario_for_maps_a_sign_in_onto_the_engine() {
        let mut directory = Directory::default();
        directory.users.insert(
            "aaaaaaaa-0000-0000-0000-000000000001".into(),
            DirectoryUser {
                groups: vec!["g1".into()],
                roles: vec!["r1".into()],
                user_type: UserType::Guest,
            },
        );
        let conditions = SignInConditions {
            device_platform: Some(DevicePlatform::IOS),
            client_app_type: Some(ClientAppType::MobileAppsAndDesktopClients),
            device_info: Some(DeviceInfo::default()),
            ..SignInConditions::default()
        };
        let exchange = SignInContext::Application {
            include_applications: vec![super::super::scenario::EXCHANGE_ONLINE_APP.into()],
        };
        let (s, notes) = scenario_for(
            "AAAAAAAA-0000-0000-0000-000000000001",
            &exchange,
            &conditions,
            &directory,
            &NamedLocations::default(),
        )
        .unwrap();
        assert_eq!(s.user.groups, ["g1"]);
        assert_eq!(s.user.roles, ["r1"]);
        assert!(matches!(s.user.kind, UserKind::Guest { .. }));
        assert!(s.device.is_unregistered());
        assert_eq!(s.platform, Some(DevicePlatform::IOS));
        assert_eq!(s.client_app, ClientApp::MobileAppsAndDesktopClients);
        assert_eq!(s.location, Location::Unknown);
        assert!(notes.iter().any(|n| n.contains("no ipAddress or country")));
        let registration = SignInContext::UserAction {
            user_action: UserAction::RegisterSecurityInformation,
        };
        let (s, _) = scenario_for(
            "x",
            &registration,
            &SignInConditions::default(),
            &Directory::default(),
            &NamedLocations::default(),
        )
        .unwrap();
        assert!(s.is_registration());
        assert_eq!(s.client_app, ClientApp::NotSupplied);
        let group = SignInContext::Application {
            include_applications: vec!["office365".into()],
        };
        let (s, _) = scenario_for(
            "x",
            &group,
            &SignInConditions::default(),
            &Directory::default(),
            &NamedLocations::default(),
        )
        .unwrap();
        assert_eq!(s.resource, Resource::AppGroup("Office365".into()));
        let bad = SignInConditions {
            ip_address: Some("not an address".into()),
            ..SignInConditions::default()
        };
        let e = scenario_for(
            "x",
            &registration,
            &bad,
            &Directory::default(),
            &NamedLocations::default(),
        );
        assert!(matches!(
            e,
            Err(EvaluateError::Value {
                field: "signInConditions.ipAddress",
                ..
            })
        ));
    }
}
