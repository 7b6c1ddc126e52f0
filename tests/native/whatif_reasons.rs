//! The `whatIfAnalysisReasons` members Microsoft lists without saying when the service returns
//! them (`notEnoughInformation`, `emptyPolicy`, `time`; whatIfAnalysisResult, v1.0,
//! <https://learn.microsoft.com/graph/api/resources/whatifanalysisresult?view=graph-rest-1.0>):
//! `time` is owed by no v1.0 policy (the condition set has no time condition), and where a
//! result could have been one of the other two the output says what it assumed instead — in
//! `ca-policy whatif --json`'s verdict and on the page (the comparison's offline side).

use ca_builder::analysis::whatif::evaluate::{EMPTY_POLICY, NOT_ENOUGH_INFORMATION};
use ca_builder::app::draft::Draft;
use ca_builder::app::whatif::WhatIfForm;
use ca_builder::app::whatif_compare::offline;
use ca_builder::app::whatif_file::to_request;
use ca_builder::names::Lookup;
use serde_json::{json, Value};

use crate::support::{cli, schema::Schema};

const USER: &str = "15dc174b-f34c-4588-ac45-61d6e05dce93";
const EXCHANGE: &str = "00000002-0000-0ff1-ce00-000000000000";

/// A temporary file of its own (tests run in parallel).
fn file(name: &str, v: &Value) -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = format!("{n}-{name}");
    cli::temp_file(
        "whatif_reasons",
        &name,
        serde_json::to_string(v).unwrap().as_bytes(),
    )
    .display()
    .to_string()
}

fn policy(id: &str, users: Value, client_apps: Value) -> Value {
    json!({"id": id, "displayName": id, "state": "enabled",
           "conditions": {"users": users, "applications": {"includeApplications": ["All"]},
                          "clientAppTypes": client_apps},
           "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}})
}

/// `ca-policy whatif --json` over `policies` for a member signing in to Exchange Online with
/// `conditions`: (each policy's analysisReasons by id, the verdict's notes).
fn run(policies: &Value, conditions: Value) -> (Vec<(String, String)>, Vec<String>) {
    let request = json!({
        "signInIdentity": {"@odata.type": "#microsoft.graph.userSignIn", "userId": USER},
        "signInContext": {"@odata.type": "#microsoft.graph.applicationContext", "includeApplications": [EXCHANGE]},
        "signInConditions": conditions});
    let r = cli::ca_policy(
        &[
            "whatif",
            "--json",
            "--policies",
            &file("policies.json", policies),
            &file("request.json", &request),
        ],
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out: Value = serde_json::from_str(&r.stdout).unwrap();
    let reasons = out["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_string(),
                p["analysisReasons"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let notes = out["verdict"]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    (reasons, notes)
}

#[test]
fn no_v1_policy_can_owe_time_the_condition_set_has_no_time_condition() {
    // The basis for never returning `time`: v1.0's conditionalAccessConditionSet, from the
    // schema the export is checked against.
    let names: Vec<String> = Schema::load()
        .properties_of("conditionalAccessConditionSet")
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert!(names.contains(&"users".to_string()), "{names:?}");
    assert!(
        !names.iter().any(|n| {
            let n = n.to_ascii_lowercase();
            n.contains("time") || n.contains("schedule") || n.contains("day")
        }),
        "a time condition appeared in v1.0: {names:?}; the engine must evaluate it and may owe `time`"
    );
}

#[test]
fn a_condition_the_request_leaves_out_is_answered_with_its_member_and_the_assumption_stated() {
    let policies = json!([policy(
        "browser-only",
        json!({"includeUsers": ["All"]}),
        json!(["browser"])
    )]);
    // No clientAppType: the policy on browsers does not apply (documented), with `clientApps`
    // (the member is the assumption, and it is said).
    let (reasons, notes) = run(&policies, json!({"devicePlatform": "windows"}));
    assert_eq!(
        reasons,
        [("browser-only".to_string(), "clientApps".to_string())]
    );
    let note = notes
        .iter()
        .find(|n| n.starts_with(NOT_ENOUGH_INFORMATION))
        .unwrap_or_else(|| panic!("the assumption is stated: {notes:#?}"));
    assert!(
        note.contains("notEnoughInformation") && note.contains("clientAppType"),
        "{note}"
    );
    // Given, and not matching: the same member, and nothing was assumed about it.
    let (reasons, notes) = run(
        &policies,
        json!({"devicePlatform": "windows", "clientAppType": "mobileAppsAndDesktopClients"}),
    );
    assert_eq!(
        reasons,
        [("browser-only".to_string(), "clientApps".to_string())]
    );
    assert!(
        !notes.iter().any(|n| n.starts_with(NOT_ENOUGH_INFORMATION)),
        "{notes:#?}"
    );
}

#[test]
fn a_policy_that_includes_nobody_is_answered_with_users_and_the_assumption_stated() {
    let empty = policy(
        "nobody",
        json!({"includeUsers": [], "includeGroups": []}),
        json!(["all"]),
    );
    let everyone = policy("everyone", json!({"includeUsers": ["All"]}), json!(["all"]));
    let conditions = json!({"devicePlatform": "windows", "clientAppType": "browser"});
    let (reasons, notes) = run(&json!([empty, everyone.clone()]), conditions.clone());
    assert_eq!(
        reasons,
        [
            ("nobody".to_string(), "users".to_string()),
            ("everyone".to_string(), "notSet".to_string())
        ]
    );
    assert!(notes.iter().any(|n| n == EMPTY_POLICY), "{notes:#?}");
    assert!(EMPTY_POLICY.contains("emptyPolicy"));
    // A policy that targets someone says nothing about emptyPolicy.
    let (_, notes) = run(&json!([everyone]), conditions);
    assert!(!notes.iter().any(|n| n == EMPTY_POLICY), "{notes:#?}");
}

#[test]
fn the_page_states_the_same_assumption_for_its_pilot_step_without_a_pilot_group() {
    // The draft's pilot step has no pilot group yet: its users condition includes nobody. The
    // page's offline side of the tenant comparison carries the verdict's notes.
    let draft = Draft::new();
    let form = WhatIfForm {
        resource: "app".into(),
        ..WhatIfForm::default()
    };
    let w = to_request(&form).unwrap();
    let off = offline(&w.request, &form, &draft, &[], true, None, Lookup::Offline).unwrap();
    assert!(
        off.notes.iter().any(|n| n == EMPTY_POLICY),
        "{:#?}",
        off.notes
    );
}

#[test]
fn where_the_tenant_answers_empty_policy_the_comparison_says_what_offline_assumed() {
    use ca_builder::app::whatif_compare::compare;
    use ca_builder::graph::flows::PolicyList;
    use ca_builder::graph::ops::{ServiceAnswer, ServicePolicy};
    use ca_builder::graph::ApiVersion;
    const NOBODY: &str = "11111111-2222-3333-4444-00000000000e";
    let tenant = PolicyList {
        version: ApiVersion::V1,
        policies: ca_builder::policy::import::import_bytes(
            serde_json::to_string(&policy(
                NOBODY,
                json!({"includeUsers": [], "includeGroups": []}),
                json!(["all"]),
            ))
            .unwrap()
            .as_bytes(),
        )
        .unwrap(),
        unreadable: vec![],
        pages: 1,
        truncated: false,
    };
    let draft = Draft::new();
    let form = WhatIfForm {
        resource: "app".into(),
        ..WhatIfForm::default()
    };
    let w = to_request(&form).unwrap();
    let off = offline(
        &w.request,
        &form,
        &draft,
        &[],
        true,
        Some(&tenant),
        Lookup::Offline,
    )
    .unwrap();
    let service = ServiceAnswer {
        policies: vec![ServicePolicy {
            id: NOBODY.into(),
            name: NOBODY.into(),
            state: "enabled".into(),
            applies: false,
            reasons: "emptyPolicy".into(),
        }],
        more: false,
    };
    let c = compare(&off, &service);
    let row = c
        .rows
        .iter()
        .find(|r| r.id.as_deref() == Some(NOBODY))
        .unwrap();
    assert!(
        row.why
            .iter()
            .any(|w| w.starts_with("emptyPolicy: Microsoft does not document")),
        "{:#?}",
        row.why
    );
    assert!(
        c.notes.iter().any(|n| n.contains(EMPTY_POLICY)),
        "{:#?}",
        c.notes
    );
}
