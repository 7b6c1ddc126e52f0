//! The What-If panel: what the admin chose, and what the simulation says about it.

use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::controls::{check, input, select};
use super::preview::{preview, Choices};
use super::scenario::ScenarioFile;
use crate::app::draft::{Action, Draft};
use crate::app::picker::PickTarget;
use crate::app::whatif::{form_ids, write_ids, SignInStep, WhatIfForm};
use crate::graph::ops::DirectoryKind;
use crate::names::Naming;
use crate::policy::edit;
use crate::ui::graph::use_graph_session;
use crate::ui::widgets::picker::PickerField;
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
        |(c, draft, session)| {
            let state = session.lookup_state();
            let names = Naming::new(&draft.labels, state.lookup());
            preview(c, draft, session.tenant.as_deref(), names)
        },
    );
    let form = &choices.form;
    let headline = shown.run.headline();
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
    // The persona's user, groups, roles, application and named locations as pickers: chosen
    // by name (Graph when connected, the catalogue offline) or by a pasted id, shown with their
    // names; the form keeps the ids, the draft the names (as labels).
    let picker = |id: &'static str,
                  label: &'static str,
                  kind: DirectoryKind,
                  one: bool,
                  field: &str,
                  get: fn(&mut WhatIfForm) -> &mut String| {
        let choices = choices.clone();
        let on_change = Callback::from(move |ids: Vec<String>| {
            let mut c = (*choices).clone();
            *get(&mut c.form) = write_ids(&ids);
            choices.set(c);
        });
        html! {
            <PickerField {id} {label} target={PickTarget::Outside { kind, one }} draft={draft.clone()}
                dispatch={p.dispatch.clone()} held={form_ids(field)} {on_change} />
        }
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

    // The headline: one line per evaluation listed below, from that evaluation alone.
    let headline_lines = headline.lines.iter().map(|l| {
        let cited = l.policies.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(" ");
        html! {
            <li data-sign-in={l.step.code()} data-outcome={l.code} data-policies={cited}>
                <span class="whatif-sign-in">{visible(&capitalized(&l.sign_in))}{": "}</span><strong>{visible(&l.words)}</strong>
            </li>
        }
    });
    let evaluations = shown.run.evaluations().iter().map(|e| {
        let asked = e.step == SignInStep::Asked;
        let verdicts = e.report.policies.iter().map(|v| {
            html! {
                <li class={if v.applies { "applies" } else { "not-applies" }} data-applies={v.applies.to_string()} data-report-only={v.report_only.to_string()} data-index={v.index.to_string()}>
                    <strong>{visible(&v.name)}</strong>{if v.report_only { " (report-only: never enforced)" } else { "" }}
                    {if v.applies { " applies" } else { " does not apply" }}
                    <ul>{ for v.reasons.iter().map(|r| html! { <li class={if r.met { "met" } else { "not-met" }}>{visible(&r.verdict)}</li> }) }</ul>
                </li>
            }
        });
        // A requirement someone registering a first passkey cannot meet says why.
        let requirements = e.report.enforced.requirements.iter().map(|r| {
            html! {
                <li>{visible(&format!("{}: {}", r.name, r.grant.describe()))}
                    if let Some(w) = r.first_passkey_words() { <div class="field-error first-passkey">{w}</div> }
                </li>
            }
        });
        let session_controls = e.report.enforced.session.iter().map(
            |s| html! { <li>{visible(&format!("{}: {}", s.name, s.controls.join(", ")))}</li> },
        );
        html! {
            <section class="whatif-evaluation" data-sign-in={e.step.code()}>
                <h3>{"Policy by policy, for "}{visible(&e.sign_in)}</h3>
                if !e.report.enforced.requirements.is_empty() { <h4>{"Every one of these must be met"}</h4><ul>{ for requirements }</ul> }
                if !e.report.enforced.session.is_empty() { <h4>{"Session controls"}</h4><ul>{ for session_controls }</ul> }
                <ul id={if asked { "whatif-policies" } else { "whatif-policies-before" }} class="verdicts">{ for verdicts }</ul>
            </section>
        }
    });
    let notes = shown.run.notes();
    let notes_shown = notes.iter().map(|n| html! { <li>{visible(n)}</li> });
    let rows = shown.matrix.iter().map(|(persona, h)| {
        html! {
            <tr data-persona={*persona} data-outcome={h.code}><th scope="row">{*persona}</th>
                <td class={h.code}><ul class="whatif-headline">{ for h.lines.iter().map(|l| html! {
                    <li data-sign-in={l.step.code()} data-outcome={l.code}>{visible(&format!("{}: {}", capitalized(&l.sign_in), l.words))}</li>
                }) }</ul></td></tr>
        }
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
                {picker("whatif-user", "User: search by name, or paste the object id", DirectoryKind::User, true, &form.user_id, |f| &mut f.user_id)}
                {picker("whatif-groups", "The user's groups: search by name, or paste an id", DirectoryKind::Group, false, &form.groups, |f| &mut f.groups)}
                {picker("whatif-roles", "The user's directory roles: search by name", DirectoryKind::Role, false, &form.roles, |f| &mut f.roles)}
                {check("whatif-guest", "Guest (B2B collaboration)", form.guest, flag(|f| &mut f.guest))}
                {select("whatif-resource", "Resource", &form.resource, &[("app", "An application"), ("registersecurityinfo", "User action: register security info (passkey)"), ("registerdevice", "User action: register or join devices"), ("context", "Authentication context")], text(|f| &mut f.resource))}
                if form.resource == "app" { {picker("whatif-app", "Application: search by name, or paste its application (client) id", DirectoryKind::App, true, &form.app_id, |f| &mut f.app_id)} }
                if form.resource == "context" { {input("whatif-context", "Authentication context id", form.context.clone(), text(|f| &mut f.context))} }
                {select("whatif-client-app", "Client app", &form.client_app, &[("browser", "Browser"), ("mobileAppsAndDesktopClients", "Mobile apps and desktop clients"), ("exchangeActiveSync", "Exchange ActiveSync"), ("other", "Other (legacy)")], text(|f| &mut f.client_app))}
                {select("whatif-platform", "Device platform", &form.platform, &[("", "unknown"), ("android", "Android"), ("iOS", "iOS"), ("windows", "Windows"), ("macOS", "macOS"), ("linux", "Linux")], text(|f| &mut f.platform))}
                {select("whatif-location", "Location", &form.location, &[("unknown", "Not in any named location"), ("trusted", "A trusted named location"), ("untrusted", "A named location that is not trusted")], text(|f| &mut f.location))}
                if form.location != "unknown" { {picker("whatif-named-locations", "Its named locations: search by name, or paste an id", DirectoryKind::Location, false, &form.named_locations, |f| &mut f.named_locations)} }
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
            <div id="whatif-result" class={headline.code} data-outcome={headline.code} role="status">
                <ul class="whatif-headline">{ for headline_lines }</ul>
            </div>
            { for evaluations }
            if !notes.is_empty() { <h3>{"Assumptions"}</h3><ul class="hint" id="whatif-notes">{ for notes_shown }</ul> }
            <ScenarioFile choices={(*choices).clone()} draft={draft.clone()} {on_form} />
            <h3>{"Personas and devices"}</h3>
            <table id="whatif-matrix"><thead><tr><th scope="col">{"Persona"}</th><th scope="col">{"Result"}</th></tr></thead><tbody>{ for rows }</tbody></table>
        </details>
    }
}

/// The first letter in upper case: a sign-in's words start a line.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
