//! The rollout's steps as tabs; the open one is marked `aria-current="step"`.

use yew::prelude::*;

use super::step_form::StepProps;
use crate::app::draft::{Action, StepKind};
use crate::policy::edit;
use crate::ui::widgets::visible::visible;

#[function_component(StepNav)]
pub fn step_nav(p: &StepProps) -> Html {
    let items = p.draft.steps.iter().enumerate().map(|(i, s)| {
        let current = i == p.draft.current;
        let onclick = p.dispatch.reform(move |_: MouseEvent| Action::Select(i));
        let title = match s.kind {
            StepKind::Imported => format!("Imported: {}", edit::display_name(&s.policy)),
            k => k.title().to_string(),
        };
        html! {
            <li>
                <button type="button" id={format!("step-{i}")} class={classes!("step-tab", current.then_some("current"))}
                    aria-current={current.then_some("step")} data-step-kind={kind_name(s.kind)} {onclick}>{visible(&title)}</button>
            </li>
        }
    });
    html! { <nav class="steps" aria-label="Rollout steps"><ol>{ for items }</ol></nav> }
}

pub fn kind_name(k: StepKind) -> &'static str {
    k.template().map(|t| t.name()).unwrap_or("imported")
}
