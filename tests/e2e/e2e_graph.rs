//! End-to-end: the shipped `dist/` in headless Chromium talks to a local HTTPS stand-in for
//! graph.microsoft.com (Chromium's `--host-resolver-rules` maps the real host name to it and
//! `--ignore-certificate-errors` accepts its self-signed certificate), so the app under test
//! is byte-for-byte the one that ships, with its real Graph URLs.
//!
//! Asserted: the Authorization header is exactly the pasted token; every policy write is
//! previewed and sent only after confirmation, exactly as previewed: a create POSTs exactly the
//! export panel's JSON body; deploying again finds the policy by name and previews a PATCH; the
//! pilot reads the tenant, previews its whole plan (group → members → the policy's write) with
//! nothing written, sends exactly that plan on confirm and, when the policy call fails, still
//! shows the group's id; "update it if it exists" previews its PATCH too; members that are not
//! UPNs or ids stop the pilot before any request; settings the form does not show must be
//! acknowledged before Deploy runs; a 429 is retried only after its Retry-After; a 403 shows Graph's
//! code and request-id; audit rows carry the findings the core computes; nothing but the Graph
//! host and the page's origin is contacted; after Disconnect the token is nowhere in the page.
//! The passkey panel reads the tenant's method configurations into its preview, sends a PATCH
//! only over the configuration it previewed, and creates the authentication strength once.
//! A Temporary Access Pass issued to a pilot user is shown once with the user's name and is gone
//! when the panel closes, on "Done" or on Disconnect; a refusal names the user and why.

use crate::support::browser::Browser;
use crate::support::graph::{
    click, connect, connect_with, disconnect_and_assert_forgotten, start, value, Env, SCOPES,
};

use fake_graph::{graph_token, FakeGraph, Recorded};
use fantoccini::Locator;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const BG_USER: &str = "11111111-2222-3333-4444-555555555555";

async fn status(b: &Browser) -> (String, u32, String) {
    status_in(b, "graph").await
}

/// The status region `{prefix}-status` (the Graph panel's is `graph`, the passkey panel's
/// deploy section has its own).
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

/// Clicks `css` (a button that starts a Graph run) and waits until that run has finished.
async fn run(b: &Browser, css: &str) -> (String, String) {
    run_in(b, "graph", css).await
}

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

/// Scrolls `css` into view (the side column scrolls on its own), then saves a screenshot.
async fn shot(b: &Browser, css: &str, name: &str) {
    b.js(&format!(
        "document.querySelector({}).scrollIntoView({{block: 'start'}})",
        serde_json::to_string(css).unwrap()
    ))
    .await;
    b.screenshot(name).await;
}

/// The body part of the export panel's JSON (request line, blank line, body).
async fn export_body(b: &Browser) -> String {
    let text = value(b, "#export-json").await;
    let (_, body) = text
        .split_once("\n\n")
        .expect("request line, blank line, body");
    body.trim_end_matches('\n').to_string()
}

/// The open write preview's kind ("Create" or "Update") and the paths its table lists.
async fn preview(b: &Browser) -> (Option<String>, Vec<String>) {
    let paths = b.js("return [...document.querySelectorAll('#graph-deploy-preview tr[data-path]')].map(r => r.dataset.path)").await;
    let paths = paths
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    (b.attr("#graph-deploy-preview", "data-kind").await, paths)
}

/// The text content of the element at `css`.
async fn value_text(b: &Browser, css: &str) -> String {
    let script = format!(
        "return document.querySelector({}).textContent",
        serde_json::to_string(css).unwrap()
    );
    b.js(&script).await.as_str().unwrap_or_default().to_string()
}

fn sent(fake: &FakeGraph) -> Vec<Recorded> {
    fake.requests()
        .into_iter()
        .filter(|r| r.method != "OPTIONS")
        .collect()
}

fn line(r: &Recorded) -> String {
    format!("{} {}", r.method, r.path())
}

/// Every request the fake saw carried exactly the pasted token and was addressed to Graph; and
/// the page fetched nothing but its own files and Graph.
async fn assert_only_graph_and_token(e: &Env) {
    let all = e.fake.graph.requests();
    assert!(!all.is_empty());
    for r in &all {
        assert_eq!(r.header("host"), Some("graph.microsoft.com"), "{}", line(r));
        if r.method != "OPTIONS" {
            assert_eq!(
                r.header("authorization"),
                Some(format!("Bearer {}", e.token).as_str()),
                "{}",
                line(r)
            );
            assert_eq!(
                r.header("cookie"),
                None,
                "no cookies travel with a Graph call"
            );
        }
    }
    let urls =
        e.b.js("return performance.getEntriesByType('resource').map(r => r.name)")
            .await;
    let own = format!("http://127.0.0.1:{}/", e.web);
    let mut graph_calls = 0;
    for u in urls.as_array().unwrap() {
        let u = u.as_str().unwrap();
        if u.starts_with("https://graph.microsoft.com/") {
            graph_calls += 1;
        } else {
            assert!(
                u.starts_with(&own),
                "the page contacted {u}, which is neither its origin nor Graph"
            );
        }
    }
    assert!(
        graph_calls > 0,
        "the resource timing list shows the Graph calls"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deploy_posts_the_export_body_then_updates_the_namesake_only_after_confirmation() {
    let e = start().await;
    connect(&e).await;
    // The connection summary is decoded locally from the token.
    assert_eq!(e.b.text("#graph-user").await, "admin@contoso.example");
    assert_eq!(
        e.b.text("#graph-tenant").await,
        "11111111-2222-3333-4444-555555555555"
    );
    assert!(e
        .b
        .text("#graph-scopes")
        .await
        .contains("Policy.ReadWrite.ConditionalAccess"));
    assert!(
        e.fake.graph.requests().is_empty(),
        "connecting sends nothing"
    );

    let name = "CA01 - e2e deploy";
    e.b.open_phase("everyone").await;
    e.b.set_value("#field-break-glass-users", BG_USER).await;
    e.b.set_value("#field-display-name", name).await;
    let body = export_body(&e.b).await;
    assert!(body.contains(name));

    // A 400 names the property Graph rejected, next to the deploy button, with Graph's code.
    e.fake
        .graph
        .fail_once("POST", "/identity/conditionalAccess/policies", 400, None);
    let (state, text) = run(&e.b, "#graph-deploy").await;
    assert_eq!(state, "ok", "{text}");
    // The create is previewed first: nothing written yet.
    assert_eq!(preview(&e.b).await.0.as_deref(), Some("Create"));
    assert!(sent(&e.fake.graph).iter().all(|r| r.method != "POST"));
    assert_eq!(value_text(&e.b, "#graph-patch-body").await, body);
    let (state, text) = run(&e.b, "#graph-deploy-confirm").await;
    assert_eq!(state, "error", "{text}");
    assert_eq!(
        e.b.attr("#graph-status", "data-graph-code")
            .await
            .as_deref(),
        Some("BadRequest")
    );
    assert_eq!(
        e.b.attr("#graph-deploy-field-error p", "data-field")
            .await
            .as_deref(),
        Some("conditions.users.includeFoo")
    );
    assert!(e.fake.graph.policies().is_empty());
    let failed = e.fake.graph.requests().len();

    let (state, text) = run(&e.b, "#graph-deploy").await;
    assert_eq!(state, "ok", "{text}");
    let (state, text) = run(&e.b, "#graph-deploy-confirm").await;
    assert_eq!(state, "ok", "{text}");
    assert!(
        e.b.client
            .find(Locator::Css("#graph-deploy-field-error p"))
            .await
            .is_err(),
        "cleared by the next attempt"
    );
    let reqs: Vec<Recorded> = e
        .fake
        .graph
        .requests()
        .into_iter()
        .skip(failed)
        .filter(|r| r.method != "OPTIONS")
        .collect();
    assert_eq!(
        reqs.iter().map(line).collect::<Vec<_>>(),
        [
            "GET /v1.0/identity/conditionalAccess/policies",
            "GET /beta/identity/conditionalAccess/policies",
            "POST /v1.0/identity/conditionalAccess/policies",
        ]
    );
    // The name is looked up in both lists (beta also shows policies with beta-only features).
    for r in &reqs[..2] {
        assert!(
            r.query().contains(&format!("displayName eq '{name}'")),
            "{}",
            r.query()
        );
    }
    assert_eq!(
        reqs[2].body, body,
        "the POST body is exactly the export panel's JSON body"
    );
    let stored = e.fake.graph.policies();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0]["state"], "enabledForReportingButNotEnforced",
        "created report-only, as the draft says"
    );
    let id = stored[0]["id"].as_str().unwrap().to_string();
    assert!(text.contains(&id), "{text}");
    // The step now names the policy it created, so the rollout bar shows it in the tenant,
    // report-only, and the next deploy updates it by id.
    e.b.eventually("the created policy's id in the step", || async {
        (value(&e.b, "#field-update-policy-id").await == id).then_some(())
    })
    .await;
    assert_eq!(
        e.b.attr(
            "#rollout-bar [data-policy-step=\"mfa-compensating\"]",
            "data-state"
        )
        .await
        .as_deref(),
        Some("report-only")
    );
    // A step that does not name its policy is found by name: cleared here to go that way.
    e.b.set_value("#field-update-policy-id", "").await;

    // Deploying again (after an edit) must not create a duplicate: it previews a PATCH.
    e.b.js("const el = document.getElementById('field-state'); el.value = 'enabled'; el.dispatchEvent(new Event('change', {bubbles: true}));").await;
    // Beta's list is refused this time: the preview says what the name check did not see.
    e.fake.graph.fail(fake_graph::Failure {
        method: "GET".into(),
        path_prefix: "/identity/conditionalAccess/policies".into(),
        status: 403,
        code: "AccessDenied".into(),
        message: "Beta is not allowed.".into(),
        retry_after: None,
        times: 1,
        skip: 1,
    });
    let (state, text) = run(&e.b, "#graph-deploy").await;
    assert_eq!(state, "ok", "{text}");
    let note = e.b.text("#graph-deploy-note").await;
    assert!(
        note.starts_with("Only v1.0 was searched for a policy with this name")
            && note.contains("(permission denied, 403)"),
        "{note}"
    );
    assert!(text.contains(&note), "the status line says it too: {text}");
    assert_eq!(
        e.b.attr("#graph-deploy-preview", "data-policy-id")
            .await
            .as_deref(),
        Some(id.as_str())
    );
    assert_eq!(
        preview(&e.b).await,
        (Some("Update".into()), vec!["state".into()])
    );
    assert!(
        sent(&e.fake.graph).iter().all(|r| r.method != "PATCH"),
        "nothing is updated before confirmation"
    );
    shot(&e.b, "#graph-deploy-section", "graph-deploy-preview").await;

    let (state, text) = run(&e.b, "#graph-deploy-confirm").await;
    assert_eq!(state, "ok", "{text}");
    let reqs = sent(&e.fake.graph);
    let patch = reqs
        .iter()
        .find(|r| r.method == "PATCH")
        .expect("a PATCH after confirmation");
    assert_eq!(
        patch.path(),
        format!("/v1.0/identity/conditionalAccess/policies/{id}")
    );
    let patch_body: Value = serde_json::from_str(&patch.body).unwrap();
    assert_eq!(
        patch_body,
        json!({"state": "enabled"}),
        "PATCH sends only what changed"
    );
    assert_eq!(
        line(reqs.last().unwrap()),
        format!("GET /v1.0/identity/conditionalAccess/policies/{id}"),
        "re-read after the 204"
    );
    let stored = e.fake.graph.policies();
    assert_eq!(stored.len(), 1, "no duplicate");
    assert_eq!(stored[0]["state"], "enabled");
    e.b.eventually("the bar shows the policy On", || async {
        let state =
            e.b.attr(
                "#rollout-bar [data-policy-step=\"mfa-compensating\"]",
                "data-state",
            )
            .await;
        (state.as_deref() == Some("on")).then_some(())
    })
    .await;

    assert_only_graph_and_token(&e).await;
    shot(&e.b, "#graph-panel", "graph-panel-deployed").await;
    disconnect_and_assert_forgotten(&e).await;
    e.b.close().await;
}

/// The pilot's previewed requests, in order: each one's request line and exact body as shown
/// (a group not created yet appears as `{id of the new group}`).
async fn pilot_preview(b: &Browser) -> Vec<(String, String)> {
    let steps = b
        .js("return [...document.querySelectorAll('#graph-pilot-preview .graph-pilot-steps > li')].map(li => [li.querySelector('.graph-step-line').textContent, (li.querySelector('.graph-step-body') || {textContent: ''}).textContent])")
        .await;
    let text = |v: &Value| v.as_str().unwrap().to_string();
    steps
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (text(&s[0]), text(&s[1])))
        .collect()
}

/// `text` as sent once Graph gave the created group the id `group`.
fn with_group(text: &str, group: &str) -> String {
    text.replace("{id of the new group}", group)
}

/// Each request's state in the pilot's progress list, once it was sent.
async fn pilot_progress(b: &Browser) -> Vec<String> {
    let v = b
        .js("return [...document.querySelectorAll('#graph-pilot-progress li')].map(li => li.dataset.state)")
        .await;
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// The requests the fake saw that write something (anything but a read).
fn writes(fake: &FakeGraph) -> Vec<String> {
    sent(fake)
        .iter()
        .filter(|r| r.method != "GET")
        .map(line)
        .collect()
}

const GRAPH: &str = "https://graph.microsoft.com";
const POLICIES: &str = "/v1.0/identity/conditionalAccess/policies";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pilot_runs_group_then_policy_and_names_the_group_when_the_policy_fails() {
    let e = start().await;
    let alice = e.fake.graph.add_user("alice@contoso.example");
    connect(&e).await;
    e.b.open_step(1).await;
    e.b.set_value("#field-display-name", "CA02 - e2e pilot")
        .await;
    e.b.set_value("#field-new-group-name", "CA pilot wave 1")
        .await;
    e.b.set_value("#graph-pilot-members", "alice@contoso.example")
        .await;

    // Reviewing reads the tenant and writes nothing: the group, the member and the policy are
    // the three previewed requests, in order.
    let (state, text) = run(&e.b, "#graph-pilot").await;
    assert_eq!(state, "ok", "{text}");
    let reads: Vec<String> = sent(&e.fake.graph).iter().map(line).collect();
    assert_eq!(
        reads,
        [
            "GET /v1.0/groups",
            "GET /v1.0/users/alice@contoso.example",
            "GET /v1.0/identity/conditionalAccess/policies",
            // Beta too: v1.0 leaves out policies that use beta-only features.
            "GET /beta/identity/conditionalAccess/policies",
        ]
    );
    assert_eq!(
        writes(&e.fake.graph),
        Vec::<String>::new(),
        "nothing written before confirm"
    );
    assert!(e.fake.graph.groups().is_empty() && e.fake.graph.policies().is_empty());
    assert!(e.fake.graph.members().is_empty());
    assert_eq!(
        e.b.attr("#graph-pilot-preview", "data-steps")
            .await
            .as_deref(),
        Some("3")
    );
    let shown = pilot_preview(&e.b).await;
    assert!(
        shown[1]
            .0
            .contains("/groups/{id of the new group}/members/$ref")
            && shown[2].1.contains("{id of the new group}"),
        "the new group's id is shown as a stand-in: {shown:?}"
    );
    assert_eq!(
        e.b.js("return document.getElementById('graph-pilot-result') === null")
            .await,
        json!(true),
        "no result before confirm"
    );

    let (state, text) = run(&e.b, "#graph-pilot-confirm").await;
    assert_eq!(state, "ok", "{text}");
    let group = e.fake.graph.groups()[0].clone();
    let gid = group["id"].as_str().unwrap().to_string();
    let reqs = sent(&e.fake.graph);
    let order: Vec<String> = reqs.iter().map(line).collect();
    assert_eq!(
        order[4..],
        [
            "POST /v1.0/groups".to_string(),
            format!("POST /v1.0/groups/{gid}/members/$ref"),
            format!("POST {POLICIES}"),
        ]
    );
    // Sent exactly as previewed, the created group's id in place of its stand-in.
    assert!(
        pilot_preview(&e.b).await.is_empty(),
        "the preview is gone once sent"
    );
    let sent_requests: Vec<(String, String)> = reqs[4..]
        .iter()
        .map(|r| (format!("{} {GRAPH}{}", r.method, r.path()), r.body.clone()))
        .collect();
    let shown: Vec<(String, String)> = shown
        .into_iter()
        .map(|(l, b)| (with_group(&l, &gid), with_group(&b, &gid)))
        .collect();
    assert_eq!(sent_requests, shown, "sent exactly as previewed");
    assert_eq!(pilot_progress(&e.b).await, ["done", "done", "done"]);
    assert_eq!(group["displayName"], "CA pilot wave 1");
    assert_eq!(group["securityEnabled"], true);
    assert_eq!(e.fake.graph.members(), [(gid.clone(), alice)]);
    let policy: Value = serde_json::from_str(&reqs[6].body).unwrap();
    assert_eq!(
        policy["conditions"]["users"]["includeGroups"],
        json!([gid]),
        "the group id is wired in"
    );
    assert_eq!(
        policy["conditions"]["users"]["includeUsers"],
        json!([]),
        "narrowed: All users cleared"
    );
    assert_eq!(e.fake.graph.policies().len(), 1);
    assert_eq!(
        e.b.attr("#graph-pilot-result", "data-group-id")
            .await
            .as_deref(),
        Some(gid.as_str())
    );
    assert_eq!(
        e.b.attr("#graph-pilot-result", "data-policy-ok")
            .await
            .as_deref(),
        Some("true")
    );
    // The draft now names the group, so the export shows what was deployed.
    assert_eq!(value(&e.b, "#field-pilot-group").await, gid);

    // Second wave: the policy call is refused after the group was made.
    e.b.set_value("#field-pilot-group", "").await;
    e.b.set_value("#field-display-name", "CA02 - e2e pilot wave 2")
        .await;
    e.b.set_value("#field-new-group-name", "CA pilot wave 2")
        .await;
    e.b.set_value("#graph-pilot-members", "").await;
    e.fake
        .graph
        .fail_once("POST", "/identity/conditionalAccess/policies", 403, None);
    let before = writes(&e.fake.graph).len();
    let (state, text) = run(&e.b, "#graph-pilot").await;
    assert_eq!(state, "ok", "{text}");
    assert_eq!(
        writes(&e.fake.graph).len(),
        before,
        "nothing written before confirm"
    );
    assert_eq!(
        e.b.attr("#graph-pilot-preview", "data-steps")
            .await
            .as_deref(),
        Some("2")
    );
    let (state, text) = run(&e.b, "#graph-pilot-confirm").await;
    assert_eq!(state, "error", "{text}");
    let group2 = e
        .fake
        .graph
        .groups()
        .into_iter()
        .find(|g| g["displayName"] == "CA pilot wave 2")
        .expect("the group was made");
    let gid2 = group2["id"].as_str().unwrap();
    assert!(
        text.contains(gid2)
            && text
                .contains("Request 2 of 2 failed: Create the policy \"CA02 - e2e pilot wave 2\""),
        "the admin is told what failed and what exists: {text}"
    );
    assert!(
        text.contains("Policy.ReadWrite.ConditionalAccess"),
        "the 403 names the permission: {text}"
    );
    assert_eq!(pilot_progress(&e.b).await, ["done", "failed"]);
    assert_eq!(
        e.b.attr("#graph-pilot-result", "data-group-id")
            .await
            .as_deref(),
        Some(gid2)
    );
    assert_eq!(
        e.b.attr("#graph-pilot-result", "data-policy-ok")
            .await
            .as_deref(),
        Some("false")
    );
    assert_eq!(
        e.fake.graph.policies().len(),
        1,
        "the wave 2 policy was not created"
    );
    assert_eq!(
        e.b.attr("#graph-status", "data-graph-code")
            .await
            .as_deref(),
        Some("AccessDenied")
    );
    let rid =
        e.b.attr("#graph-status", "data-request-id")
            .await
            .expect("a request id");
    // The fake numbers its answers by arrival: the refused POST's `request-id` header.
    let seq = e
        .fake
        .graph
        .requests()
        .iter()
        .position(|r| {
            r.method == "POST" && r.path().ends_with("/policies") && r.body.contains("wave 2")
        })
        .unwrap()
        + 1;
    assert_eq!(rid, format!("fake-request-{seq}"));
    assert!(
        e.b.text("#graph-status").await.contains(&rid),
        "the request id is shown"
    );
    shot(&e.b, "#graph-status", "graph-pilot-failed").await;
    assert_only_graph_and_token(&e).await;
    e.b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn update_if_exists_previews_its_patch_and_bad_members_send_nothing() {
    let e = start().await;
    let name = "CA02 - e2e pilot update";
    let existing = e.fake.graph.add_policy(json!({
        "displayName": name, "state": "enabledForReportingButNotEnforced",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    }));
    connect(&e).await;
    e.b.open_step(1).await;
    e.b.set_value("#field-display-name", name).await;
    e.b.set_value("#field-new-group-name", "CA pilot update wave")
        .await;

    // A member that is not a UPN or an object id: refused by name, nothing sent.
    e.b.set_value("#graph-pilot-members", "alice@contoso.example\n..")
        .await;
    let (state, text) = run(&e.b, "#graph-pilot").await;
    assert_eq!(state, "error", "{text}");
    assert!(
        text.contains("\"..\"") && text.contains("nothing was sent"),
        "{text}"
    );
    assert!(sent(&e.fake.graph).is_empty(), "no request, no group");
    assert!(e.fake.graph.groups().is_empty());
    assert_eq!(
        e.b.js("return document.getElementById('graph-pilot-preview') === null")
            .await,
        json!(true),
        "no plan to confirm"
    );

    // "Update it if it exists": the group's creation and the PATCH are previewed, the PATCH
    // with what it changes; nothing is written before confirm.
    e.b.set_value("#graph-pilot-members", "").await;
    click(&e.b, "#graph-pilot-update").await;
    let (state, text) = run(&e.b, "#graph-pilot").await;
    assert_eq!(state, "ok", "{text}");
    let shown = pilot_preview(&e.b).await;
    let lines: Vec<&str> = shown.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        lines,
        [
            format!("POST {GRAPH}/v1.0/groups"),
            format!("PATCH {GRAPH}{POLICIES}/{existing}"),
        ],
        "the existing policy is updated, not duplicated"
    );
    let paths = e.b.js("return [...document.querySelectorAll('#graph-pilot-preview tr[data-path]')].map(r => r.dataset.path)").await;
    let paths: Vec<&str> = paths
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"conditions.users.includeGroups"),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"conditions.users.includeUsers"),
        "{paths:?}"
    );
    assert_eq!(
        writes(&e.fake.graph),
        Vec::<String>::new(),
        "nothing written before confirm"
    );
    assert!(e.fake.graph.groups().is_empty());
    assert_eq!(
        e.fake.graph.policies()[0]["conditions"]["users"]["includeUsers"],
        json!(["All"])
    );
    shot(&e.b, "#graph-pilot-section", "graph-pilot-update-preview").await;
    let (state, text) = run(&e.b, "#graph-pilot-confirm").await;
    assert_eq!(state, "ok", "{text}");
    let gid = e.fake.graph.groups()[0]["id"].as_str().unwrap().to_string();
    let written: Vec<Recorded> = sent(&e.fake.graph)
        .into_iter()
        .filter(|r| r.method != "GET")
        .collect();
    assert_eq!(written.len(), 2, "{:?}", writes(&e.fake.graph));
    let patch = &written[1];
    assert_eq!(patch.method, "PATCH");
    assert_eq!(patch.path(), format!("{POLICIES}/{existing}"));
    assert_eq!(
        patch.body,
        with_group(&shown[1].1, &gid),
        "sent exactly as previewed"
    );
    assert_eq!(written[0].body, shown[0].1, "the group as previewed");
    assert_eq!(pilot_progress(&e.b).await, ["done", "done"]);
    let stored = &e.fake.graph.policies()[0];
    assert_eq!(stored["conditions"]["users"]["includeGroups"], json!([gid]));
    assert_eq!(stored["conditions"]["users"]["includeUsers"], json!([]));
    assert_eq!(e.fake.graph.policies().len(), 1, "no duplicate");
    assert_eq!(
        e.b.attr("#graph-pilot-result", "data-policy-ok")
            .await
            .as_deref(),
        Some("true")
    );
    e.b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_the_form_does_not_show_must_be_acknowledged_before_deploying() {
    let e = start().await;
    // A share link whose first step carries a session control the form has no field for.
    let draft =
        e.b.js("return localStorage.getItem('ca-builder.draft')")
            .await;
    let mut draft: Value = serde_json::from_str(draft.as_str().unwrap()).unwrap();
    draft["steps"][0]["policy"]["sessionControls"] =
        json!({"persistentBrowser": {"isEnabled": true, "mode": "always"}});
    draft["breakGlass"]["noneAcknowledged"] = json!(true);
    let encoded =
        e.b.js(&format!(
            "return encodeURIComponent(JSON.stringify({draft}))"
        ))
        .await;
    let link = format!(
        "http://127.0.0.1:{}/?shared#draft={}",
        e.web,
        encoded.as_str().unwrap()
    );
    e.b.open_app(&link).await;
    connect(&e).await;
    let listed = e.b.text("#graph-hidden-settings").await;
    assert!(
        listed.contains("This step sets sessionControls.persistentBrowser.mode to \"always\", which the form does not show."),
        "{listed}"
    );
    assert_eq!(
        e.b.attr("#graph-deploy", "disabled").await.as_deref(),
        Some("true"),
        "Deploy waits for the acknowledgement"
    );
    click(&e.b, "#graph-hidden-settings .ack").await;
    assert_eq!(e.b.attr("#graph-deploy", "disabled").await, None);
    let (state, text) = run(&e.b, "#graph-deploy").await;
    assert_eq!(state, "ok", "{text}");
    assert!(value_text(&e.b, "#graph-patch-body")
        .await
        .contains("persistentBrowser"));
    e.b.close().await;
}

fn audit_policies() -> Vec<Value> {
    vec![
        json!({"displayName": "Require compliant device", "state": "enabled",
            "conditions": {"clientAppTypes": ["all"], "applications": {"includeApplications": ["All"]},
                "users": {"includeUsers": ["All"], "excludeUsers": []}},
            "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"]}}),
        json!({"displayName": "High user risk", "state": "enabledForReportingButNotEnforced",
            "conditions": {"clientAppTypes": ["all"], "userRiskLevels": ["high"], "applications": {"includeApplications": ["All"]},
                "users": {"includeUsers": ["All"], "excludeUsers": [BG_USER]}},
            "grantControls": {"operator": "AND", "builtInControls": ["mfa", "passwordChange"]}}),
        json!({"displayName": "Block registration off-network", "state": "enabled",
            "conditions": {"clientAppTypes": ["all"], "applications": {"includeApplications": [], "includeUserActions": ["urn:user:registersecurityinfo"]},
                "users": {"includeUsers": ["All"], "excludeUsers": [BG_USER]}},
            "grantControls": {"operator": "OR", "builtInControls": ["block"]}}),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_waits_out_a_429_pages_through_and_shows_the_core_findings() {
    let e = start().await;
    let mut ids = vec![];
    for p in audit_policies() {
        ids.push(e.fake.graph.add_policy(p));
    }
    // Two per page: three policies take two pages.
    e.fake.graph.set_page_size(2);
    e.fake.graph.fail_once(
        "GET",
        "/identity/conditionalAccess/policies",
        429,
        Some("2"),
    );
    connect(&e).await;
    e.b.set_value("#field-break-glass-users", BG_USER).await;

    let (_, before, _) = status(&e.b).await;
    click(&e.b, "#audit-load").await;
    // Watch the fake: the second attempt may come only after Retry-After.
    let mut first_at = None;
    let mut second_at = None;
    let mut countdown_seen = false;
    let t0 = Instant::now();
    while t0.elapsed() < Duration::from_secs(20) {
        let gets = sent(&e.fake.graph)
            .iter()
            .filter(|r| r.method == "GET")
            .count();
        if gets >= 1 && first_at.is_none() {
            first_at = Some(Instant::now());
        }
        if gets >= 2 {
            second_at = Some(Instant::now());
            break;
        }
        let (state, _, text) = status(&e.b).await;
        if state == "working" && text.contains("retrying in") {
            countdown_seen = true;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    let waited = second_at.expect("retried") - first_at.expect("first attempt");
    assert!(
        waited >= Duration::from_millis(1700),
        "retried after {waited:?}, before Retry-After: 2"
    );
    assert!(
        countdown_seen,
        "the status region counts down while waiting"
    );
    let mut last = (String::new(), 0, String::new());
    for _ in 0..200 {
        last = status(&e.b).await;
        if last.1 > before && last.0 == "ok" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(last.0, "ok", "{}", last.2);
    let gets: Vec<Recorded> = sent(&e.fake.graph);
    assert_eq!(
        gets.len(),
        3,
        "429, page 1 retried, page 2: {:?}",
        gets.iter().map(|r| r.target.clone()).collect::<Vec<_>>()
    );
    assert!(
        gets[2].query().contains("$skiptoken=2"),
        "followed @odata.nextLink"
    );

    // One row per policy; data-findings = exactly the core's audit codes for that policy.
    let rows = e.b.js("return [...document.querySelectorAll('#audit-table tbody tr')].map(r => [r.dataset.policyId, r.dataset.findings])").await;
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let bg = ca_builder::analysis::BreakGlass {
        users: vec![BG_USER.into()],
        groups: vec![],
    };
    for (p, id) in e.fake.graph.policies().iter().zip(&ids) {
        let policy: ca_builder::policy::Policy = serde_json::from_value(p.clone()).unwrap();
        let want: Vec<&str> = ca_builder::analysis::audit(&policy, &bg)
            .iter()
            .map(|f| f.code)
            .collect();
        let row = rows
            .iter()
            .find(|r| r[0] == json!(id))
            .expect("a row for each policy");
        assert_eq!(
            row[1].as_str().unwrap(),
            want.join(" "),
            "policy {}",
            p["displayName"]
        );
    }
    let findings = |i: usize| {
        rows.iter().find(|r| r[0] == json!(ids[i])).unwrap()[1]
            .as_str()
            .unwrap()
            .split(' ')
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert!(findings(0).contains(&"requires-compliant-device".into()));
    assert!(
        findings(0).contains(&"no-break-glass-exclusion".into()),
        "{:?}",
        findings(0)
    );
    assert!(findings(1).contains(&"uses-user-risk".into()));
    assert!(
        !findings(1).contains(&"no-break-glass-exclusion".into()),
        "it excludes the declared break-glass user"
    );
    assert!(
        findings(2).contains(&"blocks-security-info-registration".into()),
        "{:?}",
        findings(2)
    );
    shot(&e.b, "#audit-table", "graph-audit").await;

    e.b.open_phase("everyone").await;
    // What-If now simulates the tenant's policies next to the draft's: the tenant blocks
    // security-info registration for everyone, so the phone registering a passkey is blocked;
    // without them, the draft alone challenges it.
    let verdict_names = || async {
        let v = e.b.js("return [...document.querySelectorAll('#whatif-policies > li > strong')].map(s => s.textContent)").await;
        v.as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let registering = "#whatif-matrix tr[data-persona='unregistered phone registering a passkey']";
    let names = verdict_names().await;
    for p in audit_policies() {
        assert!(
            names
                .iter()
                .any(|n| n == p["displayName"].as_str().unwrap()),
            "{names:?}"
        );
    }
    assert_eq!(
        e.b.attr(registering, "data-outcome").await.as_deref(),
        Some("blocked")
    );
    click(&e.b, "#whatif-panel > summary").await;
    click(&e.b, "#whatif-tenant").await;
    assert!(!verdict_names()
        .await
        .iter()
        .any(|n| n == "Block registration off-network"));
    assert_eq!(
        e.b.attr(registering, "data-outcome").await.as_deref(),
        Some("challenged")
    );
    click(&e.b, "#whatif-tenant").await;

    // Open one in the builder: a new step that updates that policy. Back on Prepare, the
    // audit still shows the list the session holds: nothing is listed again.
    let listed = e.fake.graph.requests().len();
    e.b.open_phase("prepare").await;
    click(
        &e.b,
        &format!("button.audit-open[data-policy-id='{}']", ids[0]),
    )
    .await;
    let want = format!(
        "PATCH https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies/{}",
        ids[0]
    );
    assert_eq!(
        e.fake.graph.requests().len(),
        listed,
        "the audit's list came from the session"
    );
    let mut got = String::new();
    for _ in 0..60 {
        got = value(&e.b, "#export-json").await;
        if got.starts_with(&want) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(got.starts_with(&want), "{got}");
    assert_eq!(
        value(&e.b, "#field-display-name").await,
        "Require compliant device"
    );
    // The update id reads as the tenant policy it is.
    assert_eq!(
        e.b.text("#field-update-policy-id-name").await,
        "Updates \u{201c}Require compliant device\u{201d} in the tenant, now On."
    );
    // In What-If the step stands in for the tenant's policy it updates: simulated once.
    e.b.open_phase("everyone").await;
    assert_eq!(
        verdict_names()
            .await
            .iter()
            .filter(|n| *n == "Require compliant device")
            .count(),
        1
    );
    assert_only_graph_and_token(&e).await;
    disconnect_and_assert_forgotten(&e).await;
    assert!(
        e.b.js("return document.getElementById('whatif-tenant') === null")
            .await
            .as_bool()
            .unwrap(),
        "forgotten with the token"
    );
    e.b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn monitor_uses_v1_filters_and_shows_sign_in_details() {
    let e = start().await;
    e.fake.graph.add_directory_audit(json!({"id": "a1", "activityDateTime": "2024-05-01T10:00:00Z",
        "activityDisplayName": "User registered security info", "category": "UserManagement", "result": "success",
        "initiatedBy": {"user": {"userPrincipalName": "bob@contoso.example"}},
        "additionalDetails": [{"key": "Method", "value": "Passkey (device-bound)"}]}));
    e.fake.graph.add_sign_in(json!({"id": "s1", "createdDateTime": "2024-05-01T09:59:00Z",
        "userPrincipalName": "bob@contoso.example", "appDisplayName": "Microsoft Authenticator App",
        "status": {"errorCode": 53000, "failureReason": "Device is not in required device state"},
        "conditionalAccessStatus": "failure",
        "deviceDetail": {"operatingSystem": "Android", "browser": "Mobile App", "isCompliant": false, "isManaged": false, "trustType": ""},
        "appliedConditionalAccessPolicies": [{"id": "p1", "displayName": "Require compliant device", "result": "failure", "enforcedGrantControls": ["RequireCompliantDevice"]}]}));
    e.fake.graph.add_sign_in(
        json!({"id": "s2", "createdDateTime": "2024-05-01T09:00:00Z",
        "userPrincipalName": "carol@contoso.example", "appDisplayName": "Office 365",
        "status": {"errorCode": 50074, "failureReason": "Strong Authentication is required."},
        "deviceDetail": {"operatingSystem": "Windows"}}),
    );
    // One entry per page: the sign-ins take two pages.
    e.fake.graph.set_log_page_size(1);
    // An expired token without the log permissions: both are said before any call.
    let expired = fake_graph::graph_token(1_700_000_000, "Policy.Read.All");
    connect_with(&e.b, &expired).await;
    assert!(e.b.text("#graph-expiry-warning").await.contains("expired"));
    e.b.open_phase("watch").await;
    let warnings = e.b.text("#graph-monitor-section").await;
    assert!(warnings.contains("AuditLog.Read.All"), "{warnings}");
    e.b.open_phase("everyone").await;
    assert!(e
        .b
        .text("#graph-deploy-section")
        .await
        .contains("Policy.ReadWrite.ConditionalAccess"));
    assert!(
        e.fake.graph.requests().is_empty(),
        "warnings come before any call"
    );
    click(&e.b, "#graph-disconnect").await;
    connect(&e).await;
    e.b.open_phase("watch").await;
    assert!(e
        .b
        .client
        .find(Locator::Css("#graph-expiry-warning"))
        .await
        .is_err());
    let (state, text) = run(&e.b, "#monitor-registrations").await;
    assert_eq!(state, "ok", "{text}");
    assert_eq!(
        e.b.attr("#monitor-registrations-table tbody tr", "data-passkey")
            .await
            .as_deref(),
        Some("true")
    );
    assert!(e
        .b
        .text("#monitor-registrations-table")
        .await
        .contains("bob@contoso.example"));
    let (state, text) = run(&e.b, "#monitor-signins").await;
    assert_eq!(state, "ok", "{text}");
    let row = e.b.text("#monitor-signins-table tbody tr").await;
    for want in [
        "53000",
        "Require compliant device: failure",
        "Android",
        "compliant no",
    ] {
        assert!(row.contains(want), "{want:?} in {row:?}");
    }
    let ids = "return [...document.querySelectorAll('#monitor-signins-table tbody tr')].map(r => r.dataset.id)";
    assert_eq!(e.b.js(ids).await, json!(["s1"]));
    let (state, text) = run(&e.b, "#monitor-signins-next").await;
    assert_eq!(state, "ok", "{text}");
    assert_eq!(
        e.b.js(ids).await,
        json!(["s1", "s2"]),
        "the next page is appended, newest first"
    );
    assert!(
        e.b.client
            .find(Locator::Css("#monitor-signins-next"))
            .await
            .is_err(),
        "no further page"
    );
    let pages: Vec<Recorded> = sent(&e.fake.graph)
        .into_iter()
        .filter(|r| r.path() == "/v1.0/auditLogs/signIns")
        .collect();
    assert_eq!(pages.len(), 2);
    assert!(
        pages[1].query().contains("$skiptoken=1")
            && pages[1].query().contains("status/errorCode ne 0"),
        "{}",
        pages[1].query()
    );
    let reqs = sent(&e.fake.graph);
    let audit = reqs
        .iter()
        .find(|r| r.path() == "/v1.0/auditLogs/directoryAudits")
        .unwrap();
    assert!(
        audit
            .query()
            .contains("activityDisplayName eq 'User registered security info'"),
        "{}",
        audit.query()
    );
    let signins = reqs
        .iter()
        .find(|r| r.path() == "/v1.0/auditLogs/signIns")
        .unwrap();
    assert!(
        signins.query().contains("status/errorCode ne 0"),
        "{}",
        signins.query()
    );
    assert!(
        !signins.query().contains("authenticationProtocol"),
        "beta-only property not used on v1.0"
    );
    shot(&e.b, "#monitor-signins-table", "graph-monitor").await;

    // A long wait (503, Retry-After 30) can be cancelled: no further attempt is made.
    e.fake
        .graph
        .fail_once("GET", "/auditLogs/signIns", 503, Some("30"));
    let count = |g: &FakeGraph| {
        sent(g)
            .iter()
            .filter(|r| r.path() == "/v1.0/auditLogs/signIns")
            .count()
    };
    let before = count(&e.fake.graph);
    click(&e.b, "#monitor-signins").await;
    e.b.eventually("the retry countdown", || async {
        status(&e.b).await.2.contains("retrying in").then_some(())
    })
    .await;
    click(&e.b, "#graph-cancel").await;
    e.b.eventually("the run to stop", || async {
        (status(&e.b).await.0 == "idle").then_some(())
    })
    .await;
    assert!(
        status(&e.b).await.2.contains("Cancelled"),
        "{:?}",
        status(&e.b).await
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(
        count(&e.fake.graph),
        before + 1,
        "the 503 was not retried after Cancel"
    );
    assert_only_graph_and_token(&e).await;
    e.b.close().await;
}

// ---------------------------------------------------------------- passkey builders deployed

const YUBIKEY: &str = "cb69481e-8ff7-4039-93ec-0a2729a154a8";
const AUTHENTICATOR_IOS: &str = "90a3ccdf-635c-4729-a248-9b709135078f";
const PILOT: &str = "22222222-3333-4444-5555-666666666666";

fn aaguids_of(config: &Value) -> Vec<String> {
    config["keyRestrictions"]["aaGuids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

/// The n-th JSON body in the passkey panel's Graph JSON box (comment + request line, blank
/// line, body, blank line, …).
async fn passkey_export_body(b: &Browser, n: usize) -> Value {
    let text = value(b, "#export-passkey-json").await;
    let body = text
        .split("\n\n")
        .filter(|part| part.trim_start().starts_with('{'))
        .nth(n)
        .expect("a body");
    serde_json::from_str(body).unwrap_or_else(|err| panic!("{err}: {body}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passkey_methods_and_strength_deploy_from_the_panel_without_overwriting_a_changed_tenant() {
    let e = start().await;
    e.b.open_pilot_passkeys().await;
    let g = &e.fake.graph;
    // The tenant already allows a YubiKey for another group.
    let mut fido2 = g.method_config("fido2");
    fido2["state"] = json!("enabled");
    fido2["keyRestrictions"] =
        json!({"isEnforced": true, "enforcementType": "allow", "aaGuids": [YUBIKEY]});
    fido2["includeTargets"] = json!([{"targetType": "group", "id": "99999999-0000-0000-0000-000000000001", "isRegistrationRequired": false}]);
    g.set_method_config("fido2", fido2);

    // Not connected: no deploy section. A token without the methods permission: named by the buttons.
    assert!(e
        .b
        .js("return document.getElementById('passkey-deploy') === null")
        .await
        .as_bool()
        .unwrap());
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 3600;
    connect_with(&e.b, &graph_token(exp, "Policy.Read.All")).await;
    let warnings = e.b.text("#passkey-deploy").await;
    assert!(warnings.contains("Updating an authentication method configuration: the token lacks the delegated scope Policy.ReadWrite.AuthenticationMethod"), "{warnings}");
    assert!(
        warnings.contains("Creating the authentication strength: the token lacks"),
        "{warnings}"
    );
    click(&e.b, "#graph-disconnect").await;
    e.b.eventually("the deploy section goes with the connection", || async {
        e.b.js("return document.getElementById('passkey-deploy') === null")
            .await
            .as_bool()
            .unwrap()
            .then_some(())
    })
    .await;

    connect(&e).await;
    e.b.set_value("#passkey-pilot-group", PILOT).await;
    assert!(e
        .b
        .text("#passkey-deploy")
        .await
        .contains("The previews assume the service default"));

    // Read: the live configuration becomes the preview's input; the YubiKey is kept, not dropped.
    let (state, text) = run_in(&e.b, "passkey-deploy", "#passkey-read").await;
    assert_eq!(state, "ok", "{text}");
    assert!(value(&e.b, "#passkey-current").await.contains(YUBIKEY));
    assert!(value(&e.b, "#tap-current")
        .await
        .contains("TemporaryAccessPass"));
    let effect = value(&e.b, "#passkey-effect").await;
    let kept_line = effect
        .lines()
        .find(|l| l.contains("kept:") && l.contains(YUBIKEY));
    assert!(
        kept_line.is_some(),
        "the preview keeps the stored AAGUID:\n{effect}"
    );
    assert!(!e
        .b
        .text("#passkey-deploy")
        .await
        .contains("The previews assume the service default"));

    // Meanwhile another admin allows one more key: the PATCH built on the old read is not sent.
    let other = "ee882879-721c-4913-9775-3dfcce97072a";
    let mut changed = g.method_config("fido2");
    changed["keyRestrictions"]["aaGuids"] = json!([YUBIKEY, other]);
    g.set_method_config("fido2", changed);
    let (state, text) = run_in(&e.b, "passkey-deploy", "#passkey-send-fido2").await;
    assert_eq!(state, "error", "{text}");
    assert!(
        text.contains("Nothing was sent") && text.contains("changed since it was read"),
        "{text}"
    );
    assert!(
        !sent(g).iter().any(|r| r.method == "PATCH"),
        "no PATCH over a changed configuration"
    );
    assert!(
        value(&e.b, "#passkey-current").await.contains(other),
        "the preview was refreshed from the tenant"
    );

    // Send again: exactly the previewed body, and the tenant keeps both keys and gains Authenticator's.
    let previewed = passkey_export_body(&e.b, 0).await;
    let (state, text) = run_in(&e.b, "passkey-deploy", "#passkey-send-fido2").await;
    assert_eq!(state, "ok", "{text}");
    let patches: Vec<Recorded> = sent(g)
        .into_iter()
        .filter(|r| r.method == "PATCH")
        .collect();
    assert_eq!(patches.len(), 1);
    assert_eq!(
        patches[0].path(),
        "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&patches[0].body).unwrap(),
        previewed
    );
    let stored = aaguids_of(&g.method_config("fido2"));
    for a in [YUBIKEY, other, AUTHENTICATOR_IOS] {
        assert!(
            stored.iter().any(|s| s.eq_ignore_ascii_case(a)),
            "{a} missing from {stored:?}"
        );
    }

    // TAP: its own PATCH, the pilot group included.
    let (state, text) = run_in(&e.b, "passkey-deploy", "#passkey-send-tap").await;
    assert_eq!(state, "ok", "{text}");
    let tap = g.method_config("TemporaryAccessPass");
    assert_eq!(tap["state"], json!("enabled"));
    assert!(
        tap["includeTargets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == json!(PILOT)),
        "{tap}"
    );

    // The strength: created with its AAGUID restriction, then found (not duplicated) on a second click.
    let (state, text) = run_in(&e.b, "passkey-deploy", "#passkey-create-strength").await;
    assert_eq!(state, "ok", "{text}");
    let custom: Vec<Value> = g
        .strengths()
        .into_iter()
        .filter(|s| s["policyType"] == json!("custom"))
        .collect();
    assert_eq!(custom.len(), 1);
    let id = custom[0]["id"].as_str().unwrap();
    assert!(
        text.contains(id),
        "the status names the new strength's id: {text}"
    );
    assert_eq!(g.combinations().len(), 1);
    let (state, text) = run_in(&e.b, "passkey-deploy", "#passkey-create-strength").await;
    assert_eq!(state, "ok", "{text}");
    assert!(text.contains("already exists"), "{text}");
    assert_eq!(
        g.strengths()
            .iter()
            .filter(|s| s["policyType"] == json!("custom"))
            .count(),
        1
    );

    // One click makes it the open step's grant; the form says the built-in MFA control must go.
    click(&e.b, "#passkey-use-strength").await;
    // The pilot step's form is the tab beside the passkey view.
    e.b.open_step(1).await;
    assert_eq!(value(&e.b, "#field-authentication-strength").await, id);
    // With the name it was created under beside it, not a bare id.
    assert_eq!(
        e.b.text("#field-authentication-strength-name").await,
        custom[0]["displayName"].as_str().unwrap()
    );
    // While the built-in MFA control sits beside the strength Graph would refuse the policy:
    // the export panel names the conflict where the script would be and offers nothing to copy.
    assert_eq!(
        e.b.attr("[data-runnable]", "data-runnable")
            .await
            .as_deref(),
        Some("false")
    );
    assert!(
        e.b.js("return document.querySelector('#export-errors-json').textContent")
            .await
            .as_str()
            .is_some_and(|t| t.contains("control-with-authentication-strength")),
        "the export names the conflict"
    );
    assert_eq!(
        e.b.js("return document.querySelector('#export-json')")
            .await,
        Value::Null
    );
    assert_eq!(
        e.b.attr("#field-authentication-strength", "aria-invalid")
            .await
            .as_deref(),
        Some("true")
    );

    e.b.open_pilot_passkeys().await;
    shot(&e.b, "#passkey-deploy", "passkey-deploy").await;
    assert_only_graph_and_token(&e).await;
    disconnect_and_assert_forgotten(&e).await;
    e.b.close().await;
}

/// Whether the page holds `code` anywhere: the DOM (attributes and form values), the status
/// regions, storage or the URL.
async fn page_holds(b: &Browser, code: &str) -> bool {
    b.js(&format!(
        "const c = {c}; const stores = [localStorage, sessionStorage]; \
         const values = [...document.querySelectorAll('textarea, input')].some(e => (e.value || '').includes(c)); \
         return values || document.documentElement.outerHTML.includes(c) || location.href.includes(c) \
             || stores.some(s => Object.keys(s).some(k => k.includes(c) || (s.getItem(k) || '').includes(c)));",
        c = serde_json::to_string(code).unwrap()
    ))
    .await
    .as_bool()
    .unwrap()
}

/// Opens or closes the Temporary Access Pass panel and waits until it is so.
async fn tap_panel_open(b: &Browser, open: bool) {
    click(b, "#graph-tap-section > summary").await;
    b.eventually("the Temporary Access Pass panel toggles", || async {
        (b.js("return document.getElementById('graph-tap-section').open")
            .await
            .as_bool()
            == Some(open))
        .then_some(())
    })
    .await;
}

/// The latest pass the fake issued for `user`: its code.
fn issued_code(fake: &FakeGraph, user: &str) -> String {
    let (_, tap) = fake
        .taps()
        .into_iter()
        .rev()
        .find(|(u, _)| u == user)
        .expect("a pass was issued");
    tap["temporaryAccessPass"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pilot_user_gets_a_temporary_access_pass_shown_once_and_forgotten() {
    let mut e = start().await;
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 3600;
    e.token = graph_token(
        exp,
        &format!("{SCOPES} UserAuthMethod-TAP.ReadWrite.All Policy.Read.AuthenticationMethod"),
    );
    let g = &e.fake.graph;
    let alice = g.add_user("alice@contoso.example");
    let bob = g.add_user("bob@contoso.example");
    connect(&e).await;
    e.b.open_step(1).await;
    e.b.set_value("#field-display-name", "CA03 - e2e pilot passes")
        .await;
    e.b.set_value("#field-new-group-name", "CA pilot passes")
        .await;
    e.b.set_value(
        "#graph-pilot-members",
        "alice@contoso.example\nbob@contoso.example",
    )
    .await;
    // Planning the pilot reads the users: each gets a button, nothing is issued yet.
    let (state, text) = run(&e.b, "#graph-pilot").await;
    assert_eq!(state, "ok", "{text}");
    let listed = e
        .b
        .js("return [...document.querySelectorAll('#graph-tap-section li[data-user-id]')].map(li => li.dataset.userId)")
        .await;
    assert_eq!(listed, json!([alice, bob]));
    assert!(g.taps().is_empty());
    let tap_path = |id: &str| format!("/v1.0/users/{id}/authentication/temporaryAccessPassMethods");

    // Issue one for Alice: the policy's terms are read first, then one POST for her alone.
    tap_panel_open(&e.b, true).await;
    let before = sent(g).len();
    let issue = |id: &str| format!("#graph-tap-section li[data-user-id='{id}'] .graph-tap-issue");
    let (state, text) = run(&e.b, &issue(&alice)).await;
    assert_eq!(state, "ok", "{text}");
    assert_eq!(
        text,
        "Issued a Temporary Access Pass for alice@contoso.example."
    );
    let reqs: Vec<Recorded> = sent(g).into_iter().skip(before).collect();
    assert_eq!(
        reqs.iter().map(line).collect::<Vec<_>>(),
        [
            "GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass".to_string(),
            format!("POST {}", tap_path(&alice)),
        ]
    );
    assert_eq!(
        serde_json::from_str::<Value>(&reqs[1].body).unwrap(),
        json!({"isUsableOnce": false, "lifetimeInMinutes": 60}),
        "the lifetime and one-time use of the tenant's TAP policy"
    );
    let code = issued_code(g, &alice);
    // Shown once, with her name, copyable; in the code box only.
    assert_eq!(
        e.b.attr("#graph-tap-issued", "data-user-id")
            .await
            .as_deref(),
        Some(alice.as_str())
    );
    assert_eq!(value(&e.b, "#graph-tap-code").await, code);
    assert_eq!(
        e.b.text("label[for='graph-tap-code']").await,
        "Code for alice@contoso.example"
    );
    assert!(e
        .b
        .text("#graph-tap-issued")
        .await
        .contains("alice@contoso.example"));
    assert!(!e.b.text("#graph-status").await.contains(&code));
    let in_values = e
        .b
        .js(&format!(
            "return [...document.querySelectorAll('textarea, input')].filter(e => (e.value || '').includes({})).map(e => e.id)",
            serde_json::to_string(&code).unwrap()
        ))
        .await;
    assert_eq!(
        in_values,
        json!(["graph-tap-code"]),
        "the code is in one place"
    );
    let stored = e
        .b
        .js(&format!(
            "const c = {}; return [localStorage, sessionStorage].some(s => Object.keys(s).some(k => (s.getItem(k) || '').includes(c))) || location.href.includes(c)",
            serde_json::to_string(&code).unwrap()
        ))
        .await;
    assert_eq!(stored, json!(false), "never stored, never in the URL");
    click(&e.b, "#graph-tap-copy").await;

    // Closing the panel forgets the code.
    tap_panel_open(&e.b, false).await;
    e.b.eventually("the code is gone once the panel is closed", || async {
        (!page_holds(&e.b, &code).await).then_some(())
    })
    .await;
    tap_panel_open(&e.b, true).await;
    assert!(e
        .b
        .client
        .find(Locator::Css("#graph-tap-issued"))
        .await
        .is_err());

    // A failure for Bob names him and Graph's reason; no code is shown.
    g.fail(fake_graph::Failure {
        method: "POST".into(),
        path_prefix: format!("/users/{bob}/authentication/temporaryAccessPassMethods"),
        status: 403,
        code: "Authorization_RequestDenied".into(),
        message: "Insufficient privileges to complete the operation.".into(),
        retry_after: None,
        times: 1,
        skip: 0,
    });
    let (state, text) = run(&e.b, &issue(&bob)).await;
    assert_eq!(state, "error", "{text}");
    assert!(
        text.starts_with("No Temporary Access Pass for bob@contoso.example: "),
        "{text}"
    );
    assert!(
        text.contains("Permission denied")
            && text.contains("Privileged Authentication Administrator"),
        "{text}"
    );
    assert_eq!(
        e.b.attr("#graph-status", "data-graph-code")
            .await
            .as_deref(),
        Some("Authorization_RequestDenied")
    );
    assert!(e
        .b
        .client
        .find(Locator::Css("#graph-tap-issued"))
        .await
        .is_err());
    assert!(g.taps().iter().all(|(u, _)| *u != bob));

    // "Done" forgets a new pass for Alice the same way.
    let (state, text) = run(&e.b, &issue(&alice)).await;
    assert_eq!(state, "ok", "{text}");
    let code = issued_code(g, &alice);
    assert_eq!(value(&e.b, "#graph-tap-code").await, code);
    click(&e.b, "#graph-tap-done").await;
    e.b.eventually("the code is gone after Done", || async {
        (!page_holds(&e.b, &code).await).then_some(())
    })
    .await;

    // And forgetting the token (Disconnect) takes the code on show with it.
    let (state, text) = run(&e.b, &issue(&alice)).await;
    assert_eq!(state, "ok", "{text}");
    let code = issued_code(g, &alice);
    assert_eq!(value(&e.b, "#graph-tap-code").await, code);
    disconnect_and_assert_forgotten(&e).await;
    assert!(
        !page_holds(&e.b, &code).await,
        "the code went with the token"
    );
    assert!(e
        .b
        .client
        .find(Locator::Css("#graph-tap-section"))
        .await
        .is_err());
    e.b.close().await;
}

/// The What-If's "Run in the tenant too": the page sends the tenant exactly the request it
/// shows (and downloads), then shows the service's answer next to the offline result, every
/// policy a row, differences highlighted and explained.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whatif_runs_the_shown_request_in_the_tenant_and_explains_each_difference() {
    let e = start().await;
    let all_users = e.fake.graph.add_policy(json!({
        "displayName": "All users MFA", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}));
    let deleted = e.fake.graph.add_policy(json!({
        "displayName": "Deleted since the audit", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "builtInControls": ["block"]}}));
    let only_service = "99999999-0000-4000-8000-000000000001";
    // The tenant says the first does not apply (it knows the user is excluded some other way),
    // does not list the second, and lists one the audit did not.
    e.fake.graph.set_evaluate_answer(json!({"value": [
        {"id": all_users, "displayName": "All users MFA", "state": "enabled", "policyApplies": false, "analysisReasons": "users"},
        {"id": only_service, "displayName": "Beta-only policy", "state": "enabled", "policyApplies": true, "analysisReasons": "notSet"}
    ]}));
    connect(&e).await;
    let (state, text) = run(&e.b, "#audit-load").await;
    assert_eq!(state, "ok", "{text}");

    e.b.open_phase("everyone").await;
    click(&e.b, "#whatif-panel > summary").await;
    let shown = value_text(&e.b, "#whatif-request").await;
    let (state, text) = run_in(&e.b, "whatif-evaluate", "#whatif-run-tenant").await;
    assert_eq!(state, "ok", "{text}");
    let evaluated: Vec<Recorded> = sent(&e.fake.graph)
        .into_iter()
        .filter(|r| r.path() == "/v1.0/identity/conditionalAccess/evaluate")
        .collect();
    assert_eq!(evaluated.len(), 1);
    assert_eq!(evaluated[0].method, "POST");
    assert_eq!(
        evaluated[0].body, shown,
        "the tenant got exactly the shown request"
    );

    let rows = e.b.js("return [...document.querySelectorAll('#whatif-compare-table tbody tr')].map(r => [r.dataset.policyId, r.dataset.agreement, r.className, r.querySelector('.whatif-why').textContent])").await;
    let rows = rows.as_array().unwrap();
    let row = |id: &str| {
        rows.iter()
            .find(|r| r[0].as_str() == Some(id))
            .unwrap_or_else(|| panic!("a row for {id}: {rows:?}"))
            .clone()
    };
    let r = row(&all_users);
    assert_eq!(r[1], "applies-differs");
    assert_eq!(r[2], "differs");
    assert!(
        r[3].as_str()
            .unwrap()
            .contains("only the service says users"),
        "{r:?}"
    );
    let r = row(&deleted);
    assert_eq!(r[1], "only-offline");
    assert!(r[3].as_str().unwrap().contains("does not list it"), "{r:?}");
    let r = row(only_service);
    assert_eq!(r[1], "only-service");
    // The draft's steps are rows too: not in the tenant yet.
    let draft_rows = rows.iter().filter(|r| r[0] == "").count();
    assert!(draft_rows > 0, "{rows:?}");
    assert!(rows
        .iter()
        .filter(|r| r[0] == "")
        .all(|r| r[1] == "only-offline"));
    let differences = e.b.attr("#whatif-compare", "data-differences").await;
    assert_eq!(differences, Some((draft_rows + 3).to_string()));
    shot(&e.b, "#whatif-compare", "whatif-compare").await;

    // Changing the form marks the table as being for the earlier request.
    e.b.js("const s = document.getElementById('whatif-platform'); s.value = 'android'; s.dispatchEvent(new Event('change', {bubbles: true}));").await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        e.b.attr("#whatif-compare", "data-stale").await.as_deref(),
        Some("true")
    );
    assert_only_graph_and_token(&e).await;
    disconnect_and_assert_forgotten(&e).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        e.b.js("return document.getElementById('whatif-compare') === null")
            .await,
        json!(true),
        "the tenant's answer is forgotten with the token"
    );
    e.b.close().await;
}

/// The tenant's own application (a policy holds its appId) and a named location, in a step
/// opened from a share link, are named by the same click, in their pickers' chips.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lookup_names_the_tenants_applications_and_named_locations_too() {
    use ca_builder::app::draft::{Action, Draft};
    use ca_builder::policy::edit::IdList;
    let e = start().await;
    let app = "7c3e2a10-5b4d-4e6f-8a9b-0c1d2e3f4a5b";
    e.fake.graph.add_service_principal(app, "Payroll");
    let office = e.fake.graph.add_named_location("Head office");
    const STEP: usize = 2;
    let mut d = Draft::new();
    d.apply(Action::Select(STEP));
    d.apply(Action::SetIdList(
        IdList::IncludeApplications,
        vec![app.into()],
    ));
    d.apply(Action::SetIdList(
        IdList::ExcludeLocations,
        vec![office.clone()],
    ));
    e.b.open_share_link(&d.to_json()).await;
    e.b.open_phase("prepare").await;
    connect(&e).await;
    assert_eq!(
        e.b.attr("#name-lookup", "data-unnamed").await.as_deref(),
        Some("2")
    );
    let (state, text) = run(&e.b, "#name-lookup-run").await;
    assert_eq!(state, "ok", "{text}");
    assert!(text.starts_with("Named 2 of 2 ids."), "{text}");
    let paths: Vec<String> = sent(&e.fake.graph).iter().map(line).collect();
    assert!(
        paths.iter().any(|p| p == "GET /v1.0/servicePrincipals")
            && paths
                .iter()
                .any(|p| p == "GET /v1.0/identity/conditionalAccess/namedLocations"),
        "{paths:?}"
    );
    e.b.open_step(STEP).await;
    for (id, name) in [(app, "Payroll"), (office.as_str(), "Head office")] {
        let chip = value_text(&e.b, &format!("li.chip[data-id='{id}']")).await;
        assert!(chip.contains(&format!("{name} ({id})")), "{chip}");
    }
    assert_only_graph_and_token(&e).await;
    e.b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_the_draft_holds_without_a_name_are_named_from_the_tenant_on_one_click() {
    let e = start().await;
    let ada = e
        .fake
        .graph
        .add_named_user("ada@contoso.com", "Ada Lovelace");
    connect(&e).await;
    // A break-glass account pasted by id, and one Graph does not know.
    e.b.set_value("#field-break-glass-users", &format!("{ada}\n{BG_USER}"))
        .await;
    e.b.client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(&format!("li.chip[data-id='{ada}']")))
        .await
        .expect("the pasted id shows as a chosen entry");
    assert_eq!(
        e.b.attr("#name-lookup", "data-unnamed").await.as_deref(),
        Some("2")
    );
    let (state, text) = run(&e.b, "#name-lookup-run").await;
    assert_eq!(state, "ok", "{text}");
    assert!(text.starts_with("Named 1 of 2 ids."), "{text}");
    assert!(
        text.contains(BG_USER),
        "the id still unnamed is listed: {text}"
    );
    // The chip now shows the name beside the id, and the id Graph did not return says so;
    // the section counts what is left.
    let chip = e.b.text(&format!("li.chip[data-id='{ada}']")).await;
    assert!(chip.contains("Ada Lovelace (ada@contoso.com)"), "{chip}");
    let missing = e.b.text(&format!("li.chip[data-id='{BG_USER}']")).await;
    assert!(
        missing.contains(&format!("{BG_USER} (not found in the tenant)")),
        "{missing}"
    );
    // The id the tenant did not return is not offered for another lookup.
    assert_eq!(
        e.b.attr("#name-lookup", "data-unnamed").await.as_deref(),
        Some("0")
    );
    assert_eq!(
        e.b.attr("#name-lookup", "data-not-found").await.as_deref(),
        Some("1")
    );
    let hint = e.b.text("#name-lookup-missing").await;
    assert!(hint.contains("not found in the tenant"), "{hint}");
    assert!(
        e.b.client
            .find(Locator::Css("#name-lookup-run"))
            .await
            .is_err(),
        "nothing is left to look up"
    );
    let lookups: Vec<Recorded> = sent(&e.fake.graph)
        .into_iter()
        .filter(|r| r.path().starts_with("/v1.0/directoryObjects/getByIds"))
        .collect();
    assert_eq!(lookups.len(), 1, "one request for both ids");
    let body: Value = serde_json::from_str(&lookups[0].body).unwrap();
    assert_eq!(body["ids"], json!([ada, BG_USER]));
    // A step's checks now warn that the break-glass exclusion protects no account.
    e.b.open_step(1).await;
    let check = value_text(&e.b, "#lint-list li[data-code='break-glass-not-in-tenant']").await;
    assert!(
        check.contains(&format!("{BG_USER} (not found in the tenant)")),
        "{check}"
    );
    assert_only_graph_and_token(&e).await;
}
