//! What the drafts panel shows: why this tab is not saving and the choice that ends it, the
//! outcome of the last action, and "Saved drafts".

use yew::html::Scope;
use yew::prelude::*;

use super::panel::{DraftsPanel, Msg};
use super::storage::MAX_SET_ASIDE;
use crate::ui::widgets::visible::visible;

pub fn view(p: &DraftsPanel, link: &Scope<DraftsPanel>) -> Html {
    let held = p.hold.is_some();
    let items = p.list.iter().map(|s| {
        let (r, d) = (s.key.clone(), s.key.clone());
        html! {
            <li>
                {&s.when}{" · "}{visible(&s.what)}{" "}
                <button type="button" class="secondary restore" disabled={held || !s.readable}
                    onclick={link.callback(move |_| Msg::Restore(r.clone()))}>{"Restore"}</button>
                <button type="button" class="link delete" onclick={link.callback(move |_| Msg::Delete(d.clone()))}>{"Delete"}</button>
            </li>
        }
    });
    html! {
        <>
            if let Some(e) = &p.save_error {
                <p class="notice" role="alert" id="save-error">{format!("The draft is not being saved: {e}. Deleting saved drafts below makes room.")}</p>
            }
            if let Some(why) = &p.hold {
                <div class="notice" role="alert" id="hold">
                    {visible(why)}{" This tab stopped saving, so no draft is lost until you choose: "}
                    <button type="button" id="keep-this" onclick={link.callback(|_| Msg::Keep)}>{"Keep this tab's draft"}</button>
                    {" (sets the saved one aside) or "}
                    <button type="button" id="load-other" onclick={link.callback(|_| Msg::Open)}>{"Open the saved draft"}</button>
                    {" (sets this tab's aside)."}
                </div>
            }
            if let Some(m) = &p.message {
                <p id="drafts-message" role="status">{visible(m)}</p>
            }
            <details class="saved-drafts" id="saved-drafts">
                <summary>{format!("Saved drafts ({} of {MAX_SET_ASIDE})", p.list.len())}</summary>
                <ul>{ for items }</ul>
            </details>
        </>
    }
}
