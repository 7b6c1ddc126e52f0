//! Browser component tests for the What-If panel: the persona matrix for the
//! default rollout, and the passkey catch-22 appearing when the compensating
//! policy demands a compliant device AND MFA.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

use crate::support::{click, mount, set_select, tick, type_into};
use crate::web_whatif_pickers::choose;

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
    crate::support::open_phase(&root, "everyone").await;
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
    crate::support::open_phase(&root, "everyone").await;
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
    crate::support::open_phase(&root, "everyone").await;
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
    // The named locations are a picker: offline, an id is pasted and chosen.
    let another = "4a8a2b1c-0000-4000-8000-000000000002";
    choose(&root, "whatif-named-locations", another, another).await;
    assert_ne!(result(&root), "blocked");
    choose(&root, "whatif-named-locations", office, office).await;
    assert_eq!(result(&root), "blocked");
    handle.destroy();
}

/// Hands `bytes` to the file input at `css` as the file `name`, as choosing it would.
async fn choose_file(root: &Element, css: &str, name: &str, bytes: &[u8]) {
    use wasm_bindgen::JsValue;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, name).unwrap();
    // A DataTransfer is the only way a page can make a FileList.
    let window = web_sys::window().unwrap();
    let ctor: js_sys::Function = js_sys::Reflect::get(&window, &JsValue::from_str("DataTransfer"))
        .unwrap()
        .dyn_into()
        .unwrap();
    let dt = js_sys::Reflect::construct(&ctor, &js_sys::Array::new()).unwrap();
    let items = js_sys::Reflect::get(&dt, &JsValue::from_str("items")).unwrap();
    let add: js_sys::Function = js_sys::Reflect::get(&items, &JsValue::from_str("add"))
        .unwrap()
        .dyn_into()
        .unwrap();
    add.call1(&items, &file).unwrap();
    let files = js_sys::Reflect::get(&dt, &JsValue::from_str("files")).unwrap();
    let input: HtmlInputElement = root
        .query_selector(css)
        .unwrap()
        .expect(css)
        .dyn_into()
        .unwrap();
    input.set_files(Some(files.unchecked_ref()));
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    // Reading the file is a promise, then Yew renders.
    for _ in 0..10 {
        tick().await;
    }
}

fn request_text(root: &Element) -> String {
    crate::support::text_of(root, "#whatif-request").expect("the request is shown")
}

#[wasm_bindgen_test]
async fn a_downloaded_scenario_loads_back_and_a_broken_file_leaves_the_form_as_it_was() {
    let (root, handle) = mount().await;
    crate::support::open_phase(&root, "everyone").await;
    set_select(&root, "#whatif-resource", "app").await;
    set_select(&root, "#whatif-platform", "android").await;
    set_select(&root, "#whatif-client-app", "browser").await;
    click(&root, "#whatif-guest").await;
    let written = request_text(&root);
    let v: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(v["signInConditions"]["devicePlatform"], "android");
    assert_eq!(
        v["signInIdentity"]["externalUserType"],
        "b2bCollaborationGuest"
    );
    // The shown body is the CLI's request: the core's reader takes it.
    ca_builder::analysis::whatif::evaluate::read_request(written.as_bytes()).unwrap();

    click(&root, "#whatif-download").await;
    let told = crate::support::text_of(&root, "#whatif-file-message").unwrap();
    assert!(told.contains("Saved whatif-scenario.json"), "{told}");

    // Change the form, then load the scenario: the form is back as it was written.
    set_select(&root, "#whatif-platform", "windows").await;
    click(&root, "#whatif-guest").await;
    assert_ne!(request_text(&root), written);
    choose_file(
        &root,
        "#whatif-load",
        "whatif-scenario.json",
        written.as_bytes(),
    )
    .await;
    assert_eq!(request_text(&root), written);
    let platform: web_sys::HtmlSelectElement = root
        .query_selector("#whatif-platform")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(platform.value(), "android");
    let told = crate::support::text_of(&root, "#whatif-file-message").unwrap();
    assert!(told.contains("Loaded whatif-scenario.json"), "{told}");

    // A broken file: the error names the file, line and column; the form is unchanged.
    choose_file(
        &root,
        "#whatif-load",
        "broken.json",
        b"{\n  \"signInIdentity\": 3\n}",
    )
    .await;
    let message = root
        .query_selector("#whatif-file-message")
        .unwrap()
        .unwrap();
    assert_eq!(message.get_attribute("role").as_deref(), Some("alert"));
    let text = message.text_content().unwrap();
    assert!(text.starts_with("broken.json:2:"), "{text}");
    assert!(text.contains("The form is unchanged."), "{text}");
    assert_eq!(request_text(&root), written);

    // A file with what the form cannot show says so.
    let with_ip = written.replacen(
        "\"signInConditions\": {",
        "\"signInConditions\": {\n    \"ipAddress\": \"40.77.182.32\",",
        1,
    );
    choose_file(&root, "#whatif-load", "ip.json", with_ip.as_bytes()).await;
    let told = crate::support::text_of(&root, "#whatif-file-message").unwrap();
    assert!(
        told.contains("ipAddress 40.77.182.32 is not shown"),
        "{told}"
    );
    handle.destroy();
}

/// Opens the phase that holds What-If, when the page is in phases.
async fn open_whatif(root: &Element) {
    if root
        .query_selector("#phase-nav [data-phase=pilot]")
        .unwrap()
        .is_some()
    {
        click(root, "#phase-nav [data-phase=pilot]").await;
    }
}

fn all(root: &Element, css: &str) -> Vec<Element> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .collect()
}

#[wasm_bindgen_test]
async fn the_headline_says_which_sign_in_each_line_is_about_and_cites_only_what_is_listed() {
    let (root, handle) = mount().await;
    open_whatif(&root).await;
    // The default form is a passkey registration: the sign-in to My Sign-ins before it, then
    // the user action, each a headline line and a breakdown of its own.
    let lines = all(&root, "#whatif-result li");
    let steps: Vec<String> = lines
        .iter()
        .map(|l| l.get_attribute("data-sign-in").unwrap())
        .collect();
    assert_eq!(steps, ["before-registration", "sign-in"]);
    let text = |e: &Element| e.text_content().unwrap();
    assert!(
        text(&lines[0]).contains("My Sign-ins (19db86c3-b2b9-44cc-b339-36da233a3be2)"),
        "{}",
        text(&lines[0])
    );
    assert!(
        text(&lines[1]).contains("Register security information"),
        "{}",
        text(&lines[1])
    );
    for (line, list) in lines
        .iter()
        .zip(["#whatif-policies-before", "#whatif-policies"])
    {
        let cited = line.get_attribute("data-policies").unwrap();
        assert!(
            !cited.is_empty(),
            "the default rollout challenges both sign-ins"
        );
        for i in cited.split(' ') {
            let css = format!("{list} > li[data-index=\"{i}\"]");
            let li = root.query_selector(&css).unwrap().expect(&css);
            assert_eq!(
                li.get_attribute("data-applies").as_deref(),
                Some("true"),
                "{}",
                text(&li)
            );
            assert_eq!(
                li.get_attribute("data-report-only").as_deref(),
                Some("false"),
                "{}",
                text(&li)
            );
        }
    }
    handle.destroy();
}

#[wasm_bindgen_test]
async fn what_if_shows_names_beside_the_ids_of_its_form_and_its_reasons() {
    let (root, handle) = mount().await;
    let admin = "62e90394-69f5-4237-9190-012177145e10";
    let unknown = "8a1c3b5e-2f4d-4e6a-9b7c-0d1e2f3a4b5c";
    type_into(
        &root,
        "#import-text",
        &format!(
            r#"{{"displayName": "Admins MFA", "state": "enabled",
                "conditions": {{"users": {{"includeRoles": ["{admin}"]}}, "applications": {{"includeApplications": ["All"]}}, "clientAppTypes": ["all"]}},
                "grantControls": {{"operator": "OR", "builtInControls": ["mfa"]}}}}"#
        ),
    )
    .await;
    click(&root, "#import-apply").await;
    open_whatif(&root).await;
    set_select(&root, "#whatif-resource", "app").await;
    choose(&root, "whatif-roles", "global admin", admin).await;
    choose(&root, "whatif-groups", unknown, unknown).await;
    let names = |css: &str| {
        root.query_selector(css)
            .unwrap()
            .unwrap_or_else(|| panic!("{css}"))
            .text_content()
            .unwrap()
    };
    // The chosen entries show their names beside the ids.
    assert_eq!(
        names(&format!("#whatif-roles li.chip[data-id=\"{admin}\"] span")),
        format!("Global Administrator ({admin})")
    );
    assert_eq!(
        names(&format!(
            "#whatif-groups li.chip[data-id=\"{unknown}\"] span"
        )),
        format!("{unknown} (connect to look it up)")
    );
    assert!(names("#whatif-app li.chip span").starts_with("Office 365 Exchange Online ("));
    let breakdown = names("#whatif-policies");
    assert!(
        breakdown.contains(&format!(
            "included by directory role Global Administrator ({admin})"
        )),
        "{breakdown}"
    );
    handle.destroy();
}
