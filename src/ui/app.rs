//! The application shell: one reducer over the draft, the Graph session provided to the
//! panels that call Graph, the share link, the rollout bar and the phase navigation, and each
//! phase as its own screen (only the open phase's panels are rendered):
//!
//! - Prepare: break-glass accounts, the imported policies (import, and the open one's form),
//!   the bootstrap proof; Graph's connect and tenant audit beside them.
//! - Pilot: the pilot's steps (form) and What-If, or, on the tab after the steps', the passkey
//!   and TAP settings for the group; export, report, checks and Graph's deploy with the pilot's
//!   members and TAPs beside them.
//! - Everyone, Harden: their steps (form), What-If; export, report, checks, deploy beside.
//! - Watch: Graph's monitoring.
//!
//! Which phase is open is this component's state: a new draft opens on Prepare, any other on
//! its open step's phase; a phase's button opens its first step, and whenever the open step
//! changes (a bar entry, an import, a restored draft) its phase opens with it.

use std::rc::Rc;
use yew::prelude::*;

use super::bootstrap::BootstrapPanel;
use super::checks::LintPanel;
use super::design::{break_glass, StepForm, StepNav};
use super::drafts::{storage, DraftsPanel};
use super::export::ExportPanel;
use super::graph::{GraphPanel, GraphSession, Session};
use super::import::ImportPanel;
use super::passkey::PasskeyPanel;
use super::phases::{PhaseNav, RolloutBar};
use super::whatif::WhatIfPanel;
use super::widgets::visible::visible;
use crate::app::draft::{Action, Draft, StepKind};
use crate::app::phase::{BarEntry, Phase};

/// The reducer's state: the draft, shared cheaply with every component.
#[derive(PartialEq)]
pub struct DraftState(pub Rc<Draft>);

impl Reducible for DraftState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut draft = (*self.0).clone();
        draft.apply(action);
        Rc::new(DraftState(Rc::new(draft)))
    }
}

#[function_component(App)]
pub fn app() -> Html {
    // Read storage once: the draft to start from, and anything the admin must be told about it.
    let initial = use_memo((), |_| storage::load());
    let notices = {
        let initial = initial.clone();
        use_state(move || initial.notices.clone())
    };
    let state = {
        let initial = initial.clone();
        use_reducer(move || DraftState(Rc::new(initial.draft.clone())))
    };
    let draft = state.0.clone();
    // Marks the first render for the time-to-first-render measurement (tests/e2e/e2e_measure.rs).
    use_effect_with((), |_| {
        if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
            let _ = perf.mark("ca-builder:first-render");
        }
    });
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a: Action| state.dispatch(a))
    };
    // The Graph session (the token, memory only): connected in the Graph panel, read there, by
    // the passkey panel's deploy section and, for the tenant's policies, by What-If.
    let session: GraphSession = use_reducer(Session::default);
    let share = use_state(|| None::<String>);
    let on_share = {
        let (share, draft) = (share.clone(), draft.clone());
        Callback::from(move |_: MouseEvent| share.set(Some(storage::share_link(&draft))))
    };
    // The open phase (UI state). It follows the open step whenever that changes, whoever
    // changed it; the first render keeps `Phase::opening`'s choice.
    let phase = {
        let initial = initial.clone();
        use_state(move || Phase::opening(&initial.draft))
    };
    let seen_step = use_mut_ref(|| (draft.current, draft.steps.len()));
    {
        let (phase, seen_step, draft) = (phase.clone(), seen_step.clone(), draft.clone());
        use_effect_with((draft.current, draft.steps.len()), move |now| {
            if *seen_step.borrow() != *now {
                *seen_step.borrow_mut() = *now;
                let kind = draft.step().kind;
                let open = *phase;
                // Prepare and Watch keep a template step open underneath; they stay open
                // unless the step that opened is theirs (an imported policy opens Prepare).
                if Phase::of(kind) != open {
                    phase.set(Phase::of(kind));
                }
            }
        });
    }
    // Pilot only: the passkey and TAP settings for the group, a view beside the pilot's forms.
    let passkeys = use_state(|| false);
    let on_phase = {
        let (phase, dispatch, draft) = (phase.clone(), dispatch.clone(), draft.clone());
        let passkeys = passkeys.clone();
        Callback::from(move |p: Phase| {
            passkeys.set(false);
            if let Some(i) = p.first_step(&draft) {
                *seen_step.borrow_mut() = (i, draft.steps.len());
                dispatch.emit(Action::Select(i));
            }
            phase.set(p);
        })
    };
    let on_step = {
        let passkeys = passkeys.clone();
        Callback::from(move |_: usize| passkeys.set(false))
    };
    let on_bar = {
        let (phase, dispatch) = (phase.clone(), dispatch.clone());
        let passkeys = passkeys.clone();
        Callback::from(move |e: BarEntry| {
            passkeys.set(false);
            dispatch.emit(Action::Select(e.step));
            phase.set(e.phase);
        })
    };
    let dismiss = {
        let notices = notices.clone();
        Callback::from(move |_: MouseEvent| notices.set(vec![]))
    };

    let open = *phase;
    let phase_steps = open.steps(&draft);
    let passkeys_open = open == Phase::Pilot && *passkeys;
    let passkeys_tab = if open == Phase::Pilot {
        let passkeys = passkeys.clone();
        let onclick = Callback::from(move |_: MouseEvent| passkeys.set(true));
        html! {
            <button type="button" id="pilot-passkeys" class={classes!("step-tab", passkeys_open.then_some("current"))}
                aria-current={passkeys_open.then_some("step")} {onclick}>{"Passkeys and TAP for the group"}</button>
        }
    } else {
        html! {}
    };
    let graph =
        html! { <GraphPanel draft={draft.clone()} dispatch={dispatch.clone()} phase={open} /> };
    let side = html! {
        <aside class="side-col">
            <ExportPanel draft={draft.clone()} />
            <super::report::ReportButton draft={draft.clone()} />
            <LintPanel draft={draft.clone()} />
            {graph.clone()}
        </aside>
    };
    let form = html! {
        <section class="panel">
            <StepForm draft={draft.clone()} dispatch={dispatch.clone()} />
        </section>
    };
    let screen = match open {
        Phase::Prepare => html! {
            <>
                <div class="main-col">
                    <section class="panel" id="prepare-break-glass" aria-label="Break-glass accounts">
                        {break_glass(&draft, &dispatch)}
                    </section>
                    <ImportPanel dispatch={dispatch.clone()} />
                    if draft.step().kind == StepKind::Imported { {form} }
                    <BootstrapPanel draft={draft.clone()} dispatch={dispatch.clone()} />
                </div>
                <aside class="side-col">
                    {graph}
                    if draft.step().kind == StepKind::Imported {
                        <ExportPanel draft={draft.clone()} />
                        <LintPanel draft={draft.clone()} />
                    }
                </aside>
            </>
        },
        Phase::Pilot if passkeys_open => html! {
            <>
                <div class="main-col">
                    <PasskeyPanel draft={draft.clone()} dispatch={dispatch.clone()} />
                </div>
                {side}
            </>
        },
        Phase::Pilot | Phase::Everyone | Phase::Harden => html! {
            <>
                <div class="main-col">
                    {form}
                    <WhatIfPanel draft={draft.clone()} dispatch={dispatch.clone()} />
                </div>
                {side}
            </>
        },
        Phase::Watch => html! {
            <>
                <div class="main-col">{graph}</div>
                <aside class="side-col">
                    <super::report::ReportButton draft={draft.clone()} />
                </aside>
            </>
        },
    };

    html! {
        <ContextProvider<GraphSession> context={session.clone()}>
            <header class="app-header">
                <h1>{"ca-builder"}</h1>
                <p>{"Conditional Access policies for a passkey rollout, checked as you type. Nothing leaves this page unless you connect to Microsoft Graph."}</p>
                <button type="button" class="secondary" id="share" onclick={on_share}>{"Share link"}</button>
            </header>
            if !notices.is_empty() {
                <div class="notice" role="alert" id="notice">
                    { for notices.iter().map(|n| html! { <p>{visible(n)}</p> }) }
                    <button type="button" class="link" onclick={dismiss}>{"Dismiss"}</button>
                </div>
            }
            <DraftsPanel draft={draft.clone()} dispatch={dispatch.clone()} unsaved={initial.unsaved.clone()} />
            if let Some(link) = (*share).clone() {
                <div class="notice share">
                    <label for="share-link">{"Share link (the draft travels in the link's fragment, which browsers never send to a server; it holds no token):"}</label>
                    <input type="text" id="share-link" readonly=true value={link} />
                </div>
            }
            <RolloutBar draft={draft.clone()} open={open} on_open={on_bar} />
            <PhaseNav open={open} on_select={on_phase} />
            <section class="phase-intro" id="phase-intro" data-phase={open.name()} aria-labelledby="phase-title">
                <h2 id="phase-title">{open.title()}</h2>
                <p class="hint">{open.explanation()}</p>
            </section>
            <StepNav draft={draft.clone()} dispatch={dispatch.clone()} steps={phase_steps.clone()}
                step_open={!passkeys_open} on_select={on_step} extra={passkeys_tab} />
            <main class={classes!("layout", format!("phase-{}", open.name()))} data-phase={open.name()}>
                {screen}
            </main>
        </ContextProvider<GraphSession>>
    }
}
