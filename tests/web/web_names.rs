//! Names beside ids in the rendered page (issue 14): the checks panel names the break-glass
//! accounts a policy leaves out, and What-If the groups typed into its form, with the labels a
//! share link carries and "connect to look it up" for an id nothing names.

use wasm_bindgen_test::*;
use web_sys::Element;

use ca_builder::app::draft::{Action, Draft};
use ca_builder::policy::import::import_bytes;

use crate::support::{mount_as_is, set_share_fragment, storage, text_of};

const BREAK_GLASS: &str = "0f9e8d7c-6b5a-4948-8372-615f4e3d2c1b";
const UNKNOWN: &str = "8a1c3b5e-2f4d-4e6a-9b7c-0d1e2f3a4b5c";
const PILOT: &str = "5d2e9c41-7a3b-4c8d-9e0f-1a2b3c4d5e6f";

/// Break-glass declared (one named, one not), and an imported policy on All users that
/// excludes neither, open.
fn draft() -> Draft {
    let mut d = Draft::new();
    d.break_glass.users = vec![BREAK_GLASS.into(), UNKNOWN.into()];
    d.label(BREAK_GLASS, "Emergency access 1").unwrap();
    d.label(PILOT, "Passkey pilot").unwrap();
    d.apply(Action::Import(
        import_bytes(
            br#"{"displayName": "Tenant MFA", "state": "enabled",
                 "conditions": {"users": {"includeUsers": ["All"]},
                                "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
                 "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}"#,
        )
        .unwrap(),
    ));
    d
}

/// The element at `css`, opening each phase in turn when the page is in phases.
async fn find(root: &Element, css: &str) -> String {
    if let Some(t) = text_of(root, css) {
        return t;
    }
    for phase in ["prepare", "pilot", "everyone", "harden", "watch"] {
        let nav = format!("#phase-nav [data-phase={phase}]");
        if root.query_selector(&nav).unwrap().is_some() {
            crate::support::click(root, &nav).await;
            if let Some(t) = text_of(root, css) {
                return t;
            }
        }
    }
    panic!("{css} on no screen")
}

#[wasm_bindgen_test]
async fn checks_and_what_if_show_labels_beside_ids_and_say_to_connect_for_the_others() {
    storage().clear().unwrap();
    set_share_fragment(&draft().to_json());
    let (root, handle) = mount_as_is().await;
    let check = find(&root, "#lint-list li[data-code=no-break-glass-exclusion]").await;
    assert!(
        check.contains(&format!("Emergency access 1 ({BREAK_GLASS})")),
        "{check}"
    );
    assert!(
        check.contains(&format!("{UNKNOWN} (connect to look it up)")),
        "{check}"
    );

    // What-If's groups are a picker: each pasted id is chosen, and shown with its name.
    find(&root, "#whatif-groups-input").await;
    for id in [PILOT, UNKNOWN] {
        crate::web_whatif_pickers::choose(&root, "whatif-groups", id, id).await;
    }
    let names = find(&root, "#whatif-groups .chips").await;
    assert_eq!(
        names,
        format!("Passkey pilot ({PILOT})×{UNKNOWN} (connect to look it up)×")
    );
    handle.destroy();
}

#[wasm_bindgen_test]
async fn the_authentication_strength_field_names_the_strength_it_holds() {
    const CUSTOM: &str = "3c1a8f2e-9b4d-4e7a-8c6f-5d2b1a0e9f87";
    let mut d = Draft::new();
    d.apply(Action::SetAuthenticationStrength(CUSTOM.into()));
    d.label(CUSTOM, "Passkey in Microsoft Authenticator")
        .unwrap();
    storage().clear().unwrap();
    set_share_fragment(&d.to_json());
    let (root, handle) = mount_as_is().await;
    let name = "#field-authentication-strength-name";
    // A custom strength: the name the draft keeps for it (the passkey panel's, once used).
    assert_eq!(
        find(&root, name).await,
        "Passkey in Microsoft Authenticator"
    );

    // A built-in one: named by the catalogue, offline.
    crate::support::type_into(
        &root,
        "#field-authentication-strength",
        "00000000-0000-0000-0000-000000000004",
    )
    .await;
    assert_eq!(
        text_of(&root, name).as_deref(),
        Some("Phishing-resistant MFA")
    );

    // One nothing names is said to be so, not shown as if it were known.
    crate::support::type_into(&root, "#field-authentication-strength", UNKNOWN).await;
    assert!(
        text_of(&root, name).is_some_and(|t| t.contains("no name for")),
        "{:?}",
        text_of(&root, name)
    );
    // Empty: no name line at all.
    crate::support::type_into(&root, "#field-authentication-strength", "").await;
    assert_eq!(text_of(&root, name), None);
    handle.destroy();
}

/// The hint beside the passkey panel's pilot-group field.
fn pilot_hint(root: &Element) -> String {
    root.query_selector("#passkey-pilot-group")
        .unwrap()
        .and_then(|input| input.parent_element())
        .and_then(|field| field.query_selector(".hint").unwrap())
        .and_then(|hint| hint.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_passkey_panel_names_the_pilot_group_its_patches_target() {
    storage().clear().unwrap();
    set_share_fragment(&draft().to_json());
    let (root, handle) = mount_as_is().await;
    crate::support::open_pilot_passkeys(&root).await;
    // No pilot group yet: nothing to name.
    assert!(!pilot_hint(&root).contains("Now:"), "{}", pilot_hint(&root));

    crate::support::click(&root, "#step-1").await;
    crate::support::type_into(&root, "#field-pilot-group", PILOT).await;
    crate::support::click(&root, "#pilot-passkeys").await;
    assert!(
        pilot_hint(&root).contains(&format!("Now: Passkey pilot ({PILOT}).")),
        "{}",
        pilot_hint(&root)
    );
    // An override nothing names says so.
    crate::support::type_into(&root, "#passkey-pilot-group", UNKNOWN).await;
    assert!(
        pilot_hint(&root).contains(&format!("Now: {UNKNOWN} (connect to look it up).")),
        "{}",
        pilot_hint(&root)
    );
    handle.destroy();
}

/// Connected, an id nothing names is not one to "connect" for: the checks and the break-glass
/// chip say it has not been looked up yet; after Disconnect, they say to connect again.
#[wasm_bindgen_test]
async fn connected_an_unnamed_id_says_it_is_not_looked_up_yet_instead_of_to_connect() {
    storage().clear().unwrap();
    set_share_fragment(&draft().to_json());
    let (root, handle) = mount_as_is().await;
    let chip = format!("li.chip[data-id='{UNKNOWN}']");
    let check = "#lint-list li[data-code=no-break-glass-exclusion]";
    crate::support::open_phase(&root, "prepare").await;
    crate::support::connect_graph(&root).await;
    let connected = format!("{UNKNOWN} (not looked up yet)");
    let shown = find(&root, &chip).await;
    assert!(shown.contains(&connected), "{shown}");
    let text = find(&root, check).await;
    assert!(text.contains(&connected), "{text}");
    assert!(!text.contains("connect to look it up"), "{text}");
    assert!(
        text.contains(&format!("Emergency access 1 ({BREAK_GLASS})")),
        "{text}"
    );

    crate::support::open_phase(&root, "prepare").await;
    crate::support::click(&root, "#graph-disconnect").await;
    let offline = format!("{UNKNOWN} (connect to look it up)");
    let shown = find(&root, &chip).await;
    assert!(shown.contains(&offline), "{shown}");
    let text = find(&root, check).await;
    assert!(text.contains(&offline), "{text}");
    handle.destroy();
}
