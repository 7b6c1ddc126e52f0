//! The pilot step's flow as one plan: the tenant is read first (the group by name and its
//! members, each member, the policy by name), then every write is previewed in order — create
//! the group or reuse it, add each member not in it yet, then the policy narrowed to the group —
//! and sent only once the admin confirms, exactly as shown, with each request's progress. What
//! exists is left out of the plan, so running it again resumes a run that stopped.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::deploy::DeployProps;
use super::pilot_preview::{plan_preview, state_name, state_text};
use super::runs::{permission_warnings, Runner};
use super::tap::TapPanel;
use crate::app::deploy::{self, PilotResult, PolicyWrite};
use crate::app::draft::{Action, Draft};
use crate::app::phase::record_deployed;
use crate::app::pilot::{self, PilotPlan, PilotUser, StepState};
use crate::graph::GraphOp;
use crate::ui::widgets::visible::visible;

/// `refs`: the members textarea and the "update an existing policy" checkbox.
pub fn pilot_section(
    p: &DeployProps,
    group_name: String,
    cleared: bool,
    refs: (&NodeRef, &NodeRef),
    result: &UseStateHandle<Option<PilotResult>>,
    pending: &UseStateHandle<Option<PolicyWrite>>,
) -> Html {
    html! {
        <PilotFlow runner={p.runner.clone()} draft={p.draft.clone()} dispatch={p.dispatch.clone()}
            {group_name} {cleared} members_ref={refs.0.clone()} update_ref={refs.1.clone()}
            result={result.clone()} pending={pending.clone()} />
    }
}

#[derive(Properties, PartialEq)]
struct FlowProps {
    runner: Runner,
    draft: Rc<Draft>,
    dispatch: Callback<Action>,
    group_name: String,
    cleared: bool,
    members_ref: NodeRef,
    update_ref: NodeRef,
    result: UseStateHandle<Option<PilotResult>>,
    pending: UseStateHandle<Option<PolicyWrite>>,
}

/// A plan waiting for confirmation, with the draft it was planned from (any edit makes it stale).
#[derive(Clone, PartialEq)]
struct Planned {
    plan: Rc<PilotPlan>,
    draft: Rc<Draft>,
}

fn users_of(plan: &PilotPlan) -> Vec<PilotUser> {
    plan.to_add.iter().chain(&plan.already).cloned().collect()
}

#[function_component(PilotFlow)]
fn pilot_flow(p: &FlowProps) -> Html {
    let planned = use_state(|| None::<Planned>);
    let progress = use_state(|| None::<Vec<(String, StepState)>>);
    let users = use_state(Vec::<PilotUser>::new);
    let current = (*planned).clone().filter(|pl| *pl.draft == *p.draft);

    let on_plan = {
        let (runner, draft, result, pending) = (
            p.runner.clone(),
            p.draft.clone(),
            p.result.clone(),
            p.pending.clone(),
        );
        let (members_ref, update_ref) = (p.members_ref.clone(), p.update_ref.clone());
        let (planned, progress, users) = (planned.clone(), progress.clone(), users.clone());
        Callback::from(move |_: MouseEvent| {
            let members = members_ref
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let update_existing = update_ref
                .cast::<HtmlInputElement>()
                .is_some_and(|i| i.checked());
            let req = match deploy::pilot_request(&draft, &members, update_existing) {
                Ok(req) => req,
                Err(e) => return runner.problem(e),
            };
            result.set(None);
            pending.set(None);
            planned.set(None);
            progress.set(None);
            let run =
                runner.start("Reading the group, the members and the policy (nothing is written)…");
            let (planned, users, draft) = (planned.clone(), users.clone(), draft.clone());
            spawn_local(async move {
                let g = &run.g;
                let survey = match pilot::survey(g, &req).await {
                    Ok(s) => s,
                    Err(e) => {
                        let text = format!("{} Nothing was sent.", e.user_message());
                        return run.fail_with(text, e);
                    }
                };
                match pilot::plan(&req, g.cloud, survey) {
                    Err(e) => run.problem(e.to_string()),
                    Ok(plan) => {
                        users.set(users_of(&plan));
                        let n = plan.preview().len();
                        run.ok(if n == 0 {
                            "Nothing to send: the group, its members and the policy are already as planned.".to_string()
                        } else {
                            format!("Nothing is sent yet: review the {n} request{} below, then confirm.", if n == 1 { "" } else { "s" })
                        });
                        planned.set(Some(Planned {
                            plan: Rc::new(plan),
                            draft,
                        }));
                    }
                }
            });
        })
    };

    let on_confirm = {
        let (runner, dispatch, result) = (p.runner.clone(), p.dispatch.clone(), p.result.clone());
        let (planned, progress, current) = (planned.clone(), progress.clone(), current.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(pl) = current.clone() else { return };
            planned.set(None);
            let run = runner.start("Sending the pilot…");
            let (dispatch, result, progress) = (dispatch.clone(), result.clone(), progress.clone());
            spawn_local(async move {
                let plan = pl.plan;
                let states: Rc<RefCell<Vec<(String, StepState)>>> = Rc::new(RefCell::new(
                    plan.preview()
                        .into_iter()
                        .map(|s| (s.label, StepState::Waiting))
                        .collect(),
                ));
                progress.set(Some(states.borrow().clone()));
                let shown = (states.clone(), progress.clone());
                let report = pilot::send(&run.g, &plan, move |i, state| {
                    shown.0.borrow_mut()[i].1 = state;
                    shown.1.set(Some(shown.0.borrow().clone()));
                })
                .await;
                progress.set(Some(report.steps.clone()));
                let summary = report.summary(&plan);
                if let Some(id) = &report.group {
                    // The draft now names the group, so its export matches what is deployed.
                    dispatch.emit(Action::SetPilotGroup(id.to_string()));
                }
                if let Some(d) = &report.policy {
                    // And the policy the tenant holds (the rollout bar shows it deployed).
                    for a in record_deployed(pl.draft.current, &d.id) {
                        dispatch.emit(a);
                    }
                }
                result.set(Some(PilotResult {
                    summary: summary.clone(),
                    group_id: report
                        .group
                        .as_ref()
                        .map(|g| g.to_string())
                        .unwrap_or_default(),
                    policy_ok: report.failed.is_none(),
                }));
                match report.failed {
                    None => run.ok(summary),
                    Some((_, e)) => run.fail_with(summary, e),
                }
            });
        })
    };

    let on_dismiss = {
        let planned = planned.clone();
        Callback::from(move |_: MouseEvent| planned.set(None))
    };

    let ops = [
        GraphOp::FindGroup,
        GraphOp::GetUser,
        GraphOp::ListPolicies,
        GraphOp::CreateGroup,
        GraphOp::AddGroupMember,
        GraphOp::CreatePolicy,
    ];
    let group_name = &p.group_name;
    html! {
        <div class="graph-pilot" id="graph-pilot-section">
            <h4>{"Pilot: group, members, then policy"}</h4>
            if group_name.is_empty() {
                <p class="hint">{"Type the name of a new security group in the form (\"…or the name of a new security group to create\"). With an existing group's id instead, use Deploy above."}</p>
            } else {
                <p class="hint">{"Reads the tenant first (the security group \""}{visible(group_name)}{"\", the members below, a policy with the draft's name), then shows every request in order — create the group or reuse it, add each member not in it yet, then the policy narrowed to the group (includeUsers cleared, includeGroups = the group). Nothing is written before you confirm; what exists already is not created twice."}</p>
            }
            <label for="graph-pilot-members">{"Members to add (user principal names or object ids, one per line; optional). Each is looked up before anything is sent."}</label>
            <textarea id="graph-pilot-members" ref={p.members_ref.clone()} rows="3" spellcheck="false" />
            <label class="check" for="graph-pilot-update">
                <input type="checkbox" id="graph-pilot-update" ref={p.update_ref.clone()} />
                {" If a policy with this name exists, offer to update it (its changes are shown first; otherwise it is left alone)"}
            </label>
            {permission_warnings(&p.runner, &ops)}
            <button type="button" id="graph-pilot" disabled={group_name.is_empty() || !p.cleared} onclick={on_plan}>{"Review the pilot's requests"}</button>
            if let Some(pl) = current {
                {plan_preview(&pl.plan, p.cleared, on_confirm, on_dismiss)}
            }
            if let Some(steps) = (*progress).clone() {
                <ol id="graph-pilot-progress" class="graph-pilot-progress">
                    { for steps.iter().map(|(label, state)| html! {
                        <li data-state={state_name(state)}>{visible(label)}{" — "}{state_text(state)}</li>
                    }) }
                </ol>
            }
            if let Some(r) = (*p.result).clone() {
                <p id="graph-pilot-result" class={if r.policy_ok { "graph-result" } else { "field-error" }}
                    data-group-id={r.group_id.clone()} data-policy-ok={r.policy_ok.to_string()}>{visible(&r.summary)}</p>
            }
            if !users.is_empty() {
                <TapPanel runner={p.runner.clone()} users={(*users).clone()} />
            }
        </div>
    }
}
