//! Which exports are runnable: a policy Graph would refuse gets no script (the page lists its
//! errors instead, `ca-policy export` exits 1 naming the policy and the errors); errors Graph
//! accepts and warnings stay beside a runnable script.

use crate::support::cli;

use ca_builder::analysis::{lint, LintConfig, Severity};
use ca_builder::app::draft::{Action, Draft, StepKind};
use ca_builder::app::export::{blocked_policies, draft_readiness};
use ca_builder::policy::import::import_str;
use serde_json::json;

const PILOT: &str = "5e769024-0f21-4be0-af23-dd6045caa1c9";
const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";

fn pilot_index(d: &Draft) -> usize {
    d.steps
        .iter()
        .position(|s| s.kind == StepKind::Pilot)
        .unwrap()
}

fn codes(problems: &[ca_builder::app::export::Problem]) -> Vec<&str> {
    problems.iter().map(|p| p.code.as_str()).collect()
}

#[test]
fn a_pilot_without_a_group_is_not_runnable_and_says_why() {
    let mut d = Draft::new();
    d.apply(Action::SetBreakGlassUsers(vec![BREAK_GLASS.into()]));
    let i = pilot_index(&d);
    let r = draft_readiness(&d, i);
    assert!(!r.is_runnable());
    let blocking = codes(&r.blocking);
    assert!(blocking.contains(&"no-users-included"), "{blocking:?}");
    assert!(blocking.contains(&"form-pilot-group"), "{blocking:?}");
    let empty = r
        .blocking
        .iter()
        .find(|p| p.code == "no-users-included")
        .unwrap();
    assert_eq!(empty.field, "conditions.users.includeUsers");
    assert_eq!(empty.severity, Severity::Error);
    assert!(r.blocking.iter().all(|p| p.severity == Severity::Error));

    // Given the group, the same step is runnable, its warnings beside it.
    d.apply(Action::Select(i));
    d.apply(Action::SetPilotGroup(PILOT.into()));
    let r = draft_readiness(&d, i);
    assert!(r.is_runnable(), "{:?}", r.blocking);
    assert!(r.beside.iter().all(|p| p.severity != Severity::Info));
}

#[test]
fn errors_graph_accepts_stay_beside_the_script() {
    // Nothing declared: the form's break-glass error is read beside a runnable script.
    let d = Draft::new();
    let r = draft_readiness(&d, 0);
    assert!(r.is_runnable(), "{:?}", r.blocking);
    assert!(
        codes(&r.beside).contains(&"form-break-glass-users"),
        "{:?}",
        r.beside
    );
    assert_eq!(r.beside[0].severity, Severity::Error, "errors first");
}

#[test]
fn the_lint_reports_an_empty_user_include_and_not_a_workload_policy() {
    let empty = import_str(
        &json!({"displayName": "p", "conditions": {"users": {"includeUsers": [], "includeGroups": [], "includeRoles": []}}})
            .to_string(),
    )
    .unwrap()
    .policies;
    let found = lint(&empty, &LintConfig::default());
    assert!(found
        .iter()
        .any(|f| f.finding.code == "no-users-included" && f.is_error()));
    for conditions in [
        json!({"users": {"includeUsers": ["None"]}}),
        json!({"users": {"includeGroups": [PILOT]}}),
        json!({"users": {"includeUsers": [], "includeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "b2bCollaborationGuest", "externalTenants": {"@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", "membershipKind": "all"}}}}),
        json!({"users": {"includeUsers": []}, "clientApplications": {"includeServicePrincipals": ["ServicePrincipalsInMyTenant"]}}),
    ] {
        let p = import_str(&json!({"displayName": "p", "conditions": conditions}).to_string())
            .unwrap()
            .policies;
        let found = lint(&p, &LintConfig::default());
        assert!(
            !found.iter().any(|f| f.finding.code == "no-users-included"),
            "{conditions}"
        );
    }
}

#[test]
fn blocked_policies_name_each_policy_with_its_errors() {
    let ok = json!({"displayName": "fine", "state": "enabledForReportingButNotEnforced", "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}}, "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}});
    let bad = json!({"displayName": "empty pilot", "state": "enabledForReportingButNotEnforced", "conditions": {"users": {"includeUsers": [], "includeGroups": []}, "applications": {"includeApplications": ["All"]}}, "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}});
    let set = import_str(&json!([ok, bad]).to_string()).unwrap().policies;
    let blocked = blocked_policies(&set);
    assert_eq!(blocked.len(), 1);
    assert_eq!(
        (blocked[0].index, blocked[0].name.as_str()),
        (1, "empty pilot")
    );
    assert_eq!(codes(&blocked[0].errors), ["no-users-included"]);
    assert!(blocked_policies(&set[..1]).is_empty());
}

#[test]
fn the_cli_refuses_a_policy_graph_would_refuse() {
    let bad = json!({"displayName": "Pilot: require MFA", "state": "enabledForReportingButNotEnforced", "conditions": {"users": {"includeUsers": [], "includeGroups": []}, "applications": {"includeApplications": ["All"]}}, "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}});
    let path = cli::temp_file("app_export", "empty-pilot.json", bad.to_string().as_bytes());
    let path = path.to_str().unwrap();
    for format in ["json", "powershell", "powershell-invoke", "terraform"] {
        let r = cli::ca_policy(&["export", "--format", format, path], b"");
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{format}: nothing to run");
        assert!(
            r.stderr.contains("policy 0 (\"Pilot: require MFA\")")
                && r.stderr
                    .contains("no-users-included at conditions.users.includeUsers"),
            "{format}: {}",
            r.stderr
        );
    }
    // The same policy with its group exports.
    let mut good = bad.clone();
    good["conditions"]["users"]["includeGroups"] = json!([PILOT]);
    let path = cli::temp_file("app_export", "pilot.json", good.to_string().as_bytes());
    let r = cli::ca_policy(&["export", "--format", "json", path.to_str().unwrap()], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
}
