//! Passkeys in Microsoft Authenticator, risk policies and the rollout bundle: the
//! passkey / TAP / strength settings, the PATCH's effect on the stored lists (from a pasted GET
//! response), the JSON and PowerShell exports, the plain statement about App Protection for
//! Authenticator, and the P2 note. The form is read and the rollout assembled by
//! `crate::app::rollout`, the scripts written by `crate::export::powershell`; the panel keeps
//! the form's fields in local state. While connected to Graph, `passkey_deploy` reads the live
//! configurations into the preview and sends the PATCHes and the strength; the one edit it
//! makes to the draft is on request: a created strength as the open step's grant.

use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::export_panel::download_bytes;
use super::fields::TextField;
use super::graph_panel::Conn;
use super::passkey_deploy::MethodsDeploy;
use crate::app::draft::{Action, Draft};
use crate::app::rollout::{self, MethodsForm};
use crate::builders::app_protection::APP_PROTECTION_FOR_AUTHENTICATOR;
use crate::builders::methods::{Method, METHODS_PERMISSION, METHODS_ROLE};
use crate::builders::risk::licence_notes;
use crate::builders::strength::{StrengthSettings, STRENGTH_PERMISSION};
use crate::builders::Aaguid;
use crate::export::graph_json::{pretty_body, API_VERSION, GRAPH_ROOT};
use crate::export::powershell::{self, Flavour};

#[derive(Properties, PartialEq)]
pub struct PasskeyPanelProps {
    pub draft: Rc<Draft>,
    /// The Graph connection, when the admin connected one in the Graph panel.
    pub conn: Option<Conn>,
    /// Used only to make a created strength the open step's grant.
    pub dispatch: Callback<Action>,
}

fn readonly(id: &'static str, label: &'static str, text: String) -> Html {
    html! {
        <div class="field">
            <label for={id}>{label}</label>
            <textarea id={id} readonly=true rows="14" spellcheck="false" value={text} />
        </div>
    }
}

#[function_component(PasskeyPanel)]
pub fn passkey_panel(p: &PasskeyPanelProps) -> Html {
    let draft = &p.draft;
    let draft_pilot = rollout::draft_pilot_id(draft);
    let pilot_override = use_state(String::new);
    let aaguid_text = use_state(String::new);
    let attestation = use_state(|| true);
    let self_service = use_state(|| true);
    let tap_lifetime = use_state(|| "60".to_string());
    let one_time = use_state(|| true);
    let current_text = use_state(String::new);
    let tap_current_text = use_state(String::new);
    let strength_name = use_state(|| StrengthSettings::default().display_name);

    let settings = MethodsForm {
        pilot_override: (*pilot_override).clone(),
        aaguids: (*aaguid_text).clone(),
        attestation: *attestation,
        self_service: *self_service,
        tap_lifetime: (*tap_lifetime).clone(),
        one_time: *one_time,
        fido2_current: (*current_text).clone(),
        tap_current: (*tap_current_text).clone(),
        strength_name: (*strength_name).clone(),
    }
    .settings(draft);
    let errors = &settings.errors;
    let patches = settings.patches();
    let (json_text, ps_text, effect_text) = match &patches {
        Ok((f, t)) => {
            let json = format!(
                "# permission: {METHODS_PERMISSION} (role: {METHODS_ROLE})\nPATCH {GRAPH_ROOT}/{API_VERSION}{}\n\n{}\n\n# permission: {METHODS_PERMISSION}\nPATCH {GRAPH_ROOT}/{API_VERSION}{}\n\n{}\n",
                f.method.path(), pretty_body(&f.body), t.method.path(), pretty_body(&t.body)
            );
            let ps =
                powershell::method_patch_script(Flavour::Sdk, f).unwrap_or_else(|e| e.to_string());
            (json, ps, format!("{}\n{}", f.effect, t.effect))
        }
        Err(m) => (m.clone(), m.clone(), m.clone()),
    };
    // The rollout as one script to save. The policies-as-code bundle (one JSON file per
    // request, a manifest) is the CLI's `ca-policy rollout --out DIR`: a browser cannot write a
    // directory, and its code would cost the page ~5 KB of its size budget.
    let script = rollout::from_draft(draft, &settings.rollout)
        .map_err(|e| e.to_string())
        .and_then(|plan| {
            powershell::rollout_script(Flavour::Invoke, &plan).map_err(|e| e.to_string())
        });
    let download_status = use_state(String::new);
    let download = script.as_ref().ok().map(|text| {
        let (status, bytes) = (download_status.clone(), powershell::script_file_bytes(text));
        Callback::from(move |_: MouseEvent| {
            status.set(match download_bytes("rollout.ps1", &bytes, "text/plain") {
                Ok(()) => "Downloaded rollout.ps1.".into(),
                Err(e) => format!("Download failed: {e}"),
            })
        })
    });
    let rollout_text = script.unwrap_or_else(|e| e);

    let text_cb = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |v: String| state.set(v))
    };
    let area_cb = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let check_cb = |state: &UseStateHandle<bool>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            state.set(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let app = &APP_PROTECTION_FOR_AUTHENTICATOR;
    let deploy = p.conn.clone().map(|conn| {
        let on_read = {
            let (fido2, tap) = (current_text.clone(), tap_current_text.clone());
            Callback::from(move |(m, text): (Method, String)| match m {
                Method::Fido2 => fido2.set(text),
                Method::TemporaryAccessPass => tap.set(text),
            })
        };
        let (fido2, tap) = match &patches {
            Ok((f, t)) => (Some(f.clone()), Some(t.clone())),
            Err(_) => (None, None),
        };
        let strength = settings.strength_to_create();
        let on_use_strength = p.dispatch.reform(Action::SetAuthenticationStrength);
        html! { <MethodsDeploy {conn} {fido2} {tap} {strength} {on_read} {on_use_strength} /> }
    });

    html! {
        <section id="passkey-panel" class="panel" aria-labelledby="passkey-heading">
            <h2 id="passkey-heading">{"Passkeys in Microsoft Authenticator"}</h2>
            <div id="app-protection-authenticator" class="callout" role="note">
                <h3>{"App Protection Policy for Authenticator?"}</h3>
                <p><strong>{app.verdict}</strong></p>
                <p>{app.why}</p>
                <p>{"Do this instead:"}</p>
                <ol>{ for app.instead.iter().map(|s| html! { <li>{*s}</li> }) }</ol>
            </div>
            <div id="risk-licence" class="callout" role="note">
                <h3>{"Licences"}</h3>
                <ul>{ for licence_notes().iter().map(|s| html! { <li>{*s}</li> }) }</ul>
            </div>
            <TextField id="passkey-pilot-group" label="Pilot group object id" value={(*pilot_override).clone()}
                on_change={text_cb(&pilot_override)} placeholder={AttrValue::from(draft_pilot.clone())}
                hint={AttrValue::from("Taken from step 2 (pilot) when left empty.")} />
            <div class="field">
                <label for="passkey-aaguids">{"Extra AAGUIDs to allow (one per line), besides Microsoft Authenticator's "}
                    { Aaguid::authenticator().iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ") }</label>
                <textarea id="passkey-aaguids" rows="3" spellcheck="false" value={(*aaguid_text).clone()} oninput={area_cb(&aaguid_text)} />
            </div>
            <div class="field">
                <label><input type="checkbox" id="passkey-attestation" checked={*attestation} onchange={check_cb(&attestation)} />{" Enforce attestation"}</label>
                <label><input type="checkbox" id="passkey-self-service" checked={*self_service} onchange={check_cb(&self_service)} />{" Allow self-service set-up"}</label>
                <label><input type="checkbox" id="tap-one-time" checked={*one_time} onchange={check_cb(&one_time)} />{" Temporary Access Pass is one-time"}</label>
            </div>
            <TextField id="tap-lifetime" label="Temporary Access Pass lifetime (minutes)" value={(*tap_lifetime).clone()} on_change={text_cb(&tap_lifetime)} />
            <TextField id="strength-name" label="Authentication strength name" value={(*strength_name).clone()} on_change={text_cb(&strength_name)}
                hint={AttrValue::from(format!("Created with {STRENGTH_PERMISSION}; only passkeys from the AAGUIDs above satisfy it."))} />
            <div class="field">
                <label for="passkey-current">{"Current passkey (FIDO2) configuration: paste the GET response of /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2"}</label>
                <textarea id="passkey-current" rows="5" spellcheck="false" value={(*current_text).clone()} oninput={area_cb(&current_text)} />
            </div>
            <div class="field">
                <label for="tap-current">{"Current Temporary Access Pass configuration: the GET response of …/authenticationMethodConfigurations/TemporaryAccessPass"}</label>
                <textarea id="tap-current" rows="3" spellcheck="false" value={(*tap_current_text).clone()} oninput={area_cb(&tap_current_text)} />
            </div>
            if !errors.is_empty() {
                <div id="passkey-errors" role="alert">{ for errors.iter().map(|e| html! { <p class="field-error">{e}</p> }) }</div>
            }
            { readonly("passkey-effect", "Effect of the PATCH on the stored lists", effect_text) }
            { readonly("export-passkey-json", "Graph JSON (passkey and TAP method configurations)", json_text) }
            { readonly("export-passkey-powershell", "PowerShell (passkey method configuration)", ps_text) }
            { for deploy }
            { readonly("export-rollout-script", "The whole rollout as one script (Report-only; switching On is a separate later step)", rollout_text) }
            if let Some(onclick) = download {
                <button type="button" class="secondary" id="download-rollout" {onclick}>{"Download rollout.ps1"}</button>
            }
            <p role="status" class="hint" id="rollout-download-status">{(*download_status).clone()}
                {" For a policies-as-code repository, "}<code>{"ca-policy rollout --out DIR"}</code>{" writes the same rollout as one JSON file per request with a manifest."}</p>
        </section>
    }
}
