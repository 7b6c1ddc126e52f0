//! The open cell's journey: the three steps, each ok, blocked or not reached, with why and the
//! fix, and the fixes the product can build as buttons.

use std::rc::Rc;
use yew::prelude::*;

use super::fix::FixButton;
use crate::app::bootstrap::{step_state, step_title, CellView};
use crate::app::draft::{Action, Draft};
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct JourneyProps {
    pub persona: String,
    pub device: String,
    pub cell: CellView,
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
    pub connected: bool,
}

#[function_component(Journey)]
pub fn journey(p: &JourneyProps) -> Html {
    let c = &p.cell;
    let steps = c.journey.steps.iter().map(|s| {
        let state = step_state(s);
        let label = match state {
            "ok" => "OK",
            "blocked" => "Blocked",
            _ => "Not reached",
        };
        html! {
            <li class={classes!("journey-step", state)} data-step={s.step.as_str()} data-state={state}>
                <strong>{step_title(s.step)}{": "}<span class="journey-state">{label}</span></strong>
                <div>{visible(&s.why)}</div>
                if let Some(f) = &s.fix { <div class="hint">{"Fix: "}{visible(f)}</div> }
            </li>
        }
    });
    let fixes = c.fixes.iter().map(|f| {
        html! { <FixButton fix={f.clone()} draft={p.draft.clone()} dispatch={p.dispatch.clone()} connected={p.connected} /> }
    });
    html! {
        <section id="bootstrap-journey" class="bootstrap-journey" aria-labelledby="bootstrap-journey-heading" data-state={if c.ready { "ready" } else { "blocked" }}>
            <h3 id="bootstrap-journey-heading">{format!("{} on {}: {}", p.persona, p.device, c.words())}</h3>
            <ol>{ for steps }</ol>
            if !c.fixes.is_empty() { <div class="bootstrap-fixes">{ for fixes }</div> }
            if !c.journey.notes.is_empty() { <ul class="hint">{ for c.journey.notes.iter().map(|n| html! { <li>{n}</li> }) }</ul> }
        </section>
    }
}
