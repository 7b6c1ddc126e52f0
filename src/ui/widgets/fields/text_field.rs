//! A labelled one-line text field.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::message::{message_id, FieldMessage};

#[derive(Properties, PartialEq)]
pub struct TextFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub messages: Vec<(String, bool)>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
}

#[function_component(TextField)]
pub fn text_field(p: &TextFieldProps) -> Html {
    let oninput = {
        let cb = p.on_change.clone();
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let invalid = p.messages.iter().any(|(_, e)| *e);
    html! {
        <div class="field">
            <label for={p.id.clone()}>{&p.label}</label>
            if let Some(h) = &p.hint { <p class="hint">{h}</p> }
            <input type="text" id={p.id.clone()} value={p.value.clone()} {oninput} spellcheck="false"
                placeholder={p.placeholder.clone()}
                aria-invalid={invalid.to_string()} aria-describedby={message_id(&p.id)} />
            <FieldMessage field={p.id.clone()} messages={p.messages.clone()} />
        </div>
    }
}
