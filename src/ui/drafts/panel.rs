//! Keeping the draft: autosave, and the cases where saving would lose a draft, each of which
//! stops autosaving until the admin chooses which draft to keep (the other is set aside): a
//! share link opened while the storage could not take a copy of the saved draft, and another
//! tab saving a different draft. Also "Saved drafts": every set-aside draft, to restore or
//! delete. A struct component: the web bundle's size budget is tight, and hooks cost more.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::storage::{self, SetAside, STORAGE_KEY};
use super::view;
use super::StorageError;
use crate::app::draft::{Action, Draft, Opened};

#[derive(Properties, PartialEq)]
pub struct DraftsProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
    /// From loading: the draft opened must not be saved yet, and why.
    pub unsaved: Option<StorageError>,
}

pub enum Msg {
    /// A `storage` event from another tab: the key and its new value.
    Storage(String, Option<String>),
    /// Save this tab's draft, setting the saved one aside.
    Keep,
    /// Open the saved draft, setting this tab's aside.
    Open,
    Restore(String),
    Delete(String),
}

pub struct DraftsPanel {
    /// Why this tab is not autosaving, when it is not.
    pub(super) hold: Option<String>,
    pub(super) save_error: Option<StorageError>,
    /// The outcome of the admin's last action here.
    pub(super) message: Option<String>,
    /// What this tab last wrote, to tell another tab's write from an echo of its own.
    last_saved: Option<String>,
    pub(super) list: Vec<SetAside>,
    _listener: Option<EventListener>,
}

impl DraftsPanel {
    fn autosave(&mut self, draft: &Draft) {
        if self.hold.is_some() {
            return;
        }
        match storage::save(draft) {
            Ok(text) => {
                self.last_saved = Some(text);
                self.save_error = None;
            }
            Err(e) => self.save_error = Some(e),
        }
    }

    /// Takes a draft opened from storage (this tab's own was set aside first) into the page.
    fn opened(&mut self, ctx: &Context<Self>, result: Result<Opened, StorageError>, done: &str) {
        self.message = Some(match result {
            Ok(o) => {
                ctx.props()
                    .dispatch
                    .emit(Action::Replace(Box::new(o.draft)));
                self.hold = None;
                if o.repairs.is_empty() {
                    done.to_string()
                } else {
                    format!("{done} Repaired: {}.", o.repairs.join("; "))
                }
            }
            Err(why) => format!("Nothing was changed: {why}."),
        });
    }
}

impl Component for DraftsPanel {
    type Message = Msg;
    type Properties = DraftsProps;

    fn create(ctx: &Context<Self>) -> Self {
        let cb = ctx.link().callback(|m| m);
        let listener = web_sys::window().map(|w| {
            EventListener::new(&w, "storage", move |e| {
                if let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() {
                    cb.emit(Msg::Storage(e.key().unwrap_or_default(), e.new_value()));
                }
            })
        });
        let mut me = DraftsPanel {
            hold: ctx.props().unsaved.as_ref().map(|why| {
                format!("This draft is NOT saved: the saved one could not be set aside ({why}).")
            }),
            save_error: None,
            message: None,
            last_saved: None,
            list: storage::set_aside_list(),
            _listener: listener,
        };
        me.autosave(&ctx.props().draft);
        me
    }

    fn changed(&mut self, ctx: &Context<Self>, _old: &Self::Properties) -> bool {
        self.autosave(&ctx.props().draft);
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let draft = ctx.props().draft.clone();
        match msg {
            Msg::Storage(key, value) => {
                if key == STORAGE_KEY && value.is_some() && value != self.last_saved {
                    self.hold = Some("Another tab of this page saved a different draft.".into());
                }
            }
            Msg::Keep => match storage::save_over(&draft) {
                Ok(text) => {
                    self.last_saved = Some(text);
                    self.hold = None;
                    self.message = Some(
                        "Saved this draft; the one it replaced is under \"Saved drafts\".".into(),
                    );
                }
                Err(why) => self.message = Some(format!("Not saved: {why}.")),
            },
            Msg::Open => self.opened(
                ctx,
                storage::open_over(None, &draft),
                "Opened the saved draft; this tab's is under \"Saved drafts\".",
            ),
            Msg::Restore(key) => self.opened(
                ctx,
                storage::open_over(Some(&key), &draft),
                "Restored the draft; the one you had open is under \"Saved drafts\" now.",
            ),
            Msg::Delete(key) => {
                let sure = web_sys::window()
                    .and_then(|w| {
                        w.confirm_with_message("Delete this saved draft for good?")
                            .ok()
                    })
                    .unwrap_or(false);
                if sure {
                    storage::delete(&key);
                    self.message = Some("Deleted the saved draft.".into());
                }
            }
        }
        self.list = storage::set_aside_list();
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        view::view(self, ctx.link())
    }
}
