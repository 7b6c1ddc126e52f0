//! One policy write, from Deploy or from the pilot: its preview (what changes, the request
//! line, the exact body) and its sending, exactly as previewed, once confirmed.

use yew::prelude::*;

use super::runs::Run;
use crate::app::deploy::{PolicyWrite, Send};
use crate::graph::flows;
use crate::guid::Guid;
use crate::ui::widgets::visible::visible;

/// The one preview of a policy write: what changes, the request line and the exact body.
pub fn write_preview(
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

/// Sends a confirmed write exactly as previewed and reports what exists afterwards; the id of
/// the policy the tenant now holds, when the write went through (the draft records it).
pub async fn send_write(
    run: &Run,
    pe: &PolicyWrite,
    field_error: &UseStateHandle<Option<(String, String)>>,
) -> Option<Guid> {
    let g = &run.g;
    let result = match pe.send() {
        Send::Create(request) => flows::send_create(g, request).await,
        Send::Update { id, plan } => flows::apply_patch(g, id, plan).await,
    };
    let id = result.as_ref().ok().map(|d| d.id.clone());
    let report = pe.report(result);
    match report.error {
        Some(e) => {
            field_error.set(report.field_error);
            run.fail_with(report.text, e);
            None
        }
        None => {
            run.ok(report.text);
            id
        }
    }
}
