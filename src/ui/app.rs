//! The application shell: one reducer over the draft, the Graph session provided to the
//! panels that call Graph, the share link, and the layout (steps, the open step's form,
//! export and checks beside it).

use std::rc::Rc;
use yew::prelude::*;

use super::bootstrap::BootstrapPanel;
use super::checks::LintPanel;
use super::design::{StepForm, StepNav};
use super::drafts::{storage, DraftsPanel};
use super::export::ExportPanel;
use super::graph::{GraphPanel, GraphSession, Session};
use super::import::ImportPanel;
use super::passkey::PasskeyPanel;
use super::whatif::WhatIfPanel;
use super::widgets::visible::visible;
use crate::app::draft::{Action, Draft};

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
    let dismiss = {
        let notices = notices.clone();
        Callback::from(move |_: MouseEvent| notices.set(vec![]))
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
            <StepNav draft={draft.clone()} dispatch={dispatch.clone()} />
            <main class="layout">
                <div class="main-col">
                    <section class="panel">
                        <StepForm draft={draft.clone()} dispatch={dispatch.clone()} />
                    </section>
                    <ImportPanel dispatch={dispatch.clone()} />
                    <BootstrapPanel draft={draft.clone()} dispatch={dispatch.clone()} />
                    <WhatIfPanel draft={draft.clone()} dispatch={dispatch.clone()} />
                    <PasskeyPanel draft={draft.clone()} dispatch={dispatch.clone()} />
                </div>
                <aside class="side-col">
                    <ExportPanel draft={draft.clone()} />
                    <super::report::ReportButton draft={draft.clone()} />
                    <LintPanel draft={draft.clone()} />
                    <GraphPanel draft={draft.clone()} dispatch={dispatch.clone()} />
                </aside>
            </main>
        </ContextProvider<GraphSession>>
    }
}
