//! Policies compiled once for many sign-ins: each device filter parsed, every object id interned,
//! every list condition turned into bits or a sorted list of numbers.

use super::intern::Interner;
use super::scenario::{AuthFlow, ClientApp, Risk};
use crate::analysis::grant::{Control, Grant};
use crate::analysis::read::{self, State};
use crate::builders::strength::StrengthLoop;
use crate::filter::{self, Expr, Mode};
use crate::policy::model::*;

/// Policies prepared for many evaluations.
#[derive(Debug, Clone)]
pub struct CompiledPolicySet {
    pub(super) policies: Vec<CompiledPolicy>,
    pub(super) ids: Interner,
}

/// One policy's conditions as numbers and bit sets (`None`: not configured), and what it asks
/// of a sign-in it applies to.
#[derive(Debug, Clone)]
pub(super) struct CompiledPolicy {
    pub(super) index: usize,
    pub(super) name: String,
    pub(super) state: State,
    pub(super) users: Option<CompiledUsers>,
    pub(super) resources: CompiledResources,
    /// Bit set of `CLIENT_*`; `None` = not configured or `all`.
    pub(super) client_apps: Option<u8>,
    pub(super) platforms: Option<CompiledPlatforms>,
    pub(super) locations: Option<CompiledLocations>,
    pub(super) sign_in_risk: Option<u8>,
    pub(super) user_risk: Option<u8>,
    pub(super) insider_risk: bool,
    pub(super) flows: Option<u8>,
    pub(super) device_filter: Option<CompiledDeviceFilter>,
    /// The grant Microsoft enforces now: `approvedApplication` left out (see [`ApprovedApp`]).
    pub(super) grant: Option<Grant>,
    pub(super) approved_app: ApprovedApp,
    pub(super) session: Vec<String>,
    /// The authentication-strength loop the strength makes for someone registering a first
    /// passkey (see `first_passkey`).
    pub(super) strength_loop: Option<StrengthLoop>,
}

/// Whether the policy's grant asked for *Require approved client app* (`approvedApplication`),
/// which Microsoft retired on 30 June 2026: it is no longer enforced, and a policy behaves as if
/// it were not selected
/// (<https://learn.microsoft.com/entra/identity/conditional-access/migrate-approved-client-app>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ApprovedApp {
    NotAsked,
    /// Left out; other controls remain.
    LeftOut,
    /// It was the only grant control; the policy now asks for nothing.
    WasTheOnlyControl,
}

/// The grant as Microsoft enforces it since the retirement of approved client app.
fn enforced_grant(grant: Option<Grant>) -> (Option<Grant>, ApprovedApp) {
    let Some(mut g) = grant else {
        return (None, ApprovedApp::NotAsked);
    };
    if !g.requires(&Control::ApprovedApplication) {
        return (Some(g), ApprovedApp::NotAsked);
    }
    g.controls.retain(|c| *c != Control::ApprovedApplication);
    if g.controls.is_empty() {
        return (None, ApprovedApp::WasTheOnlyControl);
    }
    // With one control left, AND and OR read the same: an assumed operator no longer matters.
    if g.controls.len() == 1 {
        g.note = None;
    }
    (Some(g), ApprovedApp::LeftOut)
}

/// The users condition, object ids interned and sorted.
#[derive(Debug, Clone, Default)]
pub(super) struct CompiledUsers {
    pub(super) all: bool,
    pub(super) none: bool,
    pub(super) include_users: Vec<u32>,
    pub(super) include_groups: Vec<u32>,
    pub(super) include_roles: Vec<u32>,
    pub(super) include_guests: Option<GuestSelector>,
    pub(super) exclude_users: Vec<u32>,
    pub(super) exclude_groups: Vec<u32>,
    pub(super) exclude_roles: Vec<u32>,
    pub(super) exclude_guests: Option<GuestSelector>,
}

/// A guests-or-external-users selector; the `GuestsOrExternalUsers` token is "every type from
/// every tenant".
#[derive(Debug, Clone)]
pub(super) struct GuestSelector {
    /// `None`: every type.
    pub(super) types: Option<Vec<GuestOrExternalUserType>>,
    /// `None`: every tenant.
    pub(super) tenants: Option<Vec<String>>,
}

/// The target resources: applications (ids interned), user actions or authentication contexts.
#[derive(Debug, Clone)]
pub(super) enum CompiledResources {
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

/// Device platforms as bit sets of `platform_bit`.
#[derive(Debug, Clone)]
pub(super) struct CompiledPlatforms {
    pub(super) all: bool,
    pub(super) include: u8,
    pub(super) exclude: u8,
}

/// Locations: the `All` and `AllTrusted` tokens as flags, named locations interned.
#[derive(Debug, Clone)]
pub(super) struct CompiledLocations {
    pub(super) all: bool,
    pub(super) include_trusted: bool,
    pub(super) include: Vec<u32>,
    pub(super) exclude_trusted: bool,
    pub(super) exclude: Vec<u32>,
}

/// The device filter, parsed once; `Err`: why the rule (or its mode) is invalid.
#[derive(Debug, Clone)]
pub(super) struct CompiledDeviceFilter {
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
        ClientApp::NotSupplied => 0,
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

impl CompiledPolicySet {
    pub fn new(policies: &[Policy]) -> CompiledPolicySet {
        let mut ids = Interner::default();
        let policies = policies
            .iter()
            .enumerate()
            .map(|(index, p)| compile(index, p, &mut ids))
            .collect();
        CompiledPolicySet { policies, ids }
    }

    pub fn len(&self) -> usize {
        self.policies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }
}

fn compile(index: usize, p: &Policy, ids: &mut Interner) -> CompiledPolicy {
    let c = read::conditions(p);
    let users = read::users(p).map(|u| compile_users(u, ids));
    let resources = match read::applications(p) {
        None => CompiledResources::Nothing,
        Some(a) => {
            let include = read::strings(&a.include_applications);
            let actions = read::strings(&a.include_user_actions);
            let contexts = read::strings(&a.include_authentication_context_class_references);
            let filter = a.application_filter.value().is_some();
            // Targets are mutually exclusive; apps win if a file lists several.
            if !include.is_empty() || filter {
                let exclude = read::strings(&a.exclude_applications);
                let ids_of = |list: &[&str], ids: &mut Interner| {
                    let plain: Vec<&str> = list
                        .iter()
                        .copied()
                        .filter(|x| {
                            !["All", "None", "Office365", "MicrosoftAdminPortals"]
                                .iter()
                                .any(|t| t.eq_ignore_ascii_case(x))
                        })
                        .collect();
                    ids.intern_all(&plain)
                };
                CompiledResources::Apps {
                    all: read::has(&include, "All"),
                    include: ids_of(&include, ids),
                    office365: read::has(&include, "Office365"),
                    admin_portals: read::has(&include, "MicrosoftAdminPortals"),
                    exclude: ids_of(&exclude, ids),
                    exclude_office365: read::has(&exclude, "Office365"),
                    filter,
                }
            } else if !actions.is_empty() {
                CompiledResources::Actions(actions.iter().map(|s| s.to_string()).collect())
            } else if !contexts.is_empty() {
                CompiledResources::Contexts(contexts.iter().map(|s| s.to_string()).collect())
            } else {
                CompiledResources::Nothing
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
        Some(CompiledPlatforms {
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
        let named = |list: &[&str], ids: &mut Interner| {
            let plain: Vec<&str> = list
                .iter()
                .copied()
                .filter(|x| !read::has(&["All", "AllTrusted"], x))
                .collect();
            ids.intern_all(&plain)
        };
        Some(CompiledLocations {
            all: read::has(&include, "All"),
            include_trusted: read::has(&include, "AllTrusted"),
            include: named(&include, ids),
            exclude_trusted: read::has(&exclude, "AllTrusted"),
            exclude: named(&exclude, ids),
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
            CompiledDeviceFilter {
                mode: mode.unwrap_or(Mode::Include),
                expr,
            }
        });
    let (grant, approved_app) = enforced_grant(Grant::of(p));
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
        grant,
        approved_app,
        session: session_words(p),
        strength_loop: super::first_passkey::strength_loop_of(p),
    }
}

fn compile_users(u: &Users, ids: &mut Interner) -> CompiledUsers {
    let include_users = read::strings(&u.include_users);
    let exclude_users = read::strings(&u.exclude_users);
    fn plain<'a>(list: &[&'a str]) -> Vec<&'a str> {
        let tokens = ["All", "None", "GuestsOrExternalUsers"];
        list.iter()
            .copied()
            .filter(|x| !tokens.iter().any(|t| t.eq_ignore_ascii_case(x)))
            .collect()
    }
    let every_guest = GuestSelector {
        types: None,
        tenants: None,
    };
    let selector = |g: &Field<GuestsOrExternalUsers>| -> Option<GuestSelector> {
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
        Some(GuestSelector { types, tenants })
    };
    CompiledUsers {
        all: read::has(&include_users, "All"),
        none: read::has(&include_users, "None"),
        include_users: ids.intern_all(&plain(&include_users)),
        include_groups: ids.intern_all(&read::strings(&u.include_groups)),
        include_roles: ids.intern_all(&read::strings(&u.include_roles)),
        include_guests: if read::has(&include_users, "GuestsOrExternalUsers") {
            Some(every_guest.clone())
        } else {
            selector(&u.include_guests_or_external_users)
        },
        exclude_users: ids.intern_all(&plain(&exclude_users)),
        exclude_groups: ids.intern_all(&read::strings(&u.exclude_groups)),
        exclude_roles: ids.intern_all(&read::strings(&u.exclude_roles)),
        exclude_guests: if read::has(&exclude_users, "GuestsOrExternalUsers") {
            Some(every_guest)
        } else {
            selector(&u.exclude_guests_or_external_users)
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
