//! Browser component tests for the What-If panel: the persona matrix for the
//! default rollout, and the passkey catch-22 appearing when the compensating
//! policy demands a compliant device AND MFA.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

async fn tick() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

async fn mount() -> (Element, yew::AppHandle<ca_builder::ui::App>) {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    let doc = window.document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<ca_builder::ui::App>::with_root(root.clone()).render();
    tick().await;
    (root, handle)
}

fn outcome(root: &Element, persona: &str) -> String {
    let row = root
        .query_selector(&format!("#whatif-matrix tr[data-persona=\"{persona}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("a matrix row for {persona}"));
    row.get_attribute("data-outcome").unwrap()
}

async fn click(root: &Element, css: &str) {
    let el: web_sys::HtmlElement = root.query_selector(css).unwrap().expect(css).dyn_into().unwrap();
    el.click();
    tick().await;
}

async fn set_select(root: &Element, css: &str, value: &str) {
    let sel: web_sys::HtmlSelectElement = root.query_selector(css).unwrap().expect(css).dyn_into().unwrap();
    sel.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    sel.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap()).unwrap();
    tick().await;
}

#[wasm_bindgen_test]
async fn the_matrix_shows_who_is_challenged_and_the_catch_22() {
    let (root, handle) = mount().await;
    // The default rollout, previewed as On: a managed laptop is exempt, a personal phone and a
    // guest do MFA, and an unregistered phone can register a passkey with MFA (a TAP satisfies it).
    assert_eq!(outcome(&root, "managed laptop"), "allowed");
    assert_eq!(outcome(&root, "personal phone"), "challenged");
    assert_eq!(outcome(&root, "guest"), "challenged");
    assert_eq!(outcome(&root, "unregistered phone registering a passkey"), "challenged");

    // The seed's trap: the compensating policy requires a compliant device AND MFA. The
    // unregistered phone cannot be compliant before it has registered: blocked.
    let compliant: HtmlInputElement =
        root.query_selector("#field-grant-controls-compliantDevice").unwrap().unwrap().dyn_into().unwrap();
    compliant.click();
    tick().await;
    set_select(&root, "#field-grant-operator", "AND").await;
    assert_eq!(outcome(&root, "unregistered phone registering a passkey"), "blocked");

    // Report-only policies are never enforced: without the preview nobody is stopped.
    click(&root, "#whatif-preview-on").await;
    for persona in ["managed laptop", "personal phone", "guest", "unregistered phone registering a passkey"] {
        assert_eq!(outcome(&root, persona), "allowed", "{persona}");
    }
    handle.destroy();
}
