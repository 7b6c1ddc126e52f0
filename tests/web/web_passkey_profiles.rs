//! Browser component tests for the passkey panel on a tenant with passkey profiles: a pasted
//! configuration is shown in words (profiles, targets, the groups each profile reaches, the
//! first-read warning) and the pilot profile's plan as two steps, add then target; with nothing
//! pasted, the same plan over Microsoft's default migrated configuration, said to be assumed.

use serde_json::json;
use wasm_bindgen_test::*;
use web_sys::Element;

use crate::support::{mount, text_of, type_into, value_of};

const PILOT: &str = "22222222-3333-4444-5555-666666666666";
const DEFAULT_ID: &str = "00000000-0000-0000-0000-000000000001";

fn migrated() -> String {
    json!({
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "id": "Fido2", "state": "enabled", "isSelfServiceRegistrationAllowed": true,
        "defaultPasskeyProfile": DEFAULT_ID,
        "passkeyProfiles": [{ "id": DEFAULT_ID, "name": "Default passkey profile",
            "passkeyTypes": "deviceBound,synced", "attestationEnforcement": "disabled",
            "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] } }],
        "includeTargets": [{ "targetType": "group", "id": "all_users", "isRegistrationRequired": false,
            "allowedPasskeyProfiles": [DEFAULT_ID] }],
        "excludeTargets": []
    })
    .to_string()
}

/// `(data-step, data-kind, data-state)` of each item of the step list.
fn steps(root: &Element) -> Vec<(String, String, String)> {
    let list = root
        .query_selector_all("#passkey-profile-steps > li")
        .unwrap();
    (0..list.length())
        .map(|i| {
            let e: Element = wasm_bindgen::JsCast::dyn_into(list.item(i).unwrap()).unwrap();
            let a = |n: &str| e.get_attribute(n).unwrap_or_default();
            (a("data-step"), a("data-kind"), a("data-state"))
        })
        .collect()
}

/// A configuration not migrated to passkey profiles (no `passkeyProfiles`).
fn not_migrated() -> String {
    json!({
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "id": "Fido2", "state": "disabled", "isAttestationEnforced": false,
        "includeTargets": [{ "targetType": "group", "id": "all_users", "isRegistrationRequired": false }],
        "excludeTargets": []
    })
    .to_string()
}

#[wasm_bindgen_test]
async fn an_empty_box_plans_for_passkey_profiles_and_says_what_it_assumed() {
    let (root, handle) = mount().await;
    crate::support::open_pilot_passkeys(&root).await;
    type_into(&root, "#passkey-pilot-group", PILOT).await;
    // Nothing pasted, not connected: the profile shape, stated as an assumption.
    let kind = text_of(&root, "#passkey-current-kind").unwrap();
    assert!(
        kind.contains("assume Microsoft's default migrated configuration"),
        "{kind}"
    );
    let assumed = text_of(&root, "#passkey-profile-assumed").expect("the assumption, stated");
    assert!(
        assumed.contains("\"Default passkey profile\"") && assumed.contains("targeting all users"),
        "{assumed}"
    );
    assert!(
        assumed.contains("paste the GET response") && assumed.contains("connect"),
        "{assumed}"
    );
    let words = text_of(&root, "#passkey-profile-words").expect("the assumed profiles in words");
    assert!(
        words.contains("profile \"Default passkey profile\" [Default]"),
        "{words}"
    );
    // The two ordered steps, not the legacy single PATCH of the top-level settings.
    assert_eq!(
        steps(&root),
        [
            ("1".into(), "profiles".into(), "pending".into()),
            ("2".into(), "targets".into(), "pending".into())
        ]
    );
    let json = value_of(&root, "#export-passkey-json");
    assert!(json.contains("On passkey profiles"), "{json}");
    assert!(!json.contains("/fido2"), "{json}");
    assert!(!json.contains("isAttestationEnforced"), "{json}");
    // The rollout script (once the Pilot phase names the pilot group) takes the profile steps too.
    crate::support::click(&root, "#step-1").await;
    type_into(&root, "#field-pilot-group", PILOT).await;
    crate::support::click(&root, "#pilot-passkeys").await;
    let script = value_of(&root, "#export-rollout-script");
    assert!(
        script.contains(PILOT) && script.contains("passkeyProfiles"),
        "{script}"
    );
    assert!(
        !script.contains("isAttestationEnforced"),
        "the rollout script has no legacy passkey PATCH: {script}"
    );

    // A pasted configuration without profiles is the legacy path, and no assumption is stated.
    type_into(&root, "#passkey-current", &not_migrated()).await;
    assert!(root.query_selector("#passkey-profiles").unwrap().is_none());
    assert!(text_of(&root, "#passkey-current-kind")
        .unwrap()
        .starts_with("Not on passkey profiles"));
    assert!(value_of(&root, "#export-passkey-json").contains("/fido2"));
    // Cleared again: back to the assumed profile shape.
    type_into(&root, "#passkey-current", "").await;
    assert!(text_of(&root, "#passkey-profile-assumed").is_some());
    assert_eq!(steps(&root).len(), 2);
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_profiles_configuration_is_shown_in_words_with_the_two_step_plan() {
    let (root, handle) = mount().await;
    crate::support::open_pilot_passkeys(&root).await;
    type_into(&root, "#passkey-pilot-group", PILOT).await;
    type_into(&root, "#passkey-current", &migrated()).await;

    assert!(text_of(&root, "#passkey-current-kind")
        .unwrap()
        .starts_with("On passkey profiles"));
    // The tenant's own configuration: nothing assumed.
    assert!(text_of(&root, "#passkey-profile-assumed").is_none());
    let words = text_of(&root, "#passkey-profile-words").expect("the profiles in words");
    assert!(
        words.contains("profile \"Default passkey profile\" [Default]"),
        "{words}"
    );
    assert!(words.contains("reaches all users (all_users)"), "{words}");
    assert!(
        words.contains("target all users (all_users): \"Default passkey profile\""),
        "{words}"
    );
    let notes = text_of(&root, "#passkey-profile-notes").expect("the first-read warning");
    assert!(
        notes.contains("synced passkeys with attestation off"),
        "{notes}"
    );
    assert!(root
        .query_selector("#passkey-profile-plan-error")
        .unwrap()
        .is_none());

    assert_eq!(
        steps(&root),
        [
            ("1".into(), "profiles".into(), "pending".into()),
            ("2".into(), "targets".into(), "pending".into())
        ]
    );
    let list = text_of(&root, "#passkey-profile-steps").unwrap();
    assert!(
        list.contains(
            "+ profile \"Passkeys in Microsoft Authenticator\" (new: the service assigns its id)"
        ),
        "{list}"
    );
    assert!(
        list.contains("= target group all_users (as read)"),
        "{list}"
    );
    assert!(list.contains(&format!("+ target group {PILOT}")), "{list}");
    assert!(
        list.contains("{{profile-id:Passkeys in Microsoft Authenticator}}"),
        "{list}"
    );
    // The passkey method is the steps; the TAP PATCH is still previewed on its own.
    let json = value_of(&root, "#export-passkey-json");
    assert!(json.contains("On passkey profiles"), "{json}");
    assert!(json.contains("/TemporaryAccessPass"), "{json}");
    assert!(!json.contains("/fido2"), "{json}");
    assert!(value_of(&root, "#passkey-effect").contains("On passkey profiles"));
    // Offline: nothing to send with.
    assert!(root
        .query_selector("#passkey-profile-send")
        .unwrap()
        .is_none());

    // Without a pilot group, the plan says why there is none.
    type_into(&root, "#passkey-pilot-group", "").await;
    let why = text_of(&root, "#passkey-profile-plan-error").expect("why there is no plan");
    assert!(
        why.starts_with("Set the pilot group in the Pilot phase"),
        "{why}"
    );
    assert!(steps(&root).is_empty());
    handle.destroy();
}
