//! Browser component tests for the bootstrap grid: a draft whose compliant-device policy on All
//! resources blocks registration from an unregistered phone shows the blocked cell labelled in
//! text with the policy named (in its title, and under the table on keyboard focus); Enter or a
//! click opens the journey, whose fix, applied to the draft, turns the cell ready.

use ca_builder::app::draft::{Action, Draft, StepKind};
use ca_builder::policy::import_bytes;
use serde_json::json;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

use crate::support::{click, mount_as_is, set_share_fragment, storage, tick};

const NAME: &str = "All resources: compliant device or passkey";
const PILOT: &str = "5e769024-0f21-4be0-af23-dd6045caa1c9";
const CRED_REG: &str = "6aa00308-ea33-4caa-90d6-ae905d8cb51b";

/// A new draft narrowed to a pilot group, with the compliant-device policy imported.
fn draft() -> Draft {
    let mut d = Draft::new();
    let pilot = d
        .steps
        .iter()
        .position(|s| s.kind == StepKind::Pilot)
        .unwrap();
    d.apply(Action::Select(pilot));
    d.apply(Action::SetPilotGroup(PILOT.into()));
    let p = json!({"displayName": NAME, "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"],
            "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"}}});
    d.apply(Action::Import(
        import_bytes(p.to_string().as_bytes()).unwrap(),
    ));
    d
}

/// The cell of `persona` on `device`, found by the table's headers.
fn cell(root: &Element, persona: &str, device: &str) -> Element {
    let heads = root.query_selector_all("#bootstrap-grid thead th").unwrap();
    let col = (0..heads.length())
        .position(|i| heads.item(i).unwrap().text_content().unwrap() == device)
        .unwrap_or_else(|| panic!("a column {device}"));
    let rows = root.query_selector_all("#bootstrap-grid tbody tr").unwrap();
    let row = (0..rows.length())
        .map(|i| rows.item(i).unwrap().dyn_into::<Element>().unwrap())
        .find(|r| {
            r.query_selector("th")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap()
                == persona
        })
        .unwrap_or_else(|| panic!("a row {persona}"));
    // Column 0 is the row header.
    row.children().item(col as u32).unwrap()
}

fn text(root: &Element, css: &str) -> String {
    root.query_selector(css)
        .unwrap()
        .unwrap_or_else(|| panic!("{css}"))
        .text_content()
        .unwrap()
}

#[wasm_bindgen_test]
async fn the_grid_names_the_blocker_opens_the_journey_and_the_fix_turns_the_cell_ready() {
    storage().clear().unwrap();
    set_share_fragment(&draft().to_json());
    let (root, handle) = mount_as_is().await;
    crate::support::open_phase(&root, "prepare").await;
    click(&root, "#bootstrap-panel > summary").await;
    tick().await;
    assert!(text(&root, "#bootstrap-summary").contains("cells ready"));

    let (persona, device) = ("member, Authenticator push", "unregistered personal iPhone");
    let td = cell(&root, persona, device);
    assert_eq!(td.get_attribute("data-state").as_deref(), Some("blocked"));
    assert_eq!(td.get_attribute("data-blocked-by").as_deref(), Some(NAME));
    let button: HtmlElement = td
        .query_selector("button")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    // Labelled in text, not colour alone; named on hover (title) and for screen readers.
    assert!(button.text_content().unwrap().contains("Blocked"));
    assert!(button.title().contains(NAME), "{}", button.title());
    let label = button.get_attribute("aria-label").unwrap();
    assert!(
        label.contains(persona)
            && label.contains(device)
            && label.contains(&format!("blocked by {NAME}")),
        "{label}"
    );
    let laptop = cell(&root, persona, "Entra-joined compliant laptop");
    assert_eq!(laptop.get_attribute("data-state").as_deref(), Some("ready"));
    assert!(laptop.text_content().unwrap().contains("Ready"));

    // Keyboard focus shows the blocker under the table.
    button.focus().unwrap();
    tick().await;
    let focus = text(&root, "#bootstrap-focus");
    assert!(focus.contains(NAME) && focus.contains(device), "{focus}");
    assert_eq!(
        button.get_attribute("aria-describedby").as_deref(),
        Some("bootstrap-focus")
    );

    // A click (Enter on the focused button clicks it) opens the journey.
    assert!(root.query_selector("#bootstrap-journey").unwrap().is_none());
    button.click();
    tick().await;
    // The cell keeps the keyboard: opening the journey does not re-create the grid.
    assert!(button.is_connected());
    tick().await;
    let steps = root
        .query_selector_all("#bootstrap-journey li[data-step]")
        .unwrap();
    assert_eq!(steps.length(), 3);
    let state = |i: u32| {
        steps
            .item(i)
            .unwrap()
            .dyn_into::<Element>()
            .unwrap()
            .get_attribute("data-state")
            .unwrap()
    };
    assert_eq!(
        (state(0), state(1), state(2)),
        ("blocked".into(), "not-reached".into(), "not-reached".into())
    );
    let first = steps.item(0).unwrap().text_content().unwrap();
    assert!(first.contains(NAME) && first.contains("Fix:"), "{first}");
    assert_eq!(
        button.get_attribute("aria-expanded").as_deref(),
        Some("true")
    );
    // The fix, shown as the change to the draft before it is applied.
    let fix = text(
        &root,
        "#bootstrap-journey .bootstrap-fix[data-fix=\"policy\"]",
    );
    assert!(
        fix.contains("excludeApplications") && fix.contains(CRED_REG),
        "{fix}"
    );

    click(&root, "#bootstrap-journey .bootstrap-apply").await;
    tick().await;
    let td = cell(&root, persona, device);
    assert_eq!(
        td.get_attribute("data-state").as_deref(),
        Some("ready"),
        "{}",
        text(&root, "#bootstrap-journey")
    );
    assert!(td.text_content().unwrap().contains("Ready"));
    assert_eq!(
        root.query_selector("#bootstrap-journey")
            .unwrap()
            .unwrap()
            .get_attribute("data-state")
            .as_deref(),
        Some("ready")
    );
    handle.destroy();
}

/// Switching a report-only policy On is preceded by its proof: the cells it would block, then
/// the switch, after which the grid shows them blocked.
#[wasm_bindgen_test]
async fn switching_a_policy_on_shows_whom_it_would_block_first() {
    let mut d = draft();
    let i = d.steps.len() - 1;
    d.apply(Action::Select(i));
    d.apply(Action::SetState(
        ca_builder::policy::model::PolicyState::EnabledForReportingButNotEnforced,
    ));
    storage().clear().unwrap();
    set_share_fragment(&d.to_json());
    let (root, handle) = mount_as_is().await;
    crate::support::open_phase(&root, "prepare").await;
    click(&root, "#bootstrap-panel > summary").await;
    tick().await;
    let (persona, device) = ("member, Authenticator push", "unregistered personal iPhone");
    assert_eq!(
        cell(&root, persona, device)
            .get_attribute("data-state")
            .as_deref(),
        Some("ready")
    );
    assert!(root
        .query_selector("#bootstrap-switch-on")
        .unwrap()
        .is_none());
    crate::support::set_select(&root, "#bootstrap-switch", &i.to_string()).await;
    tick().await;
    let proof = root
        .query_selector("#bootstrap-switch-proof")
        .unwrap()
        .expect("the proof before the switch");
    let n: usize = proof
        .get_attribute("data-newly-blocked")
        .unwrap()
        .parse()
        .unwrap();
    assert!(n > 0);
    let words = proof.text_content().unwrap();
    assert!(
        words.contains(&format!("{persona}, {device}: blocked by {NAME}")),
        "{words}"
    );
    click(&root, "#bootstrap-switch-on").await;
    tick().await;
    assert_eq!(
        cell(&root, persona, device)
            .get_attribute("data-state")
            .as_deref(),
        Some("blocked")
    );
    // Now On, it is no longer offered, and its proof is gone.
    assert!(root
        .query_selector(&format!("#bootstrap-switch option[value=\"{i}\"]"))
        .unwrap()
        .is_none());
    assert!(root
        .query_selector("#bootstrap-switch-proof")
        .unwrap()
        .is_none());
    handle.destroy();
}
