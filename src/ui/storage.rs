//! Where the draft lives between visits: localStorage (autosave) and the URL
//! fragment (share links; a fragment is never sent to a server). Only the
//! draft is ever written here, never a token.

use crate::policy::draft::{Draft, DraftLoadError};

pub const STORAGE_KEY: &str = "ca-builder.draft";
const SET_ASIDE_PREFIX: &str = "ca-builder.draft.set-aside.";
const FRAGMENT_PREFIX: &str = "#draft=";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// What the app starts with, and anything the admin must be told about it.
pub struct Loaded {
    pub draft: Draft,
    pub notice: Option<String>,
}

/// A draft from a share link wins over the autosaved one (which is set aside, not lost);
/// an unreadable saved draft is set aside and reported, and the app starts fresh.
pub fn load() -> Loaded {
    if let Some(text) = fragment_draft() {
        match Draft::from_json(&text).map(|o| o.draft) {
            Ok(draft) => {
                let kept = storage()
                    .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
                    .map(|old| set_aside(&old));
                clear_fragment();
                let notice = match kept {
                    Some(key) => format!("Opened the draft from the share link. Your previous autosaved draft was kept in this browser's storage under \"{key}\"."),
                    None => "Opened the draft from the share link.".to_string(),
                };
                return Loaded {
                    draft,
                    notice: Some(notice),
                };
            }
            Err(e) => {
                clear_fragment();
                let base = load_saved();
                let notice = format!(
                    "The share link's draft could not be opened: {e}. {}",
                    base.notice.unwrap_or_default()
                );
                return Loaded {
                    draft: base.draft,
                    notice: Some(notice.trim().to_string()),
                };
            }
        }
    }
    load_saved()
}

fn load_saved() -> Loaded {
    let Some(text) = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()) else {
        return Loaded {
            draft: Draft::new(),
            notice: None,
        };
    };
    match Draft::from_json(&text).map(|o| o.draft) {
        Ok(draft) => Loaded {
            draft,
            notice: None,
        },
        Err(DraftLoadError { message }) => {
            let key = set_aside(&text);
            Loaded {
                draft: Draft::new(),
                notice: Some(format!("Your saved draft could not be opened ({message}). It was set aside under \"{key}\" in this browser's storage, and a new draft was started.")),
            }
        }
    }
}

/// Copies `text` to a new key and returns the key.
fn set_aside(text: &str) -> String {
    let key = format!("{SET_ASIDE_PREFIX}{}", js_sys::Date::now() as u64);
    if let Some(s) = storage() {
        let _ = s.set_item(&key, text);
    }
    key
}

pub fn save(draft: &Draft) -> Result<(), String> {
    let s = storage().ok_or("this browser gives the page no local storage")?;
    s.set_item(STORAGE_KEY, &draft.to_json())
        .map_err(|_| "the browser refused to save the draft (storage full or disabled)".to_string())
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
