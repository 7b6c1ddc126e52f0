//! The page's Content-Security-Policy, watched.

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
