//! Switching a report-only policy On, preceded by the proof for its users: the cells that are
//! ready now and would be blocked with the policy On, then the button that switches it.

use std::rc::Rc;
use yew::prelude::*;

use crate::app::bootstrap::SwitchOn;
use crate::app::draft::{Action, Draft};
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct SwitchOnProps {
    /// The report-only steps: (index, display name).
    pub steps: Vec<(usize, String)>,
    pub chosen: Option<usize>,
    pub on_choose: Callback<Option<usize>>,
    /// The proof with the chosen policy On.
    pub proof: Option<Rc<SwitchOn>>,
    pub dispatch: Callback<Action>,
}

#[function_component(SwitchOnSection)]
pub fn switch_on_section(p: &SwitchOnProps) -> Html {
    let onchange = p.on_choose.reform(|e: Event| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        v.parse::<usize>().ok()
    });
    let proof = p.proof.as_ref().map(|s| {
        let (ready, total) = s.grid.ready_count();
        let onclick = {
            let (d, dispatch) = (s.after.clone(), p.dispatch.clone());
            Callback::from(move |_: MouseEvent| dispatch.emit(Action::Replace(Box::new(Draft::clone(&d)))))
        };
        let verdict = if s.newly_blocked.is_empty() {
            format!("Switching {:?} On blocks no persona that is ready now ({ready} of {total} cells ready with it On).", s.policy_name)
        } else {
            format!("Switching {:?} On would block {} cell(s) that are ready now ({ready} of {total} ready with it On):", s.policy_name, s.newly_blocked.len())
        };
        html! {
            <div id="bootstrap-switch-proof" data-newly-blocked={s.newly_blocked.len().to_string()}>
                <p class={if s.newly_blocked.is_empty() { "status-ok" } else { "status-bad" }} role="status">{visible(&verdict)}</p>
                if !s.newly_blocked.is_empty() {
                    <ul>{ for s.newly_blocked.iter().map(|(who, on, why)| html! { <li>{format!("{who}, {on}: ")}{visible(why)}</li> }) }</ul>
                }
                <button type="button" id="bootstrap-switch-on" {onclick}>{format!("Switch {:?} On in the draft", s.policy_name)}</button>
            </div>
        }
    });
    html! {
        <fieldset class="group bootstrap-switch">
            <legend>{"Switch a report-only policy On, after its proof"}</legend>
            <label for="bootstrap-switch">{"Policy"}</label>
            <select id="bootstrap-switch" {onchange}>
                <option value="" selected={p.chosen.is_none()}>{"(choose one)"}</option>
                { for p.steps.iter().map(|(i, name)| html! { <option value={i.to_string()} selected={p.chosen == Some(*i)}>{visible(name)}</option> }) }
            </select>
            {for proof}
        </fieldset>
    }
}
