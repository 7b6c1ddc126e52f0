//! Browser component tests for keeping drafts: share links of every class that used to crash
//! the page open and say what happened; a full localStorage never loses the saved draft;
//! another tab's write stops autosaving until the admin chooses; set-aside drafts are listed,
//! bounded, restored and deleted; settings the form does not show and invisible characters
//! in names are shown.

use ca_builder::app::draft::Draft;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

use crate::support::{
    click, mount, mount_as_is, set_share_fragment, storage, text_of, tick, type_into, value_of,
};

const KEY: &str = "ca-builder.draft";
const SET_ASIDE: &str = "ca-builder.draft.set-aside.";

/// A default draft whose first step is named `name`, as JSON.
fn named(name: &str) -> Value {
    let mut v: Value = serde_json::from_str(&Draft::new().to_json()).unwrap();
    v["steps"][0]["policy"]["displayName"] = json!(name);
    v
}

/// The texts of every set-aside draft in storage.
fn set_aside_texts() -> Vec<String> {
    let s = storage();
    (0..s.length().unwrap())
        .filter_map(|i| s.key(i).unwrap())
        .filter(|k| k.starts_with(SET_ASIDE))
        .map(|k| s.get_item(&k).unwrap().unwrap())
        .collect()
}

fn first_step_name(text: &str) -> String {
    let v: Value = serde_json::from_str(text).unwrap();
    v["steps"][0]["policy"]["displayName"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The page is up: the form, the export and the checks rendered.
fn page_is_up(root: &Element) {
    for css in [
        "#step-title",
        "#export-json",
        "#lint-list",
        "#field-display-name",
    ] {
        assert!(
            root.query_selector(css).unwrap().is_some(),
            "{css} rendered"
        );
    }
}

/// Opens `link` as a share link over a saved draft named "Old draft"; returns the notice.
async fn open_link(link: &Value) -> (Element, yew::AppHandle<ca_builder::ui::App>, String) {
    storage().clear().unwrap();
    storage()
        .set_item(KEY, &named("Old draft").to_string())
        .unwrap();
    set_share_fragment(&link.to_string());
    let (root, handle) = mount_as_is().await;
    tick().await;
    let notice = text_of(&root, "#notice").unwrap_or_default();
    (root, handle, notice)
}

#[wasm_bindgen_test]
async fn share_links_of_every_crashing_class_open_and_say_what_happened() {
    let mut past_end = named("Link");
    past_end["current"] = json!(9);
    let mut no_steps = named("Link");
    no_steps["steps"] = json!([]);
    let mut deep_not = named("Link");
    deep_not["steps"][0]["policy"]["conditions"]["devices"]["deviceFilter"]["rule"] = json!(
        format!("{}device.trustType -eq \"AzureAD\"", "-not ".repeat(2800))
    );
    let mut parens = named("Link");
    parens["steps"][0]["policy"]["conditions"]["devices"]["deviceFilter"]["rule"] =
        json!(")".repeat(3072));
    let cases: [(&str, Value, &str); 4] = [
        (
            "current past the end",
            past_end,
            "the open step was 10 but the draft has 5 steps: opened step 1",
        ),
        ("zero steps", no_steps, "no steps"),
        (
            "2,800 nested -not",
            deep_not,
            "Opened the draft from the share link.",
        ),
        ("3,072 )", parens, "Opened the draft from the share link."),
    ];
    for (what, link, said) in cases {
        let (root, handle, notice) = open_link(&link).await;
        // A repaired draft may be a new one again, which opens on Prepare (no step form).
        crate::support::open_phase(&root, "everyone").await;
        page_is_up(&root);
        assert!(notice.contains(said), "{what}: {notice}");
        // The old draft was set aside, not lost.
        assert!(
            set_aside_texts()
                .iter()
                .any(|t| first_step_name(t) == "Old draft"),
            "{what}: the old draft is under Saved drafts"
        );
        assert!(
            text_of(&root, "#saved-drafts")
                .unwrap()
                .contains("Old draft"),
            "{what}: listed in the page"
        );
        handle.destroy();
        root.remove();
    }
    // The rule far past the service limit is reported, not silently accepted.
    let mut parens = named("Link");
    parens["steps"][0]["policy"]["conditions"]["devices"]["deviceFilter"]["rule"] =
        json!(")".repeat(3072));
    let (root, handle, _) = open_link(&parens).await;
    assert!(
        root.query_selector("#lint-list li.error")
            .unwrap()
            .is_some(),
        "the checks name the broken rule"
    );
    handle.destroy();
    root.remove();
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn settings_the_form_does_not_show_are_listed_before_deploying() {
    let mut link = named("Link");
    link["steps"][0]["policy"]["conditions"]["insiderRiskLevels"] = json!("elevated");
    link["steps"][0]["policy"]["sessionControls"] =
        json!({"persistentBrowser": {"isEnabled": true, "mode": "always"}});
    let (root, handle, _) = open_link(&link).await;
    let item = root
        .query_selector("#hidden-settings li[data-path=\"conditions.insiderRiskLevels\"]")
        .unwrap()
        .expect("listed above the export");
    assert_eq!(
        item.text_content().unwrap(),
        "This step sets conditions.insiderRiskLevels to \"elevated\", which the form does not show."
    );
    assert_eq!(
        root.query_selector_all("#hidden-settings li")
            .unwrap()
            .length(),
        3
    );
    // The export still shows the JSON, with them in it.
    assert!(value_of(&root, "#export-json").contains("insiderRiskLevels"));
    // A plain step lists nothing.
    crate::support::open_phase(&root, "pilot").await;
    click(&root, "#step-1").await;
    assert!(root.query_selector("#hidden-settings").unwrap().is_none());
    handle.destroy();
    root.remove();
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn invisible_characters_in_names_are_shown() {
    let mut link = named("Link");
    let imported = json!({"kind": "imported", "policy": {"displayName": "Block \u{202e}exe.txt\u{1b}[31m\u{0}"}});
    link["steps"].as_array_mut().unwrap().push(imported);
    let (root, handle, _) = open_link(&link).await;
    crate::support::open_phase(&root, "prepare").await;
    let tab = root
        .query_selector("#step-5")
        .unwrap()
        .expect("the imported step's tab");
    let badges: Vec<String> = {
        let list = tab.query_selector_all(".hidden-char").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    assert_eq!(badges, ["⟨U+202E⟩", "⟨U+001B⟩", "⟨U+0000⟩"]);
    assert_eq!(
        tab.text_content().unwrap(),
        "Imported: Block ⟨U+202E⟩exe.txt⟨U+001B⟩[31m⟨U+0000⟩"
    );
    // The only step of a draft cannot be removed; one of two imported steps can.
    click(&root, "#step-5").await;
    assert!(root.query_selector("#remove-step").unwrap().is_some());
    handle.destroy();
    root.remove();
    let one = json!({"version": 1, "current": 0, "steps": [{"kind": "imported", "policy": {"displayName": "Only"}}]});
    let (root, handle, _) = open_link(&one).await;
    assert!(text_of(&root, "#remove-step-refused")
        .unwrap()
        .contains("only step"));
    handle.destroy();
    root.remove();
    storage().clear().unwrap();
}

/// Fills localStorage with junk until the browser refuses more; returns the junk keys.
fn fill_storage() -> Vec<String> {
    let s = storage();
    let mut keys = vec![];
    let mut size = 1 << 20;
    while size >= 16 {
        let key = format!("junk.{}", keys.len());
        if s.set_item(&key, &"x".repeat(size)).is_ok() {
            keys.push(key);
        } else {
            size /= 4;
        }
    }
    keys
}

#[wasm_bindgen_test]
async fn a_full_storage_never_loses_the_saved_draft() {
    storage().clear().unwrap();
    let old = named("Old draft").to_string();
    storage().set_item(KEY, &old).unwrap();
    let junk = fill_storage();
    assert!(!junk.is_empty());
    set_share_fragment(&named("Link draft").to_string());
    let (root, handle) = mount_as_is().await;
    tick().await;
    let notice = text_of(&root, "#notice").unwrap();
    assert!(notice.contains("NOT saved"), "{notice}");
    assert!(
        text_of(&root, "#hold").unwrap().contains("NOT saved"),
        "a standing banner says the link's draft is unsaved"
    );
    assert_eq!(value_of(&root, "#field-display-name"), "Link draft");
    assert_eq!(
        storage().get_item(KEY).unwrap().as_deref(),
        Some(old.as_str())
    );
    // Edits are not autosaved over the old draft either.
    type_into(&root, "#field-display-name", "Link draft, edited").await;
    assert_eq!(
        storage().get_item(KEY).unwrap().as_deref(),
        Some(old.as_str())
    );
    // Saving while still full is refused and says so; nothing is lost.
    click(&root, "#keep-this").await;
    assert!(text_of(&root, "#drafts-message")
        .unwrap()
        .contains("Not saved"));
    assert_eq!(
        storage().get_item(KEY).unwrap().as_deref(),
        Some(old.as_str())
    );
    // Room made: saving sets the old draft aside first.
    for k in &junk {
        storage().remove_item(k).unwrap();
    }
    click(&root, "#keep-this").await;
    assert!(root.query_selector("#hold").unwrap().is_none());
    assert_eq!(
        first_step_name(&storage().get_item(KEY).unwrap().unwrap()),
        "Link draft, edited"
    );
    assert_eq!(set_aside_texts(), [old]);
    handle.destroy();
    root.remove();
    storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn at_most_five_drafts_are_set_aside_and_the_sixth_is_refused_not_evicted() {
    storage().clear().unwrap();
    for i in 0..5 {
        storage()
            .set_item(
                &format!("{SET_ASIDE}{}", 1_700_000_000_000u64 + i),
                &named(&format!("Kept {i}")).to_string(),
            )
            .unwrap();
    }
    let old = named("Old draft").to_string();
    storage().set_item(KEY, &old).unwrap();
    set_share_fragment(&named("Link draft").to_string());
    let (root, handle) = mount_as_is().await;
    tick().await;
    assert!(text_of(&root, "#hold")
        .unwrap()
        .contains("5 drafts are set aside already"));
    assert_eq!(
        storage().get_item(KEY).unwrap().as_deref(),
        Some(old.as_str())
    );
    assert_eq!(set_aside_texts().len(), 5);
    // Delete asks first (answered "no", then "yes"); then the link's draft can be saved.
    let rows = || {
        root.query_selector_all("#saved-drafts li")
            .unwrap()
            .length()
    };
    assert_eq!(rows(), 5);
    answer_confirm(false);
    click(&root, "#saved-drafts li .delete").await;
    assert_eq!(rows(), 5, "nothing deleted when the admin says no");
    assert_eq!(set_aside_texts().len(), 5);
    answer_confirm(true);
    click(&root, "#saved-drafts li .delete").await;
    assert_eq!(rows(), 4);
    assert_eq!(set_aside_texts().len(), 4);
    click(&root, "#keep-this").await;
    assert_eq!(
        first_step_name(&storage().get_item(KEY).unwrap().unwrap()),
        "Link draft"
    );
    assert!(set_aside_texts().contains(&old));
    assert_eq!(rows(), 5);
    handle.destroy();
    root.remove();
    storage().clear().unwrap();
}

/// Answers the page's next `confirm()` questions with `yes` (a test cannot click a dialog).
fn answer_confirm(yes: bool) {
    let f = js_sys::Function::new_no_args(if yes { "return true" } else { "return false" });
    js_sys::Reflect::set(&web_sys::window().unwrap(), &"confirm".into(), &f).unwrap();
}

/// What another tab's save looks like to this one: its value in storage, and the event.
fn other_tab_saves(text: &str) {
    storage().set_item(KEY, text).unwrap();
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(KEY));
    init.set_new_value(Some(text));
    init.set_storage_area(Some(&storage()));
    let e = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
    web_sys::window()
        .unwrap()
        .dyn_ref::<web_sys::EventTarget>()
        .unwrap()
        .dispatch_event(&e)
        .unwrap();
}

#[wasm_bindgen_test]
async fn another_tabs_draft_stops_autosave_until_the_admin_chooses() {
    let (root, handle) = mount().await;
    crate::support::open_phase(&root, "everyone").await;
    type_into(&root, "#field-display-name", "This tab").await;
    assert_eq!(
        first_step_name(&storage().get_item(KEY).unwrap().unwrap()),
        "This tab"
    );

    // An echo of this tab's own save is not another tab's draft.
    let mine = storage().get_item(KEY).unwrap().unwrap();
    other_tabs_saves_and_waits(&mine).await;
    assert!(root.query_selector("#hold").unwrap().is_none());

    let other = named("Other tab").to_string();
    other_tabs_saves_and_waits(&other).await;
    assert!(
        root.query_selector("#hold").unwrap().is_some(),
        "the choice is shown"
    );
    // This tab stopped saving: its next edit does not overwrite the other tab's draft.
    type_into(&root, "#field-display-name", "This tab, edited").await;
    assert_eq!(
        storage().get_item(KEY).unwrap().as_deref(),
        Some(other.as_str())
    );
    assert!(
        set_aside_texts().is_empty(),
        "nothing moved before the choice"
    );

    // Load the other tab's: this tab's draft is set aside.
    click(&root, "#load-other").await;
    assert!(root.query_selector("#hold").unwrap().is_none());
    assert_eq!(value_of(&root, "#field-display-name"), "Other tab");
    let aside = set_aside_texts();
    assert_eq!(aside.len(), 1);
    assert_eq!(first_step_name(&aside[0]), "This tab, edited");

    // Again, and keep this tab's: the other tab's draft is set aside.
    let third = named("Third tab").to_string();
    other_tabs_saves_and_waits(&third).await;
    click(&root, "#keep-this").await;
    assert_eq!(
        first_step_name(&storage().get_item(KEY).unwrap().unwrap()),
        "Other tab"
    );
    assert!(set_aside_texts().contains(&third));

    // Restore swaps: "This tab, edited" comes back, the open one is set aside.
    let row = root.query_selector_all("#saved-drafts li").unwrap();
    let mut restored = false;
    for i in 0..row.length() {
        let li: Element = row.item(i).unwrap().dyn_into().unwrap();
        if li.text_content().unwrap().contains("This tab, edited") {
            let b: web_sys::HtmlElement = li
                .query_selector(".restore")
                .unwrap()
                .unwrap()
                .dyn_into()
                .unwrap();
            b.click();
            tick().await;
            restored = true;
        }
    }
    assert!(restored);
    assert_eq!(value_of(&root, "#field-display-name"), "This tab, edited");
    let names: Vec<String> = set_aside_texts()
        .iter()
        .map(|t| first_step_name(t))
        .collect();
    assert!(names.contains(&"Other tab".to_string()), "{names:?}");
    assert!(names.contains(&"Third tab".to_string()), "{names:?}");
    assert!(
        !names.contains(&"This tab, edited".to_string()),
        "{names:?}"
    );
    handle.destroy();
    root.remove();
    storage().clear().unwrap();
}

async fn other_tabs_saves_and_waits(text: &str) {
    other_tab_saves(text);
    tick().await;
}
