//! Names beside ids in the tenant audit (issue 14), against the fake Graph: a tenant policy on
//! All users that excludes no declared break-glass account is listed with the finding naming
//! the account, and an id nothing names says it has not been looked up yet (the admin is
//! connected, so "connect to look it up" would be wrong).

use crate::support::graph::{click, connect, start};
use serde_json::json;

const BG_USER: &str = "11111111-2222-3333-4444-555555555556";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_shows_the_break_glass_account_it_names_beside_what_is_known_of_it() {
    let e = start().await;
    let id = e.fake.graph.add_policy(json!({
        "displayName": "Tenant MFA", "state": "enabled",
        "conditions": {"clientAppTypes": ["all"], "applications": {"includeApplications": ["All"]},
            "users": {"includeUsers": ["All"], "excludeUsers": []}},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}));
    // The Prepare phase holds the break-glass accounts and the audit, when the page is in
    // phases (a page without phases shows them all).
    e.b.js("const b = document.querySelector('#phase-nav [data-phase=\"prepare\"]'); if (b) b.click(); return null")
        .await;
    connect(&e).await;
    e.b.set_value("#field-break-glass-users", BG_USER).await;
    click(&e.b, "#audit-load").await;
    let css = format!(
        "#audit-table tr[data-policy-id=\"{id}\"] li[data-code=\"no-break-glass-exclusion\"]"
    );
    let text =
        e.b.eventually("the audit's finding", || async {
            let v =
                e.b.js(&format!(
                    "const li = document.querySelector('{css}'); return li ? li.textContent : null"
                ))
                .await;
            v.as_str().map(str::to_string)
        })
        .await;
    assert!(
        text.contains(&format!("{BG_USER} (not looked up yet)")),
        "{text}"
    );
    assert!(!text.contains("connect to look it up"), "{text}");
    e.b.close().await;
}
