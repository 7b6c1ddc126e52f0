//! Names for the ids a Conditional Access policy holds, so no screen, check or script comment
//! shows a bare GUID when a name is known: the built-in directory roles and well-known Microsoft
//! applications (a catalogue compiled in, usable offline), the special values of the conditions,
//! [`Labels`], the names the admin picked that the draft keeps, and [`Naming`], which words an
//! id with them and with what the connection could still find.
//!
//! Pure data and lookups: no requests. The catalogues are sorted static slices searched by
//! binary search, so they cost their string bytes in the bundle and little code.

mod apps;
mod catalogue;
mod labels;
mod naming;
mod roles;

pub use catalogue::{
    app_name, apps, catalogue_name, role_name, roles, special_name, strength_name, Slot,
    MFA_STRENGTH, PASSWORDLESS_STRENGTH, PHISHING_RESISTANT_STRENGTH,
};
pub use labels::{LabelError, Labels, MAX_LABELS, MAX_NAME_CHARS};
pub use naming::{Lookup, Naming};

/// An id as shown to the admin, by the catalogue alone and offline: "Name (id)", or for a GUID
/// no catalogue names, "id (connect to look it up)"; any other text as it is. [`Naming`] also
/// consults the draft's names and the connection.
pub fn describe(id: &str) -> String {
    Naming::offline(&Labels::new()).describe(id)
}

/// A user as the admin knows them: `Ada Lovelace (ada@contoso.com)`, or the one name there is,
/// or the object id when the directory gave neither.
pub fn user_label(id: &str, display_name: &str, upn: &str) -> String {
    match (display_name.trim(), upn.trim()) {
        ("", "") => id.to_string(),
        (name, "") | ("", name) => name.to_string(),
        (name, upn) if name.eq_ignore_ascii_case(upn) => upn.to_string(),
        (name, upn) => format!("{name} ({upn})"),
    }
}
