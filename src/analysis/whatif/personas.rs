//! Typical personas (a managed laptop, a hybrid-joined desktop, a personal phone, an unregistered
//! phone registering a passkey, a guest) and the matrix of their outcomes over a policy set.

use super::compile::CompiledPolicySet;
use super::decide::Outcome;
use super::scenario::{
    ClientApp, Location, Resource, Risk, Scenario, User, UserKind, EXCHANGE_ONLINE_APP,
};
use crate::filter::{Device, Value as DeviceValue};
use crate::policy::model::{DevicePlatform, GuestOrExternalUserType, Policy};
use crate::policy::templates::REGISTER_SECURITY_INFO;

/// The object id every persona signs in as: a member in no group and no role, so only policies
/// that reach all users (or guests, for the guest) apply — what a typical user meets.
pub const PERSONA_USER: &str = "0f5c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b";
/// The guest persona's home tenant.
pub const PERSONA_GUEST_TENANT: &str = "7d1e2f3a-4b5c-4d6e-9f0a-1b2c3d4e5f6a";

pub(super) fn persona(
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

/// For the current policy set: which persona is blocked, challenged or let through (enforced
/// policies only; a registration persona includes its preceding sign-in).
pub fn matrix(policies: &[Policy]) -> Vec<(&'static str, Outcome)> {
    let set = CompiledPolicySet::new(policies);
    personas()
        .into_iter()
        .map(|(name, s)| (name, set.outcome_with_preceding(&s)))
        .collect()
}
