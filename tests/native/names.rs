//! The names catalogue and the draft's labels: every built-in role the corpus and the templates
//! use is named, lookups ignore GUID letter case, the tables hold their binary-search order, and
//! hostile labels are refused with an error value.

use std::collections::BTreeSet;

use ca_builder::analysis::whatif::{EXCHANGE_ONLINE_APP, MY_SIGNINS_APP, SHAREPOINT_ONLINE_APP};
use ca_builder::builders::strength::CREDENTIAL_REGISTRATION_APP;
use ca_builder::guid::is_guid;
use ca_builder::names::{
    app_name, apps, catalogue_name, describe, role_name, roles, special_name, LabelError, Labels,
    Slot, MAX_LABELS, MAX_NAME_CHARS,
};
use ca_builder::policy::templates::{DIRECTORY_SYNC_ACCOUNTS_ROLE, REGISTER_SECURITY_INFO};
use ca_builder::policy::{import_bytes, RolloutState, Template, TemplateParams};
use serde_json::Value;

use crate::support::corpus;

const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";
const UNKNOWN: &str = "0f0e0d0c-0b0a-4909-8807-060504030201";

/// Role ids the corpus uses that are not built-in roles (custom roles of the publishing
/// tenant): they must stay unknown, shown with "connect to look it up". None today.
const NOT_BUILT_IN: &[&str] = &[];

/// Every string under `key` (an array of strings) anywhere in `v`.
fn collect(v: &Value, keys: &[&str], out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if keys.contains(&k.as_str()) {
                    if let Value::Array(items) = child {
                        out.extend(items.iter().filter_map(Value::as_str).map(String::from));
                    }
                }
                collect(child, keys, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, keys, out)),
        _ => {}
    }
}

fn template_policies() -> Vec<Value> {
    let params = TemplateParams {
        exclude_users: vec!["9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e".into()],
        pilot_group: Some("7b1c2d3e-4f50-4617-8829-3a4b5c6d7e8f".into()),
        exclude_trusted_locations: true,
        state: RolloutState::ReportOnly,
        ..Default::default()
    };
    Template::ALL
        .iter()
        .map(|t| t.build(&params).expect("template builds").to_value())
        .collect()
}

#[test]
fn the_tables_are_sorted_lowercase_guids_each_named_once() {
    for (what, table) in [("roles", roles()), ("apps", apps())] {
        assert!(table.len() > 40, "{what}: {} entries", table.len());
        for pair in table.windows(2) {
            assert!(
                pair[0].0 < pair[1].0,
                "{what}: {:?} before {:?}",
                pair[0],
                pair[1]
            );
        }
        for (id, name) in table {
            assert!(is_guid(id), "{what}: {id:?} is not a GUID");
            assert_eq!(*id, id.to_ascii_lowercase(), "{what}: {id} not lowercase");
            assert!(
                !name.is_empty() && name.trim() == *name,
                "{what}: {id} → {name:?}"
            );
            assert!(
                !name.chars().any(char::is_control),
                "{what}: {id} → {name:?}"
            );
        }
    }
    let role_ids: BTreeSet<_> = roles().iter().map(|r| r.0).collect();
    let shared: Vec<_> = apps().iter().filter(|a| role_ids.contains(a.0)).collect();
    assert!(shared.is_empty(), "ids in both tables: {shared:?}");
    // Every lookup finds its own row: the order is the one binary search needs.
    for &(id, name) in roles() {
        assert_eq!(role_name(id), Some(name));
    }
    for &(id, name) in apps() {
        assert_eq!(app_name(id), Some(name));
    }
}

#[test]
fn lookups_ignore_the_letter_case_of_guids() {
    assert_eq!(role_name(GLOBAL_ADMIN), Some("Global Administrator"));
    assert_eq!(
        role_name(&GLOBAL_ADMIN.to_ascii_uppercase()),
        Some("Global Administrator")
    );
    assert_eq!(
        role_name("62E90394-69f5-4237-9190-012177145E10"),
        Some("Global Administrator")
    );
    assert_eq!(
        app_name(&EXCHANGE_ONLINE_APP.to_ascii_uppercase()),
        Some("Office 365 Exchange Online")
    );
    assert_eq!(role_name(EXCHANGE_ONLINE_APP), None, "an app is not a role");
    assert_eq!(app_name(GLOBAL_ADMIN), None, "a role is not an app");
    assert_eq!(role_name(UNKNOWN), None);
    assert_eq!(role_name(""), None);
    assert_eq!(role_name("62e90394"), None);

    let mut labels = Labels::new();
    labels
        .insert(&UNKNOWN.to_ascii_uppercase(), "Pilot group")
        .unwrap();
    assert_eq!(labels.get(UNKNOWN), Some("Pilot group"));
    assert_eq!(
        labels.name_of(&UNKNOWN.to_ascii_uppercase()),
        Some("Pilot group")
    );
    assert_eq!(
        labels.iter().next(),
        Some((UNKNOWN, "Pilot group")),
        "kept lowercase"
    );
    assert!(labels.remove(&UNKNOWN.to_ascii_uppercase()));
    assert!(labels.is_empty());
}

#[test]
fn every_role_the_corpus_uses_is_named_or_reported_unknown() {
    let mut used = BTreeSet::new();
    let mut files = 0;
    for path in corpus::files() {
        let rel = path
            .strip_prefix(corpus::root())
            .unwrap()
            .display()
            .to_string();
        match import_bytes(&std::fs::read(&path).unwrap()) {
            Ok(policies) => {
                files += 1;
                for p in policies {
                    collect(&p.to_value(), &["includeRoles", "excludeRoles"], &mut used);
                }
            }
            // The two files import refuses by design; neither lists a role.
            Err(_) => assert!(
                rel == corpus::BROKEN || rel == corpus::DUPLICATE_KEY,
                "{rel} does not import, so its roles would go unchecked"
            ),
        }
    }
    assert!(files > 100, "only {files} corpus files imported");
    assert!(used.len() > 100, "only {} distinct roles found", used.len());
    let unnamed: Vec<&str> = used
        .iter()
        .map(String::as_str)
        .filter(|id| role_name(id).is_none())
        .collect();
    assert_eq!(
        unnamed, NOT_BUILT_IN,
        "role template ids the catalogue does not name (add the built-in ones to src/names/roles.rs)"
    );
    for id in NOT_BUILT_IN {
        assert_eq!(describe(id), format!("{id} (connect to look it up)"));
    }
}

#[test]
fn every_role_app_and_user_action_in_the_templates_is_named() {
    let mut roles_used = BTreeSet::new();
    let mut apps_used = BTreeSet::new();
    for body in template_policies() {
        collect(&body, &["includeRoles", "excludeRoles"], &mut roles_used);
        collect(
            &body,
            &[
                "includeApplications",
                "excludeApplications",
                "includeUserActions",
            ],
            &mut apps_used,
        );
    }
    assert!(roles_used.contains(DIRECTORY_SYNC_ACCOUNTS_ROLE));
    assert!(apps_used.contains("All") && apps_used.contains(REGISTER_SECURITY_INFO));
    let unnamed_roles: Vec<_> = roles_used
        .iter()
        .filter(|id| role_name(id).is_none())
        .collect();
    assert!(unnamed_roles.is_empty(), "unnamed roles: {unnamed_roles:?}");
    let labels = Labels::new();
    let unnamed_apps: Vec<_> = apps_used
        .iter()
        .filter(|id| labels.name_in(Slot::Applications, id).is_none())
        .collect();
    assert!(unnamed_apps.is_empty(), "unnamed apps: {unnamed_apps:?}");
    // The app ids the builders and the What-If name in their own texts.
    for id in [
        CREDENTIAL_REGISTRATION_APP,
        MY_SIGNINS_APP,
        EXCHANGE_ONLINE_APP,
        SHAREPOINT_ONLINE_APP,
    ] {
        assert!(app_name(id).is_some(), "{id} is not named");
    }
}

#[test]
fn special_values_are_named_per_slot() {
    assert_eq!(special_name(Slot::Users, "All"), Some("All users"));
    assert_eq!(
        special_name(Slot::Applications, "All"),
        Some("All resources")
    );
    assert_eq!(
        special_name(Slot::Locations, "All"),
        Some("Any network or location")
    );
    assert_eq!(
        special_name(Slot::Users, "GuestsOrExternalUsers"),
        Some("All guest and external users")
    );
    assert_eq!(
        special_name(Slot::Locations, "AllTrusted"),
        Some("All trusted networks and locations")
    );
    assert_eq!(
        special_name(Slot::Applications, "office365"),
        Some("Office 365")
    );
    assert_eq!(
        special_name(Slot::Applications, REGISTER_SECURITY_INFO),
        Some("Register security information")
    );
    assert_eq!(
        special_name(Slot::Applications, "urn:user:registerdevice"),
        Some("Register or join devices")
    );
    assert_eq!(
        special_name(Slot::Users, "AllTrusted"),
        None,
        "not a user value"
    );
    // Without a slot only values that mean one thing are named.
    assert_eq!(catalogue_name("All"), None);
    assert_eq!(catalogue_name("None"), Some("None"));
    assert_eq!(
        catalogue_name("MicrosoftAdminPortals"),
        Some("Microsoft Admin Portals")
    );
}

#[test]
fn describe_puts_the_name_beside_the_id_in_one_wording() {
    assert_eq!(
        describe(GLOBAL_ADMIN),
        format!("Global Administrator ({GLOBAL_ADMIN})")
    );
    assert_eq!(
        describe(UNKNOWN),
        format!("{UNKNOWN} (connect to look it up)")
    );
    assert_eq!(describe("<RING>"), "<RING>", "not a GUID: shown as it is");
    assert_eq!(describe("All"), "All");

    let mut labels = Labels::new();
    assert_eq!(labels.describe(UNKNOWN), describe(UNKNOWN));
    labels.insert(UNKNOWN, "  Passkey pilot  ").unwrap();
    assert_eq!(
        labels.describe(UNKNOWN),
        format!("Passkey pilot ({UNKNOWN})")
    );
    // The draft's name wins over the catalogue's (a tenant may rename an app's display).
    labels.insert(EXCHANGE_ONLINE_APP, "Mail").unwrap();
    assert_eq!(labels.name_of(EXCHANGE_ONLINE_APP), Some("Mail"));
    assert_eq!(labels.name_of(GLOBAL_ADMIN), Some("Global Administrator"));
    assert_eq!(labels.describe_in(Slot::Users, "All"), "All users (All)");
    assert_eq!(
        labels.describe_in(Slot::Locations, "AllTrusted"),
        "All trusted networks and locations (AllTrusted)"
    );
}

#[test]
fn labels_round_trip_through_json_in_id_order() {
    let mut labels = Labels::new();
    labels.insert(UNKNOWN, "Pilot").unwrap();
    labels
        .insert(&GLOBAL_ADMIN.to_ascii_uppercase(), "Admins")
        .unwrap();
    let json = serde_json::to_string(&labels).unwrap();
    assert_eq!(
        json,
        format!(r#"{{"{UNKNOWN}":"Pilot","{GLOBAL_ADMIN}":"Admins"}}"#)
    );
    let back: Labels = serde_json::from_str(&json).unwrap();
    assert_eq!(back, labels);
    let empty: Labels = serde_json::from_str("{}").unwrap();
    assert!(empty.is_empty());
}

#[test]
fn hostile_labels_are_refused_with_a_clear_error() {
    let mut labels = Labels::new();
    let huge = "x".repeat(1 << 20);
    let refused = [
        (UNKNOWN, huge.as_str()),
        (UNKNOWN, "Pilot\u{7}"),
        (UNKNOWN, "Pilot\ngroup"),
        (UNKNOWN, "\u{202E}quorg tolip"),
        (UNKNOWN, "   "),
        (huge.as_str(), "Pilot"),
        ("not-a-guid", "Pilot"),
        (UNKNOWN, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl"),
    ];
    let errors: Vec<LabelError> = refused
        .iter()
        .map(|(id, name)| {
            labels
                .insert(id, name)
                .expect_err(&format!("{:.40?}", name))
        })
        .collect();
    assert!(
        labels.is_empty(),
        "a refused label leaves the labels unchanged"
    );
    assert_eq!(
        errors[0],
        LabelError::NameTooLong {
            id: UNKNOWN.into(),
            chars: 1 << 20,
            max: MAX_NAME_CHARS
        }
    );
    assert_eq!(
        errors[1],
        LabelError::ControlCharacter {
            id: UNKNOWN.into(),
            found: '\u{7}'
        }
    );
    assert!(matches!(
        errors[2],
        LabelError::ControlCharacter { found: '\n', .. }
    ));
    assert!(matches!(
        errors[3],
        LabelError::ControlCharacter {
            found: '\u{202E}',
            ..
        }
    ));
    assert_eq!(errors[4], LabelError::EmptyName { id: UNKNOWN.into() });
    assert_eq!(errors[5], LabelError::NotAnId { chars: 1 << 20 });
    assert_eq!(errors[6], LabelError::NotAnId { chars: 10 });
    assert_eq!(errors[7], LabelError::LooksLikeToken { id: UNKNOWN.into() });
    for (e, (id, name)) in errors.iter().zip(refused) {
        let text = e.to_string();
        assert!(text.len() < 200, "message of {} bytes", text.len());
        assert!(
            !text.contains(name) || name.trim().is_empty(),
            "{text} repeats the name"
        );
        assert!(
            id == UNKNOWN || !text.contains(id),
            "{text} repeats the key"
        );
    }
    assert_eq!(
        errors[1].to_string(),
        format!("the name for {UNKNOWN} contains the control character '\\u{{7}}'")
    );
    assert!(errors[7].to_string().contains("looks like an access token"));

    // At most MAX_LABELS: one more is refused, renaming a kept one is not.
    let id = |n: usize| format!("00000000-0000-4000-8000-{n:012x}");
    for n in 0..MAX_LABELS {
        labels.insert(&id(n), "member").unwrap();
    }
    assert_eq!(
        labels.insert(&id(MAX_LABELS), "one more"),
        Err(LabelError::TooMany { max: MAX_LABELS })
    );
    labels.insert(&id(0), "renamed").unwrap();
    assert_eq!(labels.len(), MAX_LABELS);

    // A shared draft's labels are checked the same way on the way in.
    let too_many = serde_json::to_string(
        &(0..=MAX_LABELS)
            .map(|n| (id(n), "m".to_string()))
            .collect::<std::collections::BTreeMap<_, _>>(),
    )
    .unwrap();
    let err = serde_json::from_str::<Labels>(&too_many).unwrap_err();
    assert!(err.to_string().contains("at most 1000 names"), "{err}");
    let bad = format!(r#"{{"{UNKNOWN}":"a\u0000b"}}"#);
    let err = serde_json::from_str::<Labels>(&bad).unwrap_err();
    assert!(err.to_string().contains("control character"), "{err}");
    assert!(serde_json::from_str::<Labels>(r#"{"x":"y"}"#).is_err());
    assert!(serde_json::from_str::<Labels>(r#"["not", "a map"]"#).is_err());
}
