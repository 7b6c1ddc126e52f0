//! Each condition's verdict for one compiled policy on one sign-in: integer comparisons on the
//! interned scenario, with a reason code that `explain` puts into words only when asked.

use serde::Serialize;

use super::compile::{
    client_bit, flow_bit, platform_bit, risk_bit, CompiledPolicy, CompiledPolicySet,
    CompiledResources, GuestSelector,
};
use super::intern::{contains, first_in};
use super::scenario::{Location, Resource, Scenario, UserKind, OFFICE365_APPS};
use crate::analysis::read::State;
use crate::filter::{self, Device};
use crate::policy::model::GuestOrExternalUserType;
use crate::policy::templates::REGISTER_SECURITY_INFO;

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
pub(super) enum Reason {
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
    /// All resources, on the Register security information user action (`excludes_apps`: the
    /// policy excludes apps, which leave a user action in).
    AllResourcesCoverRegistration {
        excludes_apps: bool,
    },
    /// A policy on specific apps (not All resources), on the Register security information
    /// user action.
    SpecificAppsNotRegistration,
    /// A policy on All resources, on a user action other than Register security information.
    AllResourcesNotOtherAction,
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
    DeviceFilter {
        matched: bool,
    },
    DeviceFilterInvalid,
}

/// A scenario with its ids interned against one compiled set.
pub(super) struct InternedScenario {
    pub(super) user: Option<u32>,
    pub(super) groups: Vec<u32>,
    pub(super) roles: Vec<u32>,
    pub(super) app: Option<u32>,
    pub(super) app_in_office365: bool,
    /// The sign-in is the Register security information user action.
    pub(super) registers_security_info: bool,
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
    pub(super) fn intern(&self, s: &Scenario) -> InternedScenario {
        let numbers =
            |xs: &[String]| -> Vec<u32> { xs.iter().filter_map(|x| self.ids.lookup(x)).collect() };
        let (app, app_in_office365) = match &s.resource {
            Resource::App(a) => (
                self.ids.lookup(a),
                OFFICE365_APPS.iter().any(|o| o.eq_ignore_ascii_case(a)),
            ),
            _ => (None, false),
        };
        let (locations, trusted, known_location) = match &s.location {
            Location::Unknown => (Vec::new(), false, false),
            Location::Known { named, trusted } => (numbers(named), *trusted, true),
        };
        InternedScenario {
            user: self.ids.lookup(&s.user.id),
            groups: numbers(&s.user.groups),
            roles: numbers(&s.user.roles),
            app,
            app_in_office365,
            registers_security_info: matches!(&s.resource, Resource::UserAction(a) if a.eq_ignore_ascii_case(REGISTER_SECURITY_INFO)),
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
        r: &InternedScenario,
        s: &Scenario,
        stop_early: bool,
        visit: &mut dyn FnMut(Condition, bool, Reason),
    ) -> bool {
        let mut applies = true;
        macro_rules! step {
            ($cond:expr, $e:expr) => {{
                let (met, reason): (bool, Reason) = $e;
                visit($cond, met, reason);
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
                State::On => (true, Reason::StateOn),
                State::ReportOnly => (true, Reason::StateReportOnly),
                State::Off => (false, Reason::StateOff),
                State::Invalid(_) => (false, Reason::StateInvalid),
            }
        );
        step!(Condition::Users, self.users_verdict(r, s));
        step!(Condition::Resources, self.resource_verdict(r, s));
        step!(
            Condition::ClientApps,
            match self.client_apps {
                None => (true, Reason::NotConfigured),
                Some(bits) if bits & r.client != 0 => (true, Reason::ClientAppListed),
                Some(_) => (false, Reason::ClientAppNotListed),
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
                (false, Reason::InsiderRiskNotSimulated)
            } else {
                (true, Reason::NotConfigured)
            }
        );
        step!(
            Condition::AuthenticationFlows,
            match (self.flows, r.flow) {
                (None, _) => (true, Reason::NotConfigured),
                (Some(_), None) => (false, Reason::NoFlow),
                (Some(bits), Some(f)) if bits & f != 0 => (true, Reason::FlowListed),
                (Some(_), Some(_)) => (false, Reason::FlowNotListed),
            }
        );
        // Last: the only condition that costs more than a few comparisons.
        step!(Condition::DeviceFilter, self.device_verdict(&s.device));
        applies
    }

    pub(super) fn users_verdict(&self, r: &InternedScenario, s: &Scenario) -> (bool, Reason) {
        let Some(u) = &self.users else {
            return (false, Reason::NoUsersCondition);
        };
        let guest = match &s.user.kind {
            UserKind::Member => None,
            UserKind::Guest {
                guest_type,
                home_tenant,
            } => Some((guest_type, home_tenant.as_deref())),
        };
        let guest_matches = |selector: &Option<GuestSelector>| match (selector, guest) {
            (Some(selector), Some((t, tenant))) => {
                selector.types.as_ref().is_none_or(|ts| ts.contains(t))
                    && (*t == GuestOrExternalUserType::InternalGuest
                        || selector.tenants.as_ref().is_none_or(|ms| {
                            tenant.is_some_and(|h| ms.iter().any(|m| m.eq_ignore_ascii_case(h)))
                        }))
            }
            _ => false,
        };
        if r.user.is_some_and(|id| contains(&u.exclude_users, id)) {
            return (false, Reason::ExcludedUser);
        }
        if let Some(g) = first_in(&r.groups, &u.exclude_groups) {
            return (false, Reason::ExcludedGroup(g));
        }
        if let Some(x) = first_in(&r.roles, &u.exclude_roles) {
            return (false, Reason::ExcludedRole(x));
        }
        if guest_matches(&u.exclude_guests) {
            return (false, Reason::ExcludedGuests);
        }
        if u.all {
            return (true, Reason::IncludedAll);
        }
        if r.user.is_some_and(|id| contains(&u.include_users, id)) {
            return (true, Reason::IncludedUser);
        }
        if let Some(g) = first_in(&r.groups, &u.include_groups) {
            return (true, Reason::IncludedGroup(g));
        }
        if let Some(x) = first_in(&r.roles, &u.include_roles) {
            return (true, Reason::IncludedRole(x));
        }
        if guest_matches(&u.include_guests) {
            return (true, Reason::IncludedGuests);
        }
        (
            false,
            if u.none {
                Reason::IncludedNone
            } else {
                Reason::NotIncluded
            },
        )
    }

    pub(super) fn resource_verdict(&self, r: &InternedScenario, s: &Scenario) -> (bool, Reason) {
        match (&self.resources, &s.resource) {
            (
                CompiledResources::Apps {
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
                    return (false, Reason::AppExcluded);
                }
                if *exclude_office365 && r.app_in_office365 {
                    return (false, Reason::AppExcludedOffice365);
                }
                if *all {
                    return (true, Reason::AllResources);
                }
                if r.app.is_some_and(|a| contains(include, a)) {
                    return (true, Reason::AppIncluded);
                }
                if *office365 {
                    return if r.app_in_office365 {
                        (true, Reason::AppInOffice365)
                    } else {
                        (false, Reason::AppNotKnownOffice365)
                    };
                }
                if *admin_portals {
                    return (false, Reason::AppInAdminPortals);
                }
                if *filter {
                    return (false, Reason::AppFilterNotEvaluated);
                }
                (false, Reason::AppNotIncluded)
            }
            // Microsoft's What-If API returns policies on All resources as applying to the
            // Register security information user action, together with the policies on the
            // action (Graph conditionalAccessRoot evaluate, v1.0, Example 3). A policy cannot
            // exclude a user action, so excluded apps leave it in.
            (
                CompiledResources::Apps {
                    all: true,
                    exclude,
                    exclude_office365,
                    ..
                },
                Resource::UserAction(_),
            ) if r.registers_security_info => (
                true,
                Reason::AllResourcesCoverRegistration {
                    excludes_apps: !exclude.is_empty() || *exclude_office365,
                },
            ),
            (CompiledResources::Apps { .. }, Resource::UserAction(_))
                if r.registers_security_info =>
            {
                (false, Reason::SpecificAppsNotRegistration)
            }
            (CompiledResources::Apps { all: true, .. }, Resource::UserAction(_)) => {
                (false, Reason::AllResourcesNotOtherAction)
            }
            (CompiledResources::Apps { .. }, _) => (false, Reason::PolicyTargetsApps),
            (CompiledResources::Actions(list), Resource::UserAction(a)) => {
                if list.iter().any(|x| x.eq_ignore_ascii_case(a)) {
                    (true, Reason::ActionIncluded)
                } else {
                    (false, Reason::ActionNotIncluded)
                }
            }
            (CompiledResources::Actions(_), _) => (false, Reason::PolicyTargetsActions),
            (CompiledResources::Contexts(list), Resource::AuthContext(c)) => {
                if list.iter().any(|x| x.eq_ignore_ascii_case(c)) {
                    (true, Reason::ContextIncluded)
                } else {
                    (false, Reason::ContextNotIncluded)
                }
            }
            (CompiledResources::Contexts(_), _) => (false, Reason::PolicyTargetsContexts),
            (CompiledResources::Nothing, _) => (false, Reason::NoResources),
        }
    }

    pub(super) fn platform_verdict(&self, platform: Option<u8>) -> (bool, Reason) {
        let Some(p) = &self.platforms else {
            return (true, Reason::NotConfigured);
        };
        match platform {
            None if p.all => (true, Reason::UnknownPlatformAll),
            None => (false, Reason::UnknownPlatformNotAll),
            Some(bit) if p.exclude & bit != 0 => (false, Reason::PlatformExcluded),
            Some(bit) if p.all || p.include & bit != 0 => (true, Reason::PlatformIncluded),
            Some(_) => (false, Reason::PlatformNotIncluded),
        }
    }

    pub(super) fn location_verdict(&self, r: &InternedScenario) -> (bool, Reason) {
        let Some(l) = &self.locations else {
            return (true, Reason::NotConfigured);
        };
        if !r.known_location {
            return if l.all {
                (true, Reason::LocationUnknownAll)
            } else {
                (false, Reason::LocationUnknownNotAll)
            };
        }
        if l.exclude_trusted && r.trusted {
            return (false, Reason::LocationExcludedTrusted);
        }
        if first_in(&r.locations, &l.exclude).is_some() {
            return (false, Reason::LocationExcludedNamed);
        }
        if l.all {
            (true, Reason::LocationAll)
        } else if l.include_trusted && r.trusted {
            (true, Reason::LocationTrusted)
        } else if first_in(&r.locations, &l.include).is_some() {
            (true, Reason::LocationNamed)
        } else {
            (false, Reason::LocationNotIncluded)
        }
    }

    /// Whether the policy applies to the device, by its filter.
    pub(super) fn device_verdict(&self, device: &Device) -> (bool, Reason) {
        let Some(f) = &self.device_filter else {
            return (true, Reason::NotConfigured);
        };
        match &f.expr {
            Ok(expr) => {
                let matched = filter::eval(expr, device);
                (
                    filter::applies_to_device(f.mode, matched),
                    Reason::DeviceFilter { matched },
                )
            }
            Err(_) => (false, Reason::DeviceFilterInvalid),
        }
    }
}

pub(super) fn risk_verdict(levels: Option<u8>, level: u8) -> (bool, Reason) {
    match levels {
        None => (true, Reason::NotConfigured),
        Some(bits) if bits & level != 0 => (true, Reason::RiskListed),
        Some(_) => (false, Reason::RiskNotListed),
    }
}
