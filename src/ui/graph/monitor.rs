//! Monitoring: security-info registration events (`auditLogs/directoryAudits`, passkeys
//! included) and failed sign-ins (`auditLogs/signIns`), queried only with filters the v1.0 API
//! documents, one page at a time with "Next page".

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::runs::{permission_warnings, Runner};
use super::session::now_unix;
use crate::graph::flows::{self, LogPage};
use crate::graph::ops::{
    self, DirectoryAudit, RegistrationQuery, SignIn, SignInQuery, AUTHENTICATOR_APP_ID,
    REGISTRATION_ACTIVITIES,
};
use crate::graph::paging::next_page_request;
use crate::graph::GraphOp;
use crate::ui::widgets::event::event_value;

/// Pages loaded per click: the first page only, so the admin pages on.
const PAGES_PER_LOAD: usize = 1;

#[derive(Properties, PartialEq)]
pub struct MonitorProps {
    pub runner: Runner,
}

/// Loads the next page of the first request still having one, into `page`.
fn next_page<T: ops::LogEntry + Clone + 'static>(
    runner: &Runner,
    page: &UseStateHandle<Option<LogPage<T>>>,
    newest_first: fn(&mut [T]),
) {
    let Some(current) = (**page).clone() else {
        return;
    };
    let Some(request) = current.more.first().cloned() else {
        return;
    };
    let run = runner.start("Loading the next page…");
    let page = page.clone();
    spawn_local(async move {
        let g = &run.g;
        match g.page(&request).await {
            Ok(p) => {
                let (entries, bad) = ops::read_entries::<T>(p.items);
                let mut next = current.clone();
                next.entries.extend(entries);
                newest_first(&mut next.entries);
                next.unreadable += bad;
                next.more.remove(0);
                if let Some(link) = p.next {
                    next.more.insert(0, next_page_request(&request, link));
                }
                run.ok(format!(
                    "{} entries loaded{}.",
                    next.entries.len(),
                    if next.more.is_empty() {
                        "; no more pages"
                    } else {
                        ""
                    }
                ));
                page.set(Some(next));
            }
            Err(e) => run.fail(e),
        }
    });
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

#[function_component(MonitorSection)]
pub fn monitor_section(p: &MonitorProps) -> Html {
    let days = use_state(|| 7i64);
    let all_activities = use_state(|| false);
    let registrations = use_state(|| None::<LogPage<DirectoryAudit>>);
    let sign_ins = use_state(|| None::<LogPage<SignIn>>);
    let upn_ref = use_node_ref();
    let authenticator_ref = use_node_ref();
    let failures_ref = use_node_ref();

    let on_days = {
        let days = days.clone();
        Callback::from(move |e: Event| {
            if let Ok(d) = event_value(&e).parse() {
                days.set(d);
            }
        })
    };
    let on_all = {
        let all = all_activities.clone();
        Callback::from(move |e: Event| {
            all.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };

    let on_registrations = {
        let (runner, days, all, page) = (
            p.runner.clone(),
            days.clone(),
            all_activities.clone(),
            registrations.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let query = RegistrationQuery {
                activities: if *all {
                    REGISTRATION_ACTIVITIES
                        .iter()
                        .map(|s| s.to_string())
                        .collect()
                } else {
                    vec![REGISTRATION_ACTIVITIES[0].to_string()]
                },
                since_unix: Some(now_unix() - *days * 86_400),
                top: 50,
            };
            let run = runner.start("Reading registration events…");
            let page = page.clone();
            spawn_local(async move {
                let g = &run.g;
                match flows::load_registration_events(g, &query, PAGES_PER_LOAD).await {
                    Ok(l) => {
                        run.ok(format!("{} registration event(s).", l.entries.len()));
                        page.set(Some(l));
                    }
                    Err(e) => run.fail(e),
                }
            });
        })
    };

    let on_sign_ins = {
        let (runner, days, page) = (p.runner.clone(), days.clone(), sign_ins.clone());
        let (upn_ref, authenticator_ref, failures_ref) = (
            upn_ref.clone(),
            authenticator_ref.clone(),
            failures_ref.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let checked = |r: &NodeRef| r.cast::<HtmlInputElement>().is_some_and(|i| i.checked());
            let upn = upn_ref
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            let query = SignInQuery {
                since_unix: Some(now_unix() - *days * 86_400),
                failures_only: checked(&failures_ref),
                app_id: checked(&authenticator_ref).then(|| AUTHENTICATOR_APP_ID.to_string()),
                user_principal_name: (!upn.trim().is_empty()).then(|| upn.trim().to_string()),
                top: 50,
            };
            let run = runner.start("Reading sign-ins…");
            let page = page.clone();
            spawn_local(async move {
                let g = &run.g;
                match flows::load_sign_ins(g, &query, PAGES_PER_LOAD).await {
                    Ok(l) => {
                        run.ok(format!("{} sign-in(s).", l.entries.len()));
                        page.set(Some(l));
                    }
                    Err(e) => run.fail(e),
                }
            });
        })
    };

    let registrations_table = (*registrations).clone().map(|l| {
        let more = {
            let (runner, page) = (p.runner.clone(), registrations.clone());
            Callback::from(move |_: MouseEvent| next_page(&runner, &page, flows::newest_audits_first))
        };
        html! {
            <>
                <table id="monitor-registrations-table" class="monitor-table">
                    <thead><tr><th scope="col">{"When (UTC)"}</th><th scope="col">{"Activity"}</th><th scope="col">{"User"}</th><th scope="col">{"Result"}</th><th scope="col">{"Method"}</th></tr></thead>
                    <tbody>
                        { for l.entries.iter().map(|a| html! {
                            <tr data-id={a.id.clone()} data-passkey={a.mentions_passkey().to_string()}>
                                <td>{&a.activity_date_time}</td>
                                <td>{&a.activity_display_name}</td>
                                <td>{a.user().unwrap_or_default()}</td>
                                <td>{opt(&a.result)}{a.result_reason.as_ref().filter(|r| !r.is_empty()).map(|r| format!(" ({r})")).unwrap_or_default()}</td>
                                <td>{a.additional_details.iter().filter_map(|kv| Some(format!("{}: {}", kv.key.as_deref()?, kv.value.as_deref()?))).collect::<Vec<_>>().join("; ")}</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if l.unreadable > 0 { <p class="field-warning">{format!("{} entr(ies) could not be read.", l.unreadable)}</p> }
                if !l.more.is_empty() { <button type="button" class="secondary" id="monitor-registrations-next" onclick={more}>{"Next page"}</button> }
            </>
        }
    });

    let sign_ins_table = (*sign_ins).clone().map(|l| {
        let more = {
            let (runner, page) = (p.runner.clone(), sign_ins.clone());
            Callback::from(move |_: MouseEvent| next_page(&runner, &page, flows::newest_sign_ins_first))
        };
        html! {
            <>
                <table id="monitor-signins-table" class="monitor-table">
                    <thead><tr><th scope="col">{"When (UTC)"}</th><th scope="col">{"User / app"}</th><th scope="col">{"Status"}</th><th scope="col">{"Conditional Access"}</th><th scope="col">{"Device"}</th></tr></thead>
                    <tbody>
                        { for l.entries.iter().map(|s| {
                            let d = &s.device_detail;
                            let yes_no = |b: Option<bool>| b.map(|b| if b { "yes" } else { "no" }).unwrap_or("?");
                            html! {
                                <tr data-id={s.id.clone()} data-error-code={s.status.error_code.map(|c| c.to_string())}>
                                    <td>{&s.created_date_time}</td>
                                    <td>{opt(&s.user_principal_name)}<br />{opt(&s.app_display_name)}{s.client_app_used.as_ref().map(|c| format!(" ({c})")).unwrap_or_default()}</td>
                                    <td>{s.status.error_code.map(|c| format!("error {c}")).unwrap_or_default()}{s.status.failure_reason.as_ref().map(|r| format!(": {r}")).unwrap_or_default()}</td>
                                    <td>
                                        {opt(&s.conditional_access_status)}
                                        <ul>{ for s.applied_conditional_access_policies.iter().map(|a| html! {
                                            <li>{format!("{}: {}{}", opt(&a.display_name), opt(&a.result),
                                                if a.enforced_grant_controls.is_empty() { String::new() } else { format!(" ({})", a.enforced_grant_controls.join(", ")) })}</li>
                                        }) }</ul>
                                    </td>
                                    <td>{format!("{} {} · compliant {} · managed {}{}", opt(&d.operating_system), opt(&d.browser), yes_no(d.is_compliant), yes_no(d.is_managed),
                                        d.trust_type.as_ref().filter(|t| !t.is_empty()).map(|t| format!(" · {t}")).unwrap_or_default())}</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                if l.unreadable > 0 { <p class="field-warning">{format!("{} entr(ies) could not be read.", l.unreadable)}</p> }
                if !l.more.is_empty() { <button type="button" class="secondary" id="monitor-signins-next" onclick={more}>{"Next page"}</button> }
            </>
        }
    });

    html! {
        <div class="graph-section" id="graph-monitor-section">
            <h3>{"Monitor registrations and sign-ins"}</h3>
            <label for="monitor-days">{"Since"}</label>
            <select id="monitor-days" onchange={on_days}>
                { for [1i64, 7, 30].iter().map(|d| html! { <option value={d.to_string()} selected={*d == *days}>{format!("the last {d} day{}", if *d == 1 { "" } else { "s" })}</option> }) }
            </select>
            <h4>{"Security-info registration (directory audit log)"}</h4>
            <p class="hint">{"Passkeys and other methods registered on the security-info page are audit events (\"User registered security info\"), filtered on activityDisplayName and activityDateTime."}</p>
            <label class="check" for="monitor-all-activities">
                <input type="checkbox" id="monitor-all-activities" checked={*all_activities} onchange={on_all} />
                {" Also started, updated, deleted and admin registrations (one query each)"}
            </label>
            {permission_warnings(&p.runner, &[GraphOp::ReadDirectoryAudits])}
            <button type="button" id="monitor-registrations" onclick={on_registrations}>{"Load registration events"}</button>
            {registrations_table}
            <h4>{"Failed sign-ins (sign-in log)"}</h4>
            <p class="hint">{"Filters use v1.0 signIn properties only (createdDateTime, status/errorCode, appId, userPrincipalName); authenticationProtocol exists only in beta. Applied policies are omitted unless the token may read Conditional Access data."}</p>
            <label class="check" for="monitor-failures-only">
                <input type="checkbox" id="monitor-failures-only" ref={failures_ref} checked=true />{" Failures only"}
            </label>
            <label class="check" for="monitor-authenticator">
                <input type="checkbox" id="monitor-authenticator" ref={authenticator_ref} />{" Microsoft Authenticator only (appId "}<code>{AUTHENTICATOR_APP_ID}</code>{")"}
            </label>
            <label for="monitor-upn">{"User principal name (optional)"}</label>
            <input type="text" id="monitor-upn" ref={upn_ref} spellcheck="false" />
            {permission_warnings(&p.runner, &[GraphOp::ReadSignIns])}
            <button type="button" id="monitor-signins" onclick={on_sign_ins}>{"Load sign-ins"}</button>
            {sign_ins_table}
        </div>
    }
}
