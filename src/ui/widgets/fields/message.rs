//! A field's messages under it, which the control's `aria-describedby` points at.

use yew::prelude::*;

/// A field's message under it: the id the control's `aria-describedby` points at.
pub fn message_id(field: &str) -> String {
    format!("{field}-message")
}

#[derive(Properties, PartialEq)]
pub struct FieldMessageProps {
    pub field: AttrValue,
    /// (message, is it an error)
    pub messages: Vec<(String, bool)>,
}

#[function_component(FieldMessage)]
pub fn field_message(p: &FieldMessageProps) -> Html {
    html! {
        <div id={message_id(&p.field)} class="field-messages">
            { for p.messages.iter().map(|(m, err)| html! {
                <p class={if *err { "field-error" } else { "field-warning" }}>{m}</p>
            }) }
        </div>
    }
}
