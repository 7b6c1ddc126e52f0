//! Policies compiled once for many sign-ins: each device filter parsed, every object id interned,
//! every list condition turned into bits or a sorted list of numbers.

use std::collections::HashMap;

use crate::analysis::grant::Grant;
use crate::analysis::read::{self, State};
use super::scenario::{AuthFlow, ClientApp, Risk};
use crate::filter::{self, Expr, Mode};
use crate::policy::model::*;

/// Policies prepared for many evaluations.
#[derive(Debug, Clone)]
pub struct CompiledPolicySet {
    pub(super) policies: Vec<CompiledPolicy>,
    /// Lower-cased object id → interned number.
    pub(super) ids: HashMap<String, u32>,
    /// Interned number → id as first written.
    pub(super) names: Vec<String>,
}

#[derive(Debug, Clone)]
pub(super) struct CompiledPolicy {
    pub(super) index: usize,
    pub(super) name: String,
    pub(super) state: State,
    pub(super) users: Option<UsersC>,
    pub(super) resources: ResourcesC,
    /// Bit set of `CLIENT_*`; `None` = not configured or `all`.
    pub(super) client_apps: Option<u8>,
    pub(super) platforms: Option<PlatformsC>,
    pub(super) locations: Option<LocationsC>,
    pub(super) sign_in_risk: Option<u8>,
    pub(super) user_risk: Option<u8>,
    pub(super) insider_risk: bool,
    pub(super) flows: Option<u8>,
    pub(super) device_filter: Option<DeviceFilterC>,
    pub(super) grant: Option<Grant>,
    pub(super) session: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct UsersC {
    pub(super) all: bool,
    pub(super) none: bool,
    pub(super) include_users: Vec<u32>,
    pub(super) include_groups: Vec<u32>,
    pub(super) include_roles: Vec<u32>,
    pub(super) include_guests: Option<GuestSel>,
    pub(super) exclude_users: Vec<u32>,
    pub(super) exclude_groups: Vec<u32>,
    pub(super) exclude_roles: Vec<u32>,
    pub(super) exclude_guests: Option<GuestSel>,
}

/// A guests-or-external-users selector; the `GuestsOrExternalUsers` token is "every type from
/// every tenant".
#[derive(Debug, Clone)]
pub(super) struct GuestSel {
    /// `None`: every type.
    pub(super) types: Option<Vec<GuestOrExternalUserType>>,
    /// `None`: every tenant.
    pub(super) tenants: Option<Vec<String>>,
}

#[derive(Debug, Clone)]
pub(super) enum ResourcesC {
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
pub(super) struct PlatformsC {
    pub(super) all: bool,
    pub(super) include: u8,
    pub(super) exclude: u8,
}

#[derive(Debug, Clone)]
pub(super) struct LocationsC {
    pub(super) all: bool,
    pub(super) include_trusted: bool,
    pub(super) include: Vec<u32>,
    pub(super) exclude_trusted: bool,
    pub(super) exclude: Vec<u32>,
}

#[derive(Debug, Clone)]
pub(super) struct DeviceFilterC {
    pub(super) mode: Mode,
    pub(super) expr: Result<Expr, String>,
}

const CLIENT_BROWSER: u8 = 1;
const CLIENT_MOBILE: u8 = 2;
const CLIENT_EAS: u8 = 4;
const CLIENT_OTHER: u8 = 8;

pub(super) fn client_bit(c: ClientApp) -> u8 {
    match c {
        ClientApp::Browser => CLIENT_BROWSER,
        ClientApp::MobileAppsAndDesktopClients => CLIENT_MOBILE,
        ClientApp::ExchangeActiveSync => CLIENT_EAS,
        ClientApp::Other => CLIENT_OTHER,
    }
}

pub(super) fn platform_bit(p: &DevicePlatform) -> u8 {
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

pub(super) fn risk_bit(r: Risk) -> u8 {
    match r {
        Risk::None => 1,
        Risk::Low => 2,
        Risk::Medium => 4,
        Risk::High => 8,
    }
}

pub(super) fn flow_bit(f: AuthFlow) -> u8 {
    match f {
        AuthFlow::DeviceCodeFlow => 1,
        AuthFlow::AuthenticationTransfer => 2,
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

pub(super) fn lookup(ids: &HashMap<String, u32>, s: &str) -> Option<u32> {
    // Ids are nearly always written in lower case; only allocate for the rest.
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        ids.get(&s.to_ascii_lowercase()).copied()
    } else {
        ids.get(s).copied()
    }
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
}

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
