//! Deploy the open step's policy and, on the pilot step, the pilot flow (group → members →
//! policy narrowed to the group). Every policy write (a create or an update, from Deploy or
//! from the pilot) goes through one preview: what it changes and the exact request, sent
//! exactly as shown once the admin confirms. Settings the form does not show must be
//! acknowledged before either button runs.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::{permission_warnings, Run, Runner};
use crate::app::draft::{Action, Draft, StepKind};
use crate::export::graph_json::PolicyId;
use crate::export::Format;
use crate::graph::flows::{self, DeployPlan, PilotPolicy, PilotRequest};
use crate::graph::ops::{self, ObjectId, WritePlan};
use crate::graph::{ApiVersion, ErrorKind, GraphError, GraphOp};
use crate::policy::edit;
use crate::policy::Policy;
use crate::ui::hidden_note::hidden_note;
use crate::ui::visible::visible;

#[derive(Properties, PartialEq)]
pub struct DeployProps {
    pub runner: Runner,
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

/// A policy write waiting for the admin's confirmation.
#[derive(Clone, PartialEq)]
struct Pending {
    /// The policy's display name.
    name: String,
    plan: WritePlan,
    /// `Some`: an update of this policy; `None`: a create.
    update: Option<PolicyId>,
    /// The pilot's write: the group it is narrowed to (which exists already).
    pilot: Option<ObjectId>,
    /// The draft it was planned from: any edit makes the preview stale, and it is dropped.
    draft: Rc<Draft>,
}

impl Pending {
    fn verb(&self) -> &'static str {
        if self.update.is_some() {
            "Update"
        } else {
            "Create"
        }
    }
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

/// The one preview of a policy write: what changes, the request line and the exact body.
fn write_preview(
    pe: &Pending,
    on_confirm: Callback<MouseEvent>,
    on_dismiss: Callback<MouseEvent>,
) -> Html {
    html! {
        <div id="graph-deploy-preview" class="graph-preview" data-kind={pe.verb()}
            data-policy-id={pe.update.as_ref().map(|id| id.to_string())}>
            <h4>{pe.verb()}{" \""}{visible(&pe.name)}{"\"?"}</h4>
            <p class="hint">{"Sent exactly as shown once you confirm. An update keeps the properties not listed; lists are replaced whole."}</p>
            <p><code id="graph-patch-line">{pe.plan.request.request_line()}</code></p>
            <table class="graph-changes">
                <thead><tr><th scope="col">{"Property"}</th><th scope="col">{"Now"}</th><th scope="col">{"After"}</th></tr></thead>
                <tbody>
                    { for pe.plan.changes.iter().map(|c| html! {
                        <tr data-path={c.path.clone()}>
                            <td><code>{&c.path}</code></td>
                            <td class="before">{visible(&c.before.as_ref().map(compact).unwrap_or_else(|| "(not set)".into()))}</td>
                            <td class="after">{visible(&compact(&c.after))}</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <details>
                <summary>{"Exact request body"}</summary>
                <pre id="graph-patch-body">{pe.plan.request.body.clone().unwrap_or_default()}</pre>
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
    pe: &Pending,
    field_error: &UseStateHandle<Option<(String, String)>>,
    pilot_result: &UseStateHandle<Option<PilotResult>>,
) {
    let g = &run.g;
    let result = match &pe.update {
        None => flows::send_create(g, &pe.plan.request).await,
        Some(id) => flows::apply_patch(g, id, &pe.plan).await,
    };
    let (text, failed) = match result {
        Ok(d) => (
            format!("{}d policy \"{}\" (id {}); it is now {}.", pe.verb(), pe.name, d.id, state_label(&d.policy)),
            None,
        ),
        // The PATCH went through and only the read-back (apply_patch's one GET) failed: say
        // it was updated rather than leave the admin guessing.
        Err(e) if e.op == GraphOp::GetPolicy => (
            format!("Updated policy \"{}\", but reading it back failed ({}); load the audit to see its state.", pe.name, e.user_message()),
            None,
        ),
        Err(e) => (
            match &pe.pilot {
                Some(group) => flows::policy_not_written(&e, group),
                None => e.user_message(),
            },
            Some(e),
        ),
    };
    if let Some(group) = &pe.pilot {
        pilot_result.set(Some(PilotResult {
            summary: text.clone(),
            group_id: group.to_string(),
            policy_ok: failed.is_none(),
        }));
    }
    match failed {
        Some(e) => {
            field_error.set(rejected_field(&e));
            run.fail_with(text, e)
        }
        None => run.ok(text),
    }
}

#[function_component(DeploySection)]
pub fn deploy_section(p: &DeployProps) -> Html {
    let pending = use_state(|| None::<Pending>);
    let field_error = use_state(|| None::<(String, String)>);
    let pilot_result = use_state(|| None::<PilotResult>);
    // The hidden settings the admin acknowledged, as shown (step and messages): any change
    // to them asks again.
    let acknowledged = use_state(|| None::<String>);
    let members_ref = use_node_ref();
    let update_ref = use_node_ref();
    let draft = p.draft.clone();
    // A preview is for the draft it was planned from; any edit makes it stale.
    let current = (*pending).clone().filter(|pe| *pe.draft == *draft);
    let idx = draft.current;
    let step = draft.step().clone();
    let policy = draft.effective_policy(idx);
    let name = edit::display_name(&policy);
    let hidden = draft.hidden_settings(idx);
    let fingerprint = format!(
        "{idx}\n{}",
        hidden
            .iter()
            .map(|h| h.message())
            .collect::<Vec<_>>()
            .join("\n")
    );
    let cleared = hidden.is_empty() || acknowledged.as_deref() == Some(fingerprint.as_str());
    let on_ack = {
        let (acknowledged, fingerprint) = (acknowledged.clone(), fingerprint.clone());
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
            let idx = draft.current;
            // Deploy exactly what the export panel shows; an export error blocks it the same way.
            if let Err(e) = draft.export(idx, Format::Json) {
                runner.problem(format!("The draft cannot be deployed: {e}"));
                return;
            }
            let policy = draft.effective_policy(idx);
            let name = edit::display_name(&policy);
            let update_id = draft.step().update_policy_id.clone();
            pending.set(None);
            field_error.set(None);
            let run = runner.start("Looking for an existing policy…");
            let (pending, draft) = (pending.clone(), draft.clone());
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
                let write = |plan, update: Option<PolicyId>| Pending {
                    name: name.clone(),
                    plan,
                    update,
                    pilot: None,
                    draft: draft.clone(),
                };
                match plan {
                    Err(e) => run.fail(e),
                    Ok(DeployPlan::Create { plan }) => {
                        run.ok(format!("No policy is named \"{name}\": review the new policy below, then confirm."));
                        pending.set(Some(write(plan, None)));
                    }
                    Ok(DeployPlan::UpdateExisting { id, patch: None, .. }) => run.ok(format!(
                        "The policy \"{name}\" (id {id}) already matches the draft: nothing to send."
                    )),
                    Ok(DeployPlan::UpdateExisting { id, patch: Some(plan), .. }) => {
                        run.ok(format!(
                            "A policy named \"{name}\" already exists (id {id}). Review what the update changes, then confirm."
                        ));
                        pending.set(Some(write(plan, Some(id))));
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
                    group_name: draft.step().new_group_name.trim().to_string(),
                    members,
                    policy: draft.effective_policy(idx),
                    update_existing: update_ref.cast::<HtmlInputElement>().is_some_and(|i| i.checked()),
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
                            let group_id = out.group.group.id.to_string();
                            // The draft now names the group, so its export matches what is deployed.
                            dispatch.emit(Action::SetPilotGroup(group_id.clone()));
                            let summary = out.summary();
                            result.set(Some(PilotResult {
                                summary: summary.clone(),
                                group_id: group_id.clone(),
                                policy_ok: out.policy.is_ok(),
                            }));
                            // The preview is for the draft as it is once it names the group.
                            let mut named = (*draft).clone();
                            named.apply(Action::SetPilotGroup(group_id.clone()));
                            let named = Rc::new(named);
                            let name = edit::display_name(&req.policy);
                            let write = |plan, update| Pending { name: name.clone(), plan, update, pilot: Some(out.group.group.id.clone()), draft: named.clone() };
                            let preview = match &out.policy {
                                Ok(PilotPolicy::Create(plan)) => Some(write(plan.clone(), None)),
                                Ok(PilotPolicy::Update { id, plan }) => Some(write(plan.clone(), Some(id.clone()))),
                                _ => None,
                            };
                            pending.set(preview);
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
            {hidden_note(&hidden, "graph-hidden-settings", Some((cleared, on_ack)))}
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
