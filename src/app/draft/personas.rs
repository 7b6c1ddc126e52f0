//! The admin's own personas for the bootstrap grid: a name, the methods they hold (Graph's
//! `userRegistrationDetails.methodsRegistered` vocabulary), the built-in device kind they sign
//! in on, member or guest, and optionally the groups they are in. Kept in the draft, so a
//! reload or a share link keeps them; checked when added and when a draft is read, so a
//! crafted link cannot put a persona the grid cannot prove (or a secret) into the page.

use serde::{Deserialize, Serialize};

use crate::analysis::bootstrap::{builtin_personas, MethodRegistered};
use crate::guid::is_guid;

/// Most personas a draft keeps: far above what a grid shows legibly.
pub const MAX_PERSONAS: usize = 20;
/// Longest name kept, in characters.
pub const MAX_PERSONA_NAME: usize = 80;

/// One persona the admin added.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomPersona {
    pub name: String,
    pub methods_registered: Vec<MethodRegistered>,
    /// A built-in device column's name (see [`device_kinds`]).
    pub device: String,
    #[serde(default)]
    pub guest: bool,
    /// Group object ids; the draft's pilot group is added when the draft has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<String>,
}

/// Why a persona was not added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonaError {
    EmptyName,
    NameTooLong {
        chars: usize,
    },
    /// A control or bidi character, which could disguise the name.
    ControlCharacter,
    /// Shaped like an access token: a name is never a secret (the text is not repeated).
    LooksLikeToken,
    NoMethods,
    /// A value outside the `methodsRegistered` vocabulary this page knows.
    UnknownMethod(String),
    UnknownDevice(String),
    NotAGroupId(String),
    /// Another persona (or a built-in one) has this name.
    Duplicate(String),
    TooMany,
}

impl std::fmt::Display for PersonaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = |s: &str| crate::filter::escape_for_display(s).into_owned();
        match self {
            PersonaError::EmptyName => f.write_str("the persona needs a name"),
            PersonaError::NameTooLong { chars } => write!(
                f,
                "the persona's name has {chars} characters, at most {MAX_PERSONA_NAME} are kept"
            ),
            PersonaError::ControlCharacter => {
                f.write_str("the persona's name contains a control character")
            }
            PersonaError::LooksLikeToken => f.write_str(
                "the persona's name looks like an access token; a name is never a secret, and the draft must never hold one",
            ),
            PersonaError::NoMethods => {
                f.write_str("tick at least one method the persona holds (a password, say)")
            }
            PersonaError::UnknownMethod(m) => write!(
                f,
                "{:?} is not a methodsRegistered value this page knows",
                shown(m)
            ),
            PersonaError::UnknownDevice(d) => {
                write!(f, "{:?} is not one of the grid's devices", shown(d))
            }
            PersonaError::NotAGroupId(g) => write!(
                f,
                "{:?} is not a group object id (a GUID such as 00000000-0000-0000-0000-000000000000)",
                shown(g)
            ),
            PersonaError::Duplicate(n) => {
                write!(f, "a persona named {:?} is already in the grid", shown(n))
            }
            PersonaError::TooMany => write!(f, "the draft keeps at most {MAX_PERSONAS} personas"),
        }
    }
}

impl std::error::Error for PersonaError {}

/// The device kinds a persona can be on: the built-in grid's columns, in order.
pub fn device_kinds() -> Vec<String> {
    builtin_personas()
        .devices
        .into_iter()
        .map(|d| d.name)
        .collect()
}

impl CustomPersona {
    /// A persona from the form's fields: the name trimmed, methods in the vocabulary's order
    /// without repeats, groups trimmed with blanks dropped; or why it cannot be added.
    pub fn new(
        name: &str,
        methods: &[MethodRegistered],
        device: &str,
        guest: bool,
        groups: &[String],
    ) -> Result<CustomPersona, PersonaError> {
        let mut p = CustomPersona {
            name: name.trim().to_string(),
            methods_registered: MethodRegistered::KNOWN
                .iter()
                .filter(|k| methods.contains(k))
                .cloned()
                .collect(),
            device: device.to_string(),
            guest,
            groups: groups
                .iter()
                .map(|g| g.trim().to_ascii_lowercase())
                .filter(|g| !g.is_empty())
                .collect(),
        };
        if let Some(m) = methods
            .iter()
            .find(|m| matches!(m, MethodRegistered::Other(_)))
        {
            return Err(PersonaError::UnknownMethod(m.as_str().to_string()));
        }
        p.groups.dedup();
        p.check()?;
        Ok(p)
    }

    /// Everything [`CustomPersona::new`] checks, for a persona read from a draft.
    pub fn check(&self) -> Result<(), PersonaError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(PersonaError::EmptyName);
        }
        let chars = name.chars().count();
        if chars > MAX_PERSONA_NAME {
            return Err(PersonaError::NameTooLong { chars });
        }
        if name.chars().any(|c| {
            c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        }) {
            return Err(PersonaError::ControlCharacter);
        }
        if crate::app::rollout::holds_token(name) {
            return Err(PersonaError::LooksLikeToken);
        }
        if self.methods_registered.is_empty() {
            return Err(PersonaError::NoMethods);
        }
        if let Some(m) = self
            .methods_registered
            .iter()
            .find(|m| matches!(m, MethodRegistered::Other(_)))
        {
            return Err(PersonaError::UnknownMethod(m.as_str().to_string()));
        }
        if !device_kinds().contains(&self.device) {
            return Err(PersonaError::UnknownDevice(self.device.clone()));
        }
        if let Some(g) = self.groups.iter().find(|g| !is_guid(g)) {
            return Err(PersonaError::NotAGroupId(g.clone()));
        }
        Ok(())
    }

    /// The name the grid shows for the row.
    pub fn row_name(&self) -> String {
        format!("{} (yours)", self.name)
    }

    /// The persona's object id in the grid's directory: a fixed id per position, so a persona's
    /// row is the same on every render.
    pub fn user_id(index: usize) -> String {
        format!("6c2a1f10-0000-4000-8001-{:012x}", index + 1)
    }
}

/// Checks `p` against the personas already kept (names unique, built-in rows included) and
/// the limit.
pub fn can_add(kept: &[CustomPersona], p: &CustomPersona) -> Result<(), PersonaError> {
    p.check()?;
    if kept.len() >= MAX_PERSONAS {
        return Err(PersonaError::TooMany);
    }
    let same = |n: &str| n.eq_ignore_ascii_case(p.name.trim());
    if kept.iter().any(|k| same(&k.name))
        || builtin_personas().holders.iter().any(|h| same(&h.name))
    {
        return Err(PersonaError::Duplicate(p.name.trim().to_string()));
    }
    Ok(())
}
