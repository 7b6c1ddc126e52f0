//! A list of object ids, one per line.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::message::{message_id, FieldMessage};

fn parse_lines(text: &str) -> Vec<String> {
    text.split(['\n', ','])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct IdListFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub values: Vec<String>,
    pub on_change: Callback<Vec<String>>,
    #[prop_or_default]
    pub messages: Vec<(String, bool)>,
}

/// One id per line. The text as typed is kept locally, so a new empty line can be typed;
/// when the list changes elsewhere (another step, an import), the text follows it.
#[function_component(IdListField)]
pub fn id_list_field(p: &IdListFieldProps) -> Html {
    let text = use_state(|| p.values.join("\n"));
    {
        let text = text.clone();
        use_effect_with(p.values.clone(), move |values| {
            if parse_lines(&text) != *values {
                text.set(values.join("\n"));
            }
        });
    }
    let oninput = {
        let cb = p.on_change.clone();
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            cb.emit(parse_lines(&v));
            text.set(v);
        })
    };
    let invalid = p.messages.iter().any(|(_, e)| *e);
    let rows = (p.values.len() + 1).clamp(2, 8).to_string();
    html! {
        <div class="field">
            <label for={p.id.clone()}>{&p.label}</label>
            <textarea id={p.id.clone()} class="ids" value={(*text).clone()} {oninput} spellcheck="false" rows={rows}
                aria-invalid={invalid.to_string()} aria-describedby={message_id(&p.id)} />
            <FieldMessage field={p.id.clone()} messages={p.messages.clone()} />
        </div>
    }
}
