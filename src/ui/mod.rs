//! The Yew single-page app: the only module that renders. It calls the pure
//! core for everything it shows; it never makes requests itself.

mod app;
mod drafts_panel;
mod export_panel;
mod fields;
mod filter_editor;
mod filter_tools;
mod graph_panel;
mod hidden_note;
mod highlight;
mod import;
mod lint_panel;
mod passkey_deploy;
mod passkey_panel;
mod storage;
mod visible;
mod whatif_panel;
mod wizard;

pub use app::App;
pub use highlight::{highlight_segments, Segment};
/// Records Content-Security-Policy violations in `window.__cspViolations`
/// (and on the console), so tests and curious admins can see that the page
/// runs under its CSP without breaking it.
pub fn record_csp_violations() {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let list = js_sys::Array::new();
    let _ = js_sys::Reflect::set(&window, &"__cspViolations".into(), &list);
    let Some(doc) = window.document() else { return };
    let listener = gloo::events::EventListener::new(&doc, "securitypolicyviolation", move |e| {
        if let Some(e) = e.dyn_ref::<web_sys::SecurityPolicyViolationEvent>() {
            let text = format!("{} blocked {}", e.violated_directive(), e.blocked_uri());
            gloo::console::warn!("CSP violation:", &text);
            list.push(&text.into());
        }
    });
    listener.forget();
}
