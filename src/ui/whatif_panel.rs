//! The What-If screen: simulate a sign-in against the draft's policies (and, once the Graph
//! panel's audit has listed them, the tenant's), entirely in the browser, with each policy's
//! verdict in words; and a matrix of typical personas and devices (blocked, challenged or let
//! through).

use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::visible::visible;
use crate::analysis::whatif::{AuthFlow, ClientApp, Location, Resource, Risk, User, UserKind};
use crate::analysis::{matrix, CompiledPolicySet, Outcome, Scenario};
use crate::app::draft::{Action, Draft};
use crate::filter::{Device, Value};
use crate::graph::flows::PolicyList;
use crate::policy::edit;
use crate::policy::model::{DevicePlatform, GuestOrExternalUserType, Policy, PolicyState};

#[derive(Properties, PartialEq)]
pub struct WhatIfPanelProps {
    pub draft: Rc<Draft>,
    pub dispatch: Callback<Action>,
    /// The tenant's policies, when the Graph panel's audit has listed them.
    pub tenant: Option<Rc<PolicyList>>,
}

/// Exchange Online's app id: a typical "any app" sign-in.
const EXCHANGE_ONLINE: &str = "00000002-0000-0ff1-ce00-000000000000";

#[derive(Clone, PartialEq)]
struct Form {
    user_id: String,
    groups: String,
    roles: String,
    guest: bool,
    resource: String, // "app", "registersecurityinfo", "registerdevice", "context"
    app_id: String,
    context: String,
    client_app: String,
    platform: String,
    location: String, // "unknown", "trusted", "untrusted"
    named_locations: String,
    auth_flow: String, // "", "deviceCodeFlow", "authenticationTransfer"
    sign_in_risk: String,
    user_risk: String,
    registered: bool,
    trust_type: String,
    compliant: String,
    ownership: String,
    /// More device-filter attributes, as JSON (the CLI's `--device` format).
    device_json: String,
}

impl Default for Form {
    fn default() -> Self {
        Form {
            user_id: "00000000-0000-0000-0000-0000000000aa".into(),
            groups: String::new(),
            roles: String::new(),
            guest: false,
            resource: "registersecurityinfo".into(),
            app_id: EXCHANGE_ONLINE.into(),
            context: "c1".into(),
            client_app: "mobileAppsAndDesktopClients".into(),
            platform: "iOS".into(),
            location: "unknown".into(),
            sign_in_risk: "none".into(),
            user_risk: "none".into(),
            registered: false,
            trust_type: String::new(),
            compliant: String::new(),
            ownership: String::new(),
            named_locations: String::new(),
            auth_flow: String::new(),
            device_json: String::new(),
        }
    }
}

fn ids(s: &str) -> Vec<String> {
    s.split([',', '\n', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

fn risk(s: &str) -> Risk {
    match s {
        "low" => Risk::Low,
        "medium" => Risk::Medium,
        "high" => Risk::High,
        _ => Risk::None,
    }
}

impl Form {
    /// The scenario, and what is wrong with the device JSON (then left out) if anything.
    fn scenario(&self) -> (Scenario, Option<String>) {
        let mut device = Device::unregistered();
        let mut problem = None;
        if self.registered {
            if !self.device_json.trim().is_empty() {
                match serde_json::from_str::<Device>(&self.device_json) {
                    Ok(d) => device = d,
                    Err(e) => {
                        problem = Some(format!(
                            "Device attributes, line {}, column {}: {e}",
                            e.line(),
                            e.column()
                        ))
                    }
                }
            }
            for (name, v) in [
                ("trustType", &self.trust_type),
                ("deviceOwnership", &self.ownership),
            ] {
                if !v.is_empty() {
                    device.set(name, Value::Str(v.clone()));
                }
            }
            if !self.compliant.is_empty() {
                device.set("isCompliant", Value::Bool(self.compliant == "True"));
            }
            if !self.platform.is_empty() {
                device.set("operatingSystem", Value::Str(self.platform.clone()));
            }
        }
        let scenario = Scenario {
            user: User {
                id: self.user_id.trim().to_string(),
                groups: ids(&self.groups),
                roles: ids(&self.roles),
                kind: if self.guest {
                    UserKind::Guest {
                        guest_type: GuestOrExternalUserType::B2bCollaborationGuest,
                        home_tenant: None,
                    }
                } else {
                    UserKind::Member
                },
            },
            resource: match self.resource.as_str() {
                "registersecurityinfo" => {
                    Resource::UserAction("urn:user:registersecurityinfo".into())
                }
                "registerdevice" => Resource::UserAction("urn:user:registerdevice".into()),
                "context" => Resource::AuthContext(self.context.trim().to_string()),
                _ => Resource::App(self.app_id.trim().to_string()),
            },
            client_app: match self.client_app.as_str() {
                "browser" => ClientApp::Browser,
                "exchangeActiveSync" => ClientApp::ExchangeActiveSync,
                "other" => ClientApp::Other,
                _ => ClientApp::MobileAppsAndDesktopClients,
            },
            platform: (!self.platform.is_empty()).then(|| DevicePlatform::parse(&self.platform)),
            location: match self.location.as_str() {
                "trusted" => Location::Known {
                    named: ids(&self.named_locations),
                    trusted: true,
                },
                "untrusted" => Location::Known {
                    named: ids(&self.named_locations),
                    trusted: false,
                },
                _ => Location::Unknown,
            },
            sign_in_risk: risk(&self.sign_in_risk),
            user_risk: risk(&self.user_risk),
            auth_flow: match self.auth_flow.as_str() {
                "deviceCodeFlow" => Some(AuthFlow::DeviceCodeFlow),
                "authenticationTransfer" => Some(AuthFlow::AuthenticationTransfer),
                _ => None,
            },
            device,
        };
        (scenario, problem)
    }
}

fn outcome_words(o: &Outcome) -> (&'static str, String) {
    match o {
        Outcome::Blocked(why) => ("blocked", format!("Blocked: {}", why.join("; "))),
        Outcome::Challenged(reqs) => ("challenged", format!("Challenged: {}", reqs.join("; AND "))),
        Outcome::Allowed => ("allowed", "Let through with no policy requirement".into()),
    }
}

#[function_component(WhatIfPanel)]
pub fn whatif_panel(p: &WhatIfPanelProps) -> Html {
    let form = use_state(Form::default);
    let preview_on = use_state(|| true);
    let excluded = use_state(Vec::<usize>::new);
    let with_tenant = use_state(|| true);
    let draft = &p.draft;

    // The policy set: the draft's steps the admin kept ticked, report-only ones optionally
    // previewed as On (every template starts report-only, which enforces nothing); then the
    // tenant's policies, as they are, except those a ticked step updates (the step is what
    // they would become).
    let mut policies: Vec<Policy> = (0..draft.steps.len())
        .filter(|i| !excluded.contains(i))
        .map(|i| {
            let mut pol = draft.effective_policy(i);
            if *preview_on
                && edit::state(&pol) == Some(PolicyState::EnabledForReportingButNotEnforced)
            {
                edit::set_state(&mut pol, PolicyState::Enabled);
            }
            pol
        })
        .collect();
    let tenant = p.tenant.as_ref().filter(|_| *with_tenant);
    if let Some(t) = tenant {
        let updated: Vec<&str> = (0..draft.steps.len())
            .filter(|i| !excluded.contains(i))
            .map(|i| draft.steps[i].update_policy_id.trim())
            .filter(|id| !id.is_empty())
            .collect();
        policies.extend(
            t.policies
                .iter()
                .filter(|pol| {
                    pol.id
                        .value()
                        .is_none_or(|id| !updated.iter().any(|u| u.eq_ignore_ascii_case(id)))
                })
                .cloned(),
        );
    }
    let set = CompiledPolicySet::new(&policies);
    let (scenario, device_problem) = form.scenario();
    let result = set.evaluate(&scenario);
    let outcome = set.outcome_with_preceding(&scenario);
    let (outcome_code, outcome_text) = outcome_words(&outcome);

    let text = |get: fn(&mut Form) -> &mut String| {
        let form = form.clone();
        Callback::from(move |v: String| {
            let mut f = (*form).clone();
            *get(&mut f) = v;
            form.set(f);
        })
    };
    let input = |id: &'static str, label: &'static str, value: String, cb: Callback<String>| {
        let oninput = Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        });
        html! { <div class="field"><label for={id}>{label}</label><input type="text" {id} {value} {oninput} spellcheck="false" /></div> }
    };
    let select = |id: &'static str,
                  label: &'static str,
                  value: &str,
                  opts: &[(&'static str, &'static str)],
                  cb: Callback<String>| {
        let onchange = Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        });
        html! {
            <div class="field"><label for={id}>{label}</label>
                <select {id} {onchange}>{ for opts.iter().map(|(v, l)| html! { <option value={*v} selected={value == *v}>{*l}</option> }) }</select>
            </div>
        }
    };
    let check = |id: &'static str, label: &str, checked: bool, cb: Callback<bool>| {
        let onchange = Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().checked())
        });
        html! { <label class="check" for={id}><input type="checkbox" {id} {checked} {onchange} />{" "}{label}</label> }
    };
    let flag = |get: fn(&mut Form) -> &mut bool| {
        let form = form.clone();
        Callback::from(move |v: bool| {
            let mut f = (*form).clone();
            *get(&mut f) = v;
            form.set(f);
        })
    };
    let risks = [
        ("none", "none"),
        ("low", "low"),
        ("medium", "medium"),
        ("high", "high"),
    ];

    let steps = draft.steps.iter().enumerate().map(|(i, s)| {
        let on = !excluded.contains(&i);
        let excluded = excluded.clone();
        let onchange = Callback::from(move |e: Event| {
            let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut v: Vec<usize> = excluded.iter().copied().filter(|x| *x != i).collect();
            if !checked {
                v.push(i);
            }
            excluded.set(v);
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
    let requirements = result
        .enforced
        .requirements
        .iter()
        .map(|r| html! { <li>{visible(&format!("{}: {}", r.name, r.grant.describe()))}</li> });
    let session =
        result.enforced.session.iter().map(
            |s| html! { <li>{visible(&format!("{}: {}", s.name, s.controls.join(", ")))}</li> },
        );
    let notes = result.notes.iter().map(|n| html! { <li>{n}</li> });

    let rows = matrix(&policies).into_iter().map(|(persona, o)| {
        let (code, words) = outcome_words(&o);
        html! { <tr data-persona={persona} data-outcome={code}><th scope="row">{persona}</th><td class={code}>{words}</td></tr> }
    });
    let on_preview = {
        let preview_on = preview_on.clone();
        Callback::from(move |v: bool| preview_on.set(v))
    };

    html! {
        <details class="panel whatif-panel" id="whatif-panel">
            <summary><h2 class="inline">{"What-If (offline)"}</h2></summary>
            <p class="hint">{"Simulates a sign-in against the draft's policies (and the tenant's, once the Graph panel's audit has listed them) in this browser; nothing is sent anywhere. Where Microsoft's documentation is silent, the result says what it assumed."}</p>
            <fieldset class="checks"><legend>{"Policies in the simulation"}</legend>{ for steps }
                if let Some(t) = &p.tenant {
                    {check("whatif-tenant", &format!("The tenant's {} policies, as listed by the audit ({}); a ticked step with their id replaces the one it updates", t.policies.len(), t.version.as_str()), *with_tenant, {
                        let w = with_tenant.clone();
                        Callback::from(move |v: bool| w.set(v))
                    })}
                }
            </fieldset>
            {check("whatif-preview-on", "Treat the draft's Report-only policies as On (preview the rollout)", *preview_on, on_preview)}
            <fieldset class="group"><legend>{"Sign-in"}</legend>
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
            if !result.enforced.session.is_empty() { <h3>{"Session controls"}</h3><ul>{ for session }</ul> }
            <h3>{"Policy by policy"}</h3>
            <ul id="whatif-policies" class="verdicts">{ for verdicts }</ul>
            if !result.notes.is_empty() { <h3>{"Assumptions"}</h3><ul class="hint">{ for notes }</ul> }
            <h3>{"Personas and devices"}</h3>
            <table id="whatif-matrix"><thead><tr><th scope="col">{"Persona"}</th><th scope="col">{"Result"}</th></tr></thead><tbody>{ for rows }</tbody></table>
        </details>
    }
}
