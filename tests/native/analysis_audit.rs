//! Audit codes (the audit table's `data-findings`) on the templates and on real corpus policies.

use crate::support::analysis;

use analysis::*;
use ca_builder::analysis::{audit, BreakGlass, Finding, Severity};
use ca_builder::policy::{Policy, RolloutState, Template};
use serde_json::json;

const DENIS_2021: &str = "denis-beuermann__ConditionalAccess/archive/20210629-Policies.json";
const ALEX_201: &str = "AlexFilipin__ConditionalAccess/PolicyRepository/Base protection/201 - RING - Base protection - Register security information Require MFA or trusted device or trusted location For internal users.json";

fn codes(f: &[Finding]) -> Vec<&'static str> {
    f.iter().map(|f| f.code).collect()
}

fn declared() -> BreakGlass {
    BreakGlass {
        users: vec![BREAK_GLASS.into()],
        groups: vec![],
    }
}

fn named<'a>(ps: &'a [Policy], name: &str) -> &'a Policy {
    ps.iter()
        .find(|p| p.display_name.value().map(String::as_str) == Some(name))
        .unwrap_or_else(|| panic!("no policy {name}"))
}

#[test]
fn templates_are_clean_apart_from_facts() {
    for t in Template::ALL {
        let p = if t == Template::Pilot {
            t.build(&ca_builder::policy::TemplateParams {
                exclude_users: vec![BREAK_GLASS.into()],
                pilot_group: Some("5e769024-0f21-4be0-af23-dd6045caa1c9".into()),
                ..Default::default()
            })
            .unwrap()
        } else {
            template(t, RolloutState::ReportOnly)
        };
        let f = audit(&p, &declared());
        assert!(
            f.iter().all(|f| f.severity == Severity::Info),
            "{}: {f:#?}",
            t.name()
        );
        let expected: &[&str] = match t {
            Template::UserRisk => &["report-only", "uses-user-risk"],
            Template::SignInRisk => &["report-only", "uses-sign-in-risk"],
            _ => &["report-only"],
        };
        assert_eq!(codes(&f), expected, "{}", t.name());
    }
    let risk = audit(
        &template(Template::UserRisk, RolloutState::Enabled),
        &declared(),
    );
    let ur = risk.iter().find(|f| f.code == "uses-user-risk").unwrap();
    assert_eq!(ur.field, "conditions.userRiskLevels");
    assert_eq!(
        ur.message,
        "applies at user risk high (needs Microsoft Entra ID P2)"
    );
}

#[test]
fn break_glass_is_checked_against_declared_accounts_only() {
    let p = template(Template::MfaCompensating, RolloutState::Enabled);
    assert!(!codes(&audit(&p, &declared())).contains(&"no-break-glass-exclusion"));
    // Another declared account that the policy does not exclude: an error (On, all users).
    let other = BreakGlass {
        users: vec![
            BREAK_GLASS.into(),
            "11111111-2222-3333-4444-555555555555".into(),
        ],
        groups: vec![],
    };
    let f = audit(&p, &other);
    let bg = f
        .iter()
        .find(|f| f.code == "no-break-glass-exclusion")
        .expect("missing account found");
    assert_eq!(bg.severity, Severity::Error);
    assert!(
        bg.message.starts_with(
            "break-glass account(s) 11111111-2222-3333-4444-555555555555 not excluded"
        ),
        "{}",
        bg.message
    );
    // A declared group excluded covers everyone.
    let mut grouped = p.clone();
    grouped
        .conditions
        .value_mut()
        .unwrap()
        .users
        .value_mut()
        .unwrap()
        .exclude_groups =
        ca_builder::policy::model::strings(["0216fb01-188f-4676-8079-af5ac19418af"]);
    let g = BreakGlass {
        users: other.users.clone(),
        groups: vec!["0216FB01-188F-4676-8079-AF5AC19418AF".into()],
    };
    assert!(!codes(&audit(&grouped, &g)).contains(&"no-break-glass-exclusion"));
    // Nothing declared: say so, never guess.
    let f = audit(&p, &BreakGlass::default());
    let bg = f
        .iter()
        .find(|f| f.code == "no-break-glass-exclusion")
        .unwrap();
    assert_eq!(bg.severity, Severity::Warning);
    assert!(
        bg.message
            .starts_with("no break-glass accounts were declared"),
        "{}",
        bg.message
    );
    assert!(
        bg.message.contains("excludes 1 user(s) and 0 group(s)"),
        "{}",
        bg.message
    );
}

#[test]
fn corpus_compliant_device_and_registration_findings() {
    let denis = corpus(DENIS_2021);
    // Grant compliantDevice alone, Windows only: requires a compliant device, and phones are
    // outside its platform condition, so registration on a phone is not blocked.
    let paw = audit(
        named(&denis, "CloudPAW.CA.RequireCompliantDevice"),
        &declared(),
    );
    let cd = paw
        .iter()
        .find(|f| f.code == "requires-compliant-device")
        .expect("compliantDevice found");
    assert_eq!(cd.field, "grantControls.builtInControls");
    assert_eq!(cd.message, "requires a device marked as compliant");
    assert!(!codes(&paw).contains(&"blocks-security-info-registration"));
    // All resources, browser + mobile apps, compliant device, any platform, Report-only: the
    // catch-22, as a warning while it is only reported.
    let admin = audit(
        named(&denis, "Admin 1 - Require compliant device"),
        &declared(),
    );
    let reg = admin
        .iter()
        .find(|f| f.code == "blocks-security-info-registration")
        .expect("catch-22 found");
    assert_eq!(reg.severity, Severity::Warning);
    assert_eq!(reg.field, "conditions.applications.includeApplications");
    assert!(reg.message.contains("All resources"), "{}", reg.message);
    // MFA AND compliant device: still unsatisfiable.
    let mdm = audit(named(&denis, "CA_Mobility_Policy_MDM"), &declared());
    let cd = mdm
        .iter()
        .find(|f| f.code == "requires-compliant-device")
        .unwrap();
    assert_eq!(
        cd.message,
        "requires a device marked as compliant, together with multifactor authentication"
    );
    // Risk policies (errata (c): counted, not compared with null).
    let ur = audit(named(&denis, "User Risk 2 - Block Access"), &declared());
    assert!(codes(&ur).contains(&"uses-user-risk"));
    assert!(!codes(&ur).contains(&"uses-sign-in-risk"));
    assert!(
        !codes(&ur).contains(&"blocks-security-info-registration"),
        "a risk-scoped block is by design"
    );
    assert!(codes(&audit(
        named(&denis, "Sign-in Risk 1 - Require MFA"),
        &declared()
    ))
    .contains(&"uses-sign-in-risk"));
}

#[test]
fn registration_policy_with_an_mfa_alternative_is_not_a_catch_22() {
    // AlexFilipin 201: the user action, MFA OR compliant OR hybrid — an unmanaged phone passes with MFA.
    let p = &corpus(ALEX_201)[0];
    let f = audit(p, &declared());
    assert!(codes(&f).contains(&"requires-compliant-device"));
    assert!(codes(&f).contains(&"requires-hybrid-joined-device"));
    assert!(
        !codes(&f).contains(&"blocks-security-info-registration"),
        "{f:#?}"
    );
    // The same policy without MFA is the catch-22, on the user action.
    let mut strict = p.clone();
    let g = strict.grant_controls.value_mut().unwrap();
    g.built_in_controls = ca_builder::policy::Field::Value(vec![
        ca_builder::policy::model::GrantControl::CompliantDevice,
        ca_builder::policy::model::GrantControl::DomainJoinedDevice,
    ]);
    let f = audit(&strict, &declared());
    let reg = f
        .iter()
        .find(|f| f.code == "blocks-security-info-registration")
        .expect("catch-22");
    assert_eq!(reg.field, "conditions.applications.includeUserActions");
}

#[test]
fn user_risk_levels_null_is_not_user_risk() {
    let p = policy(json!({
        "displayName": "x", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": [BREAK_GLASS]}, "applications": {"includeApplications": ["All"]}, "userRiskLevels": null, "signInRiskLevels": []},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    }));
    let f = audit(&p, &declared());
    assert!(!codes(&f).contains(&"uses-user-risk"));
    assert!(!codes(&f).contains(&"uses-sign-in-risk"));
}

#[test]
fn beta_only_device_state_is_flagged_with_the_errata_a_correction() {
    let denis = corpus(DENIS_2021);
    let f = audit(
        named(
            &denis,
            "Workplace 2 - Allow non-compliant Browser to O365 with MFA and Session Controls",
        ),
        &declared(),
    );
    let beta: Vec<&Finding> = f
        .iter()
        .filter(|f| f.code == "beta-only-property")
        .collect();
    assert_eq!(
        beta.iter().map(|f| f.field.as_str()).collect::<Vec<_>>(),
        [
            "conditions.devices.includeDevices",
            "conditions.devices.excludeDevices"
        ]
    );
    // Null beta properties (a beta GET echoes them) are not a use.
    assert!(!codes(&audit(
        named(&denis, "CloudPAW.CA.RequireCompliantDevice"),
        &declared()
    ))
    .contains(&"beta-only-property"));
    let p = policy(json!({
        "displayName": "seed (a)", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"], "excludeUsers": [BREAK_GLASS]}, "applications": {"includeApplications": ["All"]},
                       "devices": {"includeDeviceStates": ["All"], "excludeDeviceStates": ["Compliant"]}},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    }));
    let f = audit(&p, &declared());
    let ds = f
        .iter()
        .find(|f| f.field == "conditions.devices.includeDeviceStates")
        .unwrap();
    assert!(ds
        .message
        .contains("requiring a compliant device is the grant control compliantDevice"));
}
