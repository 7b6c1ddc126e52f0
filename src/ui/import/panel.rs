//! Import: paste or upload a policy file (one policy, an array, or a Graph list
//! response, in UTF-8 or UTF-16) to edit it. Errors name the line and column.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::draft::Action;
use crate::policy::import_bytes;
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub dispatch: Callback<Action>,
}

/// The pasted text, and the outcome of the last import: (message, is it an error).
#[derive(Clone, Default, PartialEq)]
struct ImportForm {
    text: String,
    message: Option<(String, bool)>,
}

enum ImportEdit {
    Text(String),
    /// The outcome of an import: (message, is it an error).
    Told(String, bool),
}

/// A reducer rather than a state, so a file read that ends after more typing keeps the text.
impl Reducible for ImportForm {
    type Action = ImportEdit;
    fn reduce(self: Rc<Self>, edit: ImportEdit) -> Rc<Self> {
        let mut next = (*self).clone();
        match edit {
            ImportEdit::Text(t) => next.text = t,
            ImportEdit::Told(m, is_error) => next.message = Some((m, is_error)),
        }
        Rc::new(next)
    }
}

#[function_component(ImportPanel)]
pub fn import_panel(p: &ImportProps) -> Html {
    let form = use_reducer(ImportForm::default);

    let apply = {
        let (d, form) = (p.dispatch.clone(), form.clone());
        Callback::from(
            move |(source, bytes): (String, Vec<u8>)| match import_bytes(&bytes) {
                Ok(policies) if policies.is_empty() => {
                    form.dispatch(ImportEdit::Told(format!("{source} holds no policy."), true))
                }
                Ok(policies) => {
                    let n = policies.len();
                    d.emit(Action::Import(policies));
                    form.dispatch(ImportEdit::Told(
                        format!(
                            "Imported {n} polic{} from {source}.",
                            if n == 1 { "y" } else { "ies" }
                        ),
                        false,
                    ));
                }
                Err(e) => form.dispatch(ImportEdit::Told(
                    format!(
                        "{source}, line {}, column {}: {}",
                        e.line, e.column, e.message
                    ),
                    true,
                )),
            },
        )
    };
    let on_text = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            form.dispatch(ImportEdit::Text(
                e.target_unchecked_into::<HtmlTextAreaElement>().value(),
            ))
        })
    };
    let on_import = {
        let (apply, text) = (apply.clone(), form.text.clone());
        Callback::from(move |_: MouseEvent| {
            apply.emit(("the pasted text".into(), text.as_bytes().to_vec()))
        })
    };
    let on_file =
        {
            let (apply, form) = (apply.clone(), form.clone());
            Callback::from(move |e: Event| {
                let input: HtmlInputElement = e.target_unchecked_into();
                let Some(file) = input.files().and_then(|f| f.get(0)) else {
                    return;
                };
                let (apply, form) = (apply.clone(), form.clone());
                let name = file.name();
                wasm_bindgen_futures::spawn_local(async move {
                    match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                        Ok(buf) => apply
                            .emit((name, js_sys::Uint8Array::new(buf.unchecked_ref()).to_vec())),
                        Err(_) => form
                            .dispatch(ImportEdit::Told(format!("{name} could not be read."), true)),
                    }
                });
                input.set_value("");
            })
        };
    let (msg, is_error) = form
        .message
        .clone()
        .map(|(m, e)| (Some(m), e))
        .unwrap_or((None, false));
    html! {
        <details class="panel import-panel">
            <summary><h2 class="inline">{"Import an existing policy"}</h2></summary>
            <p class="hint">{"Paste JSON from Graph Explorer, a backup or a policies-as-code repository: one policy, an array, or a list response. Every field is kept, including those the form does not show."}</p>
            <label for="import-text">{"Policy JSON"}</label>
            <textarea id="import-text" rows="6" spellcheck="false" value={form.text.clone()} oninput={on_text}
                aria-invalid={is_error.to_string()} aria-describedby="import-message" />
            <div class="row">
                <button type="button" id="import-apply" onclick={on_import}>{"Import pasted JSON"}</button>
                <label for="import-file" class="inline-label">{"or a file:"}</label>
                <input type="file" id="import-file" accept=".json,application/json" onchange={on_file} />
            </div>
            <p id="import-message" role={if is_error { "alert" } else { "status" }} class={if is_error { "field-error" } else { "hint" }}>
                {visible(&msg.unwrap_or_default())}
            </p>
        </details>
    }
}
