//! [`Labels`]: the names the admin picked for ids (users, groups, roles, apps, named locations),
//! kept in the draft so a share link or a reload still shows them offline. Names only, never
//! secrets; bounded, because a draft arrives from a share link as well as from this page.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize, Serializer};

use super::catalogue::{catalogue_name, special_name, Slot};
use super::Naming;
use crate::guid::is_guid;

/// Most names one draft keeps: far above a pilot's picks, far below what would slow a render.
pub const MAX_LABELS: usize = 1000;
/// Longest name kept, in characters: Entra's own limit on a user's or group's `displayName`.
pub const MAX_NAME_CHARS: usize = 256;

/// Names by id (lowercase GUID), in id order so a saved draft is byte-stable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "BTreeMap<String, String>")]
pub struct Labels(BTreeMap<String, String>);

/// Why a name was not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelError {
    /// A new name past [`MAX_LABELS`].
    TooMany { max: usize },
    /// The key is not a GUID. Only its length is repeated: a pasted token must not reach a
    /// message.
    NotAnId { chars: usize },
    /// Empty or only whitespace.
    EmptyName { id: String },
    /// Longer than [`MAX_NAME_CHARS`].
    NameTooLong {
        id: String,
        chars: usize,
        max: usize,
    },
    /// A control character or a bidirectional override, which could disguise the name.
    ControlCharacter { id: String, found: char },
    /// Shaped like a JWT: a token pasted into a name field must not be stored.
    LooksLikeToken { id: String },
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelError::TooMany { max } => write!(f, "the draft keeps at most {max} names"),
            LabelError::NotAnId { chars } => {
                write!(
                    f,
                    "a key of {chars} characters is not a GUID; names are kept only for ids"
                )
            }
            LabelError::EmptyName { id } => write!(f, "the name for {id} is empty"),
            LabelError::NameTooLong { id, chars, max } => {
                write!(
                    f,
                    "the name for {id} has {chars} characters, at most {max} are kept"
                )
            }
            LabelError::ControlCharacter { id, found } => {
                write!(
                    f,
                    "the name for {id} contains the control character {found:?}"
                )
            }
            LabelError::LooksLikeToken { id } => write!(
                f,
                "the name for {id} looks like an access token; a name is never a secret"
            ),
        }
    }
}

impl std::error::Error for LabelError {}

impl Labels {
    pub fn new() -> Labels {
        Labels::default()
    }

    /// Keeps `name` for `id` (replacing an earlier name), trimmed; refuses what
    /// [`LabelError`] lists, leaving the labels unchanged.
    pub fn insert(&mut self, id: &str, name: &str) -> Result<(), LabelError> {
        let (id, name) = checked(id, name)?;
        if !self.0.contains_key(&id) && self.0.len() >= MAX_LABELS {
            return Err(LabelError::TooMany { max: MAX_LABELS });
        }
        self.0.insert(id, name);
        Ok(())
    }

    /// Forgets the name of `id`; whether there was one.
    pub fn remove(&mut self, id: &str) -> bool {
        self.0.remove(&id.to_ascii_lowercase()).is_some()
    }

    /// The admin's name for `id` (any letter case), without the catalogue.
    pub fn get(&self, id: &str) -> Option<&str> {
        if !is_guid(id) {
            return None;
        }
        self.0.get(&id.to_ascii_lowercase()).map(String::as_str)
    }

    /// The name to show for `id`: the draft's label first (the admin's tenant may have renamed
    /// an app), then the catalogue, else `None`.
    pub fn name_of(&self, id: &str) -> Option<&str> {
        self.get(id).or_else(|| catalogue_name(id))
    }

    /// [`Labels::name_of`] for a value in `slot`, where special values such as `All` have a name.
    pub fn name_in(&self, slot: Slot, id: &str) -> Option<&str> {
        special_name(slot, id).or_else(|| self.name_of(id))
    }

    /// [`Naming::describe`] offline: "Name (id)", or "id (connect to look it up)".
    pub fn describe(&self, id: &str) -> String {
        Naming::offline(self).describe(id)
    }

    /// [`Naming::describe_in`] offline.
    pub fn describe_in(&self, slot: Slot, id: &str) -> String {
        Naming::offline(self).describe_in(slot, id)
    }

    /// [`Naming::name_ids_in`] offline.
    pub fn name_ids_in(&self, text: &str) -> String {
        Naming::offline(self).name_ids_in(text)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// (id, name) in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(id, name)| (id.as_str(), name.as_str()))
    }
}

impl Serialize for Labels {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// A saved or shared draft's labels, checked entry by entry as [`Labels::insert`] does.
impl TryFrom<BTreeMap<String, String>> for Labels {
    type Error = LabelError;

    fn try_from(map: BTreeMap<String, String>) -> Result<Labels, LabelError> {
        if map.len() > MAX_LABELS {
            return Err(LabelError::TooMany { max: MAX_LABELS });
        }
        let mut labels = Labels::new();
        for (id, name) in &map {
            labels.insert(id, name)?;
        }
        Ok(labels)
    }
}

/// The key lowercased and the name trimmed, or why either is refused.
fn checked(id: &str, name: &str) -> Result<(String, String), LabelError> {
    if !is_guid(id) {
        return Err(LabelError::NotAnId {
            chars: id.chars().count(),
        });
    }
    let id = id.to_ascii_lowercase();
    let name = name.trim();
    if name.is_empty() {
        return Err(LabelError::EmptyName { id });
    }
    if let Some(found) = name.chars().find(|&c| disguises(c)) {
        return Err(LabelError::ControlCharacter { id, found });
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(LabelError::NameTooLong {
            id,
            chars,
            max: MAX_NAME_CHARS,
        });
    }
    if looks_like_jwt(name) {
        return Err(LabelError::LooksLikeToken { id });
    }
    Ok((id, name.to_string()))
}

/// Control characters, and the bidirectional embeddings, overrides and isolates that can make a
/// name read as another (U+202A–U+202E, U+2066–U+2069).
fn disguises(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Three base64url segments, the first starting like a JSON header (`{"` encodes to `eyJ`).
fn looks_like_jwt(s: &str) -> bool {
    let segments: Vec<&str> = s.split('.').collect();
    segments.len() == 3
        && s.starts_with("eyJ")
        && segments.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}
