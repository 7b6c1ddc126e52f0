//! End-to-end: the release build in dist/, served from a sub-path, in headless
//! Chromium via chromedriver. Every corpus rule typed into the editor gets the
//! verdict the corpus expects, and the page loads under its own CSP with no
//! request outside its own origin.

use crate::support::browser;

use browser::{serve_dist, Browser};

fn corpus() -> Vec<(String, String)> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/device-filters.jsonl");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["rule"].as_str().unwrap().to_string(),
                v["expected"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn corpus_rules_get_the_expected_verdict_in_the_browser() {
    let port = serve_dist("/tools/ca-builder/").await;
    let b = Browser::start(&[]).await;
    b.open_app(&format!("http://127.0.0.1:{port}/tools/ca-builder/"))
        .await;
    b.open_phase("everyone").await;

    let mut checked = 0;
    for (rule, expected) in corpus() {
        b.set_value("#device-filter-rule", &rule).await;
        let want = match expected.as_str() {
            "valid" => "true",
            "invalid" => "false",
            // The app's policy for undocumented forms (single quotes) is to reject them;
            // either way the page must still answer.
            _ => "",
        };
        let got = b
            .eventually("the editor to validate the rule", || async {
                let shown = b
                    .js("return document.querySelector('#device-filter-rule').value")
                    .await;
                if shown.as_str() != Some(rule.as_str()) {
                    return None;
                }
                b.attr("#device-filter-diagnostics", "data-valid").await
            })
            .await;
        if !want.is_empty() {
            assert_eq!(got, want, "rule {rule:?} (expected {expected})");
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} corpus rules were checked");

    // Nothing but the page's own origin was fetched (no CDN, font or telemetry).
    let hosts = b
        .js("return performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
        .await;
    for h in hosts.as_array().unwrap() {
        assert_eq!(
            h.as_str().unwrap(),
            format!("127.0.0.1:{port}"),
            "unexpected request to {h}"
        );
    }
    // The CSP in index.html allowed everything the app needed.
    let violations = b.js("return window.__cspViolations || []").await;
    assert_eq!(
        violations,
        serde_json::json!([]),
        "CSP violations: {violations}"
    );
    b.screenshot("filter-editor").await;
    b.close().await;
}
