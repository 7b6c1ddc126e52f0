//! The Graph status regions say where the connection stands (issue 14: the page never
//! contradicts itself). Every phase's screen mounts its own regions (the Graph panel's, the
//! passkey panel's, the bootstrap reads'); while connected, none of them may say "Not connected."
//! beside the connection the panel shows, and after Disconnect none may say "Connected".

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

use crate::support::{click, connect_graph, mount, open_phase, open_pilot_passkeys, text_of};

/// Each status region on the screen: its id and the text it shows.
fn regions(root: &Element) -> Vec<(String, String)> {
    let found = root.query_selector_all(".graph-status").unwrap();
    (0..found.length())
        .filter_map(|i| found.item(i)?.dyn_into::<Element>().ok())
        .map(|r| {
            let text = r
                .query_selector("p")
                .unwrap()
                .and_then(|p| p.text_content());
            (r.id(), text.unwrap_or_default())
        })
        .collect()
}

/// Asserts that the screen holds the Graph panel's region and that every region shows one of
/// `texts`.
fn assert_every_region(root: &Element, screen: &str, texts: &[&str]) {
    let found = regions(root);
    assert!(
        found.iter().any(|(id, _)| id == "graph-status"),
        "{screen}: the Graph panel's region is on the screen: {found:?}"
    );
    for (id, text) in &found {
        assert!(
            texts.contains(&text.as_str()),
            "{screen}: #{id} says {text:?}"
        );
    }
}

const CONNECTED: &str = "Connected to graph.microsoft.com.";
const FORGOTTEN: &str = "Disconnected: the token is forgotten.";

#[wasm_bindgen_test]
async fn every_status_region_says_where_the_connection_stands_on_every_screen() {
    let (root, handle) = mount().await;
    assert_eq!(
        text_of(&root, "#graph-status-text").as_deref(),
        Some("Not connected.")
    );

    connect_graph(&root).await;
    assert_eq!(
        text_of(&root, "#graph-status-text").as_deref(),
        Some("Connected to graph.microsoft.com. Nothing has been sent yet.")
    );
    for phase in ["pilot", "everyone", "harden", "watch", "prepare"] {
        open_phase(&root, phase).await;
        assert_every_region(&root, phase, &[CONNECTED]);
    }
    open_pilot_passkeys(&root).await;
    assert!(
        regions(&root).len() > 1,
        "the passkey panel has regions of its own: {:?}",
        regions(&root)
    );
    assert_every_region(&root, "pilot passkeys", &[CONNECTED]);

    click(&root, "#graph-disconnect").await;
    assert_eq!(
        text_of(&root, "#graph-status-text").as_deref(),
        Some(FORGOTTEN)
    );
    // The panel may stay mounted (and keep saying so) or mount afresh: either way, not connected.
    for phase in ["harden", "prepare"] {
        open_phase(&root, phase).await;
        assert_every_region(&root, phase, &[FORGOTTEN, "Not connected."]);
    }
    handle.destroy();
}
