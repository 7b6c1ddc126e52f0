//! Deploy the open step's policy and, on the pilot step, the pilot flow (group → members →
//! policy narrowed to the group). Deploy's write (a create or an update) goes through this
//! module's preview: what it changes and the exact request, sent exactly as shown once the
//! admin confirms. The pilot previews its own plan, every request in order with the policy's
//! write among them (`super::pilot`), and sends it the same way. Settings the form does not
//! show must be acknowledged before either button runs.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::pilot::pilot_section;
use super::runs::{permission_warnings, Runner};
use super::write::{send_write, write_preview};
use crate::app::deploy::{self, PilotResult, PolicyWrite, Review};
use crate::app::draft::{Action, Draft, StepKind};
use crate::app::phase::record_deployed;
use crate::graph::flows;
use crate::graph::ops;
use crate::graph::{ApiVersion, GraphOp};
use crate::policy::edit;
use crate::ui::widgets::hidden_note::hidden_note;
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct DeployProps {
    pub runner: Runner,
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

/// "Report-only", "On", "Off" for a policy's `state` (the audit's table shows it too).
pub use crate::app::deploy::state_label;

#[function_component(DeploySection)]
pub fn deploy_section(p: &DeployProps) -> Html {
    let pending = use_state(|| None::<PolicyWrite>);
    let field_error = use_state(|| None::<(String, String)>);
    let pilot_result = use_state(|| None::<PilotResult>);
    // The hidden settings the admin acknowledged, as shown (step and messages): any change
    // to them asks again.
    let acknowledged = use_state(|| None::<String>);
    let members_ref = use_node_ref();
    let update_ref = use_node_ref();
    let draft = p.draft.clone();
    // A preview is for the draft it was planned from; any edit makes it stale.
    let current = (*pending).clone().filter(|pe| pe.is_for(&draft));
    let idx = draft.current;
    let step = draft.step().clone();
    let policy = draft.effective_policy(idx);
    let name = edit::display_name(&policy);
    let unshown = deploy::unshown(&draft);
    let cleared = unshown.cleared(acknowledged.as_deref());
    let on_ack = {
        let (acknowledged, fingerprint) = (acknowledged.clone(), unshown.fingerprint.clone());
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            acknowledged.set(on.then(|| fingerprint.clone()));
        })
    };

    let on_deploy = {
        let (runner, pending, draft, field_error) = (
            p.runner.clone(),
            pending.clone(),
            draft.clone(),
            field_error.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            // Deploy exactly what the export panel shows; an export error blocks it the same way.
            let req = match deploy::deploy_request(&draft) {
                Ok(req) => req,
                Err(e) => return runner.problem(e),
            };
            pending.set(None);
            field_error.set(None);
            let run = runner.start("Looking for an existing policy…");
            let (pending, draft) = (pending.clone(), draft.clone());
            spawn_local(async move {
                let g = &run.g;
                let plan = match req.update_target() {
                    Ok(None) => flows::plan_deploy(g, &req.policy).await,
                    // The step names the policy to update: compare against it, not a namesake.
                    Ok(Some(id)) => g
                        .send(&ops::get_policy(g.cloud, ApiVersion::V1, &id))
                        .await
                        .and_then(|r| ops::read_policy(&r, GraphOp::GetPolicy))
                        .map(|(id, current)| req.update_plan(g.cloud, id, current)),
                    Err(e) => return run.problem(e),
                };
                match plan.map(|plan| req.review(plan, draft)) {
                    Err(e) => run.fail(e),
                    Ok(Review::Confirm { message, write }) => {
                        run.ok(message);
                        pending.set(Some(write));
                    }
                    Ok(Review::Nothing(message)) => run.ok(message),
                    Ok(Review::Refused(message)) => run.problem(message),
                }
            });
        })
    };

    let on_confirm = {
        let (runner, pending, field_error, current, dispatch) = (
            p.runner.clone(),
            pending.clone(),
            field_error.clone(),
            current.clone(),
            p.dispatch.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(pe) = current.clone() else { return };
            pending.set(None);
            field_error.set(None);
            let run = runner.start("Sending…");
            let (field_error, dispatch) = (field_error.clone(), dispatch.clone());
            spawn_local(async move {
                // The step now names the policy the tenant holds (the rollout bar shows it
                // deployed; the next deploy updates it by id).
                if let Some(id) = send_write(&run, &pe, &field_error).await {
                    for a in record_deployed(pe.draft.current, &id) {
                        dispatch.emit(a);
                    }
                }
            });
        })
    };

    let on_dismiss = {
        let pending = pending.clone();
        Callback::from(move |_: MouseEvent| pending.set(None))
    };

    // What the name check did not see (beta unread, or the namesake seen only in beta) stays
    // next to the preview it qualifies, not only in the status line.
    let preview = current.map(|pe| {
        html! {
            <>
                if let Some(note) = pe.note.clone() {
                    <p id="graph-deploy-note" class="field-warning" role="note">{note}</p>
                }
                {write_preview(&pe, on_confirm, on_dismiss)}
            </>
        }
    });

    let pilot = (step.kind == StepKind::Pilot).then(|| {
        let group_name = step.new_group_name.trim().to_string();
        let refs = (&members_ref, &update_ref);
        pilot_section(p, group_name, cleared, refs, &pilot_result, &pending)
    });

    let updating = !step.update_policy_id.is_empty();
    html! {
        <div class="graph-section" id="graph-deploy-section">
            <h3>{"Deploy the open step"}</h3>
            <p class="hint">
                {"\""}{visible(&name)}{format!("\", state {}. ", state_label(&policy))}
                {if updating {
                    format!("Updates the policy with id {} (shows what changes first).", step.update_policy_id)
                } else {
                    "Looks for a policy with the same name first: if one exists you are shown what an update would change; otherwise the new policy (the export panel's JSON body). Nothing is sent before you confirm.".to_string()
                }}
            </p>
            {hidden_note(&unshown.settings, "graph-hidden-settings", Some((cleared, on_ack)))}
            {permission_warnings(&p.runner, &[GraphOp::ListPolicies, if updating { GraphOp::UpdatePolicy } else { GraphOp::CreatePolicy }])}
            <button type="button" id="graph-deploy" disabled={!cleared} onclick={on_deploy} aria-describedby="graph-deploy-field-error">{"Deploy to the tenant"}</button>
            <div id="graph-deploy-field-error" class="field-messages">
                if let Some((field, message)) = (*field_error).clone() {
                    <p class="field-error" data-field={field.clone()}>{format!("Graph rejected `{field}`: {message}")}</p>
                }
            </div>
            {preview}
            {pilot.unwrap_or_default()}
        </div>
    }
}
