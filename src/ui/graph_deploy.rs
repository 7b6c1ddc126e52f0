//! Deploy the open step's policy (create, or update the policy of the same name after a
//! preview of exactly what the PATCH changes) and, on the pilot step, the pilot flow:
//! group → members → policy narrowed to the group.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::{permission_warnings, Runner};
use crate::export::graph_json::PolicyId;
use crate::export::Format;
use crate::graph::flows::{self, DeployPlan, PilotRequest};
use crate::graph::ops::{self, PatchPlan};
use crate::graph::{ApiVersion, ErrorKind, GraphError, GraphOp};
use crate::policy::draft::{Action, Draft, StepKind};
use crate::policy::edit;
use crate::policy::Policy;

#[derive(Properties, PartialEq)]
pub struct DeployProps {
    pub runner: Runner,
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

/// A PATCH waiting for the admin's confirmation.
#[derive(Clone, PartialEq)]
struct Pending {
    id: PolicyId,
    name: String,
    plan: PatchPlan,
}

/// Graph's 400 names the property it rejected: shown by the deploy button with that name.
fn rejected_field(e: &GraphError) -> Option<(String, String)> {
    match &e.kind {
        ErrorKind::BadRequest { field: Some(f) } => Some((f.clone(), e.message.clone())),
        _ => None,
    }
}

#[derive(Clone, PartialEq)]
struct PilotResult {
    summary: String,
    group_id: String,
    policy_ok: bool,
}

/// "Report-only", "On", "Off" for a policy's `state`.
pub fn state_label(policy: &Policy) -> &'static str {
    match policy.to_post_body().get("state").and_then(|s| s.as_str()) {
        Some("enabled") => "On",
        Some("disabled") => "Off",
        Some("enabledForReportingButNotEnforced") => "Report-only",
        _ => "(no state)",
    }
}

fn compact(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

#[function_component(DeploySection)]
pub fn deploy_section(p: &DeployProps) -> Html {
    let pending = use_state(|| None::<Pending>);
    let field_error = use_state(|| None::<(String, String)>);
    let pilot_result = use_state(|| None::<PilotResult>);
    let members_ref = use_node_ref();
    let update_ref = use_node_ref();
    // A preview is for the draft it was computed from; any edit makes it stale.
    {
        let pending = pending.clone();
        use_effect_with(p.draft.clone(), move |_| pending.set(None));
    }

    let draft = p.draft.clone();
    let idx = draft.current;
    let step = draft.step().clone();
    let policy = draft.effective_policy(idx);
    let name = edit::display_name(&policy);

    let on_deploy = {
        let (runner, pending, draft, field_error) = (
            p.runner.clone(),
            pending.clone(),
            draft.clone(),
            field_error.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let idx = draft.current;
            // Deploy exactly what the export panel shows; an export error blocks it the same way.
            if let Err(e) = draft.export(idx, Format::Json) {
                runner.problem(format!("The draft cannot be deployed: {e}"));
                return;
            }
            let policy = draft.effective_policy(idx);
            let name = edit::display_name(&policy);
            let update_id = draft.steps[idx].update_policy_id.clone();
            pending.set(None);
            field_error.set(None);
            let run = runner.start("Looking for an existing policy…");
            let (pending, field_error) = (pending.clone(), field_error.clone());
            spawn_local(async move {
                let g = &run.g;
                let plan = if update_id.is_empty() {
                    flows::plan_deploy(g, &policy).await
                } else {
                    // The step names the policy to update: compare against it, not a namesake.
                    match PolicyId::parse(&update_id) {
                        Ok(id) => g
                            .send(&ops::get_policy(g.cloud, ApiVersion::V1, &id))
                            .await
                            .and_then(|r| ops::read_policy(&r, GraphOp::GetPolicy))
                            .map(|(id, current)| DeployPlan::UpdateExisting {
                                patch: ops::update_policy(g.cloud, &id, &current, &policy),
                                id,
                                current: Box::new(current),
                            }),
                        Err(e) => {
                            return run
                                .problem(format!("The policy id to update is not valid: {e}"))
                        }
                    }
                };
                match plan {
                    Err(e) => run.fail(e),
                    Ok(DeployPlan::Create { .. }) => match flows::create_policy(g, &policy).await {
                        Ok(d) => run.ok(format!(
                            "Created policy \"{name}\" (id {}) in state {}.",
                            d.id,
                            state_label(&d.policy)
                        )),
                        Err(e) => {
                            field_error.set(rejected_field(&e));
                            run.fail(e)
                        }
                    },
                    Ok(DeployPlan::UpdateExisting { id, patch: None, .. }) => run.ok(format!(
                        "The policy \"{name}\" (id {id}) already matches the draft: nothing to send."
                    )),
                    Ok(DeployPlan::UpdateExisting { id, patch: Some(plan), .. }) => {
                        run.ok(format!(
                            "A policy named \"{name}\" already exists (id {id}). Review what the update changes, then confirm."
                        ));
                        pending.set(Some(Pending { id, name, plan }));
                    }
                    Ok(DeployPlan::Ambiguous { ids }) => run.problem(format!(
                        "{} policies are named \"{name}\" (ids {}): rename the draft, or put the id of the one to update in \"Update an existing policy\".",
                        ids.len(),
                        ids.join(", ")
                    )),
                }
            });
        })
    };

    let on_confirm = {
        let (runner, pending, field_error) =
            (p.runner.clone(), pending.clone(), field_error.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(pe) = (*pending).clone() else { return };
            pending.set(None);
            field_error.set(None);
            let run = runner.start("Updating the policy…");
            let field_error = field_error.clone();
            spawn_local(async move {
                let g = &run.g;
                match flows::apply_patch(g, &pe.id, &pe.plan).await {
                    Ok(d) => run.ok(format!(
                        "Updated policy \"{}\" (id {}): {} change{}; it is now {}.",
                        pe.name,
                        d.id,
                        pe.plan.changes.len(),
                        if pe.plan.changes.len() == 1 { "" } else { "s" },
                        state_label(&d.policy)
                    )),
                    // The PATCH went through and only the read-back (apply_patch's one GET)
                    // failed: say it was updated rather than leave the admin guessing.
                    Err(e) if e.op == GraphOp::GetPolicy => run.ok(format!(
                        "Updated policy \"{}\" (id {}), but reading it back failed ({}); load the audit to see its state.",
                        pe.name,
                        pe.id,
                        e.user_message()
                    )),
                    Err(e) => {
                        field_error.set(rejected_field(&e));
                        run.fail(e)
                    }
                }
            });
        })
    };

    let on_dismiss = {
        let pending = pending.clone();
        Callback::from(move |_: MouseEvent| pending.set(None))
    };

    let preview = (*pending).clone().map(|pe| html! {
        <div id="graph-deploy-preview" class="graph-preview" data-policy-id={pe.id.to_string()}>
            <h4>{format!("Update \"{}\"?", pe.name)}</h4>
            <p class="hint">{"PATCH semantics: properties not listed keep their stored values; lists are replaced as a whole."}</p>
            <p><code id="graph-patch-line">{pe.plan.request.request_line()}</code></p>
            <table class="graph-changes">
                <thead><tr><th scope="col">{"Property"}</th><th scope="col">{"Now"}</th><th scope="col">{"After"}</th></tr></thead>
                <tbody>
                    { for pe.plan.changes.iter().map(|c| html! {
                        <tr data-path={c.path.clone()}>
                            <td><code>{&c.path}</code></td>
                            <td class="before">{c.before.as_ref().map(compact).unwrap_or_else(|| "(not set)".into())}</td>
                            <td class="after">{compact(&c.after)}</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <details>
                <summary>{"Exact request body"}</summary>
                <pre id="graph-patch-body">{pe.plan.request.body.clone().unwrap_or_default()}</pre>
            </details>
            <div class="row">
                <button type="button" id="graph-deploy-confirm" onclick={on_confirm}>{"Update this policy"}</button>
                <button type="button" class="secondary" id="graph-deploy-dismiss" onclick={on_dismiss}>{"Don't update"}</button>
            </div>
        </div>
    });

    let pilot = (step.kind == StepKind::Pilot).then(|| {
        let group_name = step.new_group_name.trim().to_string();
        let on_pilot = {
            let (runner, draft, dispatch, result) = (p.runner.clone(), draft.clone(), p.dispatch.clone(), pilot_result.clone());
            let (members_ref, update_ref) = (members_ref.clone(), update_ref.clone());
            Callback::from(move |_: MouseEvent| {
                let idx = draft.current;
                if let Err(e) = draft.export(idx, Format::Json) {
                    runner.problem(format!("The draft cannot be deployed: {e}"));
                    return;
                }
                let members: Vec<String> = members_ref
                    .cast::<HtmlTextAreaElement>()
                    .map(|t| t.value())
                    .unwrap_or_default()
                    .split(['\n', ',', ';'])
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                let req = PilotRequest {
                    group_name: draft.steps[idx].new_group_name.trim().to_string(),
                    members,
                    policy: draft.effective_policy(idx),
                    update_existing: update_ref.cast::<HtmlInputElement>().is_some_and(|i| i.checked()),
                };
                result.set(None);
                let run = runner.start("Looking for the pilot group…");
                let (dispatch, result) = (dispatch.clone(), result.clone());
                spawn_local(async move {
                    let g = &run.g;
                    match flows::pilot(g, &req).await {
                        Err(e) => {
                            let text = format!("{} Nothing was created.", e.user_message());
                            run.fail_with(text, e);
                        }
                        Ok(out) => {
                            let group_id = out.group.group.id.to_string();
                            // The draft now names the group, so its export matches what was deployed.
                            dispatch.emit(Action::SetPilotGroup(group_id.clone()));
                            let summary = out.summary();
                            result.set(Some(PilotResult {
                                summary: summary.clone(),
                                group_id,
                                policy_ok: out.policy.is_ok(),
                            }));
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
                    <p class="hint">{format!("Finds the security group \"{group_name}\" or creates it, adds the members below, then creates the policy narrowed to the group (includeUsers cleared, includeGroups = the group).")}</p>
                }
                <label for="graph-pilot-members">{"Members to add (user principal names or object ids, one per line; optional)"}</label>
                <textarea id="graph-pilot-members" ref={members_ref.clone()} rows="3" spellcheck="false" />
                <label class="check" for="graph-pilot-update">
                    <input type="checkbox" id="graph-pilot-update" ref={update_ref.clone()} />
                    {" If a policy with this name exists, update it (otherwise it is left alone)"}
                </label>
                {permission_warnings(&p.runner, &ops)}
                <button type="button" id="graph-pilot" disabled={group_name.is_empty()} onclick={on_pilot}>{"Create the pilot group and policy"}</button>
                if let Some(r) = (*pilot_result).clone() {
                    <p id="graph-pilot-result" class={if r.policy_ok { "graph-result" } else { "field-error" }}
                        data-group-id={r.group_id.clone()} data-policy-ok={r.policy_ok.to_string()}>{r.summary}</p>
                }
            </div>
        }
    });

    let updating = !step.update_policy_id.is_empty();
    html! {
        <div class="graph-section" id="graph-deploy-section">
            <h3>{"Deploy the open step"}</h3>
            <p class="hint">
                {format!("\"{name}\", state {}. ", state_label(&policy))}
                {if updating {
                    format!("Updates the policy with id {} (shows what changes first).", step.update_policy_id)
                } else {
                    "Looks for a policy with the same name first: if one exists you are shown what an update would change; otherwise the export panel's JSON body is POSTed as is.".to_string()
                }}
            </p>
            {permission_warnings(&p.runner, &[GraphOp::ListPolicies, if updating { GraphOp::UpdatePolicy } else { GraphOp::CreatePolicy }])}
            <button type="button" id="graph-deploy" onclick={on_deploy} aria-describedby="graph-deploy-field-error">{"Deploy to the tenant"}</button>
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
