//! Browser test for the pilot's members, typed by user principal name as an admin without a
//! connection would: kept in the draft (autosaved), shown as a chosen entry of the members
//! picker, added by the rollout script; one that names no user is refused with why and nothing
//! is kept.

use ca_builder::app::draft::Draft;
use wasm_bindgen_test::*;

use crate::support::{click, mount, open_phase, storage, text_of, type_into, value_of};

const PILOT: &str = "22222222-3333-4444-5555-666666666666";
const ALICE: &str = "alice@contoso.com";

fn saved_members() -> Vec<String> {
    let text = storage()
        .get_item("ca-builder.draft")
        .unwrap()
        .expect("the draft is autosaved");
    Draft::from_json(&text).unwrap().draft.pilot_members
}

#[wasm_bindgen_test]
async fn a_typed_member_reaches_the_rollout_script_and_one_that_is_no_user_is_refused() {
    let (root, handle) = mount().await;
    open_phase(&root, "pilot").await;
    type_into(&root, "#field-pilot-group", PILOT).await;

    type_into(&root, "#field-pilot-member", "alice smith").await;
    click(&root, "#add-pilot-member").await;
    let error = text_of(&root, "#pilot-member-error").unwrap();
    assert!(error.contains("a space"), "{error}");
    assert_eq!(
        value_of(&root, "#field-pilot-member"),
        "alice smith",
        "the typing is kept to fix"
    );

    type_into(&root, "#field-pilot-member", ALICE).await;
    click(&root, "#add-pilot-member").await;
    assert_eq!(text_of(&root, "#pilot-member-error").unwrap(), "");
    assert_eq!(value_of(&root, "#field-pilot-member"), "");
    let chip = format!("#picker-pilot-members li[data-id='{ALICE}']");
    assert!(
        root.query_selector(&chip).unwrap().is_some(),
        "a chosen entry"
    );
    assert_eq!(saved_members(), [ALICE]);
    // The rollout script, on the pilot's passkeys tab.
    click(&root, "#pilot-passkeys").await;
    let script = value_of(&root, "#export-rollout-script");
    assert!(script.contains("'alice@contoso.com'"), "{script}");
    assert!(script.contains("/members/$ref"), "{script}");

    click(&root, "#phase-nav [data-phase=pilot]").await;
    click(&root, &format!("{chip} button")).await;
    assert!(saved_members().is_empty());
    click(&root, "#pilot-passkeys").await;
    assert!(!value_of(&root, "#export-rollout-script").contains(ALICE));
    handle.destroy();
}
