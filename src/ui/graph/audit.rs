//! The audit: every policy in the tenant (all pages, v1.0 or beta) with the findings of
//! `analysis::audit` against the declared break-glass accounts (names beside the ids they
//! name, `app::audit`), and a button to open any of
//! them in the builder (as an imported step that updates that policy on export or deploy).
//! The loaded list also goes into the Graph session, so What-If can simulate the tenant's policies.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::deploy::state_label;
use super::runs::{permission_warnings, Runner};
use super::session::{use_graph_session, SessionAction};
use crate::analysis::BreakGlass;
use crate::app::audit::audit_findings;
use crate::app::draft::{Action, Draft};
use crate::graph::flows;
use crate::graph::ops::V1_OMISSION_NOTE;
use crate::graph::paging::DEFAULT_MAX_PAGES;
use crate::graph::{ApiVersion, GraphOp};
use crate::names::Naming;
use crate::policy::edit;
use crate::ui::widgets::event::event_value;
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct AuditProps {
    pub runner: Runner,
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

#[function_component(AuditSection)]
pub fn audit_section(p: &AuditProps) -> Html {
    let version = use_state(|| ApiVersion::V1);
    let session = use_graph_session();
    // The list the session already holds: coming back to this phase shows it again.
    let list = {
        let listed = session.tenant.clone();
        use_state(move || listed)
    };

    let on_version = {
        let version = version.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = ApiVersion::parse(&event_value(&e)) {
                version.set(v);
            }
        })
    };

    let on_load = {
        let (runner, version, list, session) = (
            p.runner.clone(),
            version.clone(),
            list.clone(),
            session.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let v = *version;
            let run = runner.start("Listing policies…");
            let (list, session) = (list.clone(), session.clone());
            spawn_local(async move {
                let g = &run.g;
                match flows::load_policies(g, v, DEFAULT_MAX_PAGES).await {
                    Ok(l) => {
                        run.ok(format!(
                            "Loaded {} polic{} from {} ({} page{}){}.",
                            l.policies.len(),
                            if l.policies.len() == 1 { "y" } else { "ies" },
                            v.as_str(),
                            l.pages,
                            if l.pages == 1 { "" } else { "s" },
                            if l.truncated {
                                "; stopped at the page limit, more exist"
                            } else {
                                ""
                            }
                        ));
                        let l = Rc::new(l);
                        session.dispatch(SessionAction::TenantListed(l.clone()));
                        list.set(Some(l));
                    }
                    Err(e) => run.fail(e),
                }
            });
        })
    };

    let bg = BreakGlass {
        users: p.draft.break_glass.users.clone(),
        groups: p.draft.break_glass.groups.clone(),
    };

    // The findings change only with the list or the declared accounts, not with every edit.
    let findings = use_memo(
        (
            (*list).clone(),
            bg.clone(),
            p.draft.labels.clone(),
            session.lookup_state(),
        ),
        |(list, bg, labels, state)| {
            let names = Naming::new(labels, state.lookup());
            list.as_ref()
                .map(|l| {
                    l.policies
                        .iter()
                        .map(|policy| audit_findings(policy, bg, names))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        },
    );

    let table = (*list).clone().map(|l| {
        let rows = l.policies.iter().zip(findings.iter()).map(|(policy, findings)| {
            let codes = findings.iter().map(|f| f.code).collect::<Vec<_>>().join(" ");
            let id = policy.id.value().cloned().unwrap_or_default();
            let name = edit::display_name(policy);
            let on_open = {
                let (dispatch, policy, id) = (p.dispatch.clone(), policy.clone(), id.clone());
                Callback::from(move |_: MouseEvent| {
                    dispatch.emit(Action::Import(vec![policy.clone()]));
                    // The imported step now updates this policy on export and deploy.
                    dispatch.emit(Action::SetUpdatePolicyId(id.clone()));
                })
            };
            html! {
                <tr data-policy-id={id.clone()} data-findings={codes}>
                    <td>{visible(&name)}<br /><code class="hint">{visible(&id)}</code></td>
                    <td>{state_label(policy)}</td>
                    <td>
                        <ul class="audit-findings">
                            { for findings.iter().map(|f| html! {
                                <li class={f.severity.as_str()} data-code={f.code} title={f.fix.clone()}>
                                    <code>{f.code}</code>{": "}{visible(&f.message)}
                                </li>
                            }) }
                        </ul>
                    </td>
                    <td><button type="button" class="secondary audit-open" data-policy-id={id.clone()}
                        aria-label={format!("Open {name} in the builder")} onclick={on_open}>{"Open"}</button></td>
                </tr>
            }
        });
        html! {
            <>
                <table id="audit-table" class="audit-table" data-version={l.version.as_str()}>
                    <caption>{format!("{} policies ({}){}", l.policies.len(), l.version.as_str(),
                        if bg.is_declared() { "" } else { "; declare break-glass accounts in the form to check their exclusion" })}</caption>
                    <thead><tr><th scope="col">{"Policy"}</th><th scope="col">{"State"}</th><th scope="col">{"Findings"}</th><th scope="col">{"Builder"}</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                if !l.unreadable.is_empty() {
                    <div class="field-warning" id="audit-unreadable">
                        <p>{format!("{} item(s) could not be read as policies:", l.unreadable.len())}</p>
                        <ul>{ for l.unreadable.iter().map(|u| html! { <li>{u}</li> }) }</ul>
                    </div>
                }
            </>
        }
    });

    html! {
        <div class="graph-section" id="graph-audit-section">
            <h3>{"Audit the tenant's policies"}</h3>
            <label for="audit-version">{"API version"}</label>
            <select id="audit-version" onchange={on_version} aria-describedby="audit-version-note">
                <option value="v1.0" selected={*version == ApiVersion::V1}>{"v1.0"}</option>
                <option value="beta" selected={*version == ApiVersion::Beta}>{"beta"}</option>
            </select>
            <p class="hint" id="audit-version-note">{format!("{V1_OMISSION_NOTE}.")}</p>
            {permission_warnings(&p.runner, &[GraphOp::ListPolicies])}
            <button type="button" id="audit-load" onclick={on_load}>{"Load all policies"}</button>
            {table}
        </div>
    }
}
