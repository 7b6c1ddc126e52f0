//! Helpers for the wasm component tests (`tests/web_*.rs`): mount the app in a
//! fresh element and drive its controls the way a browser event would.
#![allow(dead_code)]

use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// Yew renders asynchronously; give it a turn before asserting.
pub async fn tick() {
    yew::platform::time::sleep(Duration::from_millis(30)).await;
}

/// Mounts the app into a fresh element (the runner page has elements of its own), starting
/// from a fresh draft: the app autosaves into localStorage.
pub async fn mount() -> (Element, yew::AppHandle<ca_builder::ui::App>) {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    let doc = window.document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<ca_builder::ui::App>::with_root(root.clone()).render();
    tick().await;
    (root, handle)
}

/// Sets a `<select>` and fires the bubbling `change` event Yew listens for.
pub async fn set_select(root: &Element, css: &str, value: &str) {
    let sel: web_sys::HtmlSelectElement = root.query_selector(css).unwrap().expect(css).dyn_into().unwrap();
    sel.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    sel.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap()).unwrap();
    tick().await;
}

pub async fn click(root: &Element, css: &str) {
    let el: web_sys::HtmlElement = root.query_selector(css).unwrap().expect(css).dyn_into().unwrap();
    el.click();
    tick().await;
}
