//! Browser component tests (wasm-bindgen-test in headless Chromium): the rule
//! editor validates as the admin types, and a fix-it rewrites the rule.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement, HtmlTextAreaElement};

use crate::support::{mount, set_select, tick, type_into};

async fn type_rule(root: &Element, rule: &str) {
    type_into(root, "#device-filter-rule", rule).await;
}

fn diagnostics(root: &Element) -> (String, Vec<String>) {
    let list = root
        .query_selector("#device-filter-diagnostics")
        .unwrap()
        .expect("diagnostics list");
    let valid = list.get_attribute("data-valid").unwrap();
    let items = list.query_selector_all("li").unwrap();
    let codes = (0..items.length())
        .map(|i| {
            items
                .item(i)
                .unwrap()
                .dyn_into::<Element>()
                .unwrap()
                .get_attribute("data-code")
                .unwrap()
        })
        .collect();
    (valid, codes)
}

#[wasm_bindgen_test]
async fn typing_a_rule_validates_it_live() {
    let (root, handle) = mount().await;
    crate::support::open_phase(&root, "everyone").await;
    type_rule(&root, r#"device.trustType -eq "ServerAD""#).await;
    let (valid, codes) = diagnostics(&root);
    assert_eq!(valid, "true", "codes: {codes:?}");

    type_rule(&root, r#"device.deviceTrustType -eq "ServerAD""#).await;
    let (valid, codes) = diagnostics(&root);
    assert_eq!(valid, "false");
    assert!(
        codes.iter().any(|c| c == "unknown-property"),
        "codes: {codes:?}"
    );
    let ta = root.query_selector("#device-filter-rule").unwrap().unwrap();
    assert_eq!(ta.get_attribute("aria-invalid").as_deref(), Some("true"));
    handle.destroy();
}

#[wasm_bindgen_test]
async fn a_fix_it_rewrites_the_rule_and_clears_the_error() {
    let (root, handle) = mount().await;
    crate::support::open_phase(&root, "everyone").await;
    type_rule(&root, "device.trustType -eq \u{201c}ServerAD\u{201d}").await;
    let (valid, _) = diagnostics(&root);
    assert_eq!(valid, "false");
    let button: HtmlButtonElement = root
        .query_selector("#device-filter-diagnostics li button.fix")
        .unwrap()
        .expect("a fix button")
        .dyn_into()
        .unwrap();
    button.click();
    tick().await;
    let ta: HtmlTextAreaElement = root
        .query_selector("#device-filter-rule")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(
        !ta.value().contains('\u{201c}'),
        "rule after fix: {}",
        ta.value()
    );
    // Curly quotes come in pairs; apply fixes until none is left.
    for _ in 0..4 {
        match root
            .query_selector("#device-filter-diagnostics li button.fix")
            .unwrap()
        {
            Some(b) => {
                b.dyn_into::<HtmlButtonElement>().unwrap().click();
                tick().await;
            }
            None => break,
        }
    }
    assert_eq!(ta.value(), r#"device.trustType -eq "ServerAD""#);
    assert_eq!(diagnostics(&root).0, "true");
    handle.destroy();
}

fn eval_result(root: &Element) -> (String, String) {
    let r = root
        .query_selector("#eval-result")
        .unwrap()
        .expect("evaluator result");
    (
        r.get_attribute("data-matches").unwrap(),
        r.get_attribute("data-applies").unwrap(),
    )
}

#[wasm_bindgen_test]
async fn the_evaluator_shows_what_the_rule_does_to_a_device() {
    let (root, handle) = mount().await;
    crate::support::open_phase(&root, "everyone").await;
    // Step 1's rule: exclude Entra-joined and hybrid-joined devices.
    type_rule(
        &root,
        r#"device.trustType -eq "ServerAD" -or device.trustType -eq "AzureAD""#,
    )
    .await;
    // Unset attributes are null: a positive operator does not match, so in exclude mode the
    // policy applies (an unregistered phone still gets MFA).
    assert_eq!(eval_result(&root), ("false".into(), "true".into()));
    set_select(&root, "#eval-prop-trustType", "ServerAD").await;
    assert_eq!(eval_result(&root), ("true".into(), "false".into()));
    // The same device, declared unregistered: every property is null again.
    let cb: web_sys::HtmlInputElement = root
        .query_selector("#eval-unregistered")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    cb.click();
    tick().await;
    assert_eq!(eval_result(&root), ("false".into(), "true".into()));
    // Negative operators match null: in include mode an unregistered device is caught.
    type_rule(
        &root,
        r#"device.isCompliant -ne True -and device.trustType -ne "ServerAD""#,
    )
    .await;
    set_select(&root, "#device-filter-mode", "include").await;
    assert_eq!(eval_result(&root), ("true".into(), "true".into()));
    handle.destroy();
}

#[wasm_bindgen_test]
async fn the_condition_builder_appends_a_valid_condition() {
    let (root, handle) = mount().await;
    crate::support::open_phase(&root, "everyone").await;
    type_rule(&root, r#"device.trustType -eq "ServerAD""#).await;
    set_select(&root, "#builder-property", "isCompliant").await;
    // isCompliant takes only -eq / -ne, and True / False.
    let ops = root.query_selector_all("#builder-operator option").unwrap();
    assert_eq!(ops.length(), 2);
    set_select(&root, "#builder-value", "True").await;
    set_select(&root, "#builder-joiner", "-or").await;
    let add: HtmlButtonElement = root
        .query_selector("#builder-add")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    add.click();
    tick().await;
    let ta: HtmlTextAreaElement = root
        .query_selector("#device-filter-rule")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(
        ta.value(),
        r#"device.trustType -eq "ServerAD" -or device.isCompliant -eq True"#
    );
    assert_eq!(diagnostics(&root).0, "true");
    handle.destroy();
}

/// The saved draft, as the page's other panels read the draft.
fn saved() -> String {
    crate::support::storage()
        .get_item("ca-builder.draft")
        .unwrap()
        .unwrap_or_default()
}

/// Each keystroke is checked and shown at once; the draft (saved, and read by the checks, the
/// export and the What-If) takes the rule once typing pauses, or at once when the editor loses
/// focus, so no typed character is lost and a keystroke does not recompute the page.
#[wasm_bindgen_test]
async fn the_draft_takes_the_rule_once_typing_pauses_or_on_blur() {
    let (root, handle) = mount().await;
    crate::support::open_phase(&root, "everyone").await;
    // type_rule waits 100 ms: less than the pause the draft waits for.
    type_rule(&root, "device.model -eq \"Pause-1\"").await;
    assert_eq!(diagnostics(&root).0, "true", "checked at once");
    assert!(
        !saved().contains("Pause-1"),
        "the draft waits for the pause"
    );
    yew::platform::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        saved().contains("Pause-1"),
        "the draft has the rule once typing paused"
    );

    type_rule(&root, "device.model -eq \"Blur-2\"").await;
    let ta: web_sys::HtmlElement = root
        .query_selector("#device-filter-rule")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    ta.dispatch_event(&web_sys::FocusEvent::new("blur").unwrap())
        .unwrap();
    tick().await;
    assert!(saved().contains("Blur-2"), "blur sends the rule at once");
    handle.destroy();
}
