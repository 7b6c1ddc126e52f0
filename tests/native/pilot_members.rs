//! The pilot's members in the draft: kept only as object ids or user principal names (so never
//! a pasted token), once each, through a reload or a share link, and added by the rollout
//! script the passkey panel offers.

use ca_builder::app::draft::{Action, Draft};
use ca_builder::app::rollout::{from_draft, MethodsForm};
use ca_builder::export::powershell::{self, Flavour};

const GROUP: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

/// A new draft whose pilot step is narrowed to `GROUP`.
fn pilot_draft() -> Draft {
    crate::support::drafts::with_pilot(Draft::new(), GROUP)
}

#[test]
fn members_are_kept_once_and_only_when_they_name_a_user() {
    let mut d = pilot_draft();
    for m in [
        " alice@contoso.com ",
        "ALICE@CONTOSO.COM",
        "9A3F1E55-0C41-4D57-9C7E-1F2A3B4C5D6E",
        "alice smith",
        // A pasted access token is no user, and never reaches storage or a link.
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJl",
        "",
    ] {
        d.apply(Action::AddPilotMember(m.into()));
    }
    assert_eq!(
        d.pilot_members,
        ["alice@contoso.com", "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e"]
    );
    let reopened = Draft::from_json(&d.to_json()).unwrap();
    assert_eq!(reopened.draft, d);
    assert!(reopened.repairs.is_empty(), "{:?}", reopened.repairs);
    d.apply(Action::RemovePilotMember(0));
    d.apply(Action::RemovePilotMember(7));
    assert_eq!(d.pilot_members, ["9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e"]);
    // A draft saved before members were kept has none, and says nothing about them.
    assert!(!Draft::new().to_json().contains("pilotMembers"));
}

#[test]
fn a_link_whose_members_are_not_users_is_repaired_and_says_so() {
    let mut json: serde_json::Value = serde_json::from_str(&pilot_draft().to_json()).unwrap();
    json["pilotMembers"] = serde_json::json!(["bob@contoso.com", "eyJhbGciOi.x.y", "$x@y"]);
    let opened = Draft::from_json(&json.to_string()).unwrap();
    assert_eq!(opened.draft.pilot_members, ["bob@contoso.com"]);
    assert!(
        opened
            .repairs
            .iter()
            .any(|r| r.contains("2 pilot member(s) left out")),
        "{:?}",
        opened.repairs
    );
}

#[test]
fn the_rollout_script_adds_the_drafts_members() {
    let mut d = pilot_draft();
    d.apply(Action::AddPilotMember("alice@contoso.com".into()));
    let settings = MethodsForm::default().settings(&d);
    let plan = from_draft(&d, &settings.rollout).unwrap();
    assert_eq!(plan.members, ["alice@contoso.com"]);
    let script = powershell::rollout_script(Flavour::Invoke, &plan).unwrap();
    assert!(script.contains("'alice@contoso.com'"), "{script}");
    assert!(script.contains("/members/$ref"), "{script}");
}
