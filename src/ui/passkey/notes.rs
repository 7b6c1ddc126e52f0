//! The passkey panel's fixed notes (App Protection for Authenticator, and licences), each a
//! one-line answer until opened, and its read-only previews, folded the same way.

use yew::prelude::*;

use crate::builders::app_protection::APP_PROTECTION_FOR_AUTHENTICATOR;
use crate::builders::risk::licence_notes;

/// The two notes side by side, each folded to its answer in one line: the admin reads the
/// answer without opening it, and the reasons when needed.
pub fn notes() -> Html {
    let app = &APP_PROTECTION_FOR_AUTHENTICATOR;
    html! {
        <div class="passkey-notes">
            <details id="app-protection-authenticator" class="callout" role="note">
                <summary><strong>{"App Protection Policy for Authenticator?"}</strong>
                    {" No. Why, and what instead"}</summary>
                <p><strong>{app.verdict}</strong></p>
                <p>{app.why}</p>
                <p>{"Do this instead:"}</p>
                <ol>{ for app.instead.iter().map(|s| html! { <li>{*s}</li> }) }</ol>
            </details>
            <details id="risk-licence" class="callout" role="note">
                <summary><strong>{"Licences:"}</strong>
                    {" passkeys and TAP: every edition; Conditional Access: P1; risk: P2"}</summary>
                <ul>{ for licence_notes().iter().map(|s| html! { <li>{*s}</li> }) }</ul>
            </details>
        </div>
    }
}

/// A read-only export box, shown open (the width of the panel).
pub fn readonly(id: &'static str, label: &'static str, text: String) -> Html {
    html! {
        <div class="field passkey-open">
            <label for={id}>{label}</label>
            <textarea id={id} readonly=true rows="14" spellcheck="false" value={text} />
        </div>
    }
}

/// A read-only export box folded to one line (its label and how long it is) until opened.
/// The box stays in the page while folded, so its text can be selected once opened and is
/// always there to be read.
pub fn folded(id: &'static str, label: &'static str, text: String) -> Html {
    let lines = match text.lines().count() {
        1 => " (1 line)".to_string(),
        n => format!(" ({n} lines)"),
    };
    html! {
        <details class="field passkey-fold" data-fold={id}>
            <summary>{label}<span class="hint">{lines}</span></summary>
            <textarea id={id} aria-label={label} readonly=true rows="14" spellcheck="false" value={text} />
        </details>
    }
}
