//! End-to-end: the passkey panel on a tenant with passkey profiles, against the local HTTPS
//! stand-in for graph.microsoft.com seeded as such a tenant (`fake_graph::ProfilesTenant`).
//!
//! Asserted: the configuration read is shown in words with the pilot profile's two steps
//! (add the profile, then target it); sending re-reads before each PATCH, the add carries no id
//! for the new profile and the target names the id the service assigned; a profile already
//! named like ours is reused (one step, its id, nothing added); a tenant at the profile limit
//! is refused with nothing sent; a tenant where ours is targeted already has nothing to send;
//! a size error on the target step removes the added profile again.

use crate::support::browser::Browser;
use crate::support::graph::{click, connect, start_with, Env};

use fake_graph::{
    FakeGraph, ProfilesTenant, Recorded, AUTHENTICATOR_AAGUIDS, DEFAULT_PROFILE_ID,
    OUR_PROFILE_NAME, SEEDED_OURS_ID,
};
use serde_json::{json, Value};
use std::time::Duration;

const SCOPES: &str = "Policy.Read.All Policy.ReadWrite.AuthenticationMethod";
const PILOT: &str = "22222222-3333-4444-5555-666666666666";
const FIDO2: &str =
    "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";

/// The app in Chromium with graph.microsoft.com mapped to a fake seeded as `shape`, connected,
/// the pilot group typed into the passkey panel.
async fn start(shape: ProfilesTenant<'_>) -> Env {
    let graph = FakeGraph::new();
    graph.seed_profiles(shape);
    let e = start_with(graph, SCOPES).await;
    connect(&e).await;
    e.b.open_pilot_passkeys().await;
    e.b.js("document.getElementById('passkey-panel').scrollIntoView({block: 'start'})")
        .await;
    e.b.set_value("#passkey-pilot-group", PILOT).await;
    e
}

/// The status region `{prefix}-status`: state, run number, text.
async fn status_in(b: &Browser, prefix: &str) -> (String, u32, String) {
    let v = b
        .js(&format!("const s = document.getElementById('{prefix}-status'); return [s.dataset.state, s.dataset.run, s.querySelector('#{prefix}-status-text').textContent]"))
        .await;
    (
        v[0].as_str().unwrap_or_default().to_string(),
        v[1].as_str().and_then(|r| r.parse().ok()).unwrap_or(0),
        v[2].as_str().unwrap_or_default().to_string(),
    )
}

/// Clicks `css` (a button that starts a run shown in `prefix`'s region) and waits until the run
/// has finished: its state and text.
async fn run_in(b: &Browser, prefix: &str, css: &str) -> (String, String) {
    let (_, before, _) = status_in(b, prefix).await;
    click(b, css).await;
    for _ in 0..400 {
        let (state, run, text) = status_in(b, prefix).await;
        if run > before && (state == "ok" || state == "error" || state == "idle") {
            return (state, text);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!(
        "the run started by {css} did not finish: {:?}",
        status_in(b, prefix).await
    );
}

async fn exists(b: &Browser, id: &str) -> bool {
    b.js(&format!("return document.getElementById('{id}') !== null"))
        .await
        .as_bool()
        .unwrap()
}

async fn text_of(b: &Browser, id: &str) -> String {
    b.js(&format!(
        "const e = document.getElementById('{id}'); return e ? e.textContent : ''"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// Reads the tenant's configurations from the deploy section and waits for the profiles section.
async fn read_tenant(e: &Env) {
    let (state, text) = run_in(&e.b, "passkey-deploy", "#passkey-read").await;
    assert_eq!(state, "ok", "{text}");
    e.b.eventually("the passkey profiles section", || async {
        exists(&e.b, "passkey-profiles").await.then_some(())
    })
    .await;
}

/// Each step as the page lists it: `(data-step, data-kind, data-state)`.
async fn steps(b: &Browser) -> Vec<(String, String, String)> {
    let v = b
        .js("return [...document.querySelectorAll('#passkey-profile-steps > li')].map(li => [li.dataset.step, li.dataset.kind, li.dataset.state])")
        .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let f = |i: usize| s[i].as_str().unwrap_or_default().to_string();
            (f(0), f(1), f(2))
        })
        .collect()
}

fn step(n: &str, kind: &str, state: &str) -> (String, String, String) {
    (n.into(), kind.into(), state.into())
}

async fn send_disabled(b: &Browser) -> bool {
    b.js("return document.getElementById('passkey-profile-send').disabled")
        .await
        .as_bool()
        .unwrap()
}

/// The FIDO2 configuration's requests, in order, and the PATCH bodies among them.
fn fido2_requests(g: &FakeGraph) -> (Vec<String>, Vec<Value>) {
    let sent: Vec<Recorded> = g.sent_to(FIDO2);
    let methods = sent.iter().map(|r| r.method.clone()).collect();
    let patches = sent
        .iter()
        .filter(|r| r.method == "PATCH")
        .map(|r| serde_json::from_str(&r.body).unwrap())
        .collect();
    (methods, patches)
}

fn read_back_value(b_text: &str) -> Value {
    serde_json::from_str(b_text).unwrap_or_else(|e| panic!("{e}: {b_text}"))
}

async fn read_back(b: &Browser) -> String {
    b.js(
        "const t = document.getElementById('passkey-profile-read-back'); return t ? t.value : null",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

fn pilot_target(cfg: &Value) -> Option<Value> {
    cfg["includeTargets"]
        .as_array()?
        .iter()
        .find(|t| t["id"] == json!(PILOT))
        .cloned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_only_tenant_gets_the_profile_added_then_targeted_with_the_id_the_service_gave() {
    let e = start(ProfilesTenant::DefaultOnly).await;
    let g = &e.fake.graph;
    let seeded = g.method_config("fido2");
    read_tenant(&e).await;

    // The configuration in words, the first-read warning, and the two-step plan.
    let words = text_of(&e.b, "passkey-profile-words").await;
    assert!(words.contains("on passkey profiles (1 of 3)"), "{words}");
    assert!(
        words.contains("profile \"Default passkey profile\" [Default]"),
        "{words}"
    );
    assert!(words.contains("reaches all users (all_users)"), "{words}");
    let notes = text_of(&e.b, "passkey-profile-notes").await;
    assert!(
        notes.contains("synced passkeys with attestation off"),
        "{notes}"
    );
    assert_eq!(
        steps(&e.b).await,
        [
            step("1", "profiles", "pending"),
            step("2", "targets", "pending")
        ]
    );
    let plan = text_of(&e.b, "passkey-profile-steps").await;
    assert!(
        plan.contains(&format!("{{{{profile-id:{OUR_PROFILE_NAME}}}}}")),
        "the target step waits for the id: {plan}"
    );
    assert!(!send_disabled(&e.b).await);
    let (before, _) = fido2_requests(g);
    assert_eq!(before, ["GET"], "read once, nothing sent yet");

    let (state, text) = run_in(&e.b, "passkey-profiles", "#passkey-profile-send").await;
    assert_eq!(state, "ok", "{text}");
    assert_eq!(
        steps(&e.b).await,
        [step("1", "profiles", "done"), step("2", "targets", "done")]
    );

    // Re-read before each PATCH, read back after each.
    let (methods, patches) = fido2_requests(g);
    assert_eq!(
        methods,
        ["GET", "GET", "PATCH", "GET", "GET", "PATCH", "GET"]
    );
    // The add: every profile as read, the new one without an id; no targets.
    let add = &patches[0];
    assert!(add.get("includeTargets").is_none(), "{add}");
    let sent_profiles = add["passkeyProfiles"].as_array().unwrap();
    assert_eq!(sent_profiles.len(), 2, "{add}");
    assert_eq!(sent_profiles[0], seeded["passkeyProfiles"][0]);
    let new = &sent_profiles[1];
    assert!(new.get("id").is_none(), "no id on the new profile: {new}");
    assert_eq!(new["name"], json!(OUR_PROFILE_NAME));
    assert_eq!(new["keyRestrictions"]["enforcementType"], json!("allow"));
    for a in AUTHENTICATOR_AAGUIDS {
        assert!(new["keyRestrictions"]["aaGuids"]
            .as_array()
            .unwrap()
            .contains(&json!(a)));
    }
    // The target: the id the fake assigned, the existing target kept; no profiles.
    let assigned = g.assigned_profile_ids();
    assert_eq!(assigned.len(), 1, "one profile added");
    let target = &patches[1];
    assert!(target.get("passkeyProfiles").is_none(), "{target}");
    let pilot = pilot_target(target).expect("the pilot targeted");
    assert_eq!(pilot["allowedPasskeyProfiles"], json!([assigned[0]]));
    assert_eq!(target["includeTargets"][0], seeded["includeTargets"][0]);

    // The tenant holds it, and the page shows what it read back.
    let stored = g.method_config("fido2");
    assert_eq!(
        pilot_target(&stored).unwrap()["allowedPasskeyProfiles"],
        json!([assigned[0]])
    );
    let back = read_back_value(&read_back(&e.b).await);
    assert_eq!(back["passkeyProfiles"][1]["id"], json!(assigned[0]));
    assert_eq!(pilot_target(&back), pilot_target(&stored));
    e.b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_named_like_ours_is_reused_and_only_targeted() {
    let e = start(ProfilesTenant::OursNamed).await;
    let g = &e.fake.graph;
    read_tenant(&e).await;
    assert_eq!(steps(&e.b).await, [step("1", "targets", "pending")]);
    let (state, text) = run_in(&e.b, "passkey-profiles", "#passkey-profile-send").await;
    assert_eq!(state, "ok", "{text}");
    assert_eq!(steps(&e.b).await, [step("1", "targets", "done")]);
    let (methods, patches) = fido2_requests(g);
    assert_eq!(methods, ["GET", "GET", "PATCH", "GET"]);
    assert!(patches[0].get("passkeyProfiles").is_none());
    assert_eq!(
        pilot_target(&patches[0]).unwrap()["allowedPasskeyProfiles"],
        json!([SEEDED_OURS_ID])
    );
    assert!(g.assigned_profile_ids().is_empty(), "nothing added");
    assert!(read_back(&e.b).await.contains(PILOT));
    e.b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_at_the_profile_limit_is_refused_and_nothing_is_sent() {
    let e = start(ProfilesTenant::ThreeProfiles).await;
    let g = &e.fake.graph;
    read_tenant(&e).await;
    let words = text_of(&e.b, "passkey-profile-words").await;
    assert!(words.contains("on passkey profiles (3 of 3)"), "{words}");
    let refusal = text_of(&e.b, "passkey-profile-plan-error").await;
    assert!(
        refusal.contains("already has 3 passkey profiles") && refusal.contains("the limit is 3"),
        "{refusal}"
    );
    assert!(steps(&e.b).await.is_empty());
    assert!(send_disabled(&e.b).await);
    let (methods, _) = fido2_requests(g);
    assert_eq!(methods, ["GET"], "nothing sent");
    assert!(g.assigned_profile_ids().is_empty());
    e.b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_with_ours_targeted_has_nothing_to_send() {
    let e = start(ProfilesTenant::OursTargeted { pilot_group: PILOT }).await;
    let g = &e.fake.graph;
    read_tenant(&e).await;
    assert!(exists(&e.b, "passkey-profile-done").await);
    assert!(!exists(&e.b, "passkey-profile-plan-error").await);
    assert!(steps(&e.b).await.is_empty());
    assert!(send_disabled(&e.b).await);
    let (methods, _) = fido2_requests(g);
    assert_eq!(methods, ["GET"], "nothing sent");
    e.b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_size_error_on_the_target_removes_the_added_profile_again() {
    let e = start(ProfilesTenant::DefaultOnly).await;
    let g = &e.fake.graph;
    let seeded = g.method_config("fido2");
    // Room for the added profile (its size as sent, plus its id), not for the pilot target too.
    let ours = json!({"id": SEEDED_OURS_ID, "name": OUR_PROFILE_NAME, "passkeyTypes": "deviceBound",
        "attestationEnforcement": "registrationOnly",
        "keyRestrictions": {"isEnforced": true, "enforcementType": "allow", "aaGuids": AUTHENTICATOR_AAGUIDS}});
    let mut with_ours = seeded.clone();
    with_ours["passkeyProfiles"]
        .as_array_mut()
        .unwrap()
        .push(ours);
    g.set_policy_size_limit(with_ours.to_string().len() + 20);
    read_tenant(&e).await;
    let (state, text) = run_in(&e.b, "passkey-profiles", "#passkey-profile-send").await;
    assert_eq!(state, "error", "{text}");
    assert!(text.contains("removed again"), "{text}");
    // The service's message is shown on the step it refused.
    let why = e
        .b
        .js("return document.querySelector('#passkey-profile-steps > li[data-step=\"2\"] .field-error').textContent")
        .await;
    assert!(
        why.as_str()
            .unwrap_or_default()
            .contains("Policy size is larger than allowed by"),
        "{why}"
    );
    assert_eq!(
        steps(&e.b).await,
        [
            step("1", "profiles", "undone"),
            step("2", "targets", "failed")
        ]
    );
    let (methods, patches) = fido2_requests(g);
    assert_eq!(
        methods,
        ["GET", "GET", "PATCH", "GET", "GET", "PATCH", "GET", "PATCH", "GET"]
    );
    assert_eq!(patches[2]["passkeyProfiles"], seeded["passkeyProfiles"]);
    let stored = g.method_config("fido2");
    assert_eq!(stored["passkeyProfiles"], seeded["passkeyProfiles"]);
    assert_eq!(stored["includeTargets"], seeded["includeTargets"]);
    assert_eq!(
        stored["passkeyProfiles"][0]["id"],
        json!(DEFAULT_PROFILE_ID)
    );
    e.b.close().await;
}
