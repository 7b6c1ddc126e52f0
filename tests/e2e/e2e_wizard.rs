//! End-to-end: the wizard in headless Chromium against the release build.
//! Every phase filled in the browser exports exactly what `ca-policy` prints
//! for the same inputs; a fix-it repairs a pasted rule; the draft survives a
//! reload; an imported corpus policy exports unchanged.

use crate::support::browser;

use browser::{serve_dist, Browser};
use fantoccini::Locator;
use std::path::{Path, PathBuf};
use std::process::Command;

const BG_USER: &str = "11111111-2222-3333-4444-555555555555";
const BG_GROUP: &str = "66666666-7777-8888-9999-000000000000";
const PILOT: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

fn cli(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ca-policy"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ca-policy {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Script output may start with a UTF-8 BOM for files; the page shows the text itself.
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_start_matches('\u{feff}')
        .to_string()
}

fn tmp_file(name: &str, content: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("ca-e2e-wizard-{}-{name}", std::process::id()));
    std::fs::write(&p, content).unwrap();
    p
}

async fn value(b: &Browser, css: &str) -> String {
    let script = format!(
        "return document.querySelector({}).value",
        serde_json::to_string(css).unwrap()
    );
    b.js(&script).await.as_str().unwrap_or_default().to_string()
}

async fn select(b: &Browser, css: &str, v: &str) {
    let script = format!(
        "const el = document.querySelector({}); el.value = {}; el.dispatchEvent(new Event('change', {{bubbles: true}}));",
        serde_json::to_string(css).unwrap(),
        serde_json::to_string(v).unwrap()
    );
    b.js(&script).await;
}

async fn click(b: &Browser, css: &str) {
    b.client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Waits until the page shows `css`'s value equal to `want`, then returns it (or the last value).
async fn settle(b: &Browser, css: &str, want: &str) -> String {
    for _ in 0..60 {
        let v = value(b, css).await;
        if v == want {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    value(b, css).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_phase_exports_what_the_cli_prints_for_the_same_inputs() {
    let port = serve_dist("/").await;
    let b = Browser::start(&[]).await;
    b.open_app(&format!("http://127.0.0.1:{port}/")).await;

    // Break-glass accounts are declared once, for every step.
    b.set_value("#field-break-glass-users", BG_USER).await;
    b.set_value("#field-break-glass-groups", BG_GROUP).await;

    let phases: [(usize, &str, &str); 5] = [
        (
            0,
            "mfa-compensating",
            "CA01 - Always require MFA (compensating)",
        ),
        (1, "pilot", "CA02 - Pilot: require MFA ‘passkey’ \"wave 1\""),
        (2, "hardening", "CA03 - MFA unless compliant or hybrid"),
        (
            3,
            "protect-registration",
            "CA04 - Register security info: MFA",
        ),
        (
            4,
            "user-risk",
            "CA05 - High user risk: MFA + password change",
        ),
    ];
    for (i, name, display) in phases {
        b.open_step(i).await;
        b.set_value("#field-display-name", display).await;
        if name == "pilot" {
            b.set_value("#field-pilot-group", PILOT).await;
        }
        if name == "user-risk" {
            select(&b, "#field-state", "disabled").await;
        }
        let mut args = vec![
            "template",
            name,
            "--display-name",
            display,
            "--exclude-user",
            BG_USER,
            "--exclude-group",
            BG_GROUP,
        ];
        if name == "pilot" {
            args.extend(["--pilot-group", PILOT]);
        }
        if name == "user-risk" {
            args.extend(["--state", "disabled"]);
        }
        let body = cli(&args);
        let file = tmp_file(&format!("{name}.json"), &body);
        let f = file.to_str().unwrap();
        for (format, css) in [
            ("json", "#export-json"),
            ("powershell", "#export-powershell"),
            ("powershell-invoke", "#export-powershell-invoke"),
        ] {
            let want = cli(&["export", "--format", format, f]);
            let got = settle(&b, css, &want).await;
            assert_eq!(
                got, want,
                "phase {name}, {format}: the page's export differs from ca-policy's"
            );
        }
        b.screenshot(&format!("step-{i}-{name}")).await;
        let _ = std::fs::remove_file(file);
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fix_it_repairs_a_pasted_rule_and_the_draft_survives_a_reload() {
    let port = serve_dist("/sub/path/").await;
    let b = Browser::start(&[]).await;
    let url = format!("http://127.0.0.1:{port}/sub/path/");
    b.open_app(&url).await;
    b.open_phase("everyone").await;

    // The seed article's rule, pasted with typographic quotes and a lowercase boolean.
    b.set_value(
        "#device-filter-rule",
        "device.isCompliant -eq true -or device.trustType -eq “ServerAD”",
    )
    .await;
    b.eventually("the rule to be invalid", || async {
        (b.attr("#device-filter-diagnostics", "data-valid")
            .await
            .as_deref()
            == Some("false"))
        .then_some(())
    })
    .await;
    let codes = b.js("return [...document.querySelectorAll('#device-filter-diagnostics li')].map(li => li.dataset.code)").await;
    assert!(!codes.as_array().unwrap().is_empty());
    for _ in 0..6 {
        let fix = b
            .client
            .find_all(Locator::Css("#device-filter-diagnostics li button.fix"))
            .await
            .unwrap();
        let Some(first) = fix.into_iter().next() else {
            break;
        };
        first.click().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        b.attr("#device-filter-diagnostics", "data-valid")
            .await
            .as_deref(),
        Some("true")
    );
    let fixed = value(&b, "#device-filter-rule").await;
    assert!(!fixed.contains('“') && !fixed.contains('”'), "{fixed}");
    // The export carries the fixed rule.
    assert!(value(&b, "#export-json")
        .await
        .contains(&serde_json::to_string(&fixed).unwrap()));

    b.set_value("#field-display-name", "Kept across reloads")
        .await;
    b.client.refresh().await.unwrap();
    b.wait_app().await;
    assert_eq!(
        settle(&b, "#field-display-name", "Kept across reloads").await,
        "Kept across reloads"
    );
    assert_eq!(value(&b, "#device-filter-rule").await, fixed);

    // A corrupt saved draft is reported and set aside, not a crash.
    b.js("localStorage.setItem('ca-builder.draft', '{\"version\":1,\"steps\":[oops')")
        .await;
    b.client.refresh().await.unwrap();
    b.wait_app().await;
    let notice = b
        .eventually("the notice about the corrupt draft", || async {
            b.client
                .find(Locator::Css("#notice"))
                .await
                .ok()?
                .text()
                .await
                .ok()
        })
        .await;
    assert!(
        notice.contains("could not be opened") && notice.contains("set aside"),
        "{notice}"
    );
    let kept = b.js("return Object.keys(localStorage).filter(k => k.startsWith('ca-builder.draft.set-aside.')).map(k => localStorage.getItem(k))").await;
    assert_eq!(kept, serde_json::json!(["{\"version\":1,\"steps\":[oops"]));
    b.close().await;
}

fn corpus(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/policies")
        .join(rel)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn imported_corpus_policies_export_unchanged() {
    let port = serve_dist("/").await;
    let b = Browser::start(&[]).await;
    b.open_app(&format!("http://127.0.0.1:{port}/")).await;
    // The import panel is a closed <details> at first.
    click(&b, ".import-panel summary").await;
    let pasted = [
        "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/201 - RING - Base protection - Register security information Require MFA or trusted device or trusted location For internal users.json",
        "denis-beuermann__ConditionalAccess/samples/graphapi/json/template-require-mfa-security-info-registration.json",
        "AlexFilipin__ConditionalAccess/PolicyRepository/Data protection/500 - RING - Data protection - All apps No persistent browser session When on untrusted device.json",
    ];
    for rel in pasted {
        let path = corpus(rel).canonicalize().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        b.set_value("#import-text", text.trim_start_matches('\u{feff}'))
            .await;
        click(&b, "#import-apply").await;
        let want = cli(&["export", "--format", "json", path.to_str().unwrap()]);
        assert_eq!(settle(&b, "#export-json", &want).await, want, "{rel}");
    }
    // A UTF-16LE file with BOM, uploaded as a file (the import panel is a closed <details>).
    let utf16 = corpus("j0eyv__ConditionalAccessBaseline/Config/ConditionalAccess/CA005-Global-DataProtection-Office365-iOSenAndroid-ClientApps-Unmanaged-AppEnforcedRestrictions.json").canonicalize().unwrap();
    b.client
        .find(Locator::Css("#import-file"))
        .await
        .unwrap()
        .send_keys(utf16.to_str().unwrap())
        .await
        .unwrap();
    let want = cli(&["export", "--format", "json", utf16.to_str().unwrap()]);
    assert_eq!(
        settle(&b, "#export-json", &want).await,
        want,
        "UTF-16 upload"
    );

    // Broken JSON: line and column, and the draft is untouched.
    let before = value(&b, "#export-json").await;
    b.set_value("#import-text", "{\n  \"displayName\": \"x\",\n  oops\n}")
        .await;
    click(&b, "#import-apply").await;
    let msg = b
        .eventually("an import error", || async {
            let t = b.text("#import-message").await;
            (!t.is_empty()).then_some(t)
        })
        .await;
    assert!(msg.contains("line 3, column 3"), "{msg}");
    assert_eq!(value(&b, "#export-json").await, before);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_link_carries_the_draft_in_its_fragment_and_the_page_fits_a_phone() {
    let port = serve_dist("/tools/").await;
    let b = Browser::start_phone(390).await;
    let url = format!("http://127.0.0.1:{port}/tools/");
    b.open_app(&url).await;
    b.open_phase("everyone").await;
    b.set_value("#field-display-name", "Shared ‘draft’ #1 & more")
        .await;
    click(&b, "#share").await;
    let link = b
        .eventually("the share link", || async {
            let v = value(&b, "#share-link").await;
            (!v.is_empty()).then_some(v)
        })
        .await;
    assert!(link.starts_with(&format!("{url}#draft=")), "{link}");
    // At phone width nothing is wider than the screen (long ids and Graph paths wrap).
    let widths = b
        .js("return [window.innerWidth, document.documentElement.scrollWidth]")
        .await;
    assert_eq!(
        widths[0], 390,
        "the phone viewport is 390 CSS pixels: {widths}"
    );
    assert!(
        widths[1].as_f64() <= widths[0].as_f64(),
        "horizontal overflow at phone width: {widths}"
    );
    b.screenshot("phone-width").await;
    b.close().await;

    // A fresh browser (empty storage) opens the link and finds the draft; the fragment is
    // removed from the address bar once read.
    let b = Browser::start(&[]).await;
    b.open_app(&link).await;
    assert_eq!(
        settle(&b, "#field-display-name", "Shared ‘draft’ #1 & more").await,
        "Shared ‘draft’ #1 & more"
    );
    let href = b.js("return location.href").await;
    assert_eq!(href.as_str().unwrap(), url);
    b.close().await;
}

/// Tab until the element with `id` has focus (at most `limit` presses); the page is usable
/// without a mouse only if every control is reachable this way.
async fn tab_to(b: &Browser, id: &str, limit: usize) {
    for _ in 0..limit {
        let focused = b
            .js("return document.activeElement && document.activeElement.id")
            .await;
        if focused.as_str() == Some(id) {
            return;
        }
        b.client
            .active_element()
            .await
            .unwrap()
            .send_keys("\u{E004}")
            .await
            .unwrap();
    }
    panic!("#{id} was not reached with Tab");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wizard_is_usable_with_the_keyboard_alone() {
    let port = serve_dist("/").await;
    let b = Browser::start(&[]).await;
    b.open_app(&format!("http://127.0.0.1:{port}/")).await;
    b.js("document.getElementById('phase-prepare').focus()")
        .await;
    // Phase buttons: Tab to the pilot phase and open it (and its first step) with Enter.
    tab_to(&b, "phase-pilot", 3).await;
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    b.eventually("the pilot step to open", || async {
        (b.attr("#step-1", "aria-current").await.as_deref() == Some("step")).then_some(())
    })
    .await;
    // A text field, typed into with keys.
    tab_to(&b, "field-display-name", 10).await;
    let el = b.client.active_element().await.unwrap();
    el.send_keys(" (keyboard)").await.unwrap();
    let name = value(&b, "#field-display-name").await;
    assert!(name.ends_with(" (keyboard)"), "{name}");
    // The pilot step has no pilot group yet, so the export lists what Graph would refuse
    // instead of a script; the typed name reaches the draft the export is made from.
    assert_eq!(
        b.attr("[data-runnable]", "data-runnable").await.as_deref(),
        Some("false")
    );
    assert!(b
        .js("return document.querySelector('#export-errors-json').textContent")
        .await
        .as_str()
        .is_some_and(|t| t.contains("no-users-included")));
    // The rule editor, then a fix-it button, reached and pressed from the keyboard.
    tab_to(&b, "device-filter-rule", 20).await;
    let rule = b.client.active_element().await.unwrap();
    rule.send_keys(" -or device.trustType -eq \"azuread\"")
        .await
        .unwrap();
    b.eventually("a case fix-it", || async {
        b.client
            .find(Locator::Css("#device-filter-diagnostics li button.fix"))
            .await
            .ok()
            .map(|_| ())
    })
    .await;
    b.js("document.getElementById('device-filter-rule').focus()")
        .await;
    for _ in 0..12 {
        let is_fix = b.js("return !!(document.activeElement && document.activeElement.classList.contains('fix'))").await;
        if is_fix.as_bool() == Some(true) {
            break;
        }
        b.client
            .active_element()
            .await
            .unwrap()
            .send_keys("\u{E004}")
            .await
            .unwrap();
    }
    b.client
        .active_element()
        .await
        .unwrap()
        .send_keys("\u{E007}")
        .await
        .unwrap();
    let fixed = b
        .eventually("the fix to apply", || async {
            let v = value(&b, "#device-filter-rule").await;
            v.contains("\"AzureAD\"").then_some(v)
        })
        .await;
    assert!(
        fixed.ends_with(r#"-or device.trustType -eq "AzureAD""#),
        "{fixed}"
    );
    b.close().await;
}
