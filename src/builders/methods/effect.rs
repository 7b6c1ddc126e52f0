//! The preview of a PATCH: what each stored list becomes (added, removed with why, kept) and the
//! notes to read before sending; and the PATCH itself with what it was merged with.

use super::method::Method;
use serde_json::Value;
use std::fmt;

/// A notice in a preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub warning: bool,
    pub text: String,
}

pub(super) fn warn(text: impl Into<String>) -> Note {
    Note {
        warning: true,
        text: text.into(),
    }
}

pub(super) fn info(text: impl Into<String>) -> Note {
    Note {
        warning: false,
        text: text.into(),
    }
}

/// What a PATCH does to one collection.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListEffect {
    /// JSON path of the collection (`includeTargets`, `keyRestrictions.aaGuids`).
    pub property: String,
    /// False when the body does not carry the list, so the stored one stays untouched.
    pub sent: bool,
    pub added: Vec<String>,
    /// Each removed item with the reason it is not carried over.
    pub removed: Vec<(String, String)>,
    pub kept: Vec<String>,
}

/// The preview of one PATCH: what each stored list becomes, and what to know before sending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatchEffect {
    pub method: Method,
    /// The configuration was not pasted; the service default was assumed.
    pub assumed_default: bool,
    pub lists: Vec<ListEffect>,
    pub notes: Vec<Note>,
}

impl fmt::Display for PatchEffect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Effect of PATCH {} ({}):",
            self.method.path(),
            self.method.label()
        )?;
        writeln!(
            f,
            "A PATCH replaces each list it sends as a whole; the lists below are the current ones merged \
             with the new entries, so nothing is dropped unless listed under \"removed\"."
        )?;
        if self.assumed_default {
            writeln!(
                f,
                "No current configuration was given: this assumes the service default (method disabled, \
                 target all_users, no AAGUID list). The script checks this before sending and stops if the \
                 tenant differs; paste the GET response for an exact preview."
            )?;
        }
        for l in &self.lists {
            if !l.sent {
                writeln!(
                    f,
                    "  {}: not sent, stays as stored ({})",
                    l.property,
                    list_or_none(&l.kept)
                )?;
                continue;
            }
            writeln!(f, "  {}:", l.property)?;
            writeln!(f, "    added:   {}", list_or_none(&l.added))?;
            if l.removed.is_empty() {
                writeln!(f, "    removed: (none)")?;
            } else {
                for (item, why) in &l.removed {
                    writeln!(f, "    removed: {item} ({why})")?;
                }
            }
            writeln!(f, "    kept:    {}", list_or_none(&l.kept))?;
        }
        for n in &self.notes {
            writeln!(
                f,
                "{} {}",
                if n.warning { "warning:" } else { "note:" },
                n.text
            )?;
        }
        Ok(())
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

/// A PATCH body with its preview and the state it was built against.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodPatch {
    pub method: Method,
    pub body: Value,
    pub effect: PatchEffect,
    /// [`CurrentConfig::fingerprint`](super::CurrentConfig::fingerprint) of the configuration the body was merged with.
    pub expected_current: String,
}
