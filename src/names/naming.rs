//! [`Naming`]: how an id reads beside its name, or without one. What an id nothing names says
//! depends on whether a name could still be found ([`Lookup`]), so a connected admin is never
//! told to connect, and an id the tenant did not return says so.

use std::collections::HashSet;

use super::catalogue::Slot;
use super::Labels;
use crate::guid::is_guid;

/// Where a name could still come from for an id that nothing names.
#[derive(Debug, Clone, Copy, Default)]
pub enum Lookup<'a> {
    /// Not connected: the admin can connect and look it up.
    #[default]
    Offline,
    /// Connected. `not_found` holds the ids (lowercase) a lookup asked Graph about that it did
    /// not return: deleted, or not a user or group.
    Connected { not_found: &'a HashSet<String> },
}

/// Every wording that can follow an id nothing names, so a message already worded is not
/// worded twice.
const MARKS: [&str; 3] = [OFFLINE, NOT_LOOKED_UP, NOT_FOUND];
const OFFLINE: &str = " (connect to look it up)";
const NOT_LOOKED_UP: &str = " (not looked up yet)";
const NOT_FOUND: &str = " (not found in the tenant)";

impl Lookup<'_> {
    /// What follows `id`, a GUID nothing names.
    fn mark(self, id: &str) -> &'static str {
        match self {
            Lookup::Offline => OFFLINE,
            Lookup::Connected { not_found } if not_found.contains(&id.to_ascii_lowercase()) => {
                NOT_FOUND
            }
            Lookup::Connected { .. } => NOT_LOOKED_UP,
        }
    }
}

/// The draft's names read together with where other names could come from: the one place an
/// id is worded for the admin.
#[derive(Debug, Clone, Copy)]
pub struct Naming<'a> {
    pub labels: &'a Labels,
    pub lookup: Lookup<'a>,
}

impl<'a> Naming<'a> {
    pub fn new(labels: &'a Labels, lookup: Lookup<'a>) -> Naming<'a> {
        Naming { labels, lookup }
    }

    /// Offline: what a document read later, or the CLI, says.
    pub fn offline(labels: &'a Labels) -> Naming<'a> {
        Naming::new(labels, Lookup::Offline)
    }

    /// "Name (id)"; for a GUID nothing names, the id and what [`Lookup`] says of it; any other
    /// text as it is.
    pub fn describe(self, id: &str) -> String {
        self.shown(self.labels.name_of(id), id)
    }

    /// [`Naming::describe`] for a value in `slot`, where special values such as `All` have a name.
    pub fn describe_in(self, slot: Slot, id: &str) -> String {
        self.shown(self.labels.name_in(slot, id), id)
    }

    fn shown(self, name: Option<&str>, id: &str) -> String {
        match name {
            Some(name) => format!("{name} ({id})"),
            None if is_guid(id) => format!("{id}{}", self.lookup.mark(id)),
            None => id.to_string(),
        }
    }

    /// `text` with every GUID in it shown as [`Naming::describe`] shows it: the one way a
    /// message written with ids (a lint or audit finding, a What-If reason) gets names beside
    /// them. A GUID already shown beside its name ("Name (id)") or already marked as unnamed is
    /// left as it is.
    pub fn name_ids_in(self, text: &str) -> String {
        const LEN: usize = 36;
        let bytes = text.as_bytes();
        let word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut i = 0;
        while i + LEN <= bytes.len() {
            let starts = i == 0 || !word(bytes[i - 1]);
            let ends = i + LEN == bytes.len() || !word(bytes[i + LEN]);
            // Every byte of a GUID is ASCII, so a match lies on character boundaries.
            let candidate =
                starts && ends && text.is_char_boundary(i) && text.is_char_boundary(i + LEN);
            if !candidate || !is_guid(&text[i..i + LEN]) {
                i += 1;
                continue;
            }
            let id = &text[i..i + LEN];
            let after = &text[i + LEN..];
            let shown_beside_name = text[..i].ends_with('(') && after.starts_with(')');
            let marked = MARKS.iter().any(|m| after.starts_with(m));
            if !shown_beside_name && !marked {
                out.push_str(&text[copied..i]);
                out.push_str(&self.describe(id));
                copied = i + LEN;
            }
            i += LEN;
        }
        out.push_str(&text[copied..]);
        out
    }
}
