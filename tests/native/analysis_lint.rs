//! Policy-set lint: one test per category, on the seed's mistakes recreated and on real corpus
//! policies.

use crate::support::analysis;

use analysis::*;
use ca_builder::analysis::lint::glob;
use ca_builder::analysis::{lint, LintConfig, LintFinding, Severity};
use ca_builder::policy::{Policy, RolloutState, Template};
use serde_json::{json, Value};

const DENIS_2021: &str = "denis-beuermann__ConditionalAccess/archive/20210629-Policies.json";

fn config() -> LintConfig {
    LintConfig {
        break_glass_users: vec![BREAK_GLASS.into()],
        ..Default::default()
    }
}

fn find<'a>(f: &'a [LintFinding], code: &str) -> &'a LintFinding {
    f.iter()
        .find(|f| f.finding.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", f))
}

fn has(f: &[LintFinding], code: &str) -> bool {
    f.iter().any(|f| f.finding.code == code)
}

/// Seed (b) as the article wrote it, in Graph JSON: On, all users, no break-glass exclusion,
/// the `\"` rule.
fn seed_b() -> Value {
    json!({
        "displayName": "ALWAYS REQUIRE MFA \u{2013} Compensating Control",
        "state": "enabled",
        "conditions": {
            "applications": {"includeApplications": ["All"]},
            "users": {"includeUsers": ["All"]},
            "devices": {"deviceFilter": {"mode": "exclude", "rule": "device.trustType -eq \\\"ServerAD\\\" -or device.trustType -eq \\\"AzureAD\\\""}}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    })
}

#[test]
fn seed_b_recreated_gets_every_one_of_its_errata() {
    let f = lint(&[policy(seed_b())], &config());
    let bg = find(&f, "no-break-glass-exclusion");
    assert_eq!(
        bg.finding.severity,
        Severity::Error,
        "On, all users, declared account not excluded"
    );
    assert_eq!(bg.finding.field, "conditions.users.excludeUsers");
    let on = find(&f, "enabled-without-report-only");
    assert_eq!(
        on.finding.severity,
        Severity::Warning,
        "a draft (no id) can still start in report-only"
    );
    let q = find(&f, "escaped-quote");
    assert_eq!(q.finding.severity, Severity::Error);
    assert_eq!(q.finding.field, "conditions.devices.deviceFilter.rule");
    assert!(
        q.finding.message.ends_with("(rule 1:22)"),
        "{}",
        q.finding.message
    );
    assert!(
        q.finding.fix.as_deref().unwrap().ends_with(
            "device.trustType -eq \"ServerAD\" -or device.trustType -eq \\\"AzureAD\\\""
        ),
        "{:?}",
        q.finding.fix
    );
    let dash = find(&f, "typographic-characters-in-name");
    assert_eq!(
        dash.finding.fix.as_deref(),
        Some(
            "rename to \"ALWAYS REQUIRE MFA - Compensating Control\", or look the policy up by id"
        )
    );
    assert!(f
        .iter()
        .all(|x| x.policy.index == 0 && x.policy.name.starts_with("ALWAYS REQUIRE MFA")));

    // The corrected template has none of the errors.
    let fixed = lint(
        &[template(
            Template::MfaCompensating,
            RolloutState::ReportOnly,
        )],
        &config(),
    );
    assert!(fixed.iter().all(|f| !f.is_error()), "{fixed:#?}");
    assert!(
        !has(&fixed, "no-break-glass-exclusion") && !has(&fixed, "enabled-without-report-only")
    );
}

#[test]
fn seed_g_lowercase_true_and_filter_modes_that_miss_unregistered_devices() {
    let mut g = seed_b();
    g["conditions"]["devices"]["deviceFilter"]["rule"] =
        json!("device.isCompliant -eq true -or device.trustType -eq \"ServerAD\"");
    let f = lint(&[policy(g)], &config());
    let b = find(&f, "boolean-form");
    assert_eq!(b.finding.severity, Severity::Info);
    assert!(b
        .finding
        .fix
        .as_deref()
        .unwrap()
        .ends_with("device.isCompliant -eq True -or device.trustType -eq \"ServerAD\""));
    assert!(!has(&f, "escaped-quote"));

    let mut inc = seed_b();
    inc["conditions"]["devices"]["deviceFilter"] =
        json!({"mode": "include", "rule": "device.isCompliant -eq False"});
    let f = lint(&[policy(inc)], &config());
    assert_eq!(
        find(&f, "include-misses-unregistered").finding.severity,
        Severity::Warning
    );
}

#[test]
fn scalars_nulls_unknown_members_and_all_users_with_groups() {
    let p = policy(json!({
        "displayName": "shapes", "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "applications": {"includeApplications": "All"},
            "users": {"includeUsers": ["All"], "excludeUsers": [BREAK_GLASS], "includeGroups": "5e769024-0f21-4be0-af23-dd6045caa1c9"},
            "clientAppTypes": ["All"],
            "userRiskLevels": null
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    }));
    let f = lint(&[p], &config());
    let scalars: Vec<&str> = f
        .iter()
        .filter(|f| f.finding.code == "scalar-for-collection")
        .map(|f| f.finding.field.as_str())
        .collect();
    assert_eq!(
        scalars,
        [
            "conditions.users.includeGroups",
            "conditions.applications.includeApplications"
        ]
    );
    assert_eq!(
        find(&f, "scalar-for-collection").finding.fix.as_deref(),
        Some("write [\"5e769024-0f21-4be0-af23-dd6045caa1c9\"]")
    );
    assert_eq!(
        find(&f, "null-collection").finding.field,
        "conditions.userRiskLevels"
    );
    let unknown = find(&f, "unknown-member");
    assert_eq!(unknown.finding.field, "conditions.clientAppTypes");
    assert!(
        unknown
            .finding
            .message
            .starts_with("\"All\" is not a value"),
        "{}",
        unknown.finding.message
    );
    // Errata (e): the scalar group next to All users still narrows nothing.
    assert_eq!(
        find(&f, "all-users-with-groups").finding.field,
        "conditions.users.includeGroups"
    );
}

#[test]
fn corpus_policies_show_the_categories() {
    let denis = corpus(DENIS_2021);
    let f = lint(&denis, &config());
    let at = |name: &str, code: &str| -> &LintFinding {
        f.iter()
            .find(|x| x.policy.name == name && x.finding.code == code)
            .unwrap_or_else(|| panic!("no {code} on {name}"))
    };
    // All users + roles: the roles narrow nothing (errata (e)).
    assert_eq!(
        at(
            "Mobile 3 - Require MFA for all Users",
            "all-users-with-groups"
        )
        .finding
        .field,
        "conditions.users.includeRoles"
    );
    // All users + block, report-only, no exclusion at all.
    let block = at("Legacy 2 - Block legacy auth", "all-users-block");
    assert_eq!(block.finding.severity, Severity::Warning);
    assert!(block.finding.message.contains("excludes nobody"));
    // Beta-only: v1.0 may not show it.
    assert_eq!(
        at(
            "Workplace 3 - Block non-compliant Browser to other apps",
            "beta-only-property"
        )
        .finding
        .field,
        "conditions.devices.includeDevices"
    );
    // The catch-22 on an On policy is an error.
    assert_eq!(
        at(
            "Win10Client_CA_Mobility_Policy_Deny",
            "blocks-security-info-registration"
        )
        .finding
        .severity,
        Severity::Error
    );
    // A user-modifiable-only filter, surfaced from the filter checker.
    assert_eq!(
        at("Workplace 4 - Require MFA", "user-modifiable-only")
            .finding
            .field,
        "conditions.devices.deviceFilter.rule"
    );
    // Deployed policies (with an id) only get a reminder about report-only.
    assert_eq!(
        at("CA.LegacyAuthBlock", "enabled-without-report-only")
            .finding
            .severity,
        Severity::Info
    );
    // Nothing declared is never guessed.
    let undeclared = lint(&denis, &LintConfig::default());
    assert!(undeclared
        .iter()
        .filter(|x| x.finding.code == "no-break-glass-exclusion")
        .all(|x| x
            .finding
            .message
            .starts_with("no break-glass accounts were declared")));
}

#[test]
fn duplicates_contradictions_and_overlaps() {
    let mfa = template(Template::MfaCompensating, RolloutState::ReportOnly);
    let mut block: Policy = mfa.clone();
    block.display_name = ca_builder::policy::Field::Value("Block the same".into());
    block.grant_controls.value_mut().unwrap().built_in_controls =
        ca_builder::policy::Field::Value(vec![ca_builder::policy::model::GrantControl::Block]);
    let mut off = mfa.clone();
    off.state = ca_builder::policy::Field::Value(ca_builder::policy::model::PolicyState::Disabled);
    let f = lint(&[mfa.clone(), block, mfa.clone(), off], &config());
    let c = find(&f, "contradictory-policies");
    assert_eq!((c.policy.index, c.related.as_ref().unwrap().index), (1, 0));
    assert!(
        c.finding
            .message
            .starts_with("#1 blocks exactly the sign-ins that #0 grants"),
        "{}",
        c.finding.message
    );
    let d = find(&f, "duplicate-policy");
    assert_eq!((d.policy.index, d.related.as_ref().unwrap().index), (2, 0));
    let names: Vec<(usize, usize)> = f
        .iter()
        .filter(|x| x.finding.code == "duplicate-display-name")
        .map(|x| (x.policy.index, x.related.as_ref().unwrap().index))
        .collect();
    assert_eq!(
        names,
        [(2, 0), (3, 0)],
        "a disabled copy still makes names ambiguous"
    );
    // The disabled copy takes part in no contradiction or duplicate-policy finding.
    assert!(f
        .iter()
        .filter(|x| x.finding.code != "duplicate-display-name")
        .all(|x| x.policy.index != 3 && x.related.as_ref().is_none_or(|r| r.index != 3)));
}

#[test]
fn naming_convention_is_a_glob_not_a_regex() {
    assert!(glob("CA??? - *", "CA001 - Require MFA"));
    assert!(!glob("CA??? - *", "CA01 - Require MFA"));
    assert!(glob("*MFA*", "Always require MFA - x"));
    assert!(!glob("ca*", "CA001"), "case-sensitive");
    assert!(
        glob("a.b", "a.b") && !glob("a.b", "axb"),
        "dots are literal"
    );
    let cfg = LintConfig {
        naming_pattern: Some("CA??? - *".into()),
        ..config()
    };
    let f = lint(
        &[template(
            Template::MfaCompensating,
            RolloutState::ReportOnly,
        )],
        &cfg,
    );
    let n = find(&f, "naming-convention");
    assert_eq!(n.finding.field, "displayName");
    assert_eq!(n.finding.severity, Severity::Warning);
}

#[test]
fn the_compliant_device_catch_22_in_lint() {
    let strict = policy(json!({
        "displayName": "Require compliant device", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": [BREAK_GLASS]}, "applications": {"includeApplications": ["All"]}},
        "grantControls": {"operator": "AND", "builtInControls": ["compliantDevice"]}
    }));
    let f = lint(&[strict], &config());
    let reg = find(&f, "blocks-security-info-registration");
    assert!(reg.is_error());
    assert!(reg
        .finding
        .fix
        .as_deref()
        .unwrap()
        .contains("Temporary Access Pass"));
}

#[test]
fn every_corpus_file_lints_without_panicking_and_findings_are_complete() {
    let mut total = 0;
    for (file, policies) in all_corpus() {
        for x in lint(&policies, &LintConfig::default()) {
            assert!(x.policy.index < policies.len(), "{file}");
            assert!(
                !x.finding.message.is_empty() && !x.finding.field.is_empty(),
                "{file}: {x:?}"
            );
            total += 1;
        }
    }
    assert!(total > 400, "{total}");
}

#[test]
fn controls_graph_refuses_next_to_an_authentication_strength_are_errors_with_a_fix() {
    let with = |controls: Value, strength: Value| {
        let mut p = seed_b();
        p["grantControls"] = json!({"operator": "OR", "builtInControls": controls, "authenticationStrength": strength});
        lint(&[policy(p)], &config())
    };
    let strength = json!({"id": "00000000-0000-0000-0000-000000000004"});
    let f = with(json!(["mfa"]), strength.clone());
    let x = find(&f, "control-with-authentication-strength");
    assert_eq!(
        (x.finding.severity, x.finding.field.as_str()),
        (Severity::Error, "grantControls.authenticationStrength")
    );
    assert!(
        x.finding.message.contains("can't be used together"),
        "{}",
        x.finding.message
    );
    assert!(x.finding.fix.as_deref().unwrap_or_default().contains("mfa"));
    // An expanded strength, as a GET with $expand returns it, counts the same.
    let expanded = json!({"id": "00000000-0000-0000-0000-000000000004", "displayName": "Phishing resistant MFA", "allowedCombinations": ["fido2"]});
    assert!(has(
        &with(json!(["mfa"]), expanded),
        "control-with-authentication-strength"
    ));
    assert!(has(
        &with(json!(["block"]), strength.clone()),
        "control-with-authentication-strength"
    ));
    assert!(!has(
        &with(json!([]), strength),
        "control-with-authentication-strength"
    ));
    assert!(!has(
        &with(json!(["mfa"]), Value::Null),
        "control-with-authentication-strength"
    ));
}
