//! The checks panel: what is wrong or risky in the open step, in an admin's words, each with
//! a button that takes the keyboard to the field concerned.

use std::rc::Rc;
use yew::prelude::*;

use crate::app::checks::check_items;
use crate::app::draft::Draft;
use crate::ui::graph::use_graph_session;
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct LintPanelProps {
    pub draft: Rc<Draft>,
}

fn focus(id: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(el) = doc.get_element_by_id(id) {
        el.scroll_into_view();
        if let Ok(h) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            let _ = h.focus();
        }
    }
}

#[function_component(LintPanel)]
pub fn lint_panel(p: &LintPanelProps) -> Html {
    let session = use_graph_session();
    let items = use_memo(
        (p.draft.clone(), session.lookup_state()),
        |(draft, state)| check_items(draft, state.lookup()),
    );
    let list = items.iter().map(|i| {
        let field = i.field.clone();
        let onclick = Callback::from(move |_: MouseEvent| focus(&field));
        html! {
            <li class={i.severity.as_str()} data-code={i.code.clone()}>
                // A block of its own, so "Go to field" never runs on from the message's last word.
                <p class="message"><span class="sev">{i.severity.as_str()}</span>{" "}{visible(&i.message)}</p>
                if let Some(fix) = &i.fix { <div class="hint">{"Fix: "}{visible(fix)}</div> }
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
