//! Where the draft lives between visits: localStorage (autosave) and the URL
//! fragment (share links; a fragment is never sent to a server). Only drafts are
//! ever written here, never a token.
//!
//! A draft that would be overwritten (by a share link, a restore, another tab's) is first
//! copied to a set-aside key, and nothing is overwritten unless that copy was written: a
//! full storage must never lose a draft. Set-aside copies are bounded ([`MAX_SET_ASIDE`]) and
//! listed in the page, which restores and deletes them.

use super::StorageError;
use crate::app::draft::{Draft, Opened};
use crate::graph::time::format_utc;

pub const STORAGE_KEY: &str = "ca-builder.draft";
pub const SET_ASIDE_PREFIX: &str = "ca-builder.draft.set-aside.";
/// The most set-aside drafts kept; at this count a new one is refused, never evicted.
pub const MAX_SET_ASIDE: usize = 5;
const FRAGMENT_PREFIX: &str = "#draft=";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What the app starts with, and anything the admin must be told about it.
pub struct Loaded {
    pub draft: Draft,
    pub notices: Vec<String>,
    /// Set when the draft is open but must not be saved yet, and why: saving would overwrite
    /// a draft that could not be set aside.
    pub unsaved: Option<StorageError>,
}

/// A draft from a share link wins over the autosaved one, which is set aside first; if it
/// cannot be set aside, the link's draft is opened unsaved. An unreadable saved draft is set
/// aside (or left where it is) and reported, and the app starts fresh.
pub fn load() -> Loaded {
    let Some(text) = fragment_draft() else {
        return load_saved();
    };
    clear_fragment();
    let Opened { draft, repairs } = match Draft::from_json(&text) {
        Ok(o) => o,
        Err(e) => {
            let mut base = load_saved();
            base.notices.insert(
                0,
                format!("The share link's draft could not be opened: {e}."),
            );
            return base;
        }
    };
    let mut notice = "Opened the draft from the share link.".to_string();
    let mut unsaved = None;
    match saved_text().filter(|old| *old != draft.to_json()) {
        None => {}
        Some(old) => match set_aside(&old, None) {
            Ok(_) => notice
                .push_str(" Your previous draft was set aside: restore it under \"Saved drafts\"."),
            Err(why) => {
                notice.push_str(&format!(
                    " It is NOT saved: your previous draft could not be set aside ({why}), so it stays the saved one and nothing overwrites it."
                ));
                unsaved = Some(why);
            }
        },
    }
    if !repairs.is_empty() {
        notice.push_str(&format!(
            " Repaired in the link's draft: {}.",
            repairs.join("; ")
        ));
    }
    Loaded {
        draft,
        notices: vec![notice],
        unsaved,
    }
}

fn load_saved() -> Loaded {
    let fresh = |notices, unsaved| Loaded {
        draft: Draft::new(),
        notices,
        unsaved,
    };
    let Some(text) = saved_text() else {
        return fresh(vec![], None);
    };
    match Draft::from_json(&text) {
        Ok(Opened { draft, repairs }) => Loaded {
            notices: if repairs.is_empty() {
                vec![]
            } else {
                vec![format!("Your saved draft was repaired: {}.", repairs.join("; "))]
            },
            draft,
            unsaved: None,
        },
        Err(e) => match set_aside(&text, None) {
            Ok(_) => fresh(vec![format!("Your saved draft could not be opened ({e}). It was set aside (see \"Saved drafts\") and a new draft was started.")], None),
            Err(why) => fresh(
                vec![format!("Your saved draft could not be opened ({e}) and could not be set aside ({why}): it is left in this browser's storage as it was, and the new draft is NOT saved.")],
                Some(why),
            ),
        },
    }
}

/// The autosaved draft's text, if any.
pub fn saved_text() -> Option<String> {
    storage()?.get_item(STORAGE_KEY).ok().flatten()
}

/// Saves `draft`; the text written, so the caller need not serialise it again.
pub fn save(draft: &Draft) -> Result<String, StorageError> {
    save_text(draft.to_json())
}

fn save_text(text: String) -> Result<String, StorageError> {
    let s = storage().ok_or(StorageError::Unavailable)?;
    s.set_item(STORAGE_KEY, &text)
        .map_err(|_| StorageError::SaveRefused {
            needed: text.chars().count(),
        })?;
    Ok(text)
}

/// Saves `draft` over the saved one, setting that aside first unless it is the same; the
/// text written.
pub fn save_over(draft: &Draft) -> Result<String, StorageError> {
    let text = draft.to_json();
    if let Some(old) = saved_text().filter(|old| *old != text) {
        set_aside(&old, None)?;
    }
    save_text(text)
}

/// Opens the set-aside draft at `key`, or the saved one (another tab's) when `key` is
/// `None`, after setting `draft` aside in its place.
pub fn open_over(key: Option<&str>, draft: &Draft) -> Result<Opened, StorageError> {
    let s = storage().ok_or(StorageError::Unavailable)?;
    let text = s
        .get_item(key.unwrap_or(STORAGE_KEY))
        .ok()
        .flatten()
        .ok_or(StorageError::Gone)?;
    let opened = Draft::from_json(&text)?;
    set_aside(&draft.to_json(), key)?;
    if let Some(k) = key {
        let _ = s.remove_item(k);
    }
    Ok(opened)
}

pub fn delete(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

/// Copies `text` to a new set-aside key and returns it. Refused, with the reason, when
/// [`MAX_SET_ASIDE`] copies are kept already (not counting `replacing`, which the caller
/// removes next) or when the browser does not store it.
fn set_aside(text: &str, replacing: Option<&str>) -> Result<String, StorageError> {
    let s = storage().ok_or(StorageError::Unavailable)?;
    let kept = set_aside_keys(&s)
        .iter()
        .filter(|k| Some(k.as_str()) != replacing)
        .count();
    if kept >= MAX_SET_ASIDE {
        return Err(StorageError::TooManySetAside { kept });
    }
    let mut ms = js_sys::Date::now() as u64;
    let key = loop {
        let key = format!("{SET_ASIDE_PREFIX}{ms}");
        if s.get_item(&key).ok().flatten().is_none() {
            break key;
        }
        ms += 1;
    };
    match s.set_item(&key, text) {
        // Read back: a browser that drops writes silently must not be believed either.
        Ok(()) if s.get_item(&key).ok().flatten().as_deref() == Some(text) => Ok(key),
        _ => Err(StorageError::Full {
            needed: text.chars().count(),
        }),
    }
}

fn set_aside_keys(s: &web_sys::Storage) -> Vec<String> {
    let n = s.length().unwrap_or(0);
    (0..n)
        .filter_map(|i| s.key(i).ok().flatten())
        .filter(|k| k.starts_with(SET_ASIDE_PREFIX))
        .collect()
}

/// A set-aside draft as the page lists it.
#[derive(Clone, PartialEq)]
pub struct SetAside {
    pub key: String,
    /// When it was set aside (UTC), from the key.
    pub when: String,
    /// Its step count and policy names, or why it cannot be read.
    pub what: String,
    pub readable: bool,
}

/// Every set-aside draft.
pub fn set_aside_list() -> Vec<SetAside> {
    let Some(s) = storage() else { return vec![] };
    set_aside_keys(&s)
        .into_iter()
        .map(|key| {
            let text = s.get_item(&key).ok().flatten().unwrap_or_default();
            let (what, readable) = match Draft::from_json(&text) {
                Ok(o) => {
                    let steps = &o.draft.steps;
                    let names: Vec<String> = steps
                        .iter()
                        .take(6)
                        .map(|st| crate::policy::edit::display_name(&st.policy))
                        .collect();
                    let more = if steps.len() > 6 { ", …" } else { "" };
                    let n = steps.len();
                    (format!("{n} step(s): {}{more}", names.join(", ")), true)
                }
                Err(e) => (format!("cannot be opened: {e}"), false),
            };
            let ms: u64 = key
                .strip_prefix(SET_ASIDE_PREFIX)
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            SetAside {
                when: format_utc((ms / 1000) as i64),
                key,
                what,
                readable,
            }
        })
        .collect()
}

fn fragment_draft() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let encoded = hash.strip_prefix(FRAGMENT_PREFIX)?;
    js_sys::decode_uri_component(encoded).ok().map(String::from)
}

fn clear_fragment() {
    if let Some(w) = web_sys::window() {
        if let Ok(h) = w.history() {
            let url = w.location().pathname().unwrap_or_default()
                + &w.location().search().unwrap_or_default();
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// A link to this page that carries the draft in its fragment.
pub fn share_link(draft: &Draft) -> String {
    let Some(w) = web_sys::window() else {
        return String::new();
    };
    let loc = w.location();
    let base = format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    let encoded: String = js_sys::encode_uri_component(&draft.to_json()).into();
    format!("{base}{FRAGMENT_PREFIX}{encoded}")
}
