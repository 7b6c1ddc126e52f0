//! For the audit: whether a policy reaches a passkey registration from an unregistered phone,
//! judged with the What-If's own condition verdicts.

use super::compile::CompiledPolicySet;
use super::conditions::Reason;
use super::personas::persona;
use super::scenario::{ClientApp, Resource, Scenario, UserKind};
use crate::filter::Device;
use crate::policy::model::{DevicePlatform, Policy};
use crate::policy::templates::REGISTER_SECURITY_INFO;

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
    let Some(policy) = set.policies.first() else {
        return Vec::new();
    };
    let reaches_someone = policy.users.as_ref().is_some_and(|u| {
        u.all
            || !u.include_users.is_empty()
            || !u.include_groups.is_empty()
            || !u.include_roles.is_empty()
            || u.include_guests.is_some()
    });
    let ordinary = policy.sign_in_risk.is_none()
        && policy.user_risk.is_none()
        && !policy.insider_risk
        && policy.flows.is_none()
        && policy.locations.as_ref().is_none_or(|l| l.all); // any location reaches a phone at home; named locations only do not
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
                        let r = set.intern(&s);
                        // The user-action path is a policy that targets the action itself; an
                        // All-resources policy, which also covers it, is told by the other path.
                        let (reached, reason) = policy.resource_verdict(&r, &s);
                        let targeted = match path {
                            RegistrationPath::UserAction => reason == Reason::ActionIncluded,
                            RegistrationPath::PrecedingSignIn => reached,
                        };
                        targeted
                            && policy.client_apps.is_none_or(|bits| bits & r.client != 0)
                            && policy.platform_verdict(r.platform).0
                            && policy.device_verdict(&s.device).0
                    })
            });
        if reached {
            out.push(path);
        }
    }
    out
}
