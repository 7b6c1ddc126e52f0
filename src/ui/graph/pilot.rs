//! The pilot step's flow: find or create the group, add the members, then the policy narrowed
//! to the group, previewed like any other write before it is sent.

use wasm_bindgen_futures::spawn_local;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::deploy::DeployProps;
use super::runs::permission_warnings;
use crate::app::deploy::{self, PilotResult, PolicyWrite};
use crate::graph::{flows, GraphOp};
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
    let on_pilot = {
        let (runner, draft, dispatch, result, pending) = (
            p.runner.clone(),
            p.draft.clone(),
            p.dispatch.clone(),
            result.clone(),
            pending.clone(),
        );
        let (members_ref, update_ref) = (refs.0.clone(), refs.1.clone());
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
            let run = runner.start("Looking for the pilot group…");
            let (dispatch, result, pending, draft) = (
                dispatch.clone(),
                result.clone(),
                pending.clone(),
                draft.clone(),
            );
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
    let ops = [
        GraphOp::FindGroup,
        GraphOp::CreateGroup,
        GraphOp::GetUser,
        GraphOp::AddGroupMember,
        GraphOp::ListPolicies,
        GraphOp::CreatePolicy,
    ];
    html! {
        <div class="graph-pilot" id="graph-pilot-section">
            <h4>{"Pilot: group, then policy"}</h4>
            if group_name.is_empty() {
                <p class="hint">{"Type the name of a new security group in the form (\"…or the name of a new security group to create\"). With an existing group's id instead, use Deploy above."}</p>
            } else {
                <p class="hint">{"Finds the security group \""}{visible(&group_name)}{"\" or creates it and adds the members below; then shows the policy narrowed to the group (includeUsers cleared, includeGroups = the group) to confirm before it is sent."}</p>
            }
            <label for="graph-pilot-members">{"Members to add (user principal names or object ids, one per line; optional). Each is checked before anything is sent."}</label>
            <textarea id="graph-pilot-members" ref={refs.0.clone()} rows="3" spellcheck="false" />
            <label class="check" for="graph-pilot-update">
                <input type="checkbox" id="graph-pilot-update" ref={refs.1.clone()} />
                {" If a policy with this name exists, offer to update it (its changes are shown first; otherwise it is left alone)"}
            </label>
            {permission_warnings(&p.runner, &ops)}
            <button type="button" id="graph-pilot" disabled={group_name.is_empty() || !cleared} onclick={on_pilot}>{"Create the pilot group, then review the policy"}</button>
            if let Some(r) = (**result).clone() {
                <p id="graph-pilot-result" class={if r.policy_ok { "graph-result" } else { "field-error" }}
                    data-group-id={r.group_id.clone()} data-policy-ok={r.policy_ok.to_string()}>{visible(&r.summary)}</p>
            }
        </div>
    }
}
