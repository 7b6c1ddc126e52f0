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
        let el = self
            .b
            .client
            .find(fantoccini::Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("after {:?}: {css}: {e}", self.done));
        el.click().await.unwrap_or_else(|e| panic!("{css}: {e}"));
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

    assert!(
        admin.done.len() <= MOST,
        "{} interactions, at most {MOST}: {:#?}",
        admin.done.len(),
        admin.done
    );
    let script = b
        .eventually("rollout.ps1 saved", || async {
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
        .await;

    // Correct: it parses as PowerShell, and does each thing the pilot needs.
    let checked = powershell_check::check(
        &script,
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
        ("the member", format!("'{MEMBER}'")),
        ("the member added", "/members/$ref".to_string()),
        (
            "passkeys for the group",
            "Passkeys in Microsoft Authenticator".to_string(),
        ),
        ("TAP for the group", "TemporaryAccessPass".to_string()),
        ("break-glass excluded", BREAK_GLASS.to_string()),
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
    b.close().await;
}
