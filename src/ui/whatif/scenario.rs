//! The scenario as a file and against the tenant: the form's evaluate request (shown, downloaded,
//! loaded back), and, connected, the same body sent to the tenant's `evaluate` with the answer
//! side by side with the offline engine's, every difference with its explanation.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::preview::Choices;
use crate::app::draft::Draft;
use crate::app::whatif::WhatIfForm;
use crate::app::whatif_compare::{compare, offline, run_in_tenant, Agreement, Comparison};
use crate::app::whatif_file::{from_request, to_request, SCENARIO_FILE};
use crate::graph::GraphOp;
use crate::ui::graph::{permission_warnings, use_graph_session, use_runs};
use crate::ui::widgets::download::download_bytes;
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct ScenarioProps {
    pub choices: Choices,
    pub draft: Rc<Draft>,
    /// A loaded scenario replaces the form (never the draft).
    pub on_form: Callback<WhatIfForm>,
}

/// A comparison with the body it was run with (it goes stale when the form changes).
#[derive(PartialEq)]
struct Compared {
    body: String,
    comparison: Comparison,
}

#[function_component(ScenarioFile)]
pub fn scenario_file(p: &ScenarioProps) -> Html {
    // What the last load or download said: (lines, is an error).
    let told = use_state(|| None::<(Vec<String>, bool)>);
    let compared = use_state(|| None::<Rc<Compared>>);
    let session = use_graph_session();
    let runs = use_runs(session.conn.clone());
    let written = use_memo(p.choices.form.clone(), to_request);
    // The tenant's answer is forgotten with the token, as everything read with it is.
    {
        let compared = compared.clone();
        use_effect_with(session.conn.is_some(), move |connected| {
            if !*connected {
                compared.set(None);
            }
        });
    }

    let on_download = {
        let (written, told) = (written.clone(), told.clone());
        Callback::from(move |_: MouseEvent| {
            match &*written {
            Ok(w) => match download_bytes(SCENARIO_FILE, w.body.as_bytes(), "application/json") {
                Ok(()) => told.set(Some((vec![format!("Saved {SCENARIO_FILE}: the evaluate request below, for ca-policy whatif or Graph.")], false))),
                Err(e) => told.set(Some((vec![format!("The scenario was not saved: {e}.")], true))),
            },
            Err(e) => told.set(Some((vec![e.clone()], true))),
        }
        })
    };
    let on_file = {
        let (told, on_form, form) = (told.clone(), p.on_form.clone(), p.choices.form.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let (told, on_form, form) = (told.clone(), on_form.clone(), form.clone());
            let name = file.name();
            spawn_local(async move {
                let bytes = match wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                    Ok(buf) => js_sys::Uint8Array::new(buf.unchecked_ref()).to_vec(),
                    Err(_) => {
                        return told.set(Some((
                            vec![format!("{name} could not be read; the form is unchanged.")],
                            true,
                        )))
                    }
                };
                match from_request(&name, &bytes, &form) {
                    Ok(loaded) => {
                        let mut lines = vec![format!("Loaded {name} into the form.")];
                        lines.extend(loaded.not_shown);
                        on_form.emit(loaded.form);
                        told.set(Some((lines, false)));
                    }
                    Err(e) => told.set(Some((vec![e, "The form is unchanged.".into()], true))),
                }
            });
            input.set_value("");
        })
    };

    let tenant_part = runs.runner.clone().map(|runner| {
        let on_run = {
            let (written, compared, runner) = (written.clone(), compared.clone(), runner.clone());
            let (choices, draft, tenant) = (p.choices.clone(), p.draft.clone(), session.tenant.clone());
            let state = session.lookup_state();
            Callback::from(move |_: MouseEvent| {
                let w = match &*written {
                    Ok(w) => w.clone(),
                    Err(e) => return runner.problem(e.clone()),
                };
                let tenant = tenant.as_deref().filter(|_| choices.with_tenant);
                let off = match offline(&w.request, &choices.form, &draft, &choices.excluded, choices.preview_on, tenant, state.lookup()) {
                    Ok(o) => o,
                    Err(e) => return runner.problem(e),
                };
                let run = runner.start("Running the What-If in the tenant…");
                let compared = compared.clone();
                spawn_local(async move {
                    match run_in_tenant(&run.g, &w.body).await {
                        Ok(answer) => {
                            let comparison = compare(&off, &answer);
                            run.ok(format!(
                                "The tenant evaluated {} polic{}; {} row{} differ{} from the offline result.",
                                answer.policies.len(),
                                if answer.policies.len() == 1 { "y" } else { "ies" },
                                comparison.differences,
                                if comparison.differences == 1 { "" } else { "s" },
                                if comparison.differences == 1 { "s" } else { "" },
                            ));
                            compared.set(Some(Rc::new(Compared { body: w.body, comparison })));
                        }
                        Err(e) => run.fail(e),
                    }
                });
            })
        };
        html! {
            <div class="whatif-tenant">
                <button type="button" class="secondary" id="whatif-run-tenant" onclick={on_run}>{"Run in the tenant too"}</button>
                <span class="hint">{" Sends the request above to the tenant's What-If (POST /identity/conditionalAccess/evaluate, v1.0); it reads policies and changes nothing."}</span>
                {permission_warnings(&runner, &[GraphOp::EvaluatePolicies])}
                {runs.region("whatif-evaluate")}
            </div>
        }
    });

    let body_now = (*written).as_ref().ok().map(|w| w.body.clone());
    let table = (*compared).clone().map(|c| {
        let stale = body_now.as_deref() != Some(c.body.as_str());
        let cmp = &c.comparison;
        let rows = cmp.rows.iter().map(|r| {
            let differs = r.agreement != Agreement::Same;
            html! {
                <tr data-agreement={r.agreement.code()} data-policy-id={r.id.clone().unwrap_or_default()} class={classes!(differs.then_some("differs"))}>
                    <th scope="row">{visible(&r.name)}</th>
                    <td class="whatif-offline">{r.offline.clone().unwrap_or_else(|| "not in the offline set".into())}</td>
                    <td class="whatif-service">{r.service.clone().unwrap_or_else(|| "not in the tenant's answer".into())}</td>
                    <td class="whatif-why">
                        if differs { <ul>{ for r.why.iter().map(|w| html! { <li>{visible(w)}</li> }) }</ul> } else { {"the same"} }
                    </td>
                </tr>
            }
        });
        html! {
            <div id="whatif-compare" data-differences={cmp.differences.to_string()} data-stale={stale.to_string()}>
                <h3>{"Offline and in the tenant"}</h3>
                if stale { <p class="field-warning" role="note">{"The form has changed since this ran: the table is for the earlier request. Run it again to compare the request shown above."}</p> }
                <p>{format!("{} polic{}, {} differ{}.", cmp.rows.len(), if cmp.rows.len() == 1 { "y" } else { "ies" }, cmp.differences, if cmp.differences == 1 { "s" } else { "" })}</p>
                <table id="whatif-compare-table">
                    <thead><tr><th scope="col">{"Policy"}</th><th scope="col">{"Offline"}</th><th scope="col">{"In the tenant"}</th><th scope="col">{"Why they differ"}</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                if !cmp.notes.is_empty() { <ul class="hint" id="whatif-compare-notes">{ for cmp.notes.iter().map(|n| html! { <li>{visible(n)}</li> }) }</ul> }
            </div>
        }
    });

    let (told_lines, told_error) = (*told).clone().unwrap_or_default();
    html! {
        <fieldset class="group whatif-scenario"><legend>{"Scenario file (Graph's evaluate request)"}</legend>
            <p class="hint">{"The sign-in above as the body of Graph's POST /identity/conditionalAccess/evaluate: the same file works with ca-policy whatif and against the tenant."}</p>
            <div class="row">
                <button type="button" class="secondary" id="whatif-download" onclick={on_download} disabled={written.is_err()}>{"Download scenario"}</button>
                <label for="whatif-load" class="inline-label">{"Load scenario:"}</label>
                <input type="file" id="whatif-load" accept=".json,application/json" onchange={on_file} />
            </div>
            if !told_lines.is_empty() {
                <ul id="whatif-file-message" role={if told_error { "alert" } else { "status" }} class={if told_error { "field-error" } else { "hint" }}>
                    { for told_lines.iter().map(|l| html! { <li>{visible(l)}</li> }) }
                </ul>
            }
            {match &*written {
                Ok(w) => html! {
                    <>
                        <details><summary>{"The request"}</summary><pre id="whatif-request">{w.body.clone()}</pre></details>
                        if !w.left_out.is_empty() { <ul class="hint" id="whatif-request-left-out">{ for w.left_out.iter().map(|l| html! { <li>{visible(l)}</li> }) }</ul> }
                    </>
                },
                Err(e) => html! { <p class="field-error" role="alert" id="whatif-request-error">{e.clone()}</p> },
            }}
            {for tenant_part}
            {for table}
        </fieldset>
    }
}
