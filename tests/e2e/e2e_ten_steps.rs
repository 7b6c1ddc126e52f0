//! Issue 14's "fast to finish", offline: from the first screen to a downloaded, correct pilot
//! script (the pilot group named, a member, break-glass declared, passkeys and a Temporary
//! Access Pass enabled for the group, every Conditional Access policy in report-only) in at
//! most 10 interactions. Every click and every field typed goes through [`Admin`], which counts
//! them; the test fails above 10. The script is then read as PowerShell's grammar reads it.

use serde_json::json;

use crate::support::browser::{serve_dist, Browser};

#[path = "../native/support/powershell.rs"]
#[allow(dead_code)]
mod powershell_check;

const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";
const MEMBER: &str = "alice@contoso.com";
const GROUP: &str = "Passkey pilot";
const MOST: usize = 10;

/// The admin at the keyboard: each method is one interaction, counted.
struct Admin<'a> {
    b: &'a Browser,
    done: Vec<String>,
}

impl Admin<'_> {
    async fn click(&mut self, css: &str) {
        crate::support::graph::click(self.b, css).await;
        self.done.push(format!("click {css}"));
    }

    async fn type_in(&mut self, css: &str, text: &str) {
        self.b.set_value(css, text).await;
        self.done.push(format!("type {text:?} into {css}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pilot_script_in_at_most_ten_interactions_offline() {
    let port = serve_dist("/").await;
    let b = Browser::start(&[]).await;
    b.open_app(&format!("http://127.0.0.1:{port}/")).await;
    // The downloads are captured from the Blob they are saved through.
    b.js(
        "window.__saved = []; const make = URL.createObjectURL.bind(URL); \
          URL.createObjectURL = x => { window.__saved.push(x); return make(x); }; return null",
    )
    .await;
    let mut admin = Admin {
        b: &b,
        done: vec![],
    };

    // Prepare (the first screen): the break-glass account.
    admin.type_in("#field-break-glass-users", BREAK_GLASS).await;
    // Pilot: the group to create, a member, then the passkeys tab and its script.
    admin.click("#phase-nav [data-phase=\"pilot\"]").await;
    admin.type_in("#field-new-group-name", GROUP).await;
    admin.type_in("#field-pilot-member", MEMBER).await;
    admin.click("#add-pilot-member").await;
    admin.click("#pilot-passkeys").await;
    b.eventually("the rollout script's download", || async {
        (b.js("return !!document.querySelector('#download-rollout')")
            .await
            == json!(true))
        .then_some(())
    })
    .await;
    admin.click("#download-rollout").await;

    let script = finish(&admin).await;
    check_script(&script, &[BREAK_GLASS, MEMBER]);
    b.close().await;
}

/// The interactions counted (at most [`MOST`]), then the script the last one saved.
async fn finish(admin: &Admin<'_>) -> String {
    assert!(
        admin.done.len() <= MOST,
        "{} interactions, at most {MOST}: {:#?}",
        admin.done.len(),
        admin.done
    );
    let b = admin.b;
    b.eventually("rollout.ps1 saved", || async {
        let text = b
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; \
                     const x = window.__saved[window.__saved.length - 1]; \
                     x ? x.text().then(done) : done(null);",
                vec![],
            )
            .await
            .unwrap();
        text.as_str().map(String::from)
    })
    .await
}

/// The saved script parses as PowerShell and does each thing the pilot needs, `ids` (the
/// break-glass account, the member) among them.
fn check_script(script: &str, ids: &[&str]) {
    let checked = powershell_check::check(
        script,
        &[
            "Import-Module",
            "Connect-MgGraph",
            "Invoke-MgGraphRequest",
            "Write-Output",
            "Write-Warning",
            "Out-Null",
            "ConvertTo-Json",
        ],
        &["[uri]::EscapeDataString"],
    );
    if let Err(v) = &checked {
        // Functions the script defines are commands too; only grammar errors fail here.
        let real: Vec<&String> = v
            .iter()
            .filter(|m| !m.contains("unexpected command"))
            .collect();
        assert!(real.is_empty(), "{real:#?}\n{script}");
    }
    for (what, needle) in [
        (
            "the group found or created by name",
            format!("$groupName = '{GROUP}'"),
        ),
        ("the member added", "/members/$ref".to_string()),
        (
            "passkeys for the group",
            "Passkeys in Microsoft Authenticator".to_string(),
        ),
        ("TAP for the group", "TemporaryAccessPass".to_string()),
        (
            "report-only",
            "enabledForReportingButNotEnforced".to_string(),
        ),
    ] {
        assert!(
            script.contains(&needle),
            "{what}: no {needle:?} in\n{script}"
        );
    }
    // Every policy is created report-only; switching On is the later, separate script.
    let creates: Vec<&str> = script
        .lines()
        .filter(|l| l.starts_with("# Create the policy"))
        .collect();
    assert!(!creates.is_empty(), "{script}");
    for l in creates {
        assert!(l.contains("Report-only"), "{l}");
    }
    for id in ids {
        assert!(script.contains(id), "no {id} in\n{script}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pilot_script_in_at_most_ten_interactions_connected() {
    let e = crate::support::graph::start().await;
    let break_glass = e
        .fake
        .graph
        .add_named_user("breakglass1@contoso.com", "Break Glass 1");
    let alice = e.fake.graph.add_named_user(MEMBER, "Alice Doe");
    e.b.js(
        "window.__saved = []; const make = URL.createObjectURL.bind(URL); \
            URL.createObjectURL = x => { window.__saved.push(x); return make(x); }; return null",
    )
    .await;
    let mut admin = Admin {
        b: &e.b,
        done: vec![],
    };
    // A suggestion is waited for, not counted: the admin sees it appear.
    let suggested = |list: &str, id: &str| format!("#{list}-list li[data-id=\"{id}\"]");
    let wait_for = |css: String| {
        let b = &e.b;
        async move {
            b.eventually(&css, || async {
                let found = b
                    .js(&format!(
                        "return !!document.querySelector({})",
                        serde_json::to_string(&css).unwrap()
                    ))
                    .await;
                (found == json!(true)).then_some(())
            })
            .await
        }
    };

    // Prepare: connect, then the break-glass account by name.
    admin.type_in("#graph-token", &e.token).await;
    admin.click("#graph-connect").await;
    wait_for("#graph-disconnect".into()).await;
    admin
        .type_in("#picker-break-glass-users-input", "break")
        .await;
    let bg = suggested("picker-break-glass-users", &break_glass);
    wait_for(bg.clone()).await;
    admin.click(&bg).await;
    // Pilot: a new group by name, the member by name, the passkeys tab and its script.
    admin.click("#phase-nav [data-phase=\"pilot\"]").await;
    admin.type_in("#field-new-group-name", GROUP).await;
    admin.type_in("#picker-pilot-members-input", "ali").await;
    let member = suggested("picker-pilot-members", &alice);
    wait_for(member.clone()).await;
    admin.click(&member).await;
    admin.click("#pilot-passkeys").await;
    wait_for("#download-rollout".into()).await;
    admin.click("#download-rollout").await;

    let script = finish(&admin).await;
    check_script(&script, &[&break_glass, &alice]);
    e.b.close().await;
}
