//! End-to-end: the bootstrap grid against the fake Graph. A tenant whose compliant-device
//! policy on All resources blocks registration from an unregistered phone: once the audit has
//! listed the tenant's policies, the grid shows the cell blocked with the policy named (on hover
//! and on keyboard focus), the journey offers Microsoft's documented exclusion as a diff, and
//! applying it (to the draft, as an imported step that updates the tenant's policy, nothing sent
//! to Graph) turns the cell ready. The token reaches neither storage nor the URL. The tenant's
//! methods policy is read into the draft by the panel's own button.
//!
//! Connected, the grid also reads the tenant's authentication strengths (a custom strength's
//! AAGUIDs then decide a sign-in it could not prove before) and the pilot group's members with
//! their registered methods (each a row), both forgotten with the token.
//!
//! Offline: the grid follows the passkey panel (the draft's methods form): aimed at another
//! group, the pilot's ready cells turn blocked by the Authentication methods policy, and ready
//! again once fixed; an admin's own persona is a row on its device and survives a reload; the
//! page's change document holds the panel's method settings and makes no request.

use crate::support::browser::Browser;
use crate::support::graph::{click, connect, disconnect_and_assert_forgotten, start, value};
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

/// Passkeys in Authenticator and Temporary Access Pass on for everyone: the tenant's method
/// configurations (`fido2`, `TemporaryAccessPass`), as the fake Graph stores them.
fn open_methods() -> [(&'static str, Value); 2] {
    [
        (
            "fido2",
            json!({"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
         "isSelfServiceRegistrationAllowed": true, "isAttestationEnforced": false,
         "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}], "excludeTargets": []}),
        ),
        (
            "TemporaryAccessPass",
            json!({"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", "id": "TemporaryAccessPass",
         "state": "enabled", "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}], "excludeTargets": []}),
        ),
    ]
}

/// The bootstrap panel, open (on the Prepare phase; a phase shown again renders the panel
/// afresh, closed).
async fn open_grid(b: &Browser) {
    b.open_phase("prepare").await;
    b.eventually("the bootstrap panel", || async {
        (b.js("return !!document.querySelector('#bootstrap-panel')")
            .await
            == json!(true))
        .then_some(())
    })
    .await;
    b.js("const d = document.querySelector('#bootstrap-panel'); if (!d.open) { d.open = true; } return null")
        .await;
}

/// Lists the tenant's policies with the audit (Prepare phase), as the grid's tenant input, and
/// waits for its one row.
async fn list_tenant(b: &Browser) {
    click(b, "#audit-load").await;
    b.eventually("the audit's row", || async {
        let n = b
            .js("return document.querySelectorAll('#audit-table tbody tr').length")
            .await;
        (n == json!(1)).then_some(())
    })
    .await;
}

/// Sets the passkey panel's control at `css` (the Pilot phase's passkey and TAP view).
async fn set_in_passkey_panel(b: &Browser, css: &str, v: &str) {
    b.open_pilot_passkeys().await;
    b.set_value(css, v).await;
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
    for (m, v) in open_methods() {
        e.fake.graph.set_method_config(m, v);
    }
    connect(&e).await;

    // The tenant's policies, listed the way the audit does; the grid proves against them.
    list_tenant(&e.b).await;
    open_grid(&e.b).await;
    // The tenant's methods policy, read into the draft; the grid then uses it, and says so.
    let reads = e.fake.graph.requests().len();
    click(&e.b, "#bootstrap-read-methods").await;
    let used =
        e.b.eventually("the tenant's methods read", || async {
            let t = e.b.text("#bootstrap-methods-used").await;
            t.contains("passkey: held").then_some(t)
        })
        .await;
    assert!(used.contains("tenant's current configurations"), "{used}");
    assert_eq!(value(&e.b, "#bootstrap-methods").await, "tenant");
    let sent: Vec<String> = e.fake.graph.requests()[reads..]
        .iter()
        .filter(|r| r.method != "OPTIONS")
        .map(|r| format!("{} {}", r.method, r.path()))
        .collect();
    assert_eq!(
        sent,
        [
            "GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2",
            "GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass"
        ]
    );

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
    // The imported step may open its own phase (the page's phases render only the open one):
    // back to the grid, still on the tenant's methods (the draft holds them).
    if e.b
        .js("return !!document.querySelector('#bootstrap-journey')")
        .await
        != json!(true)
    {
        open_grid(&e.b).await;
        if value(&e.b, "#bootstrap-methods").await != "tenant" {
            e.b.set_value("#bootstrap-methods", "tenant").await;
        }
        let c =
            e.b.eventually("the grid again", || async {
                let c = cell(&e.b, PERSONA, DEVICE).await;
                c["id"].as_str().map(str::to_string)
            })
            .await;
        click(&e.b, &format!("#{c}")).await;
    }
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

const PILOT: &str = "5e769024-0f21-4be0-af23-dd6045caa1c9";
const OTHER_GROUP: &str = "99999999-2222-3333-4444-555555555555";

/// Opens the page on a share link whose draft has `group` as its pilot group (so the grid's
/// personas are in it and the passkey panel's methods target it).
async fn open_with_pilot(b: &Browser, group: &str) {
    use ca_builder::app::draft::{Action, Draft, StepKind};
    let mut d = Draft::new();
    let i = d
        .steps
        .iter()
        .position(|s| s.kind == StepKind::Pilot)
        .unwrap();
    d.apply(Action::Select(i));
    d.apply(Action::SetPilotGroup(group.into()));
    b.open_share_link(&d.to_json()).await;
}

/// Every shown cell's state and blocker, by row and column name.
async fn cells(b: &Browser) -> Value {
    b.js("const heads = [...document.querySelectorAll('#bootstrap-grid thead th')].map(h => h.textContent); \
          return [...document.querySelectorAll('#bootstrap-grid tbody tr')].flatMap(r => [...r.children].slice(1).map((td, i) => \
            ({row: r.querySelector('th').textContent, col: heads[i + 1], state: td.dataset.state, blockedBy: td.dataset.blockedBy || null, \
              text: td.textContent})));")
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grid_follows_the_passkey_panel_and_the_change_document_holds_its_method_settings() {
    let e = start().await;
    open_with_pilot(&e.b, PILOT).await;
    open_grid(&e.b).await;
    let used = e.b.text("#bootstrap-methods-used").await;
    assert!(used.contains("passkey panel's settings"), "{used}");
    // As the passkey panel plans them (its form as it starts): the pilot member with
    // Authenticator push registers on an unregistered phone.
    let ready =
        e.b.eventually("the ready cell", || async {
            let c = cell(&e.b, PERSONA, DEVICE).await;
            (c["state"] == json!("ready")).then_some(c)
        })
        .await;
    assert!(ready["text"].as_str().unwrap().contains("Ready"), "{ready}");
    let before = cells(&e.b).await;
    let ready_before: Vec<&Value> = before
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["state"] == json!("ready"))
        .collect();
    assert!(!ready_before.is_empty(), "{before}");

    // The passkey panel aims the passkey method at another group: passkeys are not enabled for
    // the pilot, and every cell that was ready is blocked at registering the passkey, by the
    // Authentication methods policy.
    set_in_passkey_panel(&e.b, "#passkey-pilot-group", OTHER_GROUP).await;
    open_grid(&e.b).await;
    let blocked =
        e.b.eventually("the cell blocked by the methods policy", || async {
            let c = cell(&e.b, PERSONA, DEVICE).await;
            (c["state"] == json!("blocked")).then_some(c)
        })
        .await;
    assert_eq!(
        blocked["blockedBy"],
        json!("authenticationMethodsPolicy"),
        "{blocked}"
    );
    assert!(
        blocked["text"].as_str().unwrap().contains("step 2"),
        "{blocked}"
    );
    assert!(
        blocked["title"]
            .as_str()
            .unwrap()
            .contains("2. register the passkey"),
        "{blocked}"
    );
    let after = cells(&e.b).await;
    for was in &ready_before {
        let now = after
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["row"] == was["row"] && c["col"] == was["col"])
            .unwrap();
        assert_eq!(now["state"], json!("blocked"), "{now}");
        // The override moves the Temporary Access Pass method too: a persona who was to reach
        // registration with a TAP is stopped there; every other is stopped at registering the
        // passkey by the method policy.
        if now["row"].as_str().unwrap().contains("TAP issued") {
            assert!(now["text"].as_str().unwrap().contains("step 1"), "{now}");
        } else {
            assert_eq!(
                now["blockedBy"],
                json!("authenticationMethodsPolicy"),
                "{now}"
            );
            assert!(now["text"].as_str().unwrap().contains("step 2"), "{now}");
        }
    }

    // Fixed in the passkey panel (back to step 2's group), the cells are ready again.
    set_in_passkey_panel(&e.b, "#passkey-pilot-group", "").await;
    set_in_passkey_panel(&e.b, "#tap-lifetime", "90").await;
    open_grid(&e.b).await;
    e.b.eventually("the cells ready again", || async {
        (cells(&e.b).await == before).then_some(())
    })
    .await;

    // The page's change document: made in the page (captured from the Blob it is saved
    // through), with the passkey panel's method settings and what each PATCH changes, and no
    // request made for it.
    e.b.open_phase("watch").await;
    e.b.eventually("the report button", || async {
        (e.b.js("return !!document.querySelector('#report-download')")
            .await
            == json!(true))
        .then_some(())
    })
    .await;
    e.b.js(
        "window.__saved = []; const make = URL.createObjectURL.bind(URL); \
            URL.createObjectURL = b => { window.__saved.push(b); return make(b); }; return null",
    )
    .await;
    let fetched_before =
        e.b.js("return performance.getEntriesByType('resource').length")
            .await;
    let requests_before = e.fake.graph.requests().len();
    click(&e.b, "#report-download").await;
    let status =
        e.b.eventually("the document saved", || async {
            let t = e.b.text("#report-status").await;
            (!t.is_empty()).then_some(t)
        })
        .await;
    assert_eq!(status, "Saved change-document.html.");
    let page =
        e.b.client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
             const b = window.__saved[window.__saved.length - 1]; \
             b.text().then(t => done({type: b.type, text: t}));",
                vec![],
            )
            .await
            .unwrap();
    assert_eq!(page["type"], json!("text/html"));
    let html = page["text"].as_str().unwrap();
    assert!(
        html.contains("Passkey and Temporary Access Pass settings"),
        "no method section"
    );
    assert!(html.contains("What the PATCH changes"), "no PATCH effect");
    assert!(
        html.contains("PATCH /policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass"),
        "no TAP PATCH"
    );
    // The panel's TAP lifetime, not the CLI's default.
    assert!(
        html.contains("&quot;defaultLifetimeInMinutes&quot;: 90")
            || html.contains("\"defaultLifetimeInMinutes\": 90"),
        "the panel's lifetime"
    );
    assert_eq!(
        e.b.js("return performance.getEntriesByType('resource').length")
            .await,
        fetched_before,
        "the page fetched something to make the document"
    );
    assert_eq!(
        e.fake.graph.requests().len(),
        requests_before,
        "a request to Graph"
    );

    // An admin's own persona: a row proved on its one device, kept with the draft.
    open_grid(&e.b).await;
    e.b.js("document.querySelector('#bootstrap-personas').open = true; return null")
        .await;
    e.b.set_value("#bootstrap-persona-name", "Nurse on a ward phone")
        .await;
    click(&e.b, "#bootstrap-persona-method-microsoftAuthenticatorPush").await;
    e.b.set_value("#bootstrap-persona-device", DEVICE).await;
    click(&e.b, "#bootstrap-persona-add").await;
    let row = "Nurse on a ward phone (yours)";
    let mine =
        e.b.eventually("the persona's row", || async {
            let c = cell(&e.b, row, DEVICE).await;
            c.get("state")
                .and_then(Value::as_str)
                .is_some()
                .then_some(c)
        })
        .await;
    // Password and Authenticator push, in the pilot group: as the built-in row with them.
    assert_eq!(
        mine["state"],
        cell(&e.b, PERSONA, DEVICE).await["state"],
        "{mine}"
    );
    let other = e
        .b
        .js(&format!(
            "const r = [...document.querySelectorAll('#bootstrap-grid tbody tr')].find(r => r.querySelector('th').textContent === {}); \
             return [...r.children].slice(1).map(td => td.dataset.state)",
            serde_json::to_string(row).unwrap()
        ))
        .await;
    let states: Vec<&str> = other
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        states.iter().filter(|s| **s == "not-proved").count(),
        states.len() - 1,
        "{other}"
    );
    // A reload keeps it (the draft is autosaved with its personas).
    e.b.eventually("the autosave", || async {
        (e.b.js("return Object.keys(localStorage).some(k => (localStorage.getItem(k) || '').includes('Nurse on a ward phone'))")
            .await
            == json!(true))
        .then_some(())
    })
    .await;
    e.b.js("window.__before_reload = true; location.reload(); return null")
        .await;
    e.b.eventually("the page reloaded", || async {
        (e.b.js("return window.__before_reload === undefined").await == json!(true)).then_some(())
    })
    .await;
    e.b.wait_app().await;
    open_grid(&e.b).await;
    e.b.eventually("the persona's row after a reload", || async {
        let c = cell(&e.b, row, DEVICE).await;
        (c.get("state").and_then(Value::as_str) == mine["state"].as_str()).then_some(())
    })
    .await;
    e.b.close().await;
}

/// Learn, "List userRegistrationDetails" and "Custom authentication strengths": the pilot's
/// members become rows with the methods the report lists (a member without an entry is named,
/// not guessed), and a tenant policy requiring a custom strength is proved once the strengths
/// are read (with its fido2 AAGUID restriction admitting Microsoft Authenticator).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grid_reads_the_pilot_members_registered_methods_and_the_tenants_strengths() {
    let e = start().await;
    let g = &e.fake.graph;
    let group = g.add_group("Passkey pilot", true);
    let ada = g.add_named_user("ada@contoso.com", "Ada Lovelace");
    let bob = g.add_named_user("bob@contoso.com", "Bob");
    for u in [&ada, &bob] {
        g.add_member(&group, u);
    }
    g.set_registration(
        &ada,
        &[
            "microsoftAuthenticatorPush",
            "passKeyDeviceBoundAuthenticator",
        ],
    );
    let strength = g.add_strength(
        "Passkeys in Authenticator",
        &["fido2"],
        vec![json!({"@odata.type": "#microsoft.graph.fido2CombinationConfiguration",
            "appliesToCombinations": ["fido2"],
            "allowedAAGUIDs": ["90a3ccdf-635c-4729-a248-9b709135078f", "de1e552d-db1d-4423-a619-566b625cdc84"]})],
    );
    let policy = g.add_policy(json!({"displayName": "Exchange: Authenticator passkeys", "state": "enabled",
        "conditions": {"users": {"includeGroups": [group]},
            "applications": {"includeApplications": ["00000002-0000-0ff1-ce00-000000000000"]}, "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "authenticationStrength": {"id": strength}}}));
    for (m, v) in open_methods() {
        g.set_method_config(m, v);
    }
    open_with_pilot(&e.b, &group).await;
    connect(&e).await;
    // The share link opens on the Pilot phase; the audit is on Prepare.
    e.b.open_phase("prepare").await;
    list_tenant(&e.b).await;
    open_grid(&e.b).await;
    const HELD: &str = "member, passkey already";
    // The custom strength is not known yet: the passkey holder's sign-in is blocked by it.
    let unknown =
        e.b.eventually("the sign-in blocked by the unknown strength", || async {
            let c = cell(&e.b, HELD, DEVICE).await;
            (c["blockedBy"] == json!(policy)).then_some(c)
        })
        .await;
    assert!(
        unknown["title"].as_str().unwrap().contains("3. sign in"),
        "{unknown}"
    );

    let reads = g.requests().len();
    click(&e.b, "#bootstrap-read-strengths").await;
    e.b.eventually("the strength proved", || async {
        (cell(&e.b, HELD, DEVICE).await["state"] == json!("ready")).then_some(())
    })
    .await;
    let sent = |from: usize| -> Vec<String> {
        g.requests()[from..]
            .iter()
            .filter(|r| r.method != "OPTIONS")
            .map(|r| format!("{} {}", r.method, r.path()))
            .collect()
    };
    assert_eq!(
        sent(reads),
        [
            "GET /v1.0/policies/authenticationStrengthPolicies".to_string(),
            format!("GET /v1.0/identity/conditionalAccess/authenticationStrength/policies/{strength}/combinationConfigurations"),
        ]
    );

    let reads = g.requests().len();
    click(&e.b, "#bootstrap-read-pilot").await;
    let status =
        e.b.eventually("the members read", || async {
            let t = e.b.text("#bootstrap-tenant-read-status-text").await;
            t.starts_with("Read 2 of the group's 2 members")
                .then_some(t)
        })
        .await;
    assert!(
        status.contains("1 rows added") && status.contains("1 not in the registration report"),
        "{status}"
    );
    assert_eq!(
        sent(reads),
        [
            format!("GET /v1.0/groups/{group}/members/microsoft.graph.user"),
            format!("GET /v1.0/reports/authenticationMethods/userRegistrationDetails/{ada}"),
            format!("GET /v1.0/reports/authenticationMethods/userRegistrationDetails/{bob}"),
        ]
    );
    // Ada is a row on every device, with her passkey: ready where the built-in holder is.
    let all = cells(&e.b).await;
    let of = |row: &str| -> Vec<Value> {
        all.as_array()
            .unwrap()
            .iter()
            .filter(|c| c["row"] == json!(row))
            .map(|c| json!([c["col"], c["state"]]))
            .collect()
    };
    let ada_row = of("Ada Lovelace (ada@contoso.com)");
    assert_eq!(ada_row.len(), 6, "{all}");
    assert_eq!(ada_row, of(HELD), "{all}");
    let notes = e.b.text("#bootstrap-panel ul.hint").await;
    assert!(
        notes.contains("Bob (bob@contoso.com)") && notes.contains("36 hours"),
        "{notes}"
    );

    // Opened in the builder, the tenant policy's custom strength is named from the tenant's
    // list beside its id.
    e.b.open_phase("prepare").await;
    click(
        &e.b,
        &format!("button.audit-open[data-policy-id='{policy}']"),
    )
    .await;
    let named =
        e.b.eventually("the strength named in the form", || async {
            let t = e.b.text("#field-authentication-strength-name").await;
            (!t.is_empty()).then_some(t)
        })
        .await;
    assert_eq!(named, "Passkeys in Authenticator");

    // Forgotten with the token: the rows go, and the strength is unknown again.
    disconnect_and_assert_forgotten(&e).await;
    open_grid(&e.b).await;
    e.b.eventually("the rows forgotten", || async {
        let c = cells(&e.b).await;
        let gone = !c
            .as_array()?
            .iter()
            .any(|x| x["row"] == json!("Ada Lovelace (ada@contoso.com)"));
        gone.then_some(())
    })
    .await;
    e.b.close().await;
}
