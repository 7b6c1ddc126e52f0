//! The passkey panel's fixed notes: App Protection for Authenticator, and licences.

use yew::prelude::*;

use crate::builders::app_protection::APP_PROTECTION_FOR_AUTHENTICATOR;
use crate::builders::risk::licence_notes;

pub fn notes() -> Html {
    let app = &APP_PROTECTION_FOR_AUTHENTICATOR;
    html! {
        <>
            <div id="app-protection-authenticator" class="callout" role="note">
                <h3>{"App Protection Policy for Authenticator?"}</h3>
                <p><strong>{app.verdict}</strong></p>
                <p>{app.why}</p>
                <p>{"Do this instead:"}</p>
                <ol>{ for app.instead.iter().map(|s| html! { <li>{*s}</li> }) }</ol>
            </div>
            <div id="risk-licence" class="callout" role="note">
                <h3>{"Licences"}</h3>
                <ul>{ for licence_notes().iter().map(|s| html! { <li>{*s}</li> }) }</ul>
            </div>
        </>
    }
}

/// A read-only export box.
pub fn readonly(id: &'static str, label: &'static str, text: String) -> Html {
    html! {
        <div class="field">
            <label for={id}>{label}</label>
            <textarea id={id} readonly=true rows="14" spellcheck="false" value={text} />
        </div>
    }
}
