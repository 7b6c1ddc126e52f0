//! Names beside ids wherever the page shows a message written with ids (issue 14): the one
//! describer ([`Naming::name_ids_in`]) used by the checks panel, the tenant audit and What-If,
//! with the draft's labels first, then the offline catalogue, and for an id nothing names
//! "connect to look it up" offline, "not looked up yet" or "not found in the tenant" connected.

use ca_builder::names::{Labels, Lookup, Naming};
use std::collections::HashSet;

const PILOT: &str = "5d2e9c41-7a3b-4c8d-9e0f-1a2b3c4d5e6f";
const UNKNOWN: &str = "8a1c3b5e-2f4d-4e6a-9b7c-0d1e2f3a4b5c";
const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";

fn labels() -> Labels {
    let mut l = Labels::new();
    l.insert(PILOT, "Passkey pilot").unwrap();
    l
}

#[test]
fn every_id_in_a_message_gets_its_label_its_catalogue_name_or_the_advice_to_connect() {
    let text =
        format!("included as a member of group {PILOT}; role {GLOBAL_ADMIN}, user {UNKNOWN}.");
    assert_eq!(
        labels().name_ids_in(&text),
        format!("included as a member of group Passkey pilot ({PILOT}); role Global Administrator ({GLOBAL_ADMIN}), user {UNKNOWN} (connect to look it up).")
    );
    // Upper case ids are found too; the name goes beside the id as written.
    let upper = PILOT.to_uppercase();
    assert_eq!(
        labels().name_ids_in(&format!("group {upper}")),
        format!("group Passkey pilot ({upper})")
    );
}

#[test]
fn an_id_already_named_or_marked_is_left_alone_and_text_without_ids_is_unchanged() {
    let l = labels();
    let once = l.name_ids_in(&format!("users {PILOT} and {UNKNOWN}"));
    assert_eq!(
        l.name_ids_in(&once),
        once,
        "describing twice changes nothing"
    );
    // The same holds for each wording of an id nothing names.
    let gone = HashSet::from([UNKNOWN.to_string()]);
    let none = HashSet::new();
    for (lookup, mark) in [
        (Lookup::Offline, "connect to look it up"),
        (Lookup::Connected { not_found: &none }, "not looked up yet"),
        (
            Lookup::Connected { not_found: &gone },
            "not found in the tenant",
        ),
    ] {
        let names = Naming::new(&l, lookup);
        let once = names.name_ids_in(&format!("user {UNKNOWN}"));
        assert_eq!(once, format!("user {UNKNOWN} ({mark})"));
        assert_eq!(
            names.name_ids_in(&once),
            once,
            "{mark}: twice changes nothing"
        );
    }
    for plain in [
        "no ids here",
        "",
        "a policy (#2) with an ä and a ✓",
        // Not GUIDs: one hex digit short, one too many, glued to other text.
        "5d2e9c41-7a3b-4c8d-9e0f-1a2b3c4d5e6",
        "5d2e9c41-7a3b-4c8d-9e0f-1a2b3c4d5e6f0",
        "x5d2e9c41-7a3b-4c8d-9e0f-1a2b3c4d5e6f",
    ] {
        assert_eq!(l.name_ids_in(plain), plain);
    }
    // Next to multi-byte characters.
    assert_eq!(
        l.name_ids_in(&format!("«{PILOT}»")),
        format!("«Passkey pilot ({PILOT})»")
    );
}

const BREAK_GLASS: &str = "0f9e8d7c-6b5a-4948-8372-615f4e3d2c1b";

/// An imported policy on All users that excludes nobody, so the lint and the audit name the
/// declared break-glass accounts it leaves out.
fn all_users_policy() -> Vec<ca_builder::policy::model::Policy> {
    ca_builder::policy::import::import_bytes(
        br#"{"displayName": "Tenant MFA", "state": "enabled",
             "conditions": {"users": {"includeUsers": ["All"]},
                            "applications": {"includeApplications": ["All"]},
                            "clientAppTypes": ["all"]},
             "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}"#,
    )
    .unwrap()
}

#[test]
fn the_checks_panel_names_the_break_glass_accounts_a_policy_leaves_out() {
    use ca_builder::app::checks::check_items;
    use ca_builder::app::draft::{Action, Draft};
    let mut draft = Draft::new();
    draft.break_glass.users = vec![BREAK_GLASS.into(), UNKNOWN.into()];
    draft.label(BREAK_GLASS, "Emergency access 1").unwrap();
    draft.apply(Action::Import(all_users_policy()));
    let message = |lookup: Lookup| {
        let items = check_items(&draft, lookup);
        let item = items
            .iter()
            .find(|i| i.code == "no-break-glass-exclusion")
            .unwrap_or_else(|| {
                panic!("{:?}", items.iter().map(|i| &i.message).collect::<Vec<_>>())
            });
        item.message.clone()
    };
    let offline = message(Lookup::Offline);
    assert!(
        offline.contains(&format!("Emergency access 1 ({BREAK_GLASS})")),
        "{offline}"
    );
    assert!(
        offline.contains(&format!("{UNKNOWN} (connect to look it up)")),
        "{offline}"
    );
    // Connected, the admin is not told to connect: the id is one no lookup has asked about
    // yet, or one the tenant did not return.
    let none = HashSet::new();
    let connected = message(Lookup::Connected { not_found: &none });
    assert!(
        connected.contains(&format!("{UNKNOWN} (not looked up yet)")),
        "{connected}"
    );
    assert!(!connected.contains("connect to look it up"), "{connected}");
    let gone = HashSet::from([UNKNOWN.to_string()]);
    let missing = message(Lookup::Connected { not_found: &gone });
    assert!(
        missing.contains(&format!("{UNKNOWN} (not found in the tenant)")),
        "{missing}"
    );
    assert!(
        missing.contains(&format!("Emergency access 1 ({BREAK_GLASS})")),
        "a named id reads the same connected: {missing}"
    );
}

#[test]
fn the_audit_names_the_break_glass_accounts_a_tenant_policy_leaves_out() {
    use ca_builder::analysis::BreakGlass;
    use ca_builder::app::audit::audit_findings;
    let mut labels = Labels::new();
    labels.insert(BREAK_GLASS, "Emergency access 1").unwrap();
    let bg = BreakGlass {
        users: vec![BREAK_GLASS.into(), UNKNOWN.into()],
        groups: vec![],
    };
    let message = |names: Naming| {
        let findings = audit_findings(&all_users_policy()[0], &bg, names);
        let f = findings
            .iter()
            .find(|f| f.code == "no-break-glass-exclusion")
            .expect("the audit finds the missing exclusion");
        f.message.clone()
    };
    let offline = message(Naming::offline(&labels));
    assert!(
        offline.contains(&format!("Emergency access 1 ({BREAK_GLASS})")),
        "{offline}"
    );
    assert!(
        offline.contains(&format!("{UNKNOWN} (connect to look it up)")),
        "{offline}"
    );
    // The audit runs connected: there the id is one the tenant did not return.
    let gone = HashSet::from([UNKNOWN.to_string()]);
    let connected = message(Naming::new(&labels, Lookup::Connected { not_found: &gone }));
    assert!(
        connected.contains(&format!("{UNKNOWN} (not found in the tenant)")),
        "{connected}"
    );
}

#[test]
fn what_if_reasons_and_sign_ins_name_groups_roles_users_and_apps() {
    use ca_builder::analysis::CompiledPolicySet;
    use ca_builder::app::whatif::{WhatIfForm, WhatIfRun};
    let policies = ca_builder::policy::import::import_bytes(
        format!(
            r#"[{{"displayName": "Pilot group", "state": "enabled",
                 "conditions": {{"users": {{"includeGroups": ["{PILOT}"]}},
                                "applications": {{"includeApplications": ["All"]}}, "clientAppTypes": ["all"]}},
                 "grantControls": {{"operator": "OR", "builtInControls": ["mfa"]}}}},
                {{"displayName": "Admins", "state": "enabled",
                 "conditions": {{"users": {{"includeRoles": ["{GLOBAL_ADMIN}"]}},
                                "applications": {{"includeApplications": ["All"]}}, "clientAppTypes": ["all"]}},
                 "grantControls": {{"operator": "OR", "builtInControls": ["mfa"]}}}},
                {{"displayName": "One user", "state": "enabled",
                 "conditions": {{"users": {{"includeUsers": ["{UNKNOWN}"]}},
                                "applications": {{"includeApplications": ["All"]}}, "clientAppTypes": ["all"]}},
                 "grantControls": {{"operator": "OR", "builtInControls": ["mfa"]}}}}]"#
        )
        .as_bytes(),
    )
    .unwrap();
    let form = WhatIfForm {
        user_id: UNKNOWN.into(),
        groups: PILOT.into(),
        roles: GLOBAL_ADMIN.into(),
        resource: "app".into(),
        ..WhatIfForm::default()
    };
    let (s, _) = form.scenario();
    let run = WhatIfRun::new(
        &CompiledPolicySet::new(&policies),
        &s,
        Naming::offline(&labels()),
    );
    let reasons: Vec<&str> = run
        .asked()
        .report
        .policies
        .iter()
        .flat_map(|v| v.reasons.iter().map(|r| r.verdict.as_str()))
        .collect();
    for expected in [
        format!("included as a member of group Passkey pilot ({PILOT})"),
        format!("included by directory role Global Administrator ({GLOBAL_ADMIN})"),
        format!("included: user {UNKNOWN} (connect to look it up)"),
    ] {
        assert!(
            reasons.iter().any(|r| r.contains(&expected)),
            "{expected} in {reasons:#?}"
        );
    }
    assert_eq!(
        run.asked().sign_in,
        "the sign-in to Office 365 Exchange Online (00000002-0000-0ff1-ce00-000000000000)"
    );
    assert_eq!(
        run.headline().lines[0].sign_in,
        run.asked().sign_in,
        "the headline says which sign-in"
    );
}

#[test]
fn the_built_in_authentication_strengths_are_named_offline() {
    use ca_builder::names::{catalogue_name, describe};
    for (id, name) in [
        (
            "00000000-0000-0000-0000-000000000002",
            "Multifactor authentication",
        ),
        ("00000000-0000-0000-0000-000000000003", "Passwordless MFA"),
        (
            "00000000-0000-0000-0000-000000000004",
            "Phishing-resistant MFA",
        ),
    ] {
        assert_eq!(catalogue_name(id), Some(name));
        assert_eq!(describe(id), format!("{name} ({id})"));
    }
    // The next id is no built-in: it stays an id.
    assert_eq!(catalogue_name("00000000-0000-0000-0000-000000000005"), None);
    assert_eq!(
        Labels::new().name_ids_in("grant: 00000000-0000-0000-0000-000000000004."),
        "grant: Phishing-resistant MFA (00000000-0000-0000-0000-000000000004)."
    );
}

#[test]
fn the_update_field_says_which_tenant_policy_its_id_is() {
    use ca_builder::app::deploy::update_target;
    use ca_builder::graph::flows::PolicyList;
    use ca_builder::graph::ApiVersion;
    const ID: &str = "6b1d5e7a-0c2f-4a3b-9d8e-7f6a5b4c3d2e";
    let mut policies = ca_builder::policy::import::import_bytes(
        format!(
            r#"{{"id": "{ID}", "displayName": "Tenant MFA", "state": "enabledForReportingButNotEnforced",
                 "conditions": {{"users": {{"includeUsers": ["All"]}},
                                "applications": {{"includeApplications": ["All"]}}, "clientAppTypes": ["all"]}},
                 "grantControls": {{"operator": "OR", "builtInControls": ["mfa"]}}}}"#
        )
        .as_bytes(),
    )
    .unwrap();
    policies.extend(all_users_policy());
    let list = |truncated| PolicyList {
        version: ApiVersion::V1,
        policies: policies.clone(),
        unreadable: vec![],
        pages: 1,
        truncated,
    };
    assert_eq!(
        update_target(&ID.to_uppercase(), Some(&list(false)), true).as_deref(),
        Some("Updates \u{201c}Tenant MFA\u{201d} in the tenant, now Report-only.")
    );
    let elsewhere = update_target(UNKNOWN, Some(&list(true)), true).unwrap();
    assert!(
        elsewhere.starts_with("None of the 2 policies listed from the tenant has this id (the list stopped at its page limit)"),
        "{elsewhere}"
    );
    assert!(update_target(ID, None, true)
        .unwrap()
        .starts_with("List the tenant's policies"));
    assert!(update_target(ID, None, false)
        .unwrap()
        .starts_with("Connect and list"));
    // Nothing to say of an empty field, or of one the form already refuses.
    assert_eq!(update_target(" ", Some(&list(false)), true), None);
    assert_eq!(update_target("not-an-id", Some(&list(false)), true), None);
}

/// Connected, after a lookup: a declared break-glass account the tenant did not return is a
/// warning (every policy excludes it, so the exclusion protects nobody), as is a list entry of
/// the open step; offline, or before a lookup, nothing is claimed.
#[test]
fn the_checks_say_when_a_break_glass_account_or_a_list_entry_is_not_in_the_tenant() {
    use ca_builder::app::checks::check_items;
    use ca_builder::app::draft::{Action, Draft};
    use ca_builder::policy::edit::IdList;
    const GONE_GROUP: &str = "0badc0de-0000-4000-8000-00000000000a";
    let mut draft = Draft::new();
    draft.break_glass.users = vec![BREAK_GLASS.into(), UNKNOWN.into()];
    draft.apply(Action::Import(all_users_policy()));
    draft.apply(Action::SetIdList(
        IdList::ExcludeUsers,
        vec![UNKNOWN.into()],
    ));
    draft.apply(Action::SetIdList(
        IdList::IncludeGroups,
        vec![GONE_GROUP.to_uppercase(), PILOT.into()],
    ));
    let codes = |lookup: Lookup| -> Vec<(String, String, String)> {
        check_items(&draft, lookup)
            .into_iter()
            .filter(|i| i.code.contains("not-in-tenant"))
            .map(|i| (i.code, i.message, i.field))
            .collect()
    };
    assert!(codes(Lookup::Offline).is_empty());
    let none = HashSet::new();
    assert!(codes(Lookup::Connected { not_found: &none }).is_empty());

    let gone = HashSet::from([UNKNOWN.to_string(), GONE_GROUP.to_string()]);
    let found = codes(Lookup::Connected { not_found: &gone });
    assert_eq!(found.len(), 2, "{found:#?}");
    let (code, message, field) = &found[0];
    assert_eq!(code, "break-glass-not-in-tenant");
    assert!(
        message.contains(&format!("{UNKNOWN} (not found in the tenant)")),
        "{message}"
    );
    assert!(!message.contains(BREAK_GLASS), "{message}");
    assert_eq!(field, "field-break-glass-users");
    // The break-glass id in excludeUsers is reported once, as the account it is.
    let (code, message, field) = &found[1];
    assert_eq!(code, "not-in-tenant");
    assert!(
        message.starts_with("conditions.users.includeGroups holds "),
        "{message}"
    );
    assert!(message.contains(&GONE_GROUP.to_uppercase()), "{message}");
    assert!(!message.contains(PILOT), "{message}");
    assert_eq!(field, "field-include-groups");
}
