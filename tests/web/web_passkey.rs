//! Browser component tests for the passkey panel: the method PATCH follows the admin's
//! settings, keeps what the pasted configuration already allows, and bad input (an AAGUID, a
//! pasted response, a lifetime) is reported where it is, never silently used.

use ca_builder::builders::aaguid;
use ca_builder::builders::app_protection::APP_PROTECTION_FOR_AUTHENTICATOR;
use serde_json::Value;
use wasm_bindgen_test::*;
use web_sys::Element;

use crate::support::{mount, type_into, value_of};

const PILOT: &str = "22222222-3333-4444-5555-666666666666";
const YUBIKEY: &str = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
/// The service default of a tenant not migrated to passkey profiles.
const NOT_MIGRATED: &str = r##"{"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
    "id": "Fido2", "state": "disabled", "isAttestationEnforced": false,
    "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}],
    "excludeTargets": []}"##;

/// The passkey PATCH body shown in the Graph JSON box (the first JSON body in it).
fn passkey_body(root: &Element) -> Value {
    let text = value_of(root, "#export-passkey-json");
    let body = text
        .split("\n\n")
        .find(|part| part.trim_start().starts_with('{'))
        .unwrap_or_else(|| panic!("no JSON body in {text}"));
    serde_json::from_str(body).unwrap()
}

fn allowed(body: &Value) -> Vec<String> {
    body["keyRestrictions"]["aaGuids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_ascii_lowercase())
        .collect()
}

/// The passkey part of the effect box (the TAP PATCH's effect follows it).
fn fido2_effect(root: &Element) -> String {
    let effect = value_of(root, "#passkey-effect");
    let (fido2, _tap) = effect
        .split_once("/TemporaryAccessPass")
        .unwrap_or_else(|| panic!("both effects: {effect}"));
    assert!(fido2.contains("/fido2"), "{effect}");
    fido2.to_string()
}

fn errors(root: &Element) -> String {
    root.query_selector("#passkey-errors")
        .unwrap()
        .map(|e| e.text_content().unwrap())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_patch_follows_the_settings_and_keeps_the_stored_aaguids() {
    let (root, handle) = mount().await;
    crate::support::open_pilot_passkeys(&root).await;
    let panel = root
        .query_selector("#passkey-panel")
        .unwrap()
        .expect("the passkey panel");
    // Where an admin would look for an App Protection Policy, the plain answer.
    assert!(panel
        .text_content()
        .unwrap()
        .contains(APP_PROTECTION_FOR_AUTHENTICATOR.verdict));
    // Not connected to Graph: nothing to deploy with.
    assert!(root.query_selector("#passkey-deploy").unwrap().is_none());

    type_into(&root, "#passkey-pilot-group", PILOT).await;
    // A tenant not yet on passkey profiles (with nothing pasted the page plans for profiles:
    // web_passkey_profiles.rs): one PATCH of the top-level settings.
    type_into(&root, "#passkey-current", NOT_MIGRATED).await;
    let body = passkey_body(&root);
    assert_eq!(
        body["@odata.type"],
        "#microsoft.graph.fido2AuthenticationMethodConfiguration"
    );
    assert!(
        body["includeTargets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == PILOT),
        "{body}"
    );
    for a in aaguid::authenticator() {
        assert!(
            allowed(&body).contains(&a.as_str().to_ascii_lowercase()),
            "{body}"
        );
    }
    assert!(
        !fido2_effect(&root).contains("No current configuration was given"),
        "the pasted configuration is the tenant's"
    );

    // An extra key the admin adds is allowed too; a bad line is named by line and column.
    type_into(&root, "#passkey-aaguids", YUBIKEY).await;
    assert!(allowed(&passkey_body(&root)).contains(&YUBIKEY.to_string()));
    type_into(
        &root,
        "#passkey-aaguids",
        &format!("{YUBIKEY}\nnot-an-aaguid"),
    )
    .await;
    assert!(
        errors(&root).contains("Extra AAGUIDs, line 2, column 1"),
        "{}",
        errors(&root)
    );

    // The tenant already allows another key: the PATCH keeps it, and the preview says so.
    type_into(&root, "#passkey-aaguids", "").await;
    let stored = "ee882879-721c-4913-9775-3dfcce97072a";
    let current = format!(
        r##"{{"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
            "isAttestationEnforced": true,
            "keyRestrictions": {{"isEnforced": true, "enforcementType": "allow", "aaGuids": ["{stored}"]}},
            "includeTargets": [{{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}}],
            "excludeTargets": []}}"##
    );
    type_into(&root, "#passkey-current", &current).await;
    assert_eq!(errors(&root), "");
    assert!(allowed(&passkey_body(&root)).contains(&stored.to_string()));
    let effect = fido2_effect(&root);
    assert!(
        effect
            .lines()
            .any(|l| l.contains("kept:") && l.contains(stored)),
        "{effect}"
    );
    assert!(
        !effect.contains("No current configuration was given"),
        "{effect}"
    );

    // A broken paste is reported with its position, and the preview says it assumes the default
    // (Microsoft's default migrated configuration, on passkey profiles).
    type_into(
        &root,
        "#passkey-current",
        "{\n  \"state\": \"enabled\",,\n}",
    )
    .await;
    assert!(
        errors(&root).contains("Current Passkey (FIDO2) configuration, line 2, column"),
        "{}",
        errors(&root)
    );
    assert!(root
        .query_selector("#passkey-profile-assumed")
        .unwrap()
        .is_some());

    // The TAP lifetime must be whole minutes.
    type_into(&root, "#tap-lifetime", "an hour").await;
    assert!(errors(&root).contains("TAP lifetime"), "{}", errors(&root));
    handle.destroy();
}

#[wasm_bindgen_test]
async fn the_rollout_script_is_offered_once_the_pilot_is_known() {
    let (root, handle) = mount().await;
    crate::support::open_pilot_passkeys(&root).await;
    // The rollout's policies are narrowed to the Pilot phase's group: without it, nothing to save.
    assert!(root.query_selector("#download-rollout").unwrap().is_none());
    assert!(value_of(&root, "#export-rollout-script").contains("in the Pilot phase"));
    crate::support::click(&root, "#step-1").await;
    type_into(&root, "#field-pilot-group", PILOT).await;
    crate::support::click(&root, "#pilot-passkeys").await;
    let script = value_of(&root, "#export-rollout-script");
    assert!(
        script.contains(PILOT) && script.contains("enabledForReportingButNotEnforced"),
        "{script}"
    );
    crate::support::click(&root, "#download-rollout").await;
    let status = root
        .query_selector("#rollout-download-status")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(status.starts_with("Downloaded rollout.ps1."), "{status}");
    handle.destroy();
}
