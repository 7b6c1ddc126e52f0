//! The risk templates as Microsoft recommends them, the lints for the risk controls, join state
//! and the retired approved-client-app control, and the audit's authentication-strength loop and
//! Microsoft-managed policies. Each check has a case that fires and Microsoft's own documented
//! examples as cases that must not.

use crate::support::{analysis, cli, schema};

use analysis::*;
use ca_builder::analysis::{audit, lint, BreakGlass, LintConfig, Severity};
use ca_builder::builders::strength::{
    self, StrengthLoop, CREDENTIAL_REGISTRATION_APP, STRENGTH_PLACEHOLDER,
};
use ca_builder::policy::{Policy, RolloutState, Template, TemplateParams};
use schema::{assert_valid, Schema};
use serde_json::{json, Value};

const MFA: &str = "00000000-0000-0000-0000-000000000002";
const PHISHING_RESISTANT: &str = "00000000-0000-0000-0000-000000000004";
const PILOT: &str = "5e769024-0f21-4be0-af23-dd6045caa1c9";
const GLOBAL_ADMIN: &str = "62e90394-69f5-4237-9190-012177145e10";

fn every_time() -> Value {
    json!({ "signInFrequency": { "isEnabled": true, "frequencyInterval": "everyTime",
            "authenticationType": "primaryAndSecondaryAuthentication" } })
}

fn config() -> LintConfig {
    LintConfig {
        break_glass_users: vec![BREAK_GLASS.into()],
        ..Default::default()
    }
}

fn lint_codes(p: &Policy) -> Vec<(&'static str, Severity)> {
    lint(std::slice::from_ref(p), &config())
        .into_iter()
        .map(|f| (f.finding.code, f.finding.severity))
        .collect()
}

fn has(p: &Policy, code: &str) -> bool {
    lint_codes(p).iter().any(|(c, _)| *c == code)
}

fn audit_codes(p: &Policy) -> Vec<&'static str> {
    audit(p, &BreakGlass::default())
        .into_iter()
        .map(|f| f.code)
        .collect()
}

fn severity_of(p: &Policy, code: &str) -> Severity {
    lint_codes(p)
        .into_iter()
        .find(|(c, _)| *c == code)
        .unwrap_or_else(|| panic!("no {code}: {:?}", lint_codes(p)))
        .1
}

fn params() -> TemplateParams {
    TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        pilot_group: Some(PILOT.into()),
        ..Default::default()
    }
}

/// Microsoft's minimal "User risk high - require risk remediation" body.
fn risk_remediation_example() -> Value {
    json!({
        "displayName": "User risk high - require risk remediation",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "users": { "includeUsers": ["All"], "excludeUsers": [BREAK_GLASS] },
            "applications": { "includeApplications": ["All"] },
            "userRiskLevels": ["high"],
            "clientAppTypes": ["all"]
        },
        "grantControls": { "operator": "AND", "builtInControls": ["riskRemediation"],
                           "authenticationStrength": { "id": MFA } },
        "sessionControls": every_time()
    })
}

/// Graph What-If Example 3's user-risk policy: `AND [mfa, passwordChange]`.
fn password_change_example() -> Value {
    json!({
        "displayName": "All Users - All resources - user risk H - Password change",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "users": { "includeUsers": ["All"], "excludeUsers": [BREAK_GLASS] },
            "applications": { "includeApplications": ["All"] },
            "userRiskLevels": ["high"],
            "clientAppTypes": ["all"]
        },
        "grantControls": { "operator": "AND", "builtInControls": ["mfa", "passwordChange"] }
    })
}

fn with(mut v: Value, pointer: &str, value: Value) -> Value {
    *v.pointer_mut(pointer).unwrap() = value;
    v
}

// ---- the templates ----

#[test]
fn risk_templates_are_valid_and_lint_clean() {
    let ca = Schema::load();
    for t in [Template::UserRisk, Template::SignInRisk] {
        let p = t.build(&params()).unwrap();
        assert_valid(&ca, &p.to_post_body(), t.name());
        let found = lint_codes(&p);
        assert!(
            found.iter().all(|(_, s)| *s == Severity::Info),
            "{}: {found:?}",
            t.name()
        );
        assert_eq!(strength::strength_loop(&p), None);
    }
    let ur = Template::UserRisk.build(&params()).unwrap().to_post_body();
    assert_eq!(
        ur["grantControls"]["builtInControls"],
        json!(["riskRemediation"])
    );
    assert_eq!(ur["grantControls"]["operator"], "AND");
    assert_eq!(ur["sessionControls"], every_time());
    let sr = Template::SignInRisk
        .build(&params())
        .unwrap()
        .to_post_body();
    assert_eq!(
        sr["conditions"]["signInRiskLevels"],
        json!(["high", "medium"])
    );
    assert_eq!(
        sr["grantControls"]["authenticationStrength"],
        json!({ "id": MFA })
    );
    assert_eq!(sr["sessionControls"], every_time());
    assert_eq!(
        ca_builder::builders::risk::sign_in_risk_policy(&params()).unwrap(),
        Template::SignInRisk.build(&params()).unwrap()
    );
}

#[test]
fn cli_risk_templates_explain_the_choice_licence_hybrid_users_and_retirement() {
    for (name, needles) in [
        (
            "user-risk",
            &[
                "risk remediation",
                "passwordless",
                "P2",
                "password writeback",
                "1 October 2026",
                "MFA registration policy",
            ][..],
        ),
        (
            "sign-in-risk",
            &["Multifactor authentication", "P2", "1 October 2026"][..],
        ),
    ] {
        let r = cli::ca_policy(&["template", name, "--exclude-user", BREAK_GLASS], b"");
        assert_eq!(r.code, 0, "{}", r.stderr);
        let body: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(body["sessionControls"], every_time(), "{name}");
        for n in needles {
            assert!(r.stderr.contains(n), "{name}: {n:?} in {}", r.stderr);
        }
    }
    let help = cli::ca_policy(&["template", "--help"], b"");
    assert!(help.stdout.contains("sign-in-risk"), "{}", help.stdout);
}

// ---- passwordChange and riskRemediation ----

#[test]
fn microsofts_risk_patterns_raise_no_rule_error() {
    let strength_pattern = json!({
        "displayName": "User risk - password change with a strength",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "users": { "includeUsers": ["All"], "excludeUsers": [BREAK_GLASS] },
            "applications": { "includeApplications": ["All"], "excludeApplications": [] },
            "userRiskLevels": ["high"]
        },
        "grantControls": { "operator": "AND", "builtInControls": ["passwordChange"],
                           "authenticationStrength": { "id": MFA } },
        "sessionControls": every_time()
    });
    for v in [
        risk_remediation_example(),
        password_change_example(),
        strength_pattern,
    ] {
        let p = policy(v);
        let found = lint_codes(&p);
        assert!(
            found.iter().all(|(_, s)| *s != Severity::Error),
            "{}: {found:?}",
            p.display_name.value().unwrap()
        );
        for code in [
            "password-change-rules",
            "risk-remediation-rules",
            "control-with-authentication-strength",
        ] {
            assert!(!has(&p, code), "{code}: {found:?}");
        }
    }
}

#[test]
fn password_change_rules_fire_on_what_graph_refuses() {
    let base = password_change_example();
    let or = policy(with(base.clone(), "/grantControls/operator", json!("OR")));
    assert_eq!(severity_of(&or, "password-change-rules"), Severity::Error);
    let alone = policy(with(
        base.clone(),
        "/grantControls/builtInControls",
        json!(["passwordChange"]),
    ));
    assert_eq!(
        severity_of(&alone, "password-change-rules"),
        Severity::Error
    );
    let no_risk = policy(with(base.clone(), "/conditions/userRiskLevels", json!([])));
    assert_eq!(
        severity_of(&no_risk, "password-change-rules"),
        Severity::Error
    );
    let platforms = policy(with(
        base.clone(),
        "/conditions/clientAppTypes",
        json!(["browser"]),
    ));
    let f = lint(&[platforms], &config());
    let other = f
        .iter()
        .find(|f| f.finding.code == "password-change-rules")
        .expect("other conditions");
    assert!(
        other.finding.message.contains("clientAppTypes"),
        "{}",
        other.finding.message
    );
    assert_eq!(other.finding.severity, Severity::Error);
    let some_apps = policy(with(
        base,
        "/conditions/applications",
        json!({ "includeApplications": ["Office365"] }),
    ));
    assert_eq!(
        severity_of(&some_apps, "password-change-rules"),
        Severity::Warning
    );
}

#[test]
fn risk_remediation_rules_fire_on_what_graph_refuses() {
    let base = risk_remediation_example();
    let both = policy(with(
        base.clone(),
        "/grantControls/builtInControls",
        json!(["riskRemediation", "passwordChange"]),
    ));
    assert_eq!(
        severity_of(&both, "risk-remediation-rules"),
        Severity::Error
    );
    assert!(
        !has(&both, "password-change-rules"),
        "one finding for the pair"
    );
    let mut no_strength = base.clone();
    no_strength["grantControls"]
        .as_object_mut()
        .unwrap()
        .remove("authenticationStrength");
    assert_eq!(
        severity_of(&policy(no_strength), "risk-remediation-rules"),
        Severity::Error
    );
    let or = policy(with(base.clone(), "/grantControls/operator", json!("OR")));
    assert_eq!(severity_of(&or, "risk-remediation-rules"), Severity::Error);
    let mut no_sif = base.clone();
    no_sif.as_object_mut().unwrap().remove("sessionControls");
    assert_eq!(
        severity_of(&policy(no_sif), "risk-remediation-rules"),
        Severity::Warning
    );
    let mut sign_in = with(base, "/conditions/userRiskLevels", json!([]));
    sign_in["conditions"]["signInRiskLevels"] = json!(["high"]);
    assert_eq!(
        severity_of(&policy(sign_in), "risk-remediation-rules"),
        Severity::Warning
    );
}

#[test]
fn the_older_user_risk_pattern_is_flagged_in_the_audit() {
    let old = policy(password_change_example());
    let f = audit(&old, &BreakGlass::default());
    let legacy = f
        .iter()
        .find(|f| f.code == "password-change-for-user-risk")
        .expect("flagged");
    assert_eq!(legacy.severity, Severity::Warning);
    assert!(
        legacy.message.contains("passwordless"),
        "{}",
        legacy.message
    );
    assert!(
        legacy.message.contains("1 October 2026"),
        "{}",
        legacy.message
    );
    assert!(legacy.fix.as_deref().unwrap().contains("riskRemediation"));
    assert!(!audit_codes(&policy(risk_remediation_example()))
        .contains(&"password-change-for-user-risk"));
    assert!(
        !audit_codes(&template(Template::UserRisk, RolloutState::ReportOnly))
            .contains(&"password-change-for-user-risk")
    );
}

// ---- the authentication-strength loop ----

fn pilot_with(strength: Value) -> Value {
    json!({
        "displayName": "Pilot passkeys",
        "state": "enabled",
        "conditions": {
            "users": { "includeGroups": [PILOT] },
            "applications": { "includeApplications": ["All"] }
        },
        "grantControls": { "operator": "OR", "authenticationStrength": strength }
    })
}

#[test]
fn the_strength_loop_is_found_in_imported_policies() {
    let loops = [
        (
            pilot_with(json!({ "id": PHISHING_RESISTANT })),
            StrengthLoop::AllResources,
        ),
        (
            pilot_with(
                json!({ "id": "7e2b0ec4-5a93-4f7b-a5e3-1c1a3c5b2f10", "displayName": "Passkey in Microsoft Authenticator",
                                "allowedCombinations": ["fido2"] }),
            ),
            StrengthLoop::AllResources,
        ),
        (
            json!({
                "displayName": "Register security info with passkeys",
                "state": "enabled",
                "conditions": {
                    "users": { "includeUsers": ["All"], "excludeUsers": [BREAK_GLASS] },
                    "applications": { "includeUserActions": ["urn:user:registersecurityinfo"] }
                },
                "grantControls": { "operator": "OR", "authenticationStrength": { "id": PHISHING_RESISTANT } }
            }),
            StrengthLoop::Registration,
        ),
    ];
    for (v, kind) in loops {
        let p = policy(v);
        assert_eq!(strength::strength_loop(&p), Some(kind));
        let f = audit(&p, &BreakGlass::default());
        let l = f
            .iter()
            .find(|f| f.code == "authentication-strength-loop")
            .unwrap_or_else(|| panic!("{f:#?}"));
        assert_eq!(l.severity, Severity::Error, "the policy is On");
        let fix = l.fix.as_deref().unwrap();
        match kind {
            StrengthLoop::AllResources => {
                assert!(fix.contains("instead of All resources"), "{fix}");
                assert!(fix.contains("split by platform"), "{fix}");
                assert!(fix.contains(CREDENTIAL_REGISTRATION_APP), "{fix}");
            }
            StrengthLoop::Registration => assert!(fix.contains("Temporary Access Pass"), "{fix}"),
        }
        // The lint passes the audit's error on.
        assert_eq!(
            severity_of(&p, "authentication-strength-loop"),
            Severity::Error
        );
    }
    let report_only = policy(with(
        pilot_with(json!({ "id": PHISHING_RESISTANT })),
        "/state",
        json!("enabledForReportingButNotEnforced"),
    ));
    assert_eq!(
        severity_of(&report_only, "authentication-strength-loop"),
        Severity::Warning
    );
}

#[test]
fn the_documented_ways_out_are_not_loops() {
    let strength = json!({ "id": PHISHING_RESISTANT });
    let resources = with(
        pilot_with(strength.clone()),
        "/conditions/applications",
        json!({ "includeApplications": ["Office365"] }),
    );
    let excluded = with(
        pilot_with(strength.clone()),
        "/conditions/applications",
        json!({ "includeApplications": ["All"], "excludeApplications": [CREDENTIAL_REGISTRATION_APP] }),
    );
    let mut desktop = pilot_with(strength.clone());
    desktop["conditions"]["platforms"] =
        json!({ "includePlatforms": ["windows", "macOS", "linux"] });
    let mut desktop_by_exclusion = pilot_with(strength);
    desktop_by_exclusion["conditions"]["platforms"] =
        json!({ "includePlatforms": ["all"], "excludePlatforms": ["android", "iOS"] });
    let mut mobile = pilot_with(json!({ "id": MFA }));
    mobile["conditions"]["platforms"] = json!({ "includePlatforms": ["android", "iOS"] });
    // What-If Example 3's registration policy: the MFA strength, which a TAP meets.
    let registration = json!({
        "displayName": "User action RS info - Auth strength MFA",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "users": { "includeUsers": ["All"], "excludeUsers": [BREAK_GLASS] },
            "applications": { "includeUserActions": ["urn:user:registersecurityinfo"] }
        },
        "grantControls": { "operator": "OR", "authenticationStrength": { "id": MFA } },
        "sessionControls": every_time()
    });
    // Another control under OR is a way past the strength.
    let mut or_compliant = pilot_with(json!({ "id": PHISHING_RESISTANT }));
    or_compliant["grantControls"]["builtInControls"] = json!(["compliantDevice"]);
    for v in [
        resources,
        excluded,
        desktop,
        desktop_by_exclusion,
        mobile,
        registration,
        or_compliant,
    ] {
        let p = policy(v);
        assert_eq!(strength::strength_loop(&p), None, "{:?}", p.to_post_body());
        assert!(!audit_codes(&p).contains(&"authentication-strength-loop"));
        assert!(!has(&p, "authentication-strength-loop"));
    }
    for t in Template::ALL {
        let p = t.build(&params()).unwrap();
        assert_eq!(strength::strength_loop(&p), None, "{}", t.name());
    }
}

#[test]
fn the_rollout_refuses_to_build_the_loop() {
    for (slug, t, kind) in [
        ("pilot", Template::Pilot, StrengthLoop::AllResources),
        (
            "protect-registration",
            Template::ProtectRegistration,
            StrengthLoop::Registration,
        ),
    ] {
        let p = t.build(&params()).unwrap();
        assert_eq!(
            strength::loop_if_required(&p, STRENGTH_PLACEHOLDER),
            Some(kind)
        );
        let r = cli::ca_policy(
            &[
                "rollout",
                "--script",
                "--pilot-group",
                PILOT,
                "--strength-for",
                slug,
            ],
            b"",
        );
        assert_eq!(r.code, 1, "{slug}: {}", r.stderr);
        assert!(r.stdout.is_empty());
        assert!(
            r.stderr.contains(&format!("--strength-for {slug}")),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains(kind.why()), "{}", r.stderr);
        assert!(r.stderr.contains(kind.ways_out()), "{}", r.stderr);
    }
    // The draft's pilot with the passkey strength, as the page would build it: the audit says so.
    let mut p = Template::Pilot.build(&params()).unwrap();
    strength::require_strength(&mut p, STRENGTH_PLACEHOLDER).unwrap();
    assert!(audit_codes(&p).contains(&"authentication-strength-loop"));
    let r = cli::ca_policy(&["rollout", "--script", "--pilot-group", PILOT], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// The registration loop of the first test, as a file would hold it.
fn registration_loop() -> Value {
    json!({
        "displayName": "Register security info with passkeys",
        "state": "enabled",
        "conditions": {
            "users": { "includeUsers": ["All"], "excludeUsers": [BREAK_GLASS] },
            "applications": { "includeUserActions": ["urn:user:registersecurityinfo"] }
        },
        "grantControls": { "operator": "OR", "authenticationStrength": { "id": PHISHING_RESISTANT } },
        "sessionControls": every_time()
    })
}

/// `ca-policy lint` reads imported policies: the loop is one finding (the lint passes the
/// audit's on, it has no second copy), an error for a policy that is On, with why and the
/// documented ways out, in text and JSON.
#[test]
fn ca_policy_lint_reports_the_strength_loop_once_with_why_and_the_ways_out() {
    for (v, kind) in [
        (
            pilot_with(json!({ "id": PHISHING_RESISTANT })),
            StrengthLoop::AllResources,
        ),
        (registration_loop(), StrengthLoop::Registration),
    ] {
        let input = v.to_string();
        let r = cli::ca_policy(&["lint", "--json", "-"], input.as_bytes());
        assert_eq!(r.code, 1, "an error finding: {}", r.stderr);
        let found: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
        let loops: Vec<&Value> = found
            .iter()
            .filter(|f| f["code"] == "authentication-strength-loop")
            .collect();
        assert_eq!(loops.len(), 1, "{found:#?}");
        assert_eq!(loops[0]["severity"], "error");
        assert!(
            loops[0]["message"].as_str().unwrap().contains(kind.why()),
            "{}",
            loops[0]
        );
        assert_eq!(loops[0]["fix"], kind.ways_out());
        let r = cli::ca_policy(&["lint", "-"], input.as_bytes());
        assert_eq!(r.code, 1);
        assert_eq!(
            r.stdout
                .matches("error[authentication-strength-loop]")
                .count(),
            1,
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains(&format!("help: {}", kind.ways_out())),
            "{}",
            r.stdout
        );
    }
    // Microsoft's registration policy (the MFA strength, which a TAP meets): no loop.
    let mut mfa = registration_loop();
    mfa["grantControls"]["authenticationStrength"]["id"] = json!(MFA);
    let r = cli::ca_policy(&["lint", "--json", "-"], mfa.to_string().as_bytes());
    assert!(
        !r.stdout.contains("authentication-strength-loop"),
        "{}",
        r.stdout
    );
}

/// The page's checks panel lints every step of the draft as one set, with the declared
/// break-glass accounts, and lists the open step's findings (`ui::checks`): a step whose strength
/// makes the loop shows it once, a warning while the step is Report-only, with why and the
/// ways out; the MFA strength on the registration step does not.
#[test]
fn the_drafts_checks_show_the_strength_loop_of_the_open_step() {
    use ca_builder::app::draft::{Action, Draft, StepKind};
    let checks = |d: &Draft| {
        let policies: Vec<Policy> = (0..d.steps.len()).map(|i| d.effective_policy(i)).collect();
        let config = LintConfig {
            break_glass_users: d.break_glass.users.clone(),
            break_glass_groups: d.break_glass.groups.clone(),
            naming_pattern: None,
        };
        lint(&policies, &config)
            .into_iter()
            .filter(|f| f.policy.index == d.current)
            .map(|f| f.finding)
            .collect::<Vec<_>>()
    };
    for (step, strength, kind) in [
        (
            StepKind::MfaCompensating,
            PHISHING_RESISTANT,
            Some(StrengthLoop::AllResources),
        ),
        (
            StepKind::ProtectRegistration,
            PHISHING_RESISTANT,
            Some(StrengthLoop::Registration),
        ),
        (StepKind::ProtectRegistration, MFA, None),
    ] {
        let mut d = Draft::new();
        d.apply(Action::SetBreakGlassUsers(vec![BREAK_GLASS.into()]));
        let i = d.steps.iter().position(|s| s.kind == step).unwrap();
        d.apply(Action::Select(i));
        // The strength replaces the built-in mfa control, as the form's check asks.
        d.apply(Action::SetGrantControls(vec![]));
        d.apply(Action::SetAuthenticationStrength(strength.into()));
        let loops: Vec<_> = checks(&d)
            .into_iter()
            .filter(|f| f.code == "authentication-strength-loop")
            .collect();
        match kind {
            Some(kind) => {
                assert_eq!(loops.len(), 1, "{step:?}: {loops:#?}");
                assert_eq!(loops[0].severity, Severity::Warning, "Report-only draft");
                assert!(
                    loops[0].message.contains(kind.why()),
                    "{}",
                    loops[0].message
                );
                assert_eq!(loops[0].fix.as_deref(), Some(kind.ways_out()));
                // Switched On, the same finding is an error.
                d.apply(Action::SetState(
                    ca_builder::policy::model::PolicyState::Enabled,
                ));
                let on: Vec<_> = checks(&d)
                    .into_iter()
                    .filter(|f| f.code == "authentication-strength-loop")
                    .collect();
                assert_eq!(on.len(), 1);
                assert_eq!(on[0].severity, Severity::Error);
            }
            None => assert!(loops.is_empty(), "{step:?}: {loops:#?}"),
        }
    }
}

// ---- join state, approved client app, Microsoft-managed policies ----

#[test]
fn joined_devices_exempt_fires_on_the_compensating_filter_only() {
    let compensating = template(Template::MfaCompensating, RolloutState::ReportOnly);
    assert_eq!(
        severity_of(&compensating, "joined-devices-exempt"),
        Severity::Warning
    );
    let f = lint(&[compensating], &config());
    let fix = f
        .iter()
        .find(|f| f.finding.code == "joined-devices-exempt")
        .and_then(|f| f.finding.fix.clone())
        .unwrap();
    assert!(
        fix.contains("\"mfa\", \"compliantDevice\", \"domainJoinedDevice\""),
        "{fix}"
    );
    assert!(fix.contains("operator OR"), "{fix}");
    // Microsoft's template "Require compliant or hybrid joined device or MFA", and the
    // hardening filter (compliant or hybrid joined only), do not.
    let grant_or = policy(json!({
        "displayName": "Require compliant or hybrid joined device or MFA",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "users": { "includeUsers": ["All"], "excludeUsers": [BREAK_GLASS] },
            "applications": { "includeApplications": ["All"] },
            "clientAppTypes": ["all"]
        },
        "grantControls": { "operator": "OR",
                           "builtInControls": ["mfa", "compliantDevice", "domainJoinedDevice"] }
    }));
    for p in [
        grant_or,
        template(Template::Hardening, RolloutState::ReportOnly),
    ] {
        assert!(!has(&p, "joined-devices-exempt"), "{:?}", lint_codes(&p));
    }
    let off = template(Template::MfaCompensating, RolloutState::Disabled);
    assert!(!has(&off, "joined-devices-exempt"));
}

#[test]
fn approved_client_app_is_linted_and_app_protection_is_not() {
    let approved = |controls: Value| {
        policy(json!({
            "displayName": "Mobile apps",
            "state": "enabled",
            "conditions": {
                "users": { "includeUsers": ["All"], "excludeUsers": [BREAK_GLASS] },
                "applications": { "includeApplications": ["Office365"] },
                "platforms": { "includePlatforms": ["android", "iOS"] }
            },
            "grantControls": { "operator": "OR", "builtInControls": controls }
        }))
    };
    let only = approved(json!(["approvedApplication"]));
    assert_eq!(
        severity_of(&only, "approved-client-app-retired"),
        Severity::Error
    );
    let both = approved(json!(["approvedApplication", "compliantApplication"]));
    assert_eq!(
        severity_of(&both, "approved-client-app-retired"),
        Severity::Warning
    );
    // The migration page's replacement.
    let migrated = approved(json!(["compliantApplication"]));
    assert!(!has(&migrated, "approved-client-app-retired"));
}

#[test]
fn microsoft_managed_phishing_resistant_admin_policies_are_flagged() {
    let managed = |name: &str, grant: Value| {
        policy(json!({
            "displayName": name,
            "state": "enabledForReportingButNotEnforced",
            "conditions": {
                "users": { "includeRoles": [GLOBAL_ADMIN] },
                "applications": { "includeApplications": ["MicrosoftAdminPortals"] }
            },
            "grantControls": grant
        }))
    };
    let phish = managed(
        "Microsoft-managed: Require phishing resistant authentication for admins",
        json!({ "operator": "OR", "authenticationStrength": { "id": PHISHING_RESISTANT } }),
    );
    let f = audit(&phish, &BreakGlass::default());
    let m = f
        .iter()
        .find(|f| f.code == "microsoft-managed-policy")
        .unwrap();
    assert_eq!(m.severity, Severity::Warning);
    assert!(m.message.contains("no passkey"), "{}", m.message);
    assert!(m.fix.as_deref().unwrap().contains("pilot admins"));
    // An admin's own copy (Duplicate) with the same strength on admin roles: the same risk.
    let copy = managed(
        "CA010 - Admins - phishing-resistant MFA",
        json!({ "operator": "OR", "authenticationStrength": { "id": PHISHING_RESISTANT } }),
    );
    assert!(audit_codes(&copy).contains(&"microsoft-managed-policy"));
    // "MFA for admins accessing Microsoft Admin portals": any MFA works, so only a fact.
    let mfa = managed(
        "Microsoft-managed: Multifactor authentication for admins accessing Microsoft Admin Portals",
        json!({ "operator": "OR", "builtInControls": ["mfa"] }),
    );
    let f = audit(&mfa, &BreakGlass::default());
    let m = f
        .iter()
        .find(|f| f.code == "microsoft-managed-policy")
        .unwrap();
    assert_eq!(m.severity, Severity::Info);
    // What-If Example 3's admin policy (an admin's own, MFA) is not flagged.
    let own = managed(
        "All admin roles - All resources - MFA",
        json!({ "operator": "OR", "builtInControls": ["mfa"] }),
    );
    assert!(!audit_codes(&own).contains(&"microsoft-managed-policy"));
}
