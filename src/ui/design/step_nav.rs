//! The open phase's steps as tabs, in rollout order; the open one is marked
//! `aria-current="step"`. Each tab keeps the step's index in the draft as its id (`step-{i}`).

use std::rc::Rc;

use yew::prelude::*;

use crate::app::draft::{Action, Draft, StepKind};
use crate::policy::edit;
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct StepNavProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
    /// The draft's indices of the steps to show (the open phase's), in order.
    pub steps: Vec<usize>,
    /// Whether the open step's tab is marked current (false while a view beside the steps,
    /// such as the pilot's passkeys, is open instead of the step's form).
    #[prop_or(true)]
    pub step_open: bool,
    /// Called with the step's index on a click, after the step is selected.
    #[prop_or_default]
    pub on_select: Callback<usize>,
    /// A tab after the steps' (the phase's view beside its forms), as `<li>` content.
    #[prop_or_default]
    pub extra: Html,
}

#[function_component(StepNav)]
pub fn step_nav(p: &StepNavProps) -> Html {
    if p.steps.is_empty() {
        return html! {};
    }
    let items = p.steps.iter().filter_map(|&i| {
        let s = p.draft.steps.get(i)?;
        let current = p.step_open && i == p.draft.current;
        let (dispatch, on_select) = (p.dispatch.clone(), p.on_select.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            dispatch.emit(Action::Select(i));
            on_select.emit(i);
        });
        let title = match s.kind {
            StepKind::Imported => format!("Imported: {}", edit::display_name(&s.policy)),
            k => k.title().to_string(),
        };
        Some(html! {
            <li>
                <button type="button" id={format!("step-{i}")} class={classes!("step-tab", current.then_some("current"))}
                    aria-current={current.then_some("step")} data-step-kind={kind_name(s.kind)} {onclick}>{visible(&title)}</button>
            </li>
        })
    });
    let extra = (p.extra != Html::default()).then(|| html! { <li>{p.extra.clone()}</li> });
    html! { <nav class="steps" aria-label="This phase's policies"><ol>{ for items }{ for extra }</ol></nav> }
}

pub fn kind_name(k: StepKind) -> &'static str {
    k.template().map(|t| t.name()).unwrap_or("imported")
}
