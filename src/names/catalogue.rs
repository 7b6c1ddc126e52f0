//! Lookups in the compiled-in catalogues: roles and apps by GUID (any letter case), and the
//! special values Graph accepts in place of ids.

use std::cmp::Ordering;

use super::apps::APPS;
use super::roles::ROLES;

/// Where a value sits in a policy's conditions. `All` names different things in each, so the
/// special values are looked up per slot; GUIDs mean the same everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Slot {
    /// `conditions.users` (users, groups, roles).
    Users,
    /// `conditions.applications`, user actions included.
    Applications,
    /// `conditions.locations`.
    Locations,
}

/// The values Graph accepts in place of ids, with the names the admin center shows for them
/// (<https://learn.microsoft.com/graph/api/resources/conditionalaccessusers>,
/// <https://learn.microsoft.com/graph/api/resources/conditionalaccessapplications>,
/// <https://learn.microsoft.com/graph/api/resources/conditionalaccesslocations>).
static SPECIALS: &[(Slot, &str, &str)] = &[
    (Slot::Users, "All", "All users"),
    (Slot::Users, "None", "None"),
    (
        Slot::Users,
        "GuestsOrExternalUsers",
        "All guest and external users",
    ),
    (Slot::Applications, "All", "All resources"),
    (Slot::Applications, "None", "None"),
    (Slot::Applications, "Office365", "Office 365"),
    (
        Slot::Applications,
        "MicrosoftAdminPortals",
        "Microsoft Admin Portals",
    ),
    (
        Slot::Applications,
        "urn:user:registersecurityinfo",
        "Register security information",
    ),
    (
        Slot::Applications,
        "urn:user:registerdevice",
        "Register or join devices",
    ),
    (Slot::Locations, "All", "Any network or location"),
    (
        Slot::Locations,
        "AllTrusted",
        "All trusted networks and locations",
    ),
];

/// Every catalogued role as (role template id, display name), sorted by id.
pub fn roles() -> &'static [(&'static str, &'static str)] {
    ROLES
}

/// Every catalogued application as (appId, display name), sorted by id.
pub fn apps() -> &'static [(&'static str, &'static str)] {
    APPS
}

/// The built-in *Multifactor authentication* strength (the same id in every tenant). A
/// Temporary Access Pass and Authenticator push satisfy it, so anyone who can do MFA today can
/// meet it.
pub const MFA_STRENGTH: &str = "00000000-0000-0000-0000-000000000002";
/// The built-in *Passwordless MFA* strength.
pub const PASSWORDLESS_STRENGTH: &str = "00000000-0000-0000-0000-000000000003";
/// The built-in *Phishing-resistant MFA* strength.
pub const PHISHING_RESISTANT_STRENGTH: &str = "00000000-0000-0000-0000-000000000004";

/// The built-in authentication strengths by the names the admin center gives them
/// (<https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths>),
/// sorted by id.
static STRENGTHS: &[(&str, &str)] = &[
    (MFA_STRENGTH, "Multifactor authentication"),
    (PASSWORDLESS_STRENGTH, "Passwordless MFA"),
    (PHISHING_RESISTANT_STRENGTH, "Phishing-resistant MFA"),
];

/// The built-in authentication strength with this id.
pub fn strength_name(id: &str) -> Option<&'static str> {
    find(STRENGTHS, id)
}

/// The built-in directory role with this template id.
pub fn role_name(id: &str) -> Option<&'static str> {
    find(ROLES, id)
}

/// The Microsoft application with this appId.
pub fn app_name(id: &str) -> Option<&'static str> {
    find(APPS, id)
}

/// The name of a special value in `slot` (letter case ignored, as for ids).
pub fn special_name(slot: Slot, value: &str) -> Option<&'static str> {
    SPECIALS
        .iter()
        .find(|(s, v, _)| *s == slot && v.eq_ignore_ascii_case(value))
        .map(|&(_, _, name)| name)
}

/// What the catalogue knows of `id` without knowing its slot: a role or app by GUID, or a
/// special value that means one thing wherever it appears (`All` does not, so it gets `None`).
pub fn catalogue_name(id: &str) -> Option<&'static str> {
    if let Some(name) = role_name(id)
        .or_else(|| app_name(id))
        .or_else(|| strength_name(id))
    {
        return Some(name);
    }
    let mut names = SPECIALS
        .iter()
        .filter(|(_, v, _)| v.eq_ignore_ascii_case(id))
        .map(|&(_, _, name)| name);
    let first = names.next()?;
    names.all(|n| n == first).then_some(first)
}

/// Binary search on a table keyed by lowercase GUIDs, comparing `id` as if lowercased (no
/// allocation: this runs for every id on every render).
fn find(table: &'static [(&'static str, &'static str)], id: &str) -> Option<&'static str> {
    table
        .binary_search_by(|(key, _)| cmp_lowercased(key, id))
        .ok()
        .map(|i| table[i].1)
}

fn cmp_lowercased(key: &str, id: &str) -> Ordering {
    key.bytes().cmp(id.bytes().map(|b| b.to_ascii_lowercase()))
}
