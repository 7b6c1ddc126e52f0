//! Helpers for the wasm component tests (the `web` test crate): mount the app in a
//! fresh element and drive its controls the way a browser event would. Every test of the
//! crate runs in the same page, one after another, so `mount` resets what the page keeps.

use std::time::Duration;
use wasm_bindgen::JsCast;
use web_sys::Element;

/// Yew renders asynchronously; give it a turn before asserting. The debug build renders a
/// panel that computes previews (the passkey panel) in tens of milliseconds on a busy machine,
/// so the turn is generous: 30 ms made those tests fail now and then.
pub async fn tick() {
    yew::platform::time::sleep(Duration::from_millis(100)).await;
}

/// Mounts the app into a fresh element (the runner page has elements of its own), starting
/// from a fresh draft: the app autosaves into localStorage, and opens a share link it finds in
/// the URL fragment (one another test of this page may have left there).
pub async fn mount() -> (Element, yew::AppHandle<ca_builder::ui::App>) {
    let window = web_sys::window().unwrap();
    window.local_storage().unwrap().unwrap().clear().unwrap();
    let location = window.location();
    if !location.hash().unwrap().is_empty() {
        let url = format!(
            "{}{}",
            location.pathname().unwrap(),
            location.search().unwrap()
        );
        window
            .history()
            .unwrap()
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
            .unwrap();
    }
    let doc = window.document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<ca_builder::ui::App>::with_root(root.clone()).render();
    tick().await;
    (root, handle)
}

/// Sets a `<select>` and fires the bubbling `change` event Yew listens for.
pub async fn set_select(root: &Element, css: &str, value: &str) {
    let sel: web_sys::HtmlSelectElement = root
        .query_selector(css)
        .unwrap()
        .expect(css)
        .dyn_into()
        .unwrap();
    sel.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    sel.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap())
        .unwrap();
    tick().await;
}

pub async fn click(root: &Element, css: &str) {
    let el: web_sys::HtmlElement = root
        .query_selector(css)
        .unwrap()
        .expect(css)
        .dyn_into()
        .unwrap();
    el.click();
    tick().await;
}

/// Waits (at most two seconds) until `css` is in `root`.
async fn wait_for(root: &Element, css: &str) {
    for _ in 0..60 {
        if root.query_selector(css).unwrap().is_some() {
            return;
        }
        tick().await;
    }
    panic!("{css} did not appear");
}

/// Opens a phase (`prepare|pilot|everyone|harden|watch`) with a click on its button in
/// `#phase-nav`, as an admin would; a phase with steps opens its first step.
pub async fn open_phase(root: &Element, phase: &str) {
    wait_for(root, "#phase-nav").await;
    click(root, &format!("#phase-nav [data-phase={phase}]")).await;
    wait_for(
        root,
        &format!("#phase-nav [data-phase={phase}][aria-current=step]"),
    )
    .await;
}

/// Opens the Pilot phase's passkey and TAP view (its tab after the pilot's steps).
pub async fn open_pilot_passkeys(root: &Element) {
    open_phase(root, "pilot").await;
    wait_for(root, "#pilot-passkeys").await;
    click(root, "#pilot-passkeys").await;
    wait_for(root, "#passkey-panel").await;
}

/// Types `value` into the `<input>` or `<textarea>` at `css` and fires the bubbling `input`
/// event Yew listens for.
pub async fn type_into(root: &Element, css: &str, value: &str) {
    let el = root.query_selector(css).unwrap().expect(css);
    if let Some(ta) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        ta.set_value(value);
    } else {
        el.dyn_ref::<web_sys::HtmlInputElement>()
            .expect("an input or a textarea")
            .set_value(value);
    }
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    el.dispatch_event(&web_sys::InputEvent::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
    tick().await;
}

/// The value of the `<input>` or `<textarea>` at `css`.
pub fn value_of(root: &Element, css: &str) -> String {
    let el = root.query_selector(css).unwrap().expect(css);
    match el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        Some(ta) => ta.value(),
        None => el
            .dyn_ref::<web_sys::HtmlInputElement>()
            .expect("an input or a textarea")
            .value(),
    }
}

/// This page's localStorage.
pub fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Mounts the app on the localStorage and URL fragment the test prepared (a share link is
/// read from the fragment when the app starts).
pub async fn mount_as_is() -> (Element, yew::AppHandle<ca_builder::ui::App>) {
    let doc = web_sys::window().unwrap().document().unwrap();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<ca_builder::ui::App>::with_root(root.clone()).render();
    tick().await;
    (root, handle)
}

/// Puts a share link's draft into this page's URL fragment, as opening the link would.
pub fn set_share_fragment(draft_json: &str) {
    let encoded: String = js_sys::encode_uri_component(draft_json).into();
    web_sys::window()
        .unwrap()
        .location()
        .set_hash(&format!("draft={encoded}"))
        .unwrap();
}

/// The text of the element at `css`, or `None` when there is none.
pub fn text_of(root: &Element, css: &str) -> Option<String> {
    root.query_selector(css)
        .unwrap()
        .map(|e| e.text_content().unwrap_or_default())
}

/// A bubbling, cancelable `keydown` with `key` at `css`, as the browser sends it (built through
/// the constructor, so the event is a real KeyboardEvent).
pub async fn press(root: &Element, css: &str, key: &str) {
    use wasm_bindgen::JsValue;
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"key".into(), &key.into()).unwrap();
    js_sys::Reflect::set(&init, &"bubbles".into(), &JsValue::TRUE).unwrap();
    js_sys::Reflect::set(&init, &"cancelable".into(), &JsValue::TRUE).unwrap();
    let ctor: js_sys::Function =
        js_sys::Reflect::get(&web_sys::window().unwrap(), &"KeyboardEvent".into())
            .unwrap()
            .dyn_into()
            .unwrap();
    let args = js_sys::Array::of2(&"keydown".into(), &init);
    let event: web_sys::Event = js_sys::Reflect::construct(&ctor, &args)
        .unwrap()
        .dyn_into()
        .unwrap();
    let el = root.query_selector(css).unwrap().expect(css);
    el.dispatch_event(&event).unwrap();
    tick().await;
}

/// A bubbling, cancelable `mousedown` at `css` (how a picker's suggestion is chosen).
pub async fn mouse_down(root: &Element, css: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    let el = root.query_selector(css).unwrap().expect(css);
    el.dispatch_event(&web_sys::Event::new_with_event_init_dict("mousedown", &init).unwrap())
        .unwrap();
    tick().await;
}

/// Pastes a delegated Graph token (claims only; nothing verifies a signature offline) and
/// connects.
pub async fn connect_graph(root: &Element) {
    let token = js_sys::Function::new_no_args(
        r#"
        const b64 = s => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        const now = Math.floor(Date.now() / 1000);
        const claims = { aud: 'https://graph.microsoft.com', tid: '11111111-2222-3333-4444-555555555555',
            upn: 'admin@contoso.example', iat: now, exp: now + 3600, scp: 'User.Read.All Group.Read.All' };
        return b64(JSON.stringify({ typ: 'JWT', alg: 'RS256' })) + '.' + b64(JSON.stringify(claims)) + '.'
            + b64('fake-signature-bytes-that-are-long-enough');
    "#,
    )
    .call0(&wasm_bindgen::JsValue::NULL)
    .unwrap()
    .as_string()
    .unwrap();
    type_into(root, "#graph-token", &token).await;
    click(root, "#graph-connect").await;
    assert!(
        root.query_selector("#graph-disconnect").unwrap().is_some(),
        "connected"
    );
}
