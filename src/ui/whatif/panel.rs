//! The What-If panel: what the admin chose, and what the simulation says about it.

use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::controls::{check, input, select};
use super::preview::{preview, Choices};
use super::scenario::ScenarioFile;
use crate::app::draft::{Action, Draft};
use crate::app::whatif::WhatIfForm;
use crate::policy::edit;
use crate::ui::graph::use_graph_session;
use crate::ui::widgets::visible::visible;

#[derive(Properties, PartialEq)]
pub struct WhatIfPanelProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
}

const RISKS: [(&str, &str); 4] = [
    ("none", "none"),
    ("low", "low"),
    ("medium", "medium"),
    ("high", "high"),
];

#[function_component(WhatIfPanel)]
pub fn whatif_panel(p: &WhatIfPanelProps) -> Html {
    let choices = use_state(Choices::default);
    // The tenant's policies, once the Graph panel's audit has listed them.
    let session = use_graph_session();
    let draft = &p.draft;
    let shown = use_memo(
        ((*choices).clone(), draft.clone(), session.clone()),
        |(c, draft, session)| preview(c, draft, session.tenant.as_deref()),
    );
    let form = &choices.form;
    let result = &shown.result;
    let (outcome_code, outcome_text) = (shown.outcome.0, shown.outcome.1.clone());
    let device_problem = &shown.device_problem;
    let risks = RISKS;

    // Sets one choice.
    let edit = |change: fn(&mut Choices, bool)| {
        let choices = choices.clone();
        Callback::from(move |v: bool| {
            let mut c = (*choices).clone();
            change(&mut c, v);
            choices.set(c);
        })
    };
    let text = |get: fn(&mut WhatIfForm) -> &mut String| {
        let choices = choices.clone();
        Callback::from(move |v: String| {
            let mut c = (*choices).clone();
            *get(&mut c.form) = v;
            choices.set(c);
        })
    };
    let flag = |get: fn(&mut WhatIfForm) -> &mut bool| {
        let choices = choices.clone();
        Callback::from(move |v: bool| {
            let mut c = (*choices).clone();
            *get(&mut c.form) = v;
            choices.set(c);
        })
    };

    // A loaded scenario renders the sign-in controls afresh (a new key): a <select> the admin
    // has changed no longer follows its options' `selected` attribute.
    let loads = use_state(|| 0u32);
    let on_form = {
        let (choices, loads) = (choices.clone(), loads.clone());
        Callback::from(move |f: WhatIfForm| {
            let mut c = (*choices).clone();
            c.form = f;
            choices.set(c);
            loads.set(*loads + 1);
        })
    };

    let steps = draft.steps.iter().enumerate().map(|(i, s)| {
        let on = !choices.excluded.contains(&i);
        let choices = choices.clone();
        let onchange = Callback::from(move |e: Event| {
            let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut c = (*choices).clone();
            c.excluded.retain(|x| *x != i);
            if !checked {
                c.excluded.push(i);
            }
            choices.set(c);
        });
        let id = format!("whatif-policy-{i}");
        html! { <label class="check" for={id.clone()}><input type="checkbox" id={id} checked={on} {onchange} />{" "}{visible(&edit::display_name(&s.policy))}</label> }
    });

    let verdicts = result.policies.iter().map(|v| {
        html! {
            <li class={if v.applies { "applies" } else { "not-applies" }} data-applies={v.applies.to_string()}>
                <strong>{visible(&v.name)}</strong>{if v.report_only { " (report-only: never enforced)" } else { "" }}
                {if v.applies { " applies" } else { " does not apply" }}
                <ul>{ for v.reasons.iter().map(|r| html! { <li class={if r.met { "met" } else { "not-met" }}>{&r.verdict}</li> }) }</ul>
            </li>
        }
    });
    // A requirement someone registering a first passkey cannot meet says why, as the headline.
    let requirements = result.enforced.requirements.iter().map(|r| {
        html! {
            <li>{visible(&format!("{}: {}", r.name, r.grant.describe()))}
                if let Some(w) = r.first_passkey_words() { <div class="field-error first-passkey">{w}</div> }
            </li>
        }
    });
    let session_controls =
        result.enforced.session.iter().map(
            |s| html! { <li>{visible(&format!("{}: {}", s.name, s.controls.join(", ")))}</li> },
        );
    let notes = result.notes.iter().map(|n| html! { <li>{n}</li> });
    let rows = shown.matrix.iter().map(|(persona, code, words)| {
        html! { <tr data-persona={*persona} data-outcome={*code}><th scope="row">{*persona}</th><td class={*code}>{words}</td></tr> }
    });

    html! {
        <details class="panel whatif-panel" id="whatif-panel">
            <summary><h2 class="inline">{"What-If (offline)"}</h2></summary>
            <p class="hint">{"Simulates a sign-in against the draft's policies (and the tenant's, once the Graph panel's audit has listed them) in this browser; nothing is sent anywhere unless, connected, you run the scenario in the tenant too. Where Microsoft's documentation is silent, the result says what it assumed."}</p>
            <fieldset class="checks"><legend>{"Policies in the simulation"}</legend>{ for steps }
                if let Some(t) = &session.tenant {
                    {check("whatif-tenant", &format!("The tenant's {} policies, as listed by the audit ({}); a ticked step with their id replaces the one it updates", t.policies.len(), t.version.as_str()), choices.with_tenant, edit(|c, v| c.with_tenant = v))}
                }
            </fieldset>
            {check("whatif-preview-on", "Treat the draft's Report-only policies as On (preview the rollout)", choices.preview_on, edit(|c, v| c.preview_on = v))}
            <fieldset class="group" key={format!("sign-in-{}", *loads)}><legend>{"Sign-in"}</legend>
                {input("whatif-user", "User object id", form.user_id.clone(), text(|f| &mut f.user_id))}
                {input("whatif-groups", "The user's group ids (comma-separated)", form.groups.clone(), text(|f| &mut f.groups))}
                {input("whatif-roles", "The user's role template ids", form.roles.clone(), text(|f| &mut f.roles))}
                {check("whatif-guest", "Guest (B2B collaboration)", form.guest, flag(|f| &mut f.guest))}
                {select("whatif-resource", "Resource", &form.resource, &[("app", "An application"), ("registersecurityinfo", "User action: register security info (passkey)"), ("registerdevice", "User action: register or join devices"), ("context", "Authentication context")], text(|f| &mut f.resource))}
                if form.resource == "app" { {input("whatif-app", "Application (client) id", form.app_id.clone(), text(|f| &mut f.app_id))} }
                if form.resource == "context" { {input("whatif-context", "Authentication context id", form.context.clone(), text(|f| &mut f.context))} }
                {select("whatif-client-app", "Client app", &form.client_app, &[("browser", "Browser"), ("mobileAppsAndDesktopClients", "Mobile apps and desktop clients"), ("exchangeActiveSync", "Exchange ActiveSync"), ("other", "Other (legacy)")], text(|f| &mut f.client_app))}
                {select("whatif-platform", "Device platform", &form.platform, &[("", "unknown"), ("android", "Android"), ("iOS", "iOS"), ("windows", "Windows"), ("macOS", "macOS"), ("linux", "Linux")], text(|f| &mut f.platform))}
                {select("whatif-location", "Location", &form.location, &[("unknown", "Not in any named location"), ("trusted", "A trusted named location"), ("untrusted", "A named location that is not trusted")], text(|f| &mut f.location))}
                if form.location != "unknown" { {input("whatif-named-locations", "Its named location ids (comma-separated)", form.named_locations.clone(), text(|f| &mut f.named_locations))} }
                {select("whatif-auth-flow", "Authentication flow", &form.auth_flow, &[("", "An ordinary sign-in"), ("deviceCodeFlow", "Device code flow"), ("authenticationTransfer", "Authentication transfer")], text(|f| &mut f.auth_flow))}
                {select("whatif-sign-in-risk", "Sign-in risk", &form.sign_in_risk, &risks, text(|f| &mut f.sign_in_risk))}
                {select("whatif-user-risk", "User risk", &form.user_risk, &risks, text(|f| &mut f.user_risk))}
                {check("whatif-registered", "The device is registered in Entra ID", form.registered, flag(|f| &mut f.registered))}
                if form.registered {
                    {select("whatif-trust-type", "trustType", &form.trust_type, &[("", "(not set)"), ("AzureAD", "AzureAD (joined)"), ("ServerAD", "ServerAD (hybrid joined)"), ("Workplace", "Workplace (registered)")], text(|f| &mut f.trust_type))}
                    {select("whatif-compliant", "isCompliant", &form.compliant, &[("", "(not set)"), ("True", "True"), ("False", "False")], text(|f| &mut f.compliant))}
                    {select("whatif-ownership", "deviceOwnership", &form.ownership, &[("", "(not set)"), ("Company", "Company"), ("Personal", "Personal")], text(|f| &mut f.ownership))}
                    <div class="field"><label for="whatif-device-json">{"Other device-filter attributes, as JSON (as for ca-policy filter eval --device), e.g. {\"extensionAttribute1\": \"Kiosk\"}; the choices above win"}</label>
                        <textarea id="whatif-device-json" rows="3" spellcheck="false" value={form.device_json.clone()} oninput={{
                            let cb = text(|f| &mut f.device_json);
                            Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<web_sys::HtmlTextAreaElement>().value()))
                        }} /></div>
                    if let Some(d) = &device_problem { <p class="field-error" role="alert" id="whatif-device-error">{d}</p> }
                }
            </fieldset>
            <p id="whatif-result" class={outcome_code} data-outcome={outcome_code} role="status"><strong>{outcome_text}</strong></p>
            if !result.enforced.requirements.is_empty() { <h3>{"Every one of these must be met"}</h3><ul>{ for requirements }</ul> }
            if !result.enforced.session.is_empty() { <h3>{"Session controls"}</h3><ul>{ for session_controls }</ul> }
            <h3>{"Policy by policy"}</h3>
            <ul id="whatif-policies" class="verdicts">{ for verdicts }</ul>
            if !result.notes.is_empty() { <h3>{"Assumptions"}</h3><ul class="hint">{ for notes }</ul> }
            <ScenarioFile choices={(*choices).clone()} draft={draft.clone()} {on_form} />
            <h3>{"Personas and devices"}</h3>
            <table id="whatif-matrix"><thead><tr><th scope="col">{"Persona"}</th><th scope="col">{"Result"}</th></tr></thead><tbody>{ for rows }</tbody></table>
        </details>
    }
}
