//! End-to-end: the bootstrap grid against the fake Graph. A tenant whose compliant-device
//! policy on All resources blocks registration from an unregistered phone: once the audit has
//! listed the tenant's policies, the grid shows the cell blocked with the policy named (on hover
//! and on keyboard focus), the journey offers Microsoft's documented exclusion as a diff, and
//! applying it (to the draft, as an imported step that updates the tenant's policy, nothing sent
//! to Graph) turns the cell ready. The token reaches neither storage nor the URL.

use crate::support::browser::Browser;
use crate::support::graph::{click, connect, disconnect_and_assert_forgotten, start};
use serde_json::{json, Value};

const NAME: &str = "All resources: compliant device or passkey";
const CRED_REG: &str = "6aa00308-ea33-4caa-90d6-ae905d8cb51b";
const PERSONA: &str = "member, Authenticator push";
const DEVICE: &str = "unregistered personal iPhone";

/// Learn, "Enable passkeys in Microsoft Authenticator", troubleshooting: a compliant-device
/// grant on All resources stops an unmanaged phone from registering unless Microsoft
/// Authenticator Credential Registration is excluded; the phishing-resistant alternative lets
/// the passkey be used from that phone once registered.
fn compliant_on_all() -> Value {
    json!({"displayName": NAME, "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"],
            "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"}}})
}

/// Passkeys in Authenticator and Temporary Access Pass on for everyone, as pasted into the grid.
fn open_methods() -> String {
    json!({"authenticationMethodConfigurations": [
        {"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
         "isSelfServiceRegistrationAllowed": true, "isAttestationEnforced": false,
         "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}], "excludeTargets": []},
        {"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", "id": "TemporaryAccessPass",
         "state": "enabled", "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}], "excludeTargets": []}]})
    .to_string()
}

/// The grid cell of `persona` on `device`, found by the table's headers: its state, the
/// blocker's id, the button's id, text and title; `null` when there is no such cell.
async fn cell(b: &Browser, persona: &str, device: &str) -> Value {
    b.js(&format!(
        "const heads = [...document.querySelectorAll('#bootstrap-grid thead th')].map(h => h.textContent); \
         const col = heads.indexOf({device}); \
         const row = [...document.querySelectorAll('#bootstrap-grid tbody tr')].find(r => r.querySelector('th').textContent === {persona}); \
         if (col < 1 || !row) return null; \
         const td = row.children[col]; const btn = td.querySelector('button'); \
         return {{state: td.dataset.state, blockedBy: td.dataset.blockedBy || null, id: btn.id, text: btn.textContent, title: btn.title}};",
        device = serde_json::to_string(device).unwrap(),
        persona = serde_json::to_string(persona).unwrap(),
    ))
    .await
}

/// Whether the token is in local or session storage (keys or values) or in the URL.
async fn token_stored_or_in_url(b: &Browser, token: &str) -> Value {
    b.js(&format!(
        "const t = {tok}; const inStore = [localStorage, sessionStorage].some(s => Object.keys(s).some(k => k.includes(t) || (s.getItem(k) || '').includes(t))); \
         return {{store: inStore, url: location.href.includes(t)}};",
        tok = serde_json::to_string(token).unwrap()
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bootstrap_grid_shows_the_tenant_blocker_and_its_fix_turns_the_cell_ready() {
    let e = start().await;
    let id = e.fake.graph.add_policy(compliant_on_all());
    connect(&e).await;

    // The tenant's policies, listed the way the audit does; the grid proves against them.
    click(&e.b, "#audit-load").await;
    e.b.eventually("the audit's row", || async {
        let n =
            e.b.js("return document.querySelectorAll('#audit-table tbody tr').length")
                .await;
        (n == json!(1)).then_some(())
    })
    .await;
    click(&e.b, "#bootstrap-panel > summary").await;
    e.b.set_value("#bootstrap-methods", "pasted").await;
    e.b.set_value("#bootstrap-methods-text", &open_methods())
        .await;
    let label = e.b.text("label[for=\"bootstrap-tenant\"]").await;
    assert!(label.contains("tenant's 1 policies"), "{label}");

    let before =
        e.b.eventually("the blocked cell", || async {
            let c = cell(&e.b, PERSONA, DEVICE).await;
            (c["state"] == json!("blocked")).then_some(c)
        })
        .await;
    // Labelled in text, the tenant's policy named by id and, on hover, by name.
    assert_eq!(before["blockedBy"], json!(id), "{before}");
    assert!(
        before["text"].as_str().unwrap().contains("Blocked"),
        "{before}"
    );
    assert!(
        before["title"]
            .as_str()
            .unwrap()
            .contains(&format!("blocked by {NAME}")),
        "{before}"
    );
    let button = format!("#{}", before["id"].as_str().unwrap());

    // Keyboard focus names the blocker under the table.
    e.b.js(&format!("document.querySelector('{button}').focus()"))
        .await;
    let focus =
        e.b.eventually("the focus line", || async {
            let t = e.b.text("#bootstrap-focus").await;
            t.contains(NAME).then_some(t)
        })
        .await;
    assert!(focus.contains(PERSONA) && focus.contains(DEVICE), "{focus}");

    // The journey: step 1 blocked by the policy, the fix offered as the change to the draft.
    click(&e.b, &button).await;
    let steps = e
        .b
        .eventually("the journey", || async {
            let v = e.b.js("return [...document.querySelectorAll('#bootstrap-journey li[data-step]')].map(l => [l.dataset.state, l.textContent])").await;
            (v.as_array().map_or(0, Vec::len) == 3).then_some(v)
        })
        .await;
    assert_eq!(
        (&steps[0][0], &steps[1][0], &steps[2][0]),
        (
            &json!("blocked"),
            &json!("not-reached"),
            &json!("not-reached")
        ),
        "{steps}"
    );
    let first = steps[0][1].as_str().unwrap();
    assert!(first.contains(NAME) && first.contains("Fix:"), "{first}");
    let fix =
        e.b.text("#bootstrap-journey .bootstrap-fix[data-fix=\"policy\"]")
            .await;
    assert!(
        fix.contains("excludeApplications")
            && fix.contains(CRED_REG)
            && fix.contains(&format!(
                "added to the draft as an imported step that updates the tenant's policy {id}"
            )),
        "{fix}"
    );

    let writes_before = e.fake.graph.requests().len();
    click(&e.b, "#bootstrap-journey .bootstrap-apply").await;
    let after =
        e.b.eventually("the cell turned ready", || async {
            let c = cell(&e.b, PERSONA, DEVICE).await;
            (c["state"] == json!("ready")).then_some(c)
        })
        .await;
    assert!(after["text"].as_str().unwrap().contains("Ready"), "{after}");
    assert_eq!(
        e.b.attr("#bootstrap-journey", "data-state")
            .await
            .as_deref(),
        Some("ready")
    );
    // Applied to the draft only: nothing was sent to Graph, the tenant's policy is unchanged.
    assert_eq!(e.fake.graph.requests().len(), writes_before);
    assert_eq!(
        e.fake.graph.policies()[0]["conditions"]["applications"].get("excludeApplications"),
        None
    );

    // The draft (saved and shareable) holds the imported step, never the token.
    assert_eq!(
        token_stored_or_in_url(&e.b, &e.token).await,
        json!({"store": false, "url": false})
    );
    disconnect_and_assert_forgotten(&e).await;
    e.b.close().await;
}
