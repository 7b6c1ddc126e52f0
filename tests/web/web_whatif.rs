//! Browser component tests for the What-If panel: the persona matrix for the
//! default rollout, and the passkey catch-22 appearing when the compensating
//! policy demands a compliant device AND MFA.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

use crate::support::{click, mount, set_select, tick, type_into};

fn outcome(root: &Element, persona: &str) -> String {
    let row = root
        .query_selector(&format!("#whatif-matrix tr[data-persona=\"{persona}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("a matrix row for {persona}"));
    row.get_attribute("data-outcome").unwrap()
}

#[wasm_bindgen_test]
async fn the_matrix_shows_who_is_challenged_and_the_catch_22() {
    let (root, handle) = mount().await;
    // The default rollout, previewed as On: a managed laptop is exempt, a personal phone and a
    // guest do MFA, and an unregistered phone can register a passkey with MFA (a TAP satisfies it).
    assert_eq!(outcome(&root, "managed laptop"), "allowed");
    assert_eq!(outcome(&root, "personal phone"), "challenged");
    assert_eq!(outcome(&root, "guest"), "challenged");
    assert_eq!(
        outcome(&root, "unregistered phone registering a passkey"),
        "challenged"
    );

    // The seed's trap: the compensating policy requires a compliant device AND MFA. The
    // unregistered phone cannot be compliant before it has registered: blocked.
    let compliant: HtmlInputElement = root
        .query_selector("#field-grant-controls-compliantDevice")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    compliant.click();
    tick().await;
    set_select(&root, "#field-grant-operator", "AND").await;
    assert_eq!(
        outcome(&root, "unregistered phone registering a passkey"),
        "blocked"
    );

    // Report-only policies are never enforced: without the preview nobody is stopped.
    click(&root, "#whatif-preview-on").await;
    for persona in [
        "managed laptop",
        "personal phone",
        "guest",
        "unregistered phone registering a passkey",
    ] {
        assert_eq!(outcome(&root, persona), "allowed", "{persona}");
    }
    handle.destroy();
}

/// The first policy's verdict (the draft's step 1, the compensating MFA policy).
fn first_verdict(root: &Element) -> (String, String) {
    let li = root
        .query_selector("#whatif-policies > li")
        .unwrap()
        .expect("a verdict");
    (
        li.get_attribute("data-applies").unwrap(),
        li.text_content().unwrap(),
    )
}

#[wasm_bindgen_test]
async fn device_attributes_given_as_json_reach_the_device_filter() {
    let (root, handle) = mount().await;
    set_select(&root, "#whatif-resource", "app").await;
    click(&root, "#whatif-registered").await;
    assert_eq!(
        first_verdict(&root).0,
        "true",
        "a registered device with nothing known is not exempt"
    );

    // A managed (Entra-joined) device, described the way `ca-policy filter eval --device` takes it.
    type_into(&root, "#whatif-device-json", r#"{"trustType": "AzureAD""#).await;
    let error = root
        .query_selector("#whatif-device-error")
        .unwrap()
        .expect("the JSON error is shown")
        .text_content()
        .unwrap();
    assert!(
        error.starts_with("Device attributes, line 1, column"),
        "{error}"
    );
    type_into(&root, "#whatif-device-json", r#"{"trustType": "AzureAD"}"#).await;
    assert!(root
        .query_selector("#whatif-device-error")
        .unwrap()
        .is_none());
    let (applies, words) = first_verdict(&root);
    assert_eq!(applies, "false", "{words}");
    assert!(
        words.contains("trustType"),
        "the verdict says which attribute decided: {words}"
    );
    handle.destroy();
}

#[wasm_bindgen_test]
async fn the_sign_in_flow_and_its_named_location_reach_the_imported_policies() {
    let (root, handle) = mount().await;
    // Two imported policies: block device code flow; block sign-ins from one named location.
    let office = "4a8a2b1c-0000-4000-8000-000000000001";
    let import = format!(
        r#"[{{"displayName": "Block device code flow", "state": "enabled",
              "conditions": {{"users": {{"includeUsers": ["All"]}}, "applications": {{"includeApplications": ["All"]}},
                             "clientAppTypes": ["all"], "authenticationFlows": {{"transferMethods": "deviceCodeFlow"}}}},
              "grantControls": {{"operator": "OR", "builtInControls": ["block"]}}}},
            {{"displayName": "Block the branch office", "state": "enabled",
              "conditions": {{"users": {{"includeUsers": ["All"]}}, "applications": {{"includeApplications": ["All"]}},
                             "clientAppTypes": ["all"], "locations": {{"includeLocations": ["{office}"]}}}},
              "grantControls": {{"operator": "OR", "builtInControls": ["block"]}}}}]"#
    );
    type_into(&root, "#import-text", &import).await;
    click(&root, "#import-apply").await;
    set_select(&root, "#whatif-resource", "app").await;
    let result = |root: &Element| {
        root.query_selector("#whatif-result")
            .unwrap()
            .unwrap()
            .get_attribute("data-outcome")
            .unwrap()
    };
    assert_ne!(
        result(&root),
        "blocked",
        "an ordinary sign-in from nowhere in particular"
    );

    set_select(&root, "#whatif-auth-flow", "deviceCodeFlow").await;
    assert_eq!(result(&root), "blocked");
    set_select(&root, "#whatif-auth-flow", "").await;

    set_select(&root, "#whatif-location", "untrusted").await;
    type_into(&root, "#whatif-named-locations", "another-location").await;
    assert_ne!(result(&root), "blocked");
    type_into(&root, "#whatif-named-locations", office).await;
    assert_eq!(result(&root), "blocked");
    handle.destroy();
}
