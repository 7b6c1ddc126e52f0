//! `#phase-nav`: one real button per phase, in rollout order, the open one marked
//! `aria-current="step"` (so keyboards and screen readers use it as they use the step tabs).

use yew::prelude::*;

use crate::app::phase::Phase;

#[derive(Properties, PartialEq)]
pub struct PhaseNavProps {
    pub open: Phase,
    pub on_select: Callback<Phase>,
}

#[function_component(PhaseNav)]
pub fn phase_nav(p: &PhaseNavProps) -> Html {
    let items = Phase::ALL.into_iter().enumerate().map(|(i, phase)| {
        let current = phase == p.open;
        let onclick = p.on_select.reform(move |_: MouseEvent| phase);
        html! {
            <li>
                <button type="button" id={format!("phase-{}", phase.name())} class={classes!("phase-tab", current.then_some("current"))}
                    data-phase={phase.name()} aria-current={current.then_some("step")} {onclick}>
                    <span class="phase-number" aria-hidden="true">{format!("{}", i + 1)}</span>
                    {phase.title()}
                </button>
            </li>
        }
    });
    html! {
        <nav id="phase-nav" class="phases" aria-label="Rollout phases">
            <ol>{ for items }</ol>
        </nav>
    }
}
