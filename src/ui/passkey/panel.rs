//! The passkey panel: passkeys in Microsoft Authenticator, TAP, the authentication strength
//! and the rollout script. The form is the draft's (`Draft::methods`, a
//! `crate::app::rollout::MethodsForm`), edited through `Action::Methods`, so the bootstrap grid
//! and the change document read the same settings; what it gives is computed by `preview.rs`,
//! once per change of the draft. While connected to Graph, `deploy.rs` reads the live
//! configurations into the draft's form and sends the PATCHes and the strength, and on request
//! makes a created strength the open step's grant.

use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::deploy::MethodsDeploy;
use super::notes::{folded, notes, readonly};
use super::preview::preview;
use super::profiles::PasskeyProfiles;
use crate::app::draft::{Action, Draft};
use crate::app::rollout::{self, MethodsEdit, MethodsForm};
use crate::builders::aaguid;
use crate::builders::methods::{Fido2Config, Method};
use crate::builders::strength::STRENGTH_PERMISSION;
use crate::export::powershell;
use crate::guid::is_guid;
use crate::names::Naming;
use crate::ui::graph::use_graph_session;
use crate::ui::widgets::download::download_bytes;
use crate::ui::widgets::fields::TextField;

#[derive(Properties, PartialEq)]
pub struct PasskeyPanelProps {
    pub draft: Rc<Draft>,
    /// The form's edits (`Action::Methods`) and a created strength as the open step's grant.
    pub dispatch: Callback<Action>,
}

/// A paste box's rows: two while empty (the box grows once something is pasted or read).
fn rows(text: &str, used: u8) -> String {
    let rows = if text.trim().is_empty() { 2 } else { used };
    rows.to_string()
}

#[function_component(PasskeyPanel)]
pub fn passkey_panel(p: &PasskeyPanelProps) -> Html {
    let draft = &p.draft;
    let draft_pilot = rollout::draft_pilot_id(draft);
    let session = use_graph_session();
    let form: &MethodsForm = &draft.methods;
    // Each edit is one field's, applied by the draft's reducer to the draft as it is then, so a
    // configuration read from Graph after more typing keeps the typing.
    let refused = use_state(|| None::<String>);
    let edit = {
        let (dispatch, refused) = (p.dispatch.clone(), refused.clone());
        Callback::from(move |e: MethodsEdit| match e.refusal() {
            Some(why) => refused.set(Some(why.to_string())),
            None => {
                refused.set(None);
                dispatch.emit(Action::Methods(e))
            }
        })
    };
    let shown = use_memo(draft.clone(), |draft| preview(&draft.methods, draft));
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

    let text = |make: fn(String) -> MethodsEdit| edit.reform(make);
    let area = |make: fn(String) -> MethodsEdit| {
        let cb = text(make);
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let check = |make: fn(bool) -> MethodsEdit| {
        let edit = edit.clone();
        Callback::from(move |e: Event| {
            edit.emit(make(
                e.target_unchecked_into::<HtmlInputElement>().checked(),
            ))
        })
    };
    let on_read = edit.reform(|(m, text): (Method, String)| MethodsEdit::Current(m, text));
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
        // The strength goes into the grant with its name kept beside its id.
        let on_use_strength = {
            let (d, name) = (
                p.dispatch.clone(),
                strength.as_ref().map(|s| s.display_name.clone()),
            );
            Callback::from(move |id: String| {
                if let Some(name) = &name {
                    d.emit(Action::SetLabel {
                        id: id.clone(),
                        name: name.clone(),
                    });
                }
                d.emit(Action::SetAuthenticationStrength(id));
            })
        };
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
    // The group the PATCHes target, by name: the override, else the Pilot phase's group.
    let pilot_hint = {
        let chosen = form.pilot_override.trim();
        let id = if chosen.is_empty() {
            draft_pilot.trim()
        } else {
            chosen
        };
        let base = "Taken from the Pilot phase's pilot group when left empty.";
        if is_guid(id) {
            let state = session.lookup_state();
            let names = Naming::new(&draft.labels, state.lookup());
            format!("{base} Now: {}.", names.describe(id))
        } else {
            base.to_string()
        }
    };
    html! {
        <section id="passkey-panel" class="panel" aria-labelledby="passkey-heading">
            <h2 id="passkey-heading">{"Passkeys in Microsoft Authenticator"}</h2>
            {notes()}
            <p class="hint" id="passkey-shared">{"These settings are kept with the draft (saved, and carried by a share link): the bootstrap grid plans over them (\"As the passkey panel plans them\") and the change document lists them with what each PATCH changes. The current-configuration boxes are the tenant's settings the grid can use instead."}</p>
            // Two columns on a wide screen, each as tall as the other: the pilot, TAP and checks;
            // the AAGUIDs and the strength that allows only them.
            <div class="passkey-settings">
                <div>
                    <TextField id="passkey-pilot-group" label="Pilot group object id" value={form.pilot_override.clone()}
                        on_change={text(MethodsEdit::PilotOverride)} placeholder={AttrValue::from(draft_pilot.clone())}
                        hint={AttrValue::from(pilot_hint)} />
                    <TextField id="tap-lifetime" label="Temporary Access Pass lifetime (minutes)" value={form.tap_lifetime.clone()} on_change={text(MethodsEdit::TapLifetime)} />
                    <div class="field">
                        <label><input type="checkbox" id="passkey-attestation" checked={form.attestation} onchange={check(MethodsEdit::Attestation)} />{" Enforce attestation"}</label>
                        <label><input type="checkbox" id="passkey-self-service" checked={form.self_service} onchange={check(MethodsEdit::SelfService)} />{" Allow self-service set-up"}</label>
                        <label><input type="checkbox" id="tap-one-time" checked={form.one_time} onchange={check(MethodsEdit::OneTime)} />{" Temporary Access Pass is one-time"}</label>
                    </div>
                </div>
                <div>
                    <div class="field">
                        <label for="passkey-aaguids">{"Extra AAGUIDs to allow (one per line), besides Microsoft Authenticator's "}
                            { aaguid::authenticator().iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ") }</label>
                        <textarea id="passkey-aaguids" rows="3" spellcheck="false" value={form.aaguids.clone()} oninput={area(MethodsEdit::Aaguids)} />
                    </div>
                    <TextField id="strength-name" label="Authentication strength name" value={form.strength_name.clone()} on_change={text(MethodsEdit::StrengthName)}
                        hint={AttrValue::from(format!("Created with {STRENGTH_PERMISSION}; only passkeys from the AAGUIDs above satisfy it."))} />
                </div>
            </div>
            <div class="field">
                <label for="passkey-current">{"Current passkey (FIDO2) configuration: paste the GET response of /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2"}</label>
                <textarea id="passkey-current" rows={rows(&form.fido2_current, 5)} spellcheck="false" value={form.fido2_current.clone()} oninput={area(|v| MethodsEdit::Current(Method::Fido2, v))} />
            </div>
            <div class="field">
                <label for="tap-current">{"Current Temporary Access Pass configuration: the GET response of …/authenticationMethodConfigurations/TemporaryAccessPass"}</label>
                <textarea id="tap-current" rows={rows(&form.tap_current, 3)} spellcheck="false" value={form.tap_current.clone()} oninput={area(|v| MethodsEdit::Current(Method::TemporaryAccessPass, v))} />
            </div>
            // Under both boxes, the width of the panel.
            <p class="hint" id="passkey-current-kind">{current_kind}</p>
            if let Some(why) = &*refused {
                <p class="field-error" role="alert" id="passkey-refused">{why}</p>
            }
            if !errors.is_empty() {
                <div id="passkey-errors" role="alert">{ for errors.iter().map(|e| html! { <p class="field-error">{e}</p> }) }</div>
            }
            { readonly("passkey-effect", "Effect of the PATCH on the stored lists", shown.effect.clone()) }
            { folded("export-passkey-json", "Graph JSON (passkey and TAP method configurations)", shown.json.clone()) }
            { folded("export-passkey-powershell", "PowerShell (passkey method configuration)", shown.powershell.clone()) }
            { for profiles }
            { for deploy }
            <div class="passkey-rollout">
                { folded("export-rollout-script", "The whole rollout as one script (Report-only; switching On is a separate later step)", rollout_text) }
                if let Some(onclick) = download {
                    <button type="button" class="secondary" id="download-rollout" {onclick}>{"Download rollout.ps1"}</button>
                }
                <p role="status" class="hint" id="rollout-download-status">{(*download_status).clone()}
                    {" For a policies-as-code repository, "}<code>{"ca-policy rollout --out DIR"}</code>{" writes the same rollout as one JSON file per request with a manifest."}</p>
            </div>
        </section>
    }
}
