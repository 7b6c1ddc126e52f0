//! End-to-end: the rollout's phases as screens. `#phase-nav` has one button per phase, the
//! open one (and only it) `aria-current="step"`; each phase renders its own panels and none of
//! the others'; at 1440×900 no phase's screen (the pilot's passkey view included) is taller
//! than 2.5 viewport heights; the rollout bar lists every policy step in rollout order with its
//! state and follows a state change. A screenshot of each whole screen (connected to the fake
//! Graph, the window made as tall as the page) goes to docs/screenshots/<phase>.png (and the
//! pilot's passkey view to pilot-passkeys.png), which the README shows.

use crate::support::browser::{serve_dist, Browser};
use crate::support::graph::{self, click};
use fake_graph::{serve_https, FakeGraph};
use fantoccini::Locator;
use serde_json::{json, Value};
use std::path::Path;

const PHASES: [&str; 5] = ["prepare", "pilot", "everyone", "harden", "watch"];
const WIDTH: u32 = 1440;
const HEIGHT: u32 = 900;

/// Each screen: a phase, or the pilot's passkey view (its tab after the pilot's steps).
const SCREENS: [(&str, &str); 6] = [
    ("prepare", "prepare"),
    ("pilot", "pilot"),
    ("pilot-passkeys", "pilot"),
    ("everyone", "everyone"),
    ("harden", "harden"),
    ("watch", "watch"),
];

/// Each panel's selector, and the screens that show it.
const PANELS: [(&str, &[&str]); 14] = [
    ("#prepare-break-glass", &["prepare"]),
    (".import-panel", &["prepare"]),
    ("#bootstrap-panel", &["prepare"]),
    ("#graph-audit-section", &["prepare"]),
    ("#step-title", &["pilot", "everyone", "harden"]),
    ("#passkey-panel", &["pilot-passkeys"]),
    ("#whatif-panel", &["pilot", "everyone", "harden"]),
    (
        ".export-panel",
        &["pilot", "pilot-passkeys", "everyone", "harden"],
    ),
    (
        ".lint-panel",
        &["pilot", "pilot-passkeys", "everyone", "harden"],
    ),
    (
        "#graph-deploy-section",
        &["pilot", "pilot-passkeys", "everyone", "harden"],
    ),
    ("#graph-monitor-section", &["watch"]),
    (
        "#graph-panel",
        &[
            "prepare",
            "pilot",
            "pilot-passkeys",
            "everyone",
            "harden",
            "watch",
        ],
    ),
    (
        "#rollout-bar",
        &[
            "prepare",
            "pilot",
            "pilot-passkeys",
            "everyone",
            "harden",
            "watch",
        ],
    ),
    (
        "#report-panel",
        &["pilot", "pilot-passkeys", "everyone", "harden", "watch"],
    ),
];

/// The step tabs each phase shows (the draft's indices: see support::browser::phase_of_step).
fn tabs(phase: &str) -> Value {
    match phase {
        "pilot" => json!(["step-1", "step-3", "pilot-passkeys"]),
        "everyone" => json!(["step-0"]),
        "harden" => json!(["step-2", "step-4"]),
        _ => json!([]),
    }
}

/// (data-phase, aria-current) of every button in `#phase-nav`.
async fn nav(b: &Browser) -> Value {
    b.js("return [...document.querySelectorAll('#phase-nav button')].map(x => [x.dataset.phase, x.getAttribute('aria-current')])")
        .await
}

fn nav_with_open(open: &str) -> Value {
    Value::Array(
        PHASES
            .iter()
            .map(|p| {
                json!([
                    p,
                    if *p == open {
                        json!("step")
                    } else {
                        Value::Null
                    }
                ])
            })
            .collect(),
    )
}

/// (data-policy-step, data-state) of every entry of the rollout bar.
async fn bar(b: &Browser) -> Value {
    b.js("return [...document.querySelectorAll('#rollout-bar [data-policy-step]')].map(x => [x.dataset.policyStep, x.dataset.state])")
        .await
}

async fn bar_state(b: &Browser, kind: &str) -> String {
    b.js(&format!(
        "return document.querySelector('#rollout-bar [data-policy-step=\"{kind}\"]').dataset.state"
    ))
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

fn window_args() -> Vec<String> {
    vec![format!("--window-size={WIDTH},{HEIGHT}")]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_phase_is_its_own_screen_of_at_most_two_and_a_half_viewports() {
    let fake = serve_https(FakeGraph::new()).await;
    let web = serve_dist("/").await;
    let mut args = window_args();
    args.push(format!(
        "--host-resolver-rules=MAP graph.microsoft.com 127.0.0.1:{}",
        fake.port
    ));
    args.push("--ignore-certificate-errors".into());
    let b = Browser::start(&args).await;
    b.client.set_window_size(WIDTH, HEIGHT).await.unwrap();
    b.open_app(&format!("http://127.0.0.1:{web}/")).await;
    assert_eq!(
        nav(&b).await,
        nav_with_open("prepare"),
        "a new draft opens on Prepare"
    );
    let exp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 3600;
    graph::connect_with(&b, &fake_graph::graph_token(exp, graph::SCOPES)).await;
    // Prepare first, as the rollout bar asks: the break-glass account every step excludes (each
    // step's form then folds its break-glass section to one line).
    b.set_value(
        "#field-break-glass-users",
        "11111111-2222-3333-4444-555555555555",
    )
    .await;

    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut heights = vec![];
    for (screen, phase) in SCREENS {
        b.open_phase(phase).await;
        if screen == "pilot-passkeys" {
            click(&b, "#pilot-passkeys").await;
            b.eventually("the passkey view", || async {
                (b.attr("#pilot-passkeys", "aria-current").await.as_deref() == Some("step"))
                    .then_some(())
            })
            .await;
            assert_eq!(b.attr("#step-1", "aria-current").await, None);
        }
        assert_eq!(
            nav(&b).await,
            nav_with_open(phase),
            "aria-current on {phase} only"
        );
        assert_eq!(
            b.attr("main.layout", "data-phase").await.as_deref(),
            Some(phase)
        );
        for (css, shown_in) in PANELS {
            let n = b
                .js(&format!(
                    "return document.querySelectorAll({}).length",
                    serde_json::to_string(css).unwrap()
                ))
                .await;
            let want = u64::from(shown_in.contains(&screen));
            assert_eq!(n, json!(want), "{css} on the {screen} screen");
        }
        let shown_tabs = b
            .js("return [...document.querySelectorAll('nav.steps .step-tab')].map(t => t.id)")
            .await;
        assert_eq!(shown_tabs, tabs(phase), "{phase}'s step tabs");
        let (inner, height, inner_height) = {
            let v = b
                .js("return [window.innerWidth, document.documentElement.scrollHeight, window.innerHeight]")
                .await;
            (
                v[0].as_u64().unwrap(),
                v[1].as_u64().unwrap(),
                v[2].as_u64().unwrap(),
            )
        };
        assert_eq!(inner, u64::from(WIDTH), "the viewport is {WIDTH} wide");
        heights.push((screen, height));
        if height > u64::from(HEIGHT) * 5 / 2 {
            let parts = b
                .js("return [...document.querySelectorAll('.main-col > *, .step-form > *, .step-form fieldset > *, #passkey-panel > *, #passkey-panel > * > *')].filter(e => e.offsetHeight > 150).map(e => `${e.tagName}#${e.id}.${e.className}: ${e.offsetHeight}`)")
                .await;
            eprintln!("{screen}'s tallest parts: {parts}");
        }
        // The whole screen in one picture: the window as tall as the page (measured above, at
        // 900), its frame (outer minus inner height) added, then back to 1440×900.
        let frame = u64::from(HEIGHT).saturating_sub(inner_height);
        let tall = u32::try_from(height + frame).unwrap();
        b.client.set_window_size(WIDTH, tall).await.unwrap();
        b.eventually("the window as tall as the page", || async {
            let v = b.js("return window.innerHeight").await;
            (v.as_u64().unwrap() >= height).then_some(())
        })
        .await;
        let png = b.client.screenshot().await.unwrap();
        std::fs::write(shots.join(format!("{screen}.png")), png).unwrap();
        b.client.set_window_size(WIDTH, HEIGHT).await.unwrap();
        b.eventually("the window back at 900", || async {
            let v = b.js("return window.innerHeight").await;
            (v.as_u64() == Some(inner_height)).then_some(())
        })
        .await;
    }
    eprintln!("document heights at {WIDTH}x{HEIGHT}: {heights:?}");
    for (screen, h) in &heights {
        assert!(
            *h <= u64::from(HEIGHT) * 5 / 2,
            "the {screen} screen is {h} px tall, more than 2.5 × {HEIGHT}: {heights:?}"
        );
    }
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rollout_bar_shows_each_policy_state_and_opens_its_step() {
    let web = serve_dist("/").await;
    let b = Browser::start(&window_args()).await;
    b.open_app(&format!("http://127.0.0.1:{web}/")).await;
    assert_eq!(
        bar(&b).await,
        json!([
            ["pilot", "draft"],
            ["protect-registration", "draft"],
            ["mfa-compensating", "draft"],
            ["hardening", "draft"],
            ["user-risk", "draft"]
        ]),
        "one entry per template step, in rollout order, none in the tenant yet"
    );
    // The state is in words (and in each button's accessible name), not colour only.
    let words = b
        .js("return [...document.querySelectorAll('#rollout-bar .bar-button')].map(x => [x.textContent, x.getAttribute('aria-label')])")
        .await;
    for w in words.as_array().unwrap() {
        assert!(w[0].as_str().unwrap().ends_with("Draft"), "{w}");
        assert!(
            w[1].as_str()
                .unwrap()
                .contains(": Draft, not in the tenant yet"),
            "{w}"
        );
    }
    assert!(
        b.text("#rollout-next")
            .await
            .starts_with("Next: declare the break-glass accounts"),
        "{}",
        b.text("#rollout-next").await
    );

    // A click on an entry opens its phase and its step.
    click(&b, "#rollout-bar [data-policy-step=\"hardening\"] button").await;
    assert_eq!(nav(&b).await, nav_with_open("harden"));
    assert_eq!(
        b.attr("#step-2", "aria-current").await.as_deref(),
        Some("step")
    );
    click(&b, "#rollout-bar [data-policy-step=\"pilot\"] button").await;
    assert_eq!(nav(&b).await, nav_with_open("pilot"));
    assert_eq!(
        b.attr("#step-1", "aria-current").await.as_deref(),
        Some("step")
    );
    assert_eq!(
        b.attr(
            "#rollout-bar [data-policy-step=\"pilot\"] button",
            "aria-current"
        )
        .await
        .as_deref(),
        Some("step")
    );

    // Switching the state of a step that is not in the tenant leaves it a draft…
    b.set_value("#field-state", "enabled").await;
    b.eventually("the bar's words for a draft created On", || async {
        let l = b
            .attr(
                "#rollout-bar [data-policy-step=\"pilot\"] button",
                "aria-label",
            )
            .await
            .unwrap_or_default();
        l.contains("will be created On").then_some(())
    })
    .await;
    assert_eq!(bar_state(&b, "pilot").await, "draft");
    // …once it names its policy in the tenant, the bar follows its state.
    b.set_value(
        "#field-update-policy-id",
        "0d6f5b1e-6a39-4c33-9d77-2a1b7c3e4f50",
    )
    .await;
    b.eventually("pilot on", || async {
        (bar_state(&b, "pilot").await == "on").then_some(())
    })
    .await;
    b.set_value("#field-state", "enabledForReportingButNotEnforced")
        .await;
    b.eventually("pilot report-only", || async {
        (bar_state(&b, "pilot").await == "report-only").then_some(())
    })
    .await;
    assert_eq!(
        b.text("#rollout-bar [data-policy-step=\"pilot\"] .bar-state")
            .await,
        "Report-only"
    );
    assert_eq!(
        bar(&b).await,
        json!([
            ["pilot", "report-only"],
            ["protect-registration", "draft"],
            ["mfa-compensating", "draft"],
            ["hardening", "draft"],
            ["user-risk", "draft"]
        ])
    );

    // The phase buttons are real buttons: the keyboard opens a phase.
    let everyone = b
        .client
        .find(Locator::Css("#phase-nav [data-phase=\"everyone\"]"))
        .await
        .unwrap();
    everyone.send_keys("\u{e007}").await.unwrap();
    b.eventually("Everyone opened by Enter", || async {
        (nav(&b).await == nav_with_open("everyone")).then_some(())
    })
    .await;
    assert_eq!(
        b.attr("#step-0", "aria-current").await.as_deref(),
        Some("step")
    );

    // A reload opens the phase of the step it was left on.
    b.client.refresh().await.unwrap();
    b.wait_app().await;
    assert_eq!(nav(&b).await, nav_with_open("everyone"));
    assert_eq!(bar_state(&b, "pilot").await, "report-only");
    b.close().await;
}
