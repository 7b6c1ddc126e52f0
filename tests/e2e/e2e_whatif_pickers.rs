//! What-If's persona picked by name from the tenant (issue 14), against the fake Graph: the
//! user and a group are found by name as the admin types (`$search` with
//! `ConsistencyLevel: eventual`), and so are the application (a service principal, chosen by
//! its appId) and a named location; each choice shows its name beside its id, and the What-If
//! result follows the user chosen.

use crate::support::graph::{click, connect, start};
use serde_json::json;

const TEAMS: &str = "1fec8e78-bce4-4aaf-ab1b-5451cc387264";

/// The text of the first element at `css` once there is one.
async fn text_when_there(b: &crate::support::browser::Browser, css: &str) -> String {
    let script = format!(
        "const el = document.querySelector({}); return el ? el.textContent : null",
        serde_json::to_string(css).unwrap()
    );
    b.eventually(css, || async {
        b.js(&script).await.as_str().map(str::to_string)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_what_if_persona_is_picked_by_name_from_the_tenant_and_the_result_follows() {
    let e = start().await;
    let alice = e
        .fake
        .graph
        .add_named_user("alice@contoso.com", "Alice Doe");
    e.fake.graph.add_named_user("bob@contoso.com", "Bob Alison");
    let pilot = e.fake.graph.add_group("Passkey pilot", true);
    e.fake.graph.add_service_principal(TEAMS, "Microsoft Teams");
    let office = e.fake.graph.add_named_location("Head office");
    // A policy that blocks Alice alone, imported into the draft.
    let policy = json!({
        "displayName": "Block Alice", "state": "enabled",
        "conditions": {"users": {"includeUsers": [alice]}, "clientAppTypes": ["all"],
            "applications": {"includeApplications": ["All"]}},
        "grantControls": {"operator": "OR", "builtInControls": ["block"]}});
    // The import panel is a closed <details> at first.
    click(&e.b, ".import-panel summary").await;
    e.b.set_value("#import-text", &policy.to_string()).await;
    click(&e.b, "#import-apply").await;
    connect(&e).await;
    // The What-If is on the step phases (a page without phases shows it at once).
    e.b.js("const b = document.querySelector('#phase-nav [data-phase=\"pilot\"]'); if (b) b.click(); return null")
        .await;
    e.b.js("document.getElementById('whatif-panel').open = true; return null")
        .await;
    e.b.set_value("#whatif-resource", "app").await;
    let outcome = || async {
        e.b.attr("#whatif-result", "data-outcome")
            .await
            .unwrap_or_default()
    };
    assert_ne!(
        outcome().await,
        "blocked",
        "the default persona is not Alice"
    );

    assert_eq!(
        e.b.attr("#whatif-user-input", "data-picker")
            .await
            .as_deref(),
        Some("user")
    );
    e.b.set_value("#whatif-user-input", "ali").await;
    let option = format!("#whatif-user-list li[data-id=\"{alice}\"]");
    let suggested = text_when_there(&e.b, &option).await;
    assert!(suggested.contains("Alice Doe"), "{suggested}");
    let searched = e
        .fake
        .graph
        .requests()
        .into_iter()
        .find(|r| r.method == "GET" && r.target.starts_with("/v1.0/users?$search="))
        .expect("the user was searched in the tenant");
    assert_eq!(searched.header("consistencylevel"), Some("eventual"));
    click(&e.b, &option).await;
    let chip = text_when_there(&e.b, &format!("#whatif-user li.chip[data-id=\"{alice}\"]")).await;
    assert!(chip.contains(&format!("Alice Doe ({alice})")), "{chip}");
    e.b.eventually("the block on Alice to apply", || async {
        (outcome().await == "blocked").then_some(())
    })
    .await;

    e.b.set_value("#whatif-groups-input", "passkey").await;
    let option = format!("#whatif-groups-list li[data-id=\"{pilot}\"]");
    assert!(text_when_there(&e.b, &option)
        .await
        .contains("Passkey pilot"));
    click(&e.b, &option).await;
    let chip = text_when_there(
        &e.b,
        &format!("#whatif-groups li.chip[data-id=\"{pilot}\"]"),
    )
    .await;
    assert!(chip.contains(&format!("Passkey pilot ({pilot})")), "{chip}");

    // The application: one, so the default (Exchange Online) is replaced.
    e.b.set_value("#whatif-app-input", "teams").await;
    let option = format!("#whatif-app-list li[data-id=\"{TEAMS}\"]");
    assert!(text_when_there(&e.b, &option)
        .await
        .contains("Microsoft Teams"));
    click(&e.b, &option).await;
    let chip = text_when_there(&e.b, &format!("#whatif-app li.chip[data-id=\"{TEAMS}\"]")).await;
    assert!(
        chip.contains(&format!("Microsoft Teams ({TEAMS})")),
        "{chip}"
    );
    let chips =
        e.b.js("return document.querySelectorAll('#whatif-app li.chip').length")
            .await;
    assert_eq!(chips, json!(1));
    assert!(text_when_there(&e.b, "#whatif-request")
        .await
        .contains(TEAMS));

    // A named location, listed from the tenant and filtered by the text.
    e.b.set_value("#whatif-location", "trusted").await;
    e.b.set_value("#whatif-named-locations-input", "head").await;
    let option = format!("#whatif-named-locations-list li[data-id=\"{office}\"]");
    assert!(text_when_there(&e.b, &option).await.contains("Head office"));
    click(&e.b, &option).await;
    let chip = text_when_there(
        &e.b,
        &format!("#whatif-named-locations li.chip[data-id=\"{office}\"]"),
    )
    .await;
    assert!(chip.contains(&format!("Head office ({office})")), "{chip}");
    e.b.close().await;
}
