//! The pilot's plan as the admin reviews it (each request's line, body and changes, in the
//! order they are sent) and the words for each request's progress.

use yew::prelude::*;

use crate::app::pilot::{self, PilotPlan, StepState};
use crate::ui::widgets::visible::visible;

pub(super) fn state_name(s: &StepState) -> &'static str {
    match s {
        StepState::Waiting => "waiting",
        StepState::Sending => "sending",
        StepState::Done => "done",
        StepState::AlreadyDone => "already-done",
        StepState::Failed(_) => "failed",
        StepState::NotSent => "not-sent",
    }
}

pub(super) fn state_text(s: &StepState) -> String {
    match s {
        StepState::Waiting => "waiting".into(),
        StepState::Sending => "sending…".into(),
        StepState::Done => "done".into(),
        StepState::AlreadyDone => "done (it was already a member)".into(),
        StepState::Failed(why) => format!("failed: {why}"),
        StepState::NotSent => "not sent".into(),
    }
}

/// The plan's requests in order, each with its request line and exact body (and, for the
/// policy, what changes), then what is left alone.
pub(super) fn plan_preview(
    plan: &PilotPlan,
    cleared: bool,
    on_confirm: Callback<MouseEvent>,
    on_dismiss: Callback<MouseEvent>,
) -> Html {
    let steps = plan.preview();
    let notes = plan.notes();
    html! {
        <div id="graph-pilot-preview" class="graph-preview" data-steps={steps.len().to_string()}>
            <h4>{format!("{} request{} to send", steps.len(), if steps.len() == 1 { "" } else { "s" })}</h4>
            if plan.existing_group().is_none() {
                <p class="hint">{"Sent in this order, exactly as shown; "}<code>{pilot::NEW_GROUP_SHOWN}</code>{" is the id Graph gives the group the first request creates. The first failure stops the run, and what was done is reported."}</p>
            } else {
                <p class="hint">{"Sent in this order, exactly as shown. The first failure stops the run, and what was done is reported."}</p>
            }
            <ol class="graph-pilot-steps">
                { for steps.iter().map(|s| html! {
                    <li>
                        <p>{visible(&s.label)}</p>
                        <p><code class="graph-step-line">{s.shown_line()}</code></p>
                        if !s.changes().is_empty() && s.request.method == crate::graph::Method::Patch {
                            <table class="graph-changes">
                                <thead><tr><th scope="col">{"Property"}</th><th scope="col">{"Now"}</th><th scope="col">{"After"}</th></tr></thead>
                                <tbody>
                                    { for s.changes().iter().map(|c| html! {
                                        <tr data-path={c.path.clone()}>
                                            <td><code>{&c.path}</code></td>
                                            <td class="before">{visible(&c.before.as_ref().map(|v| v.to_string()).unwrap_or_else(|| "(not set)".into()))}</td>
                                            <td class="after">{visible(&pilot::shown(&c.after.to_string()))}</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                        }
                        if s.request.body.is_some() {
                            <details>
                                <summary>{"Exact request body"}</summary>
                                <pre class="graph-step-body">{s.shown_body()}</pre>
                            </details>
                        }
                    </li>
                }) }
            </ol>
            if !notes.is_empty() {
                <ul class="hint">{ for notes.iter().map(|n| html! { <li>{visible(n)}</li> }) }</ul>
            }
            <div class="row">
                if !steps.is_empty() {
                    <button type="button" id="graph-pilot-confirm" disabled={!cleared} onclick={on_confirm}>{"Send these requests"}</button>
                }
                <button type="button" class="secondary" id="graph-pilot-dismiss" onclick={on_dismiss}>{if steps.is_empty() { "Close" } else { "Don't send" }}</button>
            </div>
        </div>
    }
}
