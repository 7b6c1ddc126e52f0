//! Browser tests for the pickers: typing filters the offline role catalogue, choosing (Enter or
//! the mouse) adds an entry with `data-id` and the name, the draft's list and labels get both
//! (read back from the autosaved draft), the keyboard and the combobox's ARIA state work, and a
//! user typed by id offline says "connect to look it up".

use ca_builder::app::draft::Draft;
use ca_builder::policy::edit::IdList;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::Element;

use crate::support::{
    click, mount, mouse_down, press, storage, text_of, tick, type_into, value_of,
};

const KEY: &str = "ca-builder.draft";
const CA_ADMIN: &str = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";
const CA_ADMIN_NAME: &str = "Conditional Access Administrator";
const USER: &str = "11111111-2222-3333-4444-555555555555";

const ROLE_INPUT: &str = "#picker-exclude-roles-input";
const ROLE_OPTIONS: &str = "#picker-exclude-roles-list li[data-id]";

/// The autosaved draft.
fn saved() -> Draft {
    let text = storage()
        .get_item(KEY)
        .unwrap()
        .expect("the draft is autosaved");
    Draft::from_json(&text).unwrap().draft
}

fn all(root: &Element, css: &str) -> Vec<Element> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().dyn_into().unwrap())
        .collect()
}

fn attr(root: &Element, css: &str, name: &str) -> Option<String> {
    root.query_selector(css)
        .unwrap()
        .expect(css)
        .get_attribute(name)
}

#[wasm_bindgen_test]
async fn typing_filters_the_role_catalogue_and_the_keyboard_chooses_a_named_role() {
    let (root, _app) = mount().await;
    crate::support::open_phase(&root, "everyone").await;
    assert_eq!(
        attr(&root, ROLE_INPUT, "data-picker").as_deref(),
        Some("role")
    );
    assert_eq!(attr(&root, ROLE_INPUT, "role").as_deref(), Some("combobox"));
    assert_eq!(
        attr(&root, ROLE_INPUT, "aria-expanded").as_deref(),
        Some("false")
    );
    let list_id = attr(&root, ROLE_INPUT, "aria-controls").unwrap();
    assert_eq!(
        attr(&root, &format!("#{list_id}"), "role").as_deref(),
        Some("listbox")
    );

    type_into(&root, ROLE_INPUT, "administrator").await;
    let many = all(&root, ROLE_OPTIONS).len();
    assert!(many > 5, "{many} roles named administrator");
    type_into(&root, ROLE_INPUT, "conditional acc").await;
    let options = all(&root, ROLE_OPTIONS);
    assert_eq!(options.len(), 1, "typing filters the catalogue");
    assert_eq!(
        options[0].get_attribute("data-id").as_deref(),
        Some(CA_ADMIN)
    );
    assert!(options[0].text_content().unwrap().contains(CA_ADMIN_NAME));
    assert_eq!(
        attr(&root, ROLE_INPUT, "aria-expanded").as_deref(),
        Some("true")
    );

    // Down puts the first suggestion active, for the screen reader too.
    press(&root, ROLE_INPUT, "ArrowDown").await;
    let option_id = options[0].id();
    assert_eq!(
        attr(&root, ROLE_INPUT, "aria-activedescendant"),
        Some(option_id.clone())
    );
    assert_eq!(
        attr(&root, &format!("#{option_id}"), "aria-selected").as_deref(),
        Some("true")
    );
    press(&root, ROLE_INPUT, "Enter").await;
    tick().await;

    let chip = format!("#picker-exclude-roles li.chip[data-id=\"{CA_ADMIN}\"]");
    let shown = text_of(&root, &chip).expect("the chosen role is shown");
    assert!(shown.contains(CA_ADMIN_NAME), "{shown}");
    assert!(all(&root, ROLE_OPTIONS).is_empty(), "the list closed");
    assert_eq!(value_of(&root, ROLE_INPUT), "");
    assert!(
        value_of(&root, "#field-exclude-roles").contains(CA_ADMIN),
        "the id list follows"
    );
    let d = saved();
    assert!(IdList::ExcludeRoles
        .get(&d.steps[0].policy)
        .contains(&CA_ADMIN.to_string()));
    assert_eq!(d.labels.get(CA_ADMIN), Some(CA_ADMIN_NAME));

    // Escape closes the suggestions without choosing.
    type_into(&root, ROLE_INPUT, "global").await;
    assert!(!all(&root, ROLE_OPTIONS).is_empty());
    press(&root, ROLE_INPUT, "Escape").await;
    assert!(all(&root, ROLE_OPTIONS).is_empty());
    assert_eq!(
        attr(&root, ROLE_INPUT, "aria-expanded").as_deref(),
        Some("false")
    );

    // The entry is removable.
    click(&root, &format!("{chip} button")).await;
    assert!(text_of(&root, &chip).is_none());
    assert!(!IdList::ExcludeRoles
        .get(&saved().steps[0].policy)
        .contains(&CA_ADMIN.to_string()));
}

#[wasm_bindgen_test]
async fn offline_a_user_is_typed_by_id_and_says_connect_to_look_it_up() {
    let (root, _app) = mount().await;
    let input = "#picker-break-glass-users-input";
    assert_eq!(attr(&root, input, "data-picker").as_deref(), Some("user"));
    type_into(&root, input, "alice").await;
    let note = text_of(&root, "#picker-break-glass-users [role=status]").unwrap();
    assert!(note.contains("connect"), "{note}");
    type_into(&root, input, USER).await;
    let option = format!("#picker-break-glass-users-list li[data-id=\"{USER}\"]");
    let text = text_of(&root, &option).expect("the typed id is a suggestion");
    assert!(text.contains("connect to look it up"), "{text}");
    mouse_down(&root, &option).await;
    tick().await;
    let chip = text_of(
        &root,
        &format!("#picker-break-glass-users li.chip[data-id=\"{USER}\"]"),
    )
    .expect("chosen");
    assert_eq!(
        chip.trim_end_matches('×'),
        format!("{USER} (connect to look it up)")
    );
    let d = saved();
    assert_eq!(d.break_glass.users, vec![USER.to_string()]);
    assert!(d.labels.is_empty(), "no name is made up for an unknown id");
}
