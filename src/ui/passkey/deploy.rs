//! The passkey panel's deploy section, shown while connected to Graph: read the tenant's
//! passkey and TAP configurations into the previews, send each PATCH (only if the tenant still
//! holds what its preview was built on), and create the authentication strength. Every request
//! goes through `crate::graph::auth_methods`, what is said about each result is
//! `crate::app::deploy`'s; results land in this section's own status region.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::app::deploy;
use crate::builders::methods::{
    Method as AuthMethod, MethodPatch, METHODS_PERMISSION, METHODS_ROLE,
};
use crate::builders::strength::{StrengthSettings, STRENGTH_PERMISSION};
use crate::graph::auth_methods as am;
use crate::graph::GraphOp;
use crate::ui::graph::{permission_warnings, use_graph_session, use_runs};

#[derive(Properties, PartialEq)]
pub struct MethodsDeployProps {
    /// The previewed PATCHes; `None` while the settings are incomplete (the panel says why).
    pub fido2: Option<MethodPatch>,
    pub tap: Option<MethodPatch>,
    pub strength: Option<StrengthSettings>,
    /// A configuration read from the tenant, `(method, GET response)`: the panel puts it in
    /// the method's "current configuration" box, so the preview is computed from it.
    pub on_read: Callback<(AuthMethod, String)>,
    /// Makes a strength id the open step's grant.
    pub on_use_strength: Callback<String>,
}

#[function_component(MethodsDeploy)]
pub fn methods_deploy(p: &MethodsDeployProps) -> Html {
    let session = use_graph_session();
    let runs = use_runs(session.conn.clone());
    // The strength the last run created or found, offered as the open step's grant.
    let strength_id = use_state(|| None::<String>);
    let Some(runner) = runs.runner.clone() else {
        return html! {};
    };

    let on_read_all = {
        let (runner, on_read) = (runner.clone(), p.on_read.clone());
        Callback::from(move |_: MouseEvent| {
            let run = runner.start("Reading the passkey and TAP configurations…");
            let on_read = on_read.clone();
            spawn_local(async move {
                // Both or neither, so the two previews never mix the tenant's and a default.
                match am::read_method_configs(&run.g).await {
                    Ok(read) => read
                        .into_iter()
                        .for_each(|(m, r)| on_read.emit((m, r.text))),
                    Err(e) => return run.fail(e),
                }
                run.ok("Read both configurations: the previews above now show what each PATCH does to the tenant's lists.");
            });
        })
    };

    let send = |patch: &Option<MethodPatch>| {
        let (runner, on_read, patch) = (runner.clone(), p.on_read.clone(), patch.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(patch) = patch.clone() else { return };
            let label = patch.method.label();
            let run = runner.start(&format!(
                "Checking the {label} configuration, then sending the PATCH…"
            ));
            let on_read = on_read.clone();
            spawn_local(async move {
                match am::apply_method_patch(&run.g, &patch).await {
                    Ok(outcome) => {
                        let report = deploy::method_patch_report(&patch, outcome);
                        if let Some(stored) = report.stored {
                            on_read.emit((patch.method, stored));
                        }
                        if report.ok {
                            run.ok(report.text)
                        } else {
                            run.problem(report.text)
                        }
                    }
                    Err(e) => run.fail(e),
                }
            });
        })
    };

    let on_strength = {
        let (runner, settings, strength_id) =
            (runner.clone(), p.strength.clone(), strength_id.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(s) = settings.clone() else { return };
            let strength_id = strength_id.clone();
            let run = runner.start("Looking for an authentication strength of that name…");
            spawn_local(async move {
                match am::ensure_strength(&run.g, &s).await {
                    Ok(out) => {
                        strength_id.set(out.id().map(str::to_string));
                        match deploy::strength_report(&s.display_name, &out) {
                            (true, text) => run.ok(text),
                            (false, text) => run.problem(text),
                        }
                    }
                    Err(e) => run.fail(e),
                }
            });
        })
    };

    let assumed = [&p.fido2, &p.tap]
        .iter()
        .any(|m| m.as_ref().is_some_and(|m| m.effect.assumed_default));
    html! {
        <section id="passkey-deploy" class="passkey-deploy" aria-labelledby="passkey-deploy-heading">
            <h3 id="passkey-deploy-heading">{"Deploy with Microsoft Graph"}</h3>
            <p class="hint">{format!(
                "Sent to {} with the token connected in the Microsoft Graph panel. Each PATCH is sent only if the tenant \
                 still holds the configuration its preview was built on; otherwise nothing is sent and the preview is refreshed.",
                runner.conn.cloud.host()
            )}</p>
            if assumed {
                <p class="field-warning" id="passkey-deploy-assumed">{"The previews assume the service default: read the tenant's configurations first for an exact preview."}</p>
            }
            // Each action's buttons beside what it needs, one row each on a wide screen.
            <div class="passkey-deploy-rows">
                <div class="passkey-deploy-buttons">
                    <button type="button" id="passkey-read" onclick={on_read_all}>{"Read the current configurations from the tenant"}</button>
                </div>
                <div>{permission_warnings(&runner, &[GraphOp::ReadAuthMethodsPolicy])}</div>
                <div class="passkey-deploy-buttons">
                    <button type="button" id="passkey-send-fido2" disabled={p.fido2.is_none()} onclick={send(&p.fido2)}>{"Send the passkey (FIDO2) PATCH"}</button>
                    <button type="button" id="passkey-send-tap" disabled={p.tap.is_none()} onclick={send(&p.tap)}>{"Send the Temporary Access Pass PATCH"}</button>
                </div>
                <div>
                    <p class="hint">{format!("The PATCHes need {METHODS_PERMISSION} (role: {METHODS_ROLE}).")}</p>
                    {permission_warnings(&runner, &[GraphOp::UpdateAuthMethod])}
                </div>
                <div class="passkey-deploy-buttons">
                    <button type="button" id="passkey-create-strength" disabled={p.strength.is_none()} onclick={on_strength}>{"Create the authentication strength"}</button>
                    if let Some(id) = (*strength_id).clone() {
                        <button type="button" class="secondary" id="passkey-use-strength" onclick={p.on_use_strength.reform(move |_: MouseEvent| id.clone())}>
                            {"Require this strength in the open step's grant"}</button>
                    }
                </div>
                <div>
                    <p class="hint">{format!("Creating the strength needs {STRENGTH_PERMISSION} (role: Conditional Access Administrator); a strength of the same name is reused, never duplicated.")}</p>
                    {permission_warnings(&runner, &[GraphOp::ListAuthStrengths, GraphOp::CreateAuthStrength])}
                </div>
            </div>
            {runs.region("passkey-deploy")}
        </section>
    }
}
