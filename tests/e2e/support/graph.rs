//! The fake Graph behind the page: a browser on `dist/` whose graph.microsoft.com is a local
//! HTTPS stand-in (tests/fake_graph), connecting with a token, clicking, and checking that the
//! token is forgotten after Disconnect.

use super::browser::{serve_dist, Browser};
use fake_graph::{graph_token, serve_https, FakeGraph, FakeServer};
use fantoccini::Locator;
use serde_json::json;
use std::time::Duration;

pub const SCOPES: &str = "Policy.Read.All Policy.ReadWrite.ConditionalAccess Policy.ReadWrite.AuthenticationMethod Application.Read.All Group.ReadWrite.All User.Read.All AuditLog.Read.All Directory.Read.All";

/// A browser on `dist/` whose graph.microsoft.com is the fake, and a token for it.
pub struct Env {
    pub b: Browser,
    pub fake: FakeServer,
    /// The port `dist/` is served on.
    pub web: u16,
    pub token: String,
}

/// Serves `dist/`, starts the fake Graph and Chromium (Graph's host name mapped to the fake),
/// opens the app and mints a token that expires in an hour.
pub async fn start() -> Env {
    start_with(FakeGraph::new(), SCOPES).await
}

/// As [`start`], over a fake Graph seeded by the caller and a token with `scopes`.
pub async fn start_with(graph: FakeGraph, scopes: &str) -> Env {
    let fake = serve_https(graph).await;
    let web = serve_dist("/").await;
    let b = Browser::start(&[
        format!(
            "--host-resolver-rules=MAP graph.microsoft.com 127.0.0.1:{}",
            fake.port
        ),
        "--ignore-certificate-errors".to_string(),
    ])
    .await;
    b.open_app(&format!("http://127.0.0.1:{web}/")).await;
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 3600;
    Env {
        b,
        fake,
        web,
        token: graph_token(exp, scopes),
    }
}

/// Clicks `css`, scrolled into view first ([`Browser::click`]).
pub async fn click(b: &Browser, css: &str) {
    b.click(css).await;
}

/// The `value` of the form control at `css`.
pub async fn value(b: &Browser, css: &str) -> String {
    let script = format!(
        "return document.querySelector({}).value",
        serde_json::to_string(css).unwrap()
    );
    b.js(&script).await.as_str().unwrap_or_default().to_string()
}

/// Pastes the token and connects.
pub async fn connect(e: &Env) {
    connect_with(&e.b, &e.token).await;
}

pub async fn connect_with(b: &Browser, token: &str) {
    b.set_value("#graph-token", token).await;
    click(b, "#graph-connect").await;
    b.client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#graph-disconnect"))
        .await
        .expect("connected");
    assert_eq!(
        value(b, "#graph-token").await,
        "",
        "the textarea is emptied once connected"
    );
}

/// After Disconnect the token is gone from storage, the URL and the DOM.
pub async fn disconnect_and_assert_forgotten(e: &Env) {
    click(&e.b, "#graph-disconnect").await;
    e.b.client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#graph-connect"))
        .await
        .unwrap();
    let found = e
        .b
        .js(&format!(
            "const t = {tok}; const stores = [localStorage, sessionStorage]; \
             const inStore = stores.some(s => Object.keys(s).some(k => k.includes(t) || (s.getItem(k) || '').includes(t))); \
             const ta = document.getElementById('graph-token'); \
             return {{ store: inStore, url: location.href.includes(t), dom: document.documentElement.outerHTML.includes(t), \
                      textarea: ta ? ta.value : null, payload: document.documentElement.outerHTML.includes(t.split('.')[1]) }};",
            tok = serde_json::to_string(&e.token).unwrap()
        ))
        .await;
    assert_eq!(
        found,
        json!({"store": false, "url": false, "dom": false, "textarea": "", "payload": false})
    );
    let dbs =
        e.b.client
            .execute_async(
                "const done = arguments[0]; indexedDB.databases().then(d => done(d.length))",
                vec![],
            )
            .await
            .unwrap();
    assert_eq!(dbs, json!(0), "no IndexedDB database exists");
    assert!(!e
        .b
        .js("return document.getElementById('graph-status').textContent")
        .await
        .as_str()
        .unwrap()
        .contains(&e.token));
}
