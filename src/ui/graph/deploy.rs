//! Deploy the open step's policy and, on the pilot step, the pilot flow (group → members →
//! policy narrowed to the group). Every policy write (a create or an update, from Deploy or
//! from the pilot) goes through one preview: what it changes and the exact request, sent
//! exactly as shown once the admin confirms. Settings the form does not show must be
//! acknowledged before either button runs.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::runs::{permission_warnings, Run, Runner};
use crate::app::deploy::{self, PilotResult, PolicyWrite, Review, Send};
use crate::app::draft::{Action, Draft, StepKind};
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

/// The one preview of a policy write: what changes, the request line and the exact body.
fn write_preview(
    pe: &PolicyWrite,
    on_confirm: Callback<MouseEvent>,
    on_dismiss: Callback<MouseEvent>,
) -> Html {
    html! {
        <div id="graph-deploy-preview" class="graph-preview" data-kind={pe.verb()}
            data-policy-id={pe.update.as_ref().map(|id| id.to_string())}>
            <h4>{pe.verb()}{" \""}{visible(&pe.name)}{"\"?"}</h4>
            <p class="hint">{"Sent exactly as shown once you confirm. An update keeps the properties not listed; lists are replaced whole."}</p>
            <p><code id="graph-patch-line">{pe.request_line()}</code></p>
            <table class="graph-changes">
                <thead><tr><th scope="col">{"Property"}</th><th scope="col">{"Now"}</th><th scope="col">{"After"}</th></tr></thead>
                <tbody>
                    { for pe.rows().into_iter().map(|r| html! {
                        <tr data-path={r.path.clone()}>
                            <td><code>{&r.path}</code></td>
                            <td class="before">{visible(&r.before)}</td>
                            <td class="after">{visible(&r.after)}</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <details>
                <summary>{"Exact request body"}</summary>
                <pre id="graph-patch-body">{pe.body()}</pre>
            </details>
            <div class="row">
                <button type="button" id="graph-deploy-confirm" onclick={on_confirm}>{"Send it"}</button>
                <button type="button" class="secondary" id="graph-deploy-dismiss" onclick={on_dismiss}>{"Don't send"}</button>
            </div>
        </div>
    }
}

/// Sends a confirmed write exactly as previewed and reports what exists afterwards.
async fn send_write(
    run: &Run,
    pe: &PolicyWrite,
    field_error: &UseStateHandle<Option<(String, String)>>,
    pilot_result: &UseStateHandle<Option<PilotResult>>,
) {
    let g = &run.g;
    let result = match pe.send() {
        Send::Create(request) => flows::send_create(g, request).await,
        Send::Update { id, plan } => flows::apply_patch(g, id, plan).await,
    };
    let report = pe.report(result);
    if let Some(r) = report.pilot {
        pilot_result.set(Some(r));
    }
    match report.error {
        Some(e) => {
            field_error.set(report.field_error);
            run.fail_with(report.text, e)
        }
        None => run.ok(report.text),
    }
}

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
        let (runner, pending, field_error, pilot_result, current) = (
            p.runner.clone(),
            pending.clone(),
            field_error.clone(),
            pilot_result.clone(),
            current.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(pe) = current.clone() else { return };
            pending.set(None);
            field_error.set(None);
            let run = runner.start("Sending…");
            let (field_error, pilot_result) = (field_error.clone(), pilot_result.clone());
            spawn_local(async move { send_write(&run, &pe, &field_error, &pilot_result).await });
        })
    };

    let on_dismiss = {
        let pending = pending.clone();
        Callback::from(move |_: MouseEvent| pending.set(None))
    };

    let preview = current.map(|pe| write_preview(&pe, on_confirm, on_dismiss));

    let pilot = (step.kind == StepKind::Pilot).then(|| {
        let group_name = step.new_group_name.trim().to_string();
        let on_pilot = {
            let (runner, draft, dispatch, result, pending) = (p.runner.clone(), draft.clone(), p.dispatch.clone(), pilot_result.clone(), pending.clone());
            let (members_ref, update_ref) = (members_ref.clone(), update_ref.clone());
            Callback::from(move |_: MouseEvent| {
                let members = members_ref
                    .cast::<HtmlTextAreaElement>()
                    .map(|t| t.value())
                    .unwrap_or_default();
                let update_existing = update_ref.cast::<HtmlInputElement>().is_some_and(|i| i.checked());
                let req = match deploy::pilot_request(&draft, &members, update_existing) {
                    Ok(req) => req,
                    Err(e) => return runner.problem(e),
                };
                result.set(None);
                pending.set(None);
                let run = runner.start("Looking for the pilot group…");
                let (dispatch, result, pending, draft) = (dispatch.clone(), result.clone(), pending.clone(), draft.clone());
                spawn_local(async move {
                    let g = &run.g;
                    match flows::pilot(g, &req).await {
                        Err(e) => {
                            let text = format!("{} Nothing was created.", e.user_message());
                            run.fail_with(text, e);
                        }
                        Ok(out) => {
                            let review = deploy::pilot_review(&req, &out, &draft);
                            // The draft now names the group, so its export matches what is deployed.
                            dispatch.emit(review.name_group);
                            let summary = review.result.summary.clone();
                            result.set(Some(review.result));
                            pending.set(review.write);
                            match out.policy {
                                Ok(_) => run.ok(summary),
                                Err(e) => run.fail_with(summary, e),
                            }
                        }
                    }
                });
            })
        };
        let ops = [GraphOp::FindGroup, GraphOp::CreateGroup, GraphOp::GetUser, GraphOp::AddGroupMember, GraphOp::ListPolicies, GraphOp::CreatePolicy];
        html! {
            <div class="graph-pilot" id="graph-pilot-section">
                <h4>{"Pilot: group, then policy"}</h4>
                if group_name.is_empty() {
                    <p class="hint">{"Type the name of a new security group in the form (\"…or the name of a new security group to create\"). With an existing group's id instead, use Deploy above."}</p>
                } else {
                    <p class="hint">{"Finds the security group \""}{visible(&group_name)}{"\" or creates it and adds the members below; then shows the policy narrowed to the group (includeUsers cleared, includeGroups = the group) to confirm before it is sent."}</p>
                }
                <label for="graph-pilot-members">{"Members to add (user principal names or object ids, one per line; optional). Each is checked before anything is sent."}</label>
                <textarea id="graph-pilot-members" ref={members_ref.clone()} rows="3" spellcheck="false" />
                <label class="check" for="graph-pilot-update">
                    <input type="checkbox" id="graph-pilot-update" ref={update_ref.clone()} />
                    {" If a policy with this name exists, offer to update it (its changes are shown first; otherwise it is left alone)"}
                </label>
                {permission_warnings(&p.runner, &ops)}
                <button type="button" id="graph-pilot" disabled={group_name.is_empty() || !cleared} onclick={on_pilot}>{"Create the pilot group, then review the policy"}</button>
                if let Some(r) = (*pilot_result).clone() {
                    <p id="graph-pilot-result" class={if r.policy_ok { "graph-result" } else { "field-error" }}
                        data-group-id={r.group_id.clone()} data-policy-ok={r.policy_ok.to_string()}>{visible(&r.summary)}</p>
                }
            </div>
        }
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
