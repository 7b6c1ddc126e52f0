//! The simulated sign-in: who, to what, from which client, platform, location and device, and
//! which grant controls such a sign-in can satisfy by itself.

use serde::{Deserialize, Serialize};

use crate::analysis::grant::Control;
use crate::filter::{Device, Value as DeviceValue};
use crate::policy::model::DevicePlatform;
use crate::policy::model::GuestOrExternalUserType;
use crate::policy::templates::REGISTER_SECURITY_INFO;

/// The My Sign-ins app (mysignins.microsoft.com), where users register security info. The id is
/// from third-party catalogues of first-party app ids, not from a Microsoft page.
pub const MY_SIGNINS_APP: &str = "19db86c3-b2b9-44cc-b339-36da233a3be2";
/// Office 365 Exchange Online (Graph create-policy example).
pub const EXCHANGE_ONLINE_APP: &str = "00000002-0000-0ff1-ce00-000000000000";
/// Office 365 SharePoint Online.
pub const SHAREPOINT_ONLINE_APP: &str = "00000003-0000-0ff1-ce00-000000000000";

/// Apps this simulator knows to be in the `Office365` suite. Microsoft's full list
/// ("Apps included in Conditional Access Microsoft 365 app suite") is longer; other apps get a
/// note when a policy uses `Office365`.
pub(super) const OFFICE365_APPS: [&str; 2] = [EXCHANGE_ONLINE_APP, SHAREPOINT_ONLINE_APP];

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
    /// An app group named where an app id belongs (`Office365`, `MicrosoftAdminPortals`):
    /// Graph's evaluate API matches no policy on it, so neither does the engine.
    AppGroup(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ClientApp {
    Browser,
    MobileAppsAndDesktopClients,
    ExchangeActiveSync,
    /// Other (legacy authentication) clients.
    Other,
    /// Not given (an evaluate request without `clientAppType`): a policy that lists client
    /// apps does not apply.
    NotSupplied,
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
        self.is_registration().then(|| Scenario {
            resource: Resource::App(MY_SIGNINS_APP.into()),
            ..self.clone()
        })
    }

    /// Whether this is the Register security information user action.
    pub fn is_registration(&self) -> bool {
        matches!(&self.resource, Resource::UserAction(a) if a.eq_ignore_ascii_case(REGISTER_SECURITY_INFO))
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
    /// device state; approved-app (retired, and left out of compiled grants) and app-protection
    /// controls need a registered iOS/Android
    /// device signing in to an app from a mobile client (the broker registers the device), and
    /// never a user action (Authenticator is not an Intune-protected app).
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
