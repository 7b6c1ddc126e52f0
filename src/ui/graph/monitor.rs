//! Monitoring: security-info registration events (`auditLogs/directoryAudits`, passkeys
//! included) and failed sign-ins (`auditLogs/signIns`), queried only with filters the v1.0 API
//! documents, one page at a time with "Next page".

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::monitor_pages::{next_page, registrations_table, sign_ins_table};
use super::runs::{permission_warnings, Runner};
use super::session::now_unix;
use crate::graph::flows::{self, LogPage};
use crate::graph::ops::{
    DirectoryAudit, RegistrationQuery, SignIn, SignInQuery, AUTHENTICATOR_APP_ID,
    REGISTRATION_ACTIVITIES,
};
use crate::graph::GraphOp;
use crate::ui::widgets::event::event_value;

/// Pages loaded per click: the first page only, so the admin pages on.
const PAGES_PER_LOAD: usize = 1;

#[derive(Properties, PartialEq)]
pub struct MonitorProps {
    pub runner: Runner,
}

/// The query's choices shared by both logs.
#[derive(Clone, Copy, PartialEq)]
struct MonitorForm {
    /// How many days back.
    days: i64,
    /// Every registration activity, not only "User registered security info".
    all_activities: bool,
}

#[function_component(MonitorSection)]
pub fn monitor_section(p: &MonitorProps) -> Html {
    let form = use_state(|| MonitorForm {
        days: 7,
        all_activities: false,
    });
    let registrations = use_state(|| None::<LogPage<DirectoryAudit>>);
    let sign_ins = use_state(|| None::<LogPage<SignIn>>);
    let upn_ref = use_node_ref();
    let authenticator_ref = use_node_ref();
    let failures_ref = use_node_ref();

    let on_days = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            if let Ok(days) = event_value(&e).parse() {
                form.set(MonitorForm { days, ..*form });
            }
        })
    };
    let on_all = {
        let form = form.clone();
        Callback::from(move |e: Event| {
            let all_activities = e.target_unchecked_into::<HtmlInputElement>().checked();
            form.set(MonitorForm {
                all_activities,
                ..*form
            })
        })
    };

    let on_registrations = {
        let (runner, form, page) = (p.runner.clone(), form.clone(), registrations.clone());
        Callback::from(move |_: MouseEvent| {
            let query = RegistrationQuery {
                activities: if form.all_activities {
                    REGISTRATION_ACTIVITIES
                        .iter()
                        .map(|s| s.to_string())
                        .collect()
                } else {
                    vec![REGISTRATION_ACTIVITIES[0].to_string()]
                },
                since_unix: Some(now_unix() - form.days * 86_400),
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
        let (runner, form, page) = (p.runner.clone(), form.clone(), sign_ins.clone());
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
                since_unix: Some(now_unix() - form.days * 86_400),
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

    let registrations_table = (*registrations).as_ref().map(|l| {
        let (runner, page) = (p.runner.clone(), registrations.clone());
        let more = Callback::from(move |_: MouseEvent| {
            next_page(&runner, &page, flows::newest_audits_first)
        });
        registrations_table(l, more)
    });
    let sign_ins_table = (*sign_ins).as_ref().map(|l| {
        let (runner, page) = (p.runner.clone(), sign_ins.clone());
        let more = Callback::from(move |_: MouseEvent| {
            next_page(&runner, &page, flows::newest_sign_ins_first)
        });
        sign_ins_table(l, more)
    });

    html! {
        <div class="graph-section" id="graph-monitor-section">
            <h3>{"Monitor registrations and sign-ins"}</h3>
            <label for="monitor-days">{"Since"}</label>
            <select id="monitor-days" onchange={on_days}>
                { for [1i64, 7, 30].iter().map(|d| html! { <option value={d.to_string()} selected={*d == form.days}>{format!("the last {d} day{}", if *d == 1 { "" } else { "s" })}</option> }) }
            </select>
            <h4>{"Security-info registration (directory audit log)"}</h4>
            <p class="hint">{"Passkeys and other methods registered on the security-info page are audit events (\"User registered security info\"), filtered on activityDisplayName and activityDateTime."}</p>
            <label class="check" for="monitor-all-activities">
                <input type="checkbox" id="monitor-all-activities" checked={form.all_activities} onchange={on_all} />
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
