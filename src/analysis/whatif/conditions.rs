//! Each condition's verdict for one compiled policy on one sign-in: integer comparisons on the
//! interned scenario, with a reason code that `explain` puts into words only when asked.

use serde::Serialize;

use crate::analysis::read::State;
use super::compile::*;
use super::scenario::*;
use crate::filter::{self, Device};
use crate::policy::model::GuestOrExternalUserType;

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

/// Why a condition is met or not; turned into words only on request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Why {
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

pub(super) fn contains(sorted: &[u32], x: u32) -> bool {
    sorted.binary_search(&x).is_ok()
}

/// The first element of `xs` (sorted or not) in `sorted`.
pub(super) fn first_in(xs: &[u32], sorted: &[u32]) -> Option<u32> {
    if sorted.is_empty() {
        return None;
    }
    xs.iter().copied().find(|x| contains(sorted, *x))
}

/// A scenario with its ids interned against one compiled set.
pub(super) struct Resolved {
    pub(super) user: Option<u32>,
    pub(super) groups: Vec<u32>,
    pub(super) roles: Vec<u32>,
    pub(super) app: Option<u32>,
    pub(super) app_in_office365: bool,
    pub(super) client: u8,
    pub(super) platform: Option<u8>,
    pub(super) locations: Vec<u32>,
    pub(super) trusted: bool,
    pub(super) known_location: bool,
    pub(super) sign_in_risk: u8,
    pub(super) user_risk: u8,
    pub(super) flow: Option<u8>,
}

impl CompiledPolicySet {
    pub(super) fn resolve(&self, s: &Scenario) -> Resolved {
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
}

impl CompiledPolicy {
    /// Checks the conditions in order, reporting each verdict to `visit`; with `stop_early`,
    /// stops at the first unmet one (the fast path). Returns whether the policy applies.
    pub(super) fn check(
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

    pub(super) fn users_verdict(&self, r: &Resolved, s: &Scenario) -> (bool, Why) {
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

    pub(super) fn resource_verdict(&self, r: &Resolved, s: &Scenario) -> (bool, Why) {
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

    pub(super) fn platform_verdict(&self, platform: Option<u8>) -> (bool, Why) {
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

    pub(super) fn location_verdict(&self, r: &Resolved) -> (bool, Why) {
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
    pub(super) fn device_verdict(&self, device: &Device) -> (bool, Why) {
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

}

pub(super) fn risk_verdict(levels: Option<u8>, level: u8) -> (bool, Why) {
    match levels {
        None => (true, Why::NotConfigured),
        Some(bits) if bits & level != 0 => (true, Why::RiskListed),
        Some(_) => (false, Why::RiskNotListed),
    }
}
