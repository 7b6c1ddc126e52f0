//! Browser component tests for the checks panel: each check's "Go to field" sits on a line of
//! its own, below the message, whether or not the check has a "Fix:" line.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

use crate::support::{click, mount};

fn rect(el: &Element, css: &str) -> web_sys::DomRect {
    el.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("{css} in {}", el.outer_html()))
        .get_bounding_client_rect()
}

#[wasm_bindgen_test]
async fn go_to_field_is_below_the_message_not_run_on_from_it() {
    let (root, handle) = mount().await;
    // A fresh draft's Pilot step has no pilot group: a form check, which has no "Fix:" line.
    click(&root, "#phase-nav [data-phase=pilot]").await;
    let items = root.query_selector_all("#lint-list li").unwrap();
    assert!(items.length() > 0, "the fresh pilot step has checks");
    let mut without_fix = 0;
    for i in 0..items.length() {
        let li: Element = items.item(i).unwrap().dyn_into().unwrap();
        let message = rect(&li, ".message");
        let button = rect(&li, "button.link");
        assert!(
            button.top() >= message.bottom() - 0.5,
            "{}: the button starts at {} inside the message ending at {}",
            li.text_content().unwrap_or_default(),
            button.top(),
            message.bottom()
        );
        if li.query_selector(".hint").unwrap().is_none() {
            without_fix += 1;
        }
        // The message is the check's words alone, so a screen reader reads it apart from the button.
        let words: HtmlElement = li
            .query_selector(".message")
            .unwrap()
            .unwrap()
            .dyn_into()
            .unwrap();
        assert!(!words.inner_text().contains("Go to field"));
    }
    assert!(without_fix > 0, "a check without a Fix: line was laid out");
    handle.destroy();
    root.remove();
}
