//! Browser component tests for the export panel's runnable decision: a pilot step with no
//! group gets its errors where the script would be, `data-runnable="false"` and nothing to copy
//! or download; given the group, a runnable script with its warnings beside it.

use ca_builder::app::draft::{Action, Draft, StepKind};
use ca_builder::policy::model::PolicyState;
use wasm_bindgen_test::*;
use web_sys::Element;

use crate::support::{mount_as_is, set_share_fragment, storage, tick, value_of};

const PILOT: &str = "5e769024-0f21-4be0-af23-dd6045caa1c9";
const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";

/// The default draft with break-glass declared and the pilot step open; with `group`, the
/// pilot is narrowed to it and switched On (which the lint warns about).
fn pilot_draft(group: Option<&str>) -> Draft {
    let mut d = Draft::new();
    d.apply(Action::SetBreakGlassUsers(vec![BREAK_GLASS.into()]));
    let i = d
        .steps
        .iter()
        .position(|s| s.kind == StepKind::Pilot)
        .unwrap();
    d.apply(Action::Select(i));
    if let Some(g) = group {
        d.apply(Action::SetPilotGroup(g.into()));
        d.apply(Action::SetState(PolicyState::Enabled));
    }
    d
}

async fn open(d: &Draft) -> (Element, yew::AppHandle<ca_builder::ui::App>) {
    storage().clear().unwrap();
    set_share_fragment(&d.to_json());
    let (root, handle) = mount_as_is().await;
    tick().await;
    (root, handle)
}

fn panel(root: &Element) -> Element {
    root.query_selector("section.export-panel")
        .unwrap()
        .expect("the export panel is rendered")
}

fn count(root: &Element, css: &str) -> u32 {
    root.query_selector_all(css).unwrap().length()
}

#[wasm_bindgen_test]
async fn a_pilot_without_a_group_shows_its_errors_and_nothing_to_copy() {
    let (root, handle) = open(&pilot_draft(None)).await;
    let p = panel(&root);
    assert_eq!(p.get_attribute("data-runnable").as_deref(), Some("false"));
    let errors = p
        .query_selector("ul.export-errors li[data-code=\"no-users-included\"]")
        .unwrap()
        .expect("the empty include is listed where the script would be");
    let text = errors.text_content().unwrap();
    assert!(text.contains("no-users-included"), "{text}");
    assert!(text.contains("conditions.users.includeUsers"), "{text}");
    assert!(text.contains("Graph refuses"), "{text}");
    assert!(
        count(&p, "ul.export-errors li[data-code=\"form-pilot-group\"]") > 0,
        "the form's error too"
    );
    for css in [
        "textarea",
        "[id^=\"copy-\"]",
        "[id^=\"download-\"]",
        "#export-pilot-powershell",
    ] {
        assert_eq!(count(&p, css), 0, "{css}: nothing to copy or download");
    }
    handle.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn with_its_group_the_pilot_is_a_runnable_script_with_warnings_beside_it() {
    let (root, handle) = open(&pilot_draft(Some(PILOT))).await;
    let p = panel(&root);
    assert_eq!(p.get_attribute("data-runnable").as_deref(), Some("true"));
    assert_eq!(count(&p, "ul.export-errors"), 0);
    let json = value_of(&root, "#export-json");
    assert!(json.contains(PILOT), "{json}");
    assert!(value_of(&root, "#export-powershell").contains(PILOT));
    for css in ["#copy-json", "#download-json", "#copy-powershell"] {
        assert_eq!(count(&p, css), 1, "{css}");
    }
    // On without a Report-only period: warnings, listed beside the script.
    let beside = p
        .query_selector("ul.export-warnings li[data-code=\"enabled-without-report-only\"]")
        .unwrap()
        .expect("the lint's warning beside the script");
    assert_eq!(
        beside.get_attribute("data-severity").as_deref(),
        Some("warning")
    );
    handle.destroy();
    root.remove();
}
