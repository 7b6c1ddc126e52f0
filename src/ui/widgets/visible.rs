//! Text from names, rules and imported files, shown so that what cannot be seen is seen: a
//! right-to-left override (U+202E) in a policy name would otherwise reverse what follows it,
//! and ESC, NUL or a zero-width space would hide in it. One function, used wherever the page
//! shows such text as text; the characters are those `filter::display` escapes for the CLI.

use yew::prelude::*;

// The same characters the CLI escapes in what it prints.
use crate::filter::display::needs_escape as is_hidden_char;

/// `text`, with each hidden character shown as a badge `⟨U+202E⟩` in its place.
pub fn visible(text: &str) -> Html {
    if !text.chars().any(is_hidden_char) {
        return html! { {text.to_string()} };
    }
    let mut parts = vec![];
    let mut run = String::new();
    for c in text.chars() {
        if is_hidden_char(c) {
            if !run.is_empty() {
                parts.push(html! { {std::mem::take(&mut run)} });
            }
            parts.push(html! {
                <span class="hidden-char" title="an invisible or direction-changing character">{format!("⟨U+{:04X}⟩", c as u32)}</span>
            });
        } else {
            run.push(c);
        }
    }
    if !run.is_empty() {
        parts.push(html! { {run} });
    }
    parts.into_iter().collect::<Html>()
}
