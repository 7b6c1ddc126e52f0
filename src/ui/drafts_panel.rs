//! Keeping the draft: autosave, and the cases where saving would lose a draft, each of which
//! stops autosaving until the admin chooses: a share link opened while the storage could not
//! take a copy of the old draft, and another tab saving its own draft over this one's. Also
//! the "Saved drafts" list: every set-aside draft, to restore or delete.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::storage::{self, MAX_SET_ASIDE, SET_ASIDE_PREFIX, STORAGE_KEY};
use super::visible::visible;
use crate::policy::draft::{Action, Draft, Opened};

/// Why this tab is not autosaving.
#[derive(Clone, PartialEq)]
enum Hold {
    /// The open draft would overwrite a saved one that could not be set aside (why).
    Unsaved(String),
    /// Another tab saved a different draft.
    OtherTab,
}

#[derive(Properties, PartialEq)]
pub struct DraftsProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
    /// From loading: the draft opened is not to be saved yet, and why.
    pub unsaved: Option<String>,
}

fn said(prefix: &str, repairs: &[String]) -> String {
    if repairs.is_empty() {
        prefix.to_string()
    } else {
        format!("{prefix} Repaired: {}.", repairs.join("; "))
    }
}

#[function_component(DraftsPanel)]
pub fn drafts_panel(p: &DraftsProps) -> Html {
    let hold = {
        let unsaved = p.unsaved.clone();
        use_state(move || unsaved.map(Hold::Unsaved))
    };
    let save_error = use_state(|| None::<String>);
    // The result of the admin's last action here: (text, is it an error).
    let message = use_state(|| None::<(String, bool)>);
    let revision = use_state(|| 0u32);
    let confirm_delete = use_state(|| None::<String>);
    // What this tab last wrote, to tell another tab's write from an echo of our own.
    let last_saved = use_mut_ref(|| None::<String>);

    {
        let (save_error, last_saved) = (save_error.clone(), last_saved.clone());
        use_effect_with((p.draft.clone(), hold.is_none()), move |(d, saving)| {
            if *saving {
                let result = storage::save(d);
                if result.is_ok() {
                    *last_saved.borrow_mut() = Some(d.to_json());
                }
                let error = result.err();
                if *save_error != error {
                    save_error.set(error);
                }
            }
        });
    }
    {
        let (hold, revision, last_saved) = (hold.clone(), revision.clone(), last_saved.clone());
        use_effect_with((), move |_| {
            let listener = web_sys::window().map(|w| {
                gloo::events::EventListener::new(&w, "storage", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                        return;
                    };
                    let key = e.key().unwrap_or_default();
                    if key == STORAGE_KEY {
                        let theirs = e.new_value();
                        if theirs.is_some() && theirs != *last_saved.borrow() {
                            hold.set(Some(Hold::OtherTab));
                        }
                    }
                    if key.is_empty() || key == STORAGE_KEY || key.starts_with(SET_ASIDE_PREFIX) {
                        revision.set(*revision + 1);
                    }
                })
            });
            move || drop(listener)
        });
    }

    // Saves this tab's draft, setting the saved one (the other tab's, or the one a share link
    // could not set aside) aside first.
    let on_keep = {
        let (draft, hold, message, revision, last_saved) = (
            p.draft.clone(),
            hold.clone(),
            message.clone(),
            revision.clone(),
            last_saved.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            match storage::save_over(&draft) {
                Ok(()) => {
                    *last_saved.borrow_mut() = Some(draft.to_json());
                    hold.set(None);
                    message.set(Some((
                        "Saved this draft; the one it replaced is under \"Saved drafts\".".into(),
                        false,
                    )));
                }
                Err(why) => {
                    if let Some(Hold::Unsaved(_)) = *hold {
                        hold.set(Some(Hold::Unsaved(why.clone())));
                    }
                    message.set(Some((format!("Not saved: {why}."), true)));
                }
            }
            revision.set(*revision + 1);
        })
    };
    let opened = {
        let (dispatch, hold, message, revision) = (
            p.dispatch.clone(),
            hold.clone(),
            message.clone(),
            revision.clone(),
        );
        Callback::from(move |(result, done): (Result<Opened, String>, String)| {
            match result {
                Ok(o) => {
                    dispatch.emit(Action::Replace(Box::new(o.draft)));
                    hold.set(None);
                    message.set(Some((said(&done, &o.repairs), false)));
                }
                Err(why) => message.set(Some((format!("Nothing was changed: {why}."), true))),
            }
            revision.set(*revision + 1);
        })
    };
    let on_load_other = {
        let (draft, opened) = (p.draft.clone(), opened.clone());
        Callback::from(move |_: MouseEvent| {
            opened.emit((
                storage::open_saved_over(&draft),
                "Loaded the other tab's draft; this tab's is under \"Saved drafts\".".into(),
            ))
        })
    };

    let list = use_memo(*revision, |_| storage::set_aside_list());
    let items = list.iter().map(|s| {
        let key = s.key.clone();
        let on_restore = {
            let (draft, opened, key, when) = (p.draft.clone(), opened.clone(), key.clone(), s.when.clone());
            Callback::from(move |_: MouseEvent| {
                opened.emit((
                    storage::restore(&key, &draft),
                    format!("Restored the draft set aside {when}; the one you had open is under \"Saved drafts\" now."),
                ))
            })
        };
        let ask = {
            let (confirm_delete, key) = (confirm_delete.clone(), key.clone());
            Callback::from(move |_: MouseEvent| confirm_delete.set(Some(key.clone())))
        };
        let on_delete = {
            let (confirm_delete, revision, message, key) = (confirm_delete.clone(), revision.clone(), message.clone(), key.clone());
            Callback::from(move |_: MouseEvent| {
                storage::delete(&key);
                confirm_delete.set(None);
                message.set(Some(("Deleted the saved draft.".into(), false)));
                revision.set(*revision + 1);
            })
        };
        let keep = {
            let confirm_delete = confirm_delete.clone();
            Callback::from(move |_: MouseEvent| confirm_delete.set(None))
        };
        let what = match &s.summary {
            Ok((n, names)) => {
                let mut shown: Vec<String> = names.iter().take(6).cloned().collect();
                if names.len() > 6 {
                    shown.push(format!("and {} more", names.len() - 6));
                }
                html! { <>{format!("{n} step{}: ", if *n == 1 { "" } else { "s" })}{visible(&shown.join(", "))}</> }
            }
            Err(e) => html! { <>{"cannot be opened: "}{visible(e)}</> },
        };
        let asking = confirm_delete.as_deref() == Some(key.as_str());
        html! {
            <li data-key={key.clone()}>
                <strong>{&s.when}</strong>{" · "}{what}{" "}
                <button type="button" class="secondary restore" disabled={hold.is_some() || s.summary.is_err()} onclick={on_restore}>{"Restore"}</button>
                if asking {
                    {" Delete it for good? "}
                    <button type="button" class="delete-yes" onclick={on_delete}>{"Yes, delete"}</button>
                    <button type="button" class="secondary" onclick={keep}>{"Keep it"}</button>
                } else {
                    <button type="button" class="link delete" onclick={ask}>{"Delete"}</button>
                }
            </li>
        }
    });

    html! {
        <>
            if let Some(e) = (*save_error).clone() {
                <div class="notice" role="alert" id="save-error">{format!("The draft is not being saved: {e}. Deleting saved drafts below makes room.")}</div>
            }
            {match (*hold).clone() {
                Some(Hold::Unsaved(why)) => html! {
                    <div class="notice" role="alert" id="unsaved">
                        {"This draft is NOT saved ("}{visible(&why)}{"); your saved draft is kept as it was. Make room, then "}
                        <button type="button" id="save-now" onclick={on_keep.clone()}>{"Save this draft"}</button>
                        {" (sets the saved one aside first)."}
                    </div>
                },
                Some(Hold::OtherTab) => html! {
                    <div class="notice" role="alert" id="other-tab">
                        {"Another tab of this page saved a different draft, so this tab stopped saving: neither is lost until you choose. "}
                        <button type="button" id="keep-this" onclick={on_keep}>{"Keep this tab's draft"}</button>
                        {" (sets the other tab's aside) or "}
                        <button type="button" id="load-other" onclick={on_load_other}>{"Load the other tab's draft"}</button>
                        {" (sets this tab's aside)."}
                    </div>
                },
                None => html! {},
            }}
            if let Some((m, is_error)) = (*message).clone() {
                <p id="drafts-message" role="status" class={if is_error { "field-error" } else { "hint" }}>{visible(&m)}</p>
            }
            <details class="saved-drafts" id="saved-drafts">
                <summary>{format!("Saved drafts ({} of {MAX_SET_ASIDE})", list.len())}</summary>
                if list.is_empty() {
                    <p class="hint">{"None. A draft is set aside here whenever another would replace it: a share link, a restore, another tab's draft."}</p>
                } else if hold.is_some() {
                    <p class="hint">{"Choose above what to do with this tab's draft before restoring one."}</p>
                }
                <ul>{ for items }</ul>
            </details>
        </>
    }
}
