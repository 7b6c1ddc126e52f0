//! The warning above the export and deploy buttons when the open step holds settings its form
//! does not show (from a share link, a saved draft or an import), listed in words.

use yew::prelude::*;

use crate::app::draft::HiddenSetting;
use crate::ui::widgets::visible::visible;

/// At most this many are listed; the rest are counted.
const SHOWN: usize = 20;

/// Nothing when `hidden` is empty. `id` names the block; `ack`, when given, is the checkbox
/// (checked or not, and its handler) that deploying requires.
pub fn hidden_note(
    hidden: &[HiddenSetting],
    id: &'static str,
    ack: Option<(bool, Callback<Event>)>,
) -> Html {
    if hidden.is_empty() {
        return html! {};
    }
    let more = hidden.len().saturating_sub(SHOWN);
    html! {
        <div class="hidden-settings field-warning" {id} role="note">
            <p><strong>{"Settings the form does not show (they are in the export and would be deployed):"}</strong></p>
            <ul>
                { for hidden.iter().take(SHOWN).map(|h| html! { <li data-path={h.path.clone()}>{visible(&h.message())}</li> }) }
                if more > 0 { <li>{format!("…and {more} more (see the export JSON).")}</li> }
            </ul>
            if let Some((checked, onchange)) = ack {
                <label class="check"><input type="checkbox" class="ack" {checked} {onchange} />
                    {" I have read these settings and want them deployed as they are"}</label>
            }
        </div>
    }
}
