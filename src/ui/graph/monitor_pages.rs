//! The monitor's results: registration events and sign-ins as tables, newest first, and the
//! next page loaded on "Next page" while Graph has more.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::runs::Runner;
use crate::graph::flows::LogPage;
use crate::graph::ops::{self, DirectoryAudit, SignIn};
use crate::graph::paging::next_page_request;

/// Loads the next page of the first request still having one, into `page`.
pub fn next_page<T: ops::LogEntry + Clone + 'static>(
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

pub fn registrations_table(l: &LogPage<DirectoryAudit>, more: Callback<MouseEvent>) -> Html {
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
}

pub fn sign_ins_table(l: &LogPage<SignIn>, more: Callback<MouseEvent>) -> Html {
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
}
