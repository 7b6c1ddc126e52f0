//! `#rollout-bar`: each policy of the rollout, in rollout order, with its state in words
//! (draft, report-only, On; the colour only repeats it) and a click that opens its phase and
//! step, then what comes next for the rollout as a whole.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::draft::Draft;
use crate::app::phase::{next_step, rollout_bar, BarEntry, Phase};
use crate::ui::design::kind_name;

#[derive(Properties, PartialEq)]
pub struct RolloutBarProps {
    pub draft: Rc<Draft>,
    /// The open phase: its open step's entry is marked current.
    pub open: Phase,
    /// A policy clicked: its entry (the app opens its phase and step).
    pub on_open: Callback<BarEntry>,
}

#[function_component(RolloutBar)]
pub fn rollout_bar_view(p: &RolloutBarProps) -> Html {
    let entries = rollout_bar(&p.draft);
    let items = entries.into_iter().map(|e| {
        let label = format!("{}: {}, {}. Opens the {} phase.", e.title, e.state.words(), e.detail, e.phase.title());
        let current = e.step == p.draft.current && e.phase == p.open;
        let (kind, state) = (kind_name(e.kind), e.state.name());
        let (title, words, detail) = (e.title, e.state.words(), e.detail.clone());
        let onclick = p.on_open.reform(move |_: MouseEvent| e.clone());
        html! {
            <li class={classes!("bar-entry", format!("bar-{state}"))} data-policy-step={kind} data-state={state}>
                <button type="button" class="bar-button" aria-label={label} title={detail.clone()}
                    aria-current={current.then_some("step")} {onclick}>
                    <span class="bar-title">{title}</span>
                    <span class="bar-state">{words}</span>
                </button>
            </li>
        }
    });
    html! {
        <section id="rollout-bar" class="rollout-bar" aria-labelledby="rollout-bar-heading">
            <h2 id="rollout-bar-heading" class="visually-hidden">{"The rollout's policies and their states"}</h2>
            <ol class="bar-list">{ for items }</ol>
            <p id="rollout-next" class="bar-next" aria-live="polite">{next_step(&p.draft)}</p>
        </section>
    }
}
