//! The lint panel: what is wrong or risky in the open step, in an admin's
//! words, each with a button that takes the keyboard to the field concerned.

use std::rc::Rc;
use yew::prelude::*;

use crate::filter::{self, Severity};
use crate::policy::draft::Draft;
use crate::policy::edit;

#[derive(Properties, PartialEq)]
pub struct LintPanelProps {
    pub draft: Rc<Draft>,
}

struct Item {
    severity: &'static str,
    code: String,
    message: String,
    field: String,
}

fn focus(id: &str) {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id)) {
        el.scroll_into_view();
        if let Ok(h) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            let _ = h.focus();
        }
    }
}

#[function_component(LintPanel)]
pub fn lint_panel(p: &LintPanelProps) -> Html {
    let draft = &p.draft;
    let index = draft.current;
    let mut items: Vec<Item> = draft
        .form_checks(index)
        .into_iter()
        .map(|c| Item {
            severity: if c.is_error { "error" } else { "warning" },
            code: format!("form-{}", c.field),
            message: c.message,
            field: format!("field-{}", c.field),
        })
        .collect();
    let policy = draft.effective_policy(index);
    if let Some((mode, rule)) = edit::device_filter(&policy) {
        let checked = filter::check(&rule, mode.as_filter_mode());
        for d in &checked.diagnostics {
            let (line, col) = filter::line_col(&rule, d.span.start);
            items.push(Item {
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                    Severity::Info => "info",
                },
                code: d.code.to_string(),
                message: format!("Device filter {line}:{col}: {}", d.message),
                field: "device-filter-rule".into(),
            });
        }
    }
    let list = items.iter().map(|i| {
        let field = i.field.clone();
        let onclick = Callback::from(move |_: MouseEvent| focus(&field));
        html! {
            <li class={i.severity} data-code={i.code.clone()}>
                <span class="sev">{i.severity}</span>{" "}{&i.message}{" "}
                <button type="button" class="link" {onclick}>{"Go to field"}</button>
            </li>
        }
    });
    html! {
        <section class="panel lint-panel" aria-labelledby="lint-heading">
            <h2 id="lint-heading">{"Checks"}</h2>
            if items.is_empty() {
                <p class="status-ok">{"No problems found in this step."}</p>
            }
            <ul id="lint-list" class="diagnostics">{ for list }</ul>
        </section>
    }
}
