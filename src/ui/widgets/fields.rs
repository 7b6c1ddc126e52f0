//! Form controls shared by the wizard's steps. Each is labelled, and carries
//! `aria-invalid` / `aria-describedby` when the draft has a problem with it.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
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

#[derive(Properties, PartialEq)]
pub struct CheckboxGroupProps {
    pub id: AttrValue,
    pub legend: AttrValue,
    /// (wire value, label)
    pub options: Vec<(String, String)>,
    pub selected: Vec<String>,
    pub on_change: Callback<Vec<String>>,
}

/// Checkboxes over an enum's wire values. A selected value the app does not know (a newer
/// Graph member, or a misspelling in an imported file) is shown and kept, not dropped.
#[function_component(CheckboxGroup)]
pub fn checkbox_group(p: &CheckboxGroupProps) -> Html {
    let mut options = p.options.clone();
    for s in &p.selected {
        if !options.iter().any(|(v, _)| v == s) {
            options.push((
                s.clone(),
                format!("{s} (not a value this app knows; kept as is)"),
            ));
        }
    }
    let items = options.iter().map(|(value, label)| {
        let checked = p.selected.contains(value);
        let onchange = {
            let (cb, selected, value, order) = (
                p.on_change.clone(),
                p.selected.clone(),
                value.clone(),
                options.clone(),
            );
            Callback::from(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                let mut next: Vec<String> =
                    selected.iter().filter(|s| **s != value).cloned().collect();
                if on {
                    next.push(value.clone());
                    // Keep the options' order so the JSON reads the same whatever the click order.
                    crate::sort::sort_by_key(&mut next, |s| {
                        order.iter().position(|(v, _)| v == s).unwrap_or(usize::MAX)
                    });
                }
                cb.emit(next);
            })
        };
        let id = format!("{}-{}", p.id, value);
        html! {
            <label class="check" for={id.clone()}>
                <input type="checkbox" id={id} {checked} {onchange} />{" "}{label}
            </label>
        }
    });
    html! {
        <fieldset class="checks" id={p.id.clone()}>
            <legend>{&p.legend}</legend>
            { for items }
        </fieldset>
    }
}
