//! The passkey panel: passkeys in Microsoft Authenticator, TAP, the authentication strength
//! and the rollout script. The form is one struct (`crate::app::rollout::MethodsForm`) in a
//! reducer; what it gives is computed by `preview.rs`, once per change of the form or the
//! draft. While connected to Graph, `deploy.rs` reads the live configurations into the form
//! and sends the PATCHes and the strength; the one edit it makes to the draft is on request: a
//! created strength as the open step's grant.

use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::deploy::MethodsDeploy;
use super::notes::{notes, readonly};
use super::preview::preview;
use super::profiles::PasskeyProfiles;
use crate::app::draft::{Action, Draft};
use crate::app::rollout::{self, MethodsForm};
use crate::builders::aaguid;
use crate::builders::methods::{Fido2Config, Method};
use crate::builders::strength::STRENGTH_PERMISSION;
use crate::export::powershell;
use crate::ui::graph::use_graph_session;
use crate::ui::widgets::download::download_bytes;
use crate::ui::widgets::fields::TextField;

#[derive(Properties, PartialEq)]
pub struct PasskeyPanelProps {
    pub draft: Rc<Draft>,
    /// Used only to make a created strength the open step's grant.
    pub dispatch: Callback<Action>,
}

/// The form in a reducer, so a configuration read from Graph after more typing keeps the typing.
#[derive(Default, PartialEq)]
struct Form(MethodsForm);

struct Edit(Box<dyn FnOnce(&mut MethodsForm)>);

impl Reducible for Form {
    type Action = Edit;
    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut form = self.0.clone();
        (edit.0)(&mut form);
        Rc::new(Form(form))
    }
}

#[function_component(PasskeyPanel)]
pub fn passkey_panel(p: &PasskeyPanelProps) -> Html {
    let draft = &p.draft;
    let draft_pilot = rollout::draft_pilot_id(draft);
    let session = use_graph_session();
    let form_state = use_reducer(Form::default);
    let form = &form_state.0;
    let shown = use_memo((form.clone(), draft.clone()), |(form, draft)| {
        preview(form, draft)
    });
    let errors = &shown.settings.errors;
    let download_status = use_state(String::new);
    let download = shown.script.as_ref().ok().map(|text| {
        let (status, bytes) = (download_status.clone(), powershell::script_file_bytes(text));
        Callback::from(move |_: MouseEvent| {
            status.set(match download_bytes("rollout.ps1", &bytes, "text/plain") {
                Ok(()) => "Downloaded rollout.ps1.".into(),
                Err(e) => format!("Download failed: {e}"),
            })
        })
    });
    let rollout_text = shown.script.clone().unwrap_or_else(|e| e.to_string());

    let text = |set: fn(&mut MethodsForm, String)| {
        let form_state = form_state.clone();
        Callback::from(move |v: String| form_state.dispatch(Edit(Box::new(move |f| set(f, v)))))
    };
    let area = |set: fn(&mut MethodsForm, String)| {
        let cb = text(set);
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let check = |set: fn(&mut MethodsForm, bool)| {
        let form_state = form_state.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().checked();
            form_state.dispatch(Edit(Box::new(move |f| set(f, v))))
        })
    };
    let on_read = {
        let form_state = form_state.clone();
        Callback::from(move |(m, text): (Method, String)| {
            form_state.dispatch(Edit(Box::new(move |f| match m {
                Method::Fido2 => f.fido2_current = text,
                Method::TemporaryAccessPass => f.tap_current = text,
            })))
        })
    };
    // On passkey profiles: the words and the pilot profile's steps (sent only while connected).
    let profiles = shown.profiles.clone().map(|profiles| {
        let on_read = on_read.clone();
        html! { <PasskeyProfiles {profiles} {on_read} /> }
    });
    // The deploy section exists only while connected, so Disconnect unmounts it (and its runs).
    let deploy = session.conn.is_some().then(|| {
        let on_read = on_read.clone();
        let (fido2, tap) = match &shown.patches {
            Ok((f, t)) => (Some(f.clone()), Some(t.clone())),
            Err(_) => (None, shown.tap_alone.clone()),
        };
        let strength = shown.settings.strength_to_create();
        let on_use_strength = p.dispatch.reform(Action::SetAuthenticationStrength);
        html! { <MethodsDeploy {fido2} {tap} {strength} {on_read} {on_use_strength} /> }
    });

    // Tenants are on passkey profiles now: with nothing usable in the box the plan assumes
    // Microsoft's default migrated configuration; the legacy single PATCH is for a pasted
    // configuration without profiles.
    let current_kind = match &shown.profiles {
        Some(p) if p.read.is_assumed() => "Nothing usable pasted: the previews assume Microsoft's default migrated configuration (on passkey profiles), as said under \"Passkey profiles\" below. Paste the tenant's configuration, or read it once connected.",
        Some(_) => "On passkey profiles: the pilot's steps are under \"Passkey profiles\" below.",
        None if Fido2Config::parse(&form.fido2_current).is_err() => "",
        None => "Not on passkey profiles (a tenant not yet migrated): one PATCH of the top-level settings.",
    };
    html! {
        <section id="passkey-panel" class="panel" aria-labelledby="passkey-heading">
            <h2 id="passkey-heading">{"Passkeys in Microsoft Authenticator"}</h2>
            {notes()}
            <TextField id="passkey-pilot-group" label="Pilot group object id" value={form.pilot_override.clone()}
                on_change={text(|f, v| f.pilot_override = v)} placeholder={AttrValue::from(draft_pilot.clone())}
                hint={AttrValue::from("Taken from step 2 (pilot) when left empty.")} />
            <div class="field">
                <label for="passkey-aaguids">{"Extra AAGUIDs to allow (one per line), besides Microsoft Authenticator's "}
                    { aaguid::authenticator().iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ") }</label>
                <textarea id="passkey-aaguids" rows="3" spellcheck="false" value={form.aaguids.clone()} oninput={area(|f, v| f.aaguids = v)} />
            </div>
            <div class="field">
                <label><input type="checkbox" id="passkey-attestation" checked={form.attestation} onchange={check(|f, v| f.attestation = v)} />{" Enforce attestation"}</label>
                <label><input type="checkbox" id="passkey-self-service" checked={form.self_service} onchange={check(|f, v| f.self_service = v)} />{" Allow self-service set-up"}</label>
                <label><input type="checkbox" id="tap-one-time" checked={form.one_time} onchange={check(|f, v| f.one_time = v)} />{" Temporary Access Pass is one-time"}</label>
            </div>
            <TextField id="tap-lifetime" label="Temporary Access Pass lifetime (minutes)" value={form.tap_lifetime.clone()} on_change={text(|f, v| f.tap_lifetime = v)} />
            <TextField id="strength-name" label="Authentication strength name" value={form.strength_name.clone()} on_change={text(|f, v| f.strength_name = v)}
                hint={AttrValue::from(format!("Created with {STRENGTH_PERMISSION}; only passkeys from the AAGUIDs above satisfy it."))} />
            <div class="field">
                <label for="passkey-current">{"Current passkey (FIDO2) configuration: paste the GET response of /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2"}</label>
                <textarea id="passkey-current" rows="5" spellcheck="false" value={form.fido2_current.clone()} oninput={area(|f, v| f.fido2_current = v)} />
                <p class="hint" id="passkey-current-kind">{current_kind}</p>
            </div>
            <div class="field">
                <label for="tap-current">{"Current Temporary Access Pass configuration: the GET response of …/authenticationMethodConfigurations/TemporaryAccessPass"}</label>
                <textarea id="tap-current" rows="3" spellcheck="false" value={form.tap_current.clone()} oninput={area(|f, v| f.tap_current = v)} />
            </div>
            if !errors.is_empty() {
                <div id="passkey-errors" role="alert">{ for errors.iter().map(|e| html! { <p class="field-error">{e}</p> }) }</div>
            }
            { readonly("passkey-effect", "Effect of the PATCH on the stored lists", shown.effect.clone()) }
            { readonly("export-passkey-json", "Graph JSON (passkey and TAP method configurations)", shown.json.clone()) }
            { readonly("export-passkey-powershell", "PowerShell (passkey method configuration)", shown.powershell.clone()) }
            { for profiles }
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
