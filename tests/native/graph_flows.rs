//! The flows (deploy, pilot, audit, monitor) and the send loop (retries, cancellation,
//! progress) against the in-memory fake Graph, through the same `Transport` trait the browser
//! transport implements.

use crate::support::fake_transport::forward;
use ca_builder::export::graph_json::pretty_body;
use ca_builder::graph::flows::{self, DeployPlan, PilotRequest};
use ca_builder::graph::ops::{RegistrationQuery, SignInQuery};
use ca_builder::graph::{
    ApiVersion, Cancel, Cloud, ErrorKind, Graph, GraphOp, Progress, Request, Response, Token,
    Transport, TransportError,
};
use ca_builder::policy::templates::{group_body, Template, TemplateParams};
use ca_builder::policy::Policy;
use fake_graph::{graph_token, Failure, FakeGraph};
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

const NOW: i64 = 1_714_564_800; // Wed, 01 May 2024 12:00:00 GMT

/// The browser transport's contract, in memory: adds the bearer header from a [`Token`],
/// records sleeps instead of sleeping, can fail the next sends at the network level.
struct FakeTransport {
    graph: FakeGraph,
    token: Token,
    sleeps: RefCell<Vec<Duration>>,
    network_failures: Cell<u32>,
}

impl FakeTransport {
    fn new(graph: &FakeGraph) -> FakeTransport {
        FakeTransport {
            graph: graph.clone(),
            token: Token::parse(&raw_token()).unwrap(),
            sleeps: RefCell::new(vec![]),
            network_failures: Cell::new(0),
        }
    }
}

fn raw_token() -> String {
    graph_token(
        NOW + 3600,
        "Policy.Read.All Policy.ReadWrite.ConditionalAccess Group.ReadWrite.All AuditLog.Read.All",
    )
}

impl Transport for FakeTransport {
    async fn send(&self, request: &Request, cancel: &Cancel) -> Result<Response, TransportError> {
        if cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        if self.network_failures.get() > 0 {
            self.network_failures.set(self.network_failures.get() - 1);
            return Err(TransportError::Network("Failed to fetch".into()));
        }
        assert_eq!(
            request.url.host(),
            "graph.microsoft.com",
            "only the connected cloud's host"
        );
        Ok(forward(&self.graph, &self.token, request))
    }

    async fn sleep(&self, duration: Duration) {
        self.sleeps.borrow_mut().push(duration);
    }

    fn now_unix(&self) -> i64 {
        NOW
    }

    fn redact(&self, text: &str) -> String {
        self.token.redact(text).into_owned()
    }
}

fn graph(fake: &FakeGraph) -> (Graph<FakeTransport>, Rc<RefCell<Vec<Progress>>>) {
    let log = Rc::new(RefCell::new(vec![]));
    let sink = log.clone();
    let g = Graph::new(FakeTransport::new(fake), Cloud::Global)
        .on_progress(move |p| sink.borrow_mut().push(p.clone()));
    (g, log)
}

fn slept(g: &Graph<FakeTransport>) -> Duration {
    g.transport.sleeps.borrow().iter().sum()
}

fn draft(name: &str) -> Policy {
    Template::MfaCompensating
        .build(&TemplateParams {
            display_name: Some(name.into()),
            exclude_users: vec!["aaaaaaaa-0000-0000-0000-000000000001".into()],
            ..Default::default()
        })
        .unwrap()
}

fn stored_policy(name: &str) -> Value {
    json!({"displayName": name, "state": "enabled", "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}}})
}

fn requests_line(fake: &FakeGraph) -> Vec<String> {
    fake.requests()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path()))
        .collect()
}

// ---------------------------------------------------------------- audit load and paging

#[tokio::test(flavor = "current_thread")]
async fn audit_load_follows_every_page_with_the_pasted_token() {
    let fake = FakeGraph::new();
    for i in 0..5 {
        fake.add_policy(stored_policy(&format!("Policy {i}")));
    }
    let (g, progress) = graph(&fake);
    let list = flows::load_policies(&g, ApiVersion::V1, 50).await.unwrap();
    let names: Vec<&str> = list
        .policies
        .iter()
        .map(|p| p.display_name.value().unwrap().as_str())
        .collect();
    assert_eq!(
        names,
        ["Policy 0", "Policy 1", "Policy 2", "Policy 3", "Policy 4"]
    );
    assert_eq!((list.pages, list.truncated), (3, false));
    let reqs = fake.requests();
    assert_eq!(reqs.len(), 3);
    for r in &reqs {
        assert_eq!(
            r.header("authorization"),
            Some(format!("Bearer {}", raw_token()).as_str())
        );
        assert_eq!(r.header("prefer"), Some("include-unknown-enum-members"));
    }
    assert_eq!(
        reqs[2].target,
        "/v1.0/identity/conditionalAccess/policies?$skiptoken=4"
    );
    let pages: Vec<(usize, usize)> = progress
        .borrow()
        .iter()
        .filter_map(|p| match p {
            Progress::Page { page, items, .. } => Some((*page, *items)),
            _ => None,
        })
        .collect();
    assert_eq!(pages, [(1, 2), (2, 4), (3, 5)]);

    let capped = flows::load_policies(&g, ApiVersion::Beta, 2).await.unwrap();
    assert_eq!((capped.policies.len(), capped.truncated), (4, true));
}

#[tokio::test(flavor = "current_thread")]
async fn a_next_link_to_another_host_is_refused_and_never_contacted() {
    let fake = FakeGraph::new();
    for i in 0..3 {
        fake.add_policy(stored_policy(&format!("P{i}")));
    }
    fake.set_link_origin("https://graph.microsoft.com.evil.example");
    let (g, _) = graph(&fake);
    let e = flows::load_policies(&g, ApiVersion::V1, 50)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert!(
        e.message.contains("graph.microsoft.com.evil.example"),
        "{}",
        e.message
    );
    assert_eq!(
        fake.requests().len(),
        1,
        "the hostile page was not requested"
    );
}

// ---------------------------------------------------------------- retries

#[tokio::test(flavor = "current_thread")]
async fn a_429_waits_retry_after_then_succeeds() {
    let fake = FakeGraph::new();
    fake.add_policy(stored_policy("P"));
    fake.fail_once(
        "GET",
        "/identity/conditionalAccess/policies",
        429,
        Some("3"),
    );
    let (g, progress) = graph(&fake);
    let list = flows::load_policies(&g, ApiVersion::V1, 50).await.unwrap();
    assert_eq!(list.policies.len(), 1);
    assert_eq!(
        slept(&g),
        Duration::from_secs(3),
        "waited exactly Retry-After"
    );
    assert_eq!(fake.requests().len(), 2);
    let countdown: Vec<u64> = progress
        .borrow()
        .iter()
        .filter_map(|p| match p {
            Progress::Waiting {
                status: Some(429),
                seconds_left,
                next_attempt: 2,
                ..
            } => Some(*seconds_left),
            _ => None,
        })
        .collect();
    assert_eq!(countdown.first(), Some(&3));
    assert_eq!(countdown.last(), Some(&1));
    assert!(progress.borrow().contains(&Progress::Sending {
        op: GraphOp::ListPolicies,
        attempt: 2
    }));
}

#[tokio::test(flavor = "current_thread")]
async fn a_503_with_an_http_date_is_honoured() {
    let fake = FakeGraph::new();
    fake.fail_once(
        "GET",
        "/identity/conditionalAccess/policies",
        503,
        Some("Wed, 01 May 2024 12:00:05 GMT"),
    );
    let (g, _) = graph(&fake);
    flows::load_policies(&g, ApiVersion::V1, 50).await.unwrap();
    assert_eq!(slept(&g), Duration::from_secs(5));
}

#[tokio::test(flavor = "current_thread")]
async fn throttling_that_does_not_stop_gives_up_after_four_attempts() {
    let fake = FakeGraph::new();
    fake.fail(Failure {
        method: "GET".into(),
        path_prefix: "/identity".into(),
        status: 429,
        code: "TooManyRequests".into(),
        message: "Too many requests".into(),
        retry_after: None,
        times: 100,
        skip: 0,
    });
    let (g, _) = graph(&fake);
    let e = flows::load_policies(&g, ApiVersion::V1, 50)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Throttled { retry_after: None });
    assert_eq!(e.attempts, 4);
    assert_eq!(fake.requests().len(), 4);
    assert_eq!(
        slept(&g),
        Duration::from_secs(1 + 2 + 4),
        "exponential backoff"
    );
    assert!(
        e.user_message().contains("gave up after 4 attempts"),
        "{}",
        e.user_message()
    );
    assert_eq!(e.request_id.as_deref(), Some("fake-request-4"));
}

#[tokio::test(flavor = "current_thread")]
async fn a_long_retry_after_is_reported_not_waited() {
    let fake = FakeGraph::new();
    fake.fail_once("GET", "/identity", 429, Some("3600"));
    let (g, _) = graph(&fake);
    let e = flows::load_policies(&g, ApiVersion::V1, 50)
        .await
        .unwrap_err();
    assert_eq!(e.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(slept(&g), Duration::ZERO);
    assert!(e.user_message().contains("wait 3600 s"));
}

#[tokio::test(flavor = "current_thread")]
async fn network_failures_retry_reads_but_never_resend_a_create() {
    let fake = FakeGraph::new();
    let (g, _) = graph(&fake);
    g.transport.network_failures.set(1);
    flows::load_policies(&g, ApiVersion::V1, 50).await.unwrap();
    assert_eq!(
        fake.requests().len(),
        1,
        "first send failed before reaching the server, second succeeded"
    );

    g.transport.network_failures.set(1);
    let e = flows::create_policy(&g, &draft("New")).await.unwrap_err();
    assert_eq!((e.kind.clone(), e.attempts), (ErrorKind::Network, 1));
    assert!(e.user_message().contains("may still have been applied"));
    assert!(fake.policies().is_empty());
}

// ---------------------------------------------------------------- errors from flows

#[tokio::test(flavor = "current_thread")]
async fn forbidden_and_bad_request_name_what_to_fix() {
    let fake = FakeGraph::new();
    let (g, _) = graph(&fake);
    fake.fail_once("GET", "/identity", 403, None);
    let e = flows::load_policies(&g, ApiVersion::V1, 50)
        .await
        .unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Forbidden {
            needed: vec!["Policy.Read.All"]
        }
    );
    assert_eq!(e.code.as_deref(), Some("AccessDenied"));
    assert_eq!(e.date.as_deref(), Some("2024-05-01T12:00:00"));

    fake.fail_once("POST", "/identity/conditionalAccess/policies", 400, None);
    let e = flows::create_policy(&g, &draft("X")).await.unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::BadRequest {
            field: Some("conditions.users.includeFoo".into())
        }
    );
    assert_eq!(e.attempts, 1, "a 400 is not retried");
}

// ---------------------------------------------------------------- deploy

#[tokio::test(flavor = "current_thread")]
async fn deploy_creates_when_the_name_is_free_and_offers_an_update_on_retry() {
    let fake = FakeGraph::new();
    fake.add_policy(stored_policy("Someone else's policy"));
    let (g, _) = graph(&fake);
    let d = draft("Require MFA – Ada's pilot");
    let DeployPlan::Create { plan, note: None } = flows::plan_deploy(&g, &d).await.unwrap() else {
        panic!("expected create, with beta read")
    };
    assert_eq!(
        plan.request.body.as_deref(),
        Some(pretty_body(&d.to_post_body()).as_str())
    );
    // The preview lists every property the create sets, leaf by leaf.
    assert!(plan.changes.iter().all(|c| c.before.is_none()));
    assert!(plan
        .changes
        .iter()
        .any(|c| c.path == "conditions.users.excludeUsers"));
    let created = flows::create_policy(&g, &d).await.unwrap();
    assert!(created.created);
    let post = fake
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    assert_eq!(
        post.body,
        pretty_body(&d.to_post_body()),
        "the body sent is the export panel's JSON"
    );
    assert_eq!(post.header("content-type"), Some("application/json"));

    // Deploying the same draft again finds it by name (quote and en dash included): no duplicate.
    match flows::plan_deploy(&g, &d).await.unwrap() {
        DeployPlan::UpdateExisting {
            id, patch: None, ..
        } => assert_eq!(id, created.id),
        other => panic!("{other:?}"),
    }
    // A changed draft yields the PATCH that turns the stored policy into it.
    let mut changed = d.clone();
    changed
        .conditions
        .get_or_default()
        .users
        .get_or_default()
        .exclude_users = ca_builder::policy::model::strings([
        "aaaaaaaa-0000-0000-0000-000000000001",
        "aaaaaaaa-0000-0000-0000-000000000009",
    ]);
    let DeployPlan::UpdateExisting {
        id,
        patch: Some(plan),
        ..
    } = flows::plan_deploy(&g, &changed).await.unwrap()
    else {
        panic!("expected an update")
    };
    assert_eq!(plan.changes.len(), 1);
    assert_eq!(plan.changes[0].path, "conditions.users.excludeUsers");
    let updated = flows::apply_patch(&g, &id, &plan).await.unwrap();
    assert!(!updated.created);
    assert_eq!(
        updated.policy.to_value()["conditions"]["users"]["excludeUsers"],
        json!([
            "aaaaaaaa-0000-0000-0000-000000000001",
            "aaaaaaaa-0000-0000-0000-000000000009"
        ])
    );
    assert_eq!(fake.policies().len(), 2);
    let last_two: Vec<String> = requests_line(&fake).into_iter().rev().take(2).collect();
    assert_eq!(
        last_two,
        [
            format!("GET /v1.0/identity/conditionalAccess/policies/{id}"),
            format!("PATCH /v1.0/identity/conditionalAccess/policies/{id}")
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_update_whose_read_back_fails_is_told_apart_from_a_failed_update() {
    let fake = FakeGraph::new();
    let (g, _) = graph(&fake);
    let d = draft("Require MFA");
    let created = flows::create_policy(&g, &d).await.unwrap();
    let mut changed = d.clone();
    changed
        .conditions
        .get_or_default()
        .users
        .get_or_default()
        .exclude_users =
        ca_builder::policy::model::strings(["aaaaaaaa-0000-0000-0000-000000000009"]);
    let DeployPlan::UpdateExisting {
        id,
        patch: Some(plan),
        ..
    } = flows::plan_deploy(&g, &changed).await.unwrap()
    else {
        panic!("expected an update")
    };
    fake.fail_once(
        "GET",
        &format!("/identity/conditionalAccess/policies/{}", created.id),
        404,
        None,
    );
    let e = flows::apply_patch(&g, &id, &plan).await.unwrap_err();
    // The UI reads GetPolicy as "updated, but the read-back failed" (ui/graph_deploy.rs).
    assert_eq!(e.op, GraphOp::GetPolicy);
    assert_eq!(
        fake.policies()[0]["conditions"]["users"]["excludeUsers"],
        json!(["aaaaaaaa-0000-0000-0000-000000000009"])
    );
    // A refused PATCH carries the update's op instead.
    fake.fail_once("PATCH", "/identity/conditionalAccess/policies", 400, None);
    let e = flows::apply_patch(&g, &id, &plan).await.unwrap_err();
    assert_eq!(e.op, GraphOp::UpdatePolicy);
}

#[tokio::test(flavor = "current_thread")]
async fn deploy_refuses_to_guess_between_policies_with_the_same_name() {
    let fake = FakeGraph::new();
    let a = fake.add_policy(stored_policy("Dup"));
    let b = fake.add_policy(stored_policy("Dup"));
    let (g, _) = graph(&fake);
    assert_eq!(
        flows::plan_deploy(&g, &draft("Dup")).await.unwrap(),
        DeployPlan::Ambiguous { ids: vec![a, b] }
    );
}

/// The name check lists v1.0 and then beta, with the same filter.
fn name_check_lines(fake: &FakeGraph) -> Vec<String> {
    fake.requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path().ends_with("/identity/conditionalAccess/policies"))
        .map(|r| format!("{} {}?{}", r.method, r.path(), r.query()))
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn a_namesake_only_beta_lists_is_offered_as_an_update_not_duplicated() {
    let fake = FakeGraph::new();
    let hidden = fake.add_beta_only_policy(stored_policy("Require MFA"));
    let (g, _) = graph(&fake);
    // v1.0 alone does not show it: that is what made the check create a duplicate.
    let v1 = g
        .collect(
            ca_builder::graph::ops::find_policies_by_name(Cloud::Global, "Require MFA"),
            5,
        )
        .await
        .unwrap();
    assert!(v1.items.is_empty());
    let plan = flows::plan_deploy(&g, &draft("Require MFA")).await.unwrap();
    let DeployPlan::UpdateExisting {
        id,
        patch: Some(_),
        note: Some(note),
        ..
    } = plan
    else {
        panic!("expected an update of the beta-only policy: {plan:?}")
    };
    assert_eq!(id.as_str(), hidden);
    assert_eq!(note, flows::NameCheckNote::BetaOnly { id: id.clone() });
    assert!(note.text().contains(&hidden), "{}", note.text());
    let filter = "$filter=displayName eq 'Require MFA'";
    assert_eq!(
        name_check_lines(&fake)[1..],
        [
            format!("GET /v1.0/identity/conditionalAccess/policies?{filter}"),
            format!("GET /beta/identity/conditionalAccess/policies?{filter}"),
        ]
    );
    // Both lists are one answer (each policy once, by id): a v1.0 namesake next to the
    // beta-only one is two policies, so the plan refuses to guess.
    let visible = fake.add_policy(stored_policy("Require MFA"));
    assert_eq!(
        flows::plan_deploy(&g, &draft("Require MFA")).await.unwrap(),
        DeployPlan::Ambiguous {
            ids: vec![visible, hidden]
        }
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_policy_both_versions_list_is_one_namesake() {
    let fake = FakeGraph::new();
    let id = fake.add_policy(stored_policy("Require MFA"));
    let (g, _) = graph(&fake);
    match flows::plan_deploy(&g, &draft("Require MFA")).await.unwrap() {
        DeployPlan::UpdateExisting {
            id: found,
            note: None,
            ..
        } => assert_eq!(found.as_str(), id),
        other => panic!("{other:?}"),
    }
    assert_eq!(name_check_lines(&fake).len(), 2, "v1.0 and beta");
}

#[tokio::test(flavor = "current_thread")]
async fn a_beta_list_that_fails_still_creates_and_says_what_was_not_seen() {
    for (status, reason) in [
        (404, "not found, 404: the cloud may not offer beta"),
        (403, "permission denied, 403"),
        (400, "400 BadRequest"),
    ] {
        let fake = FakeGraph::new();
        // Only beta lists it, and beta refuses: the check cannot see it.
        fake.add_beta_only_policy(stored_policy("Require MFA"));
        fake.fail(Failure {
            method: "GET".into(),
            path_prefix: "/identity/conditionalAccess/policies".into(),
            status,
            code: match status {
                404 => "UnknownResource",
                403 => "AccessDenied",
                _ => "BadRequest",
            }
            .into(),
            message: "refused".into(),
            retry_after: None,
            times: 1,
            // v1.0's list goes through; beta's is the one refused.
            skip: 1,
        });
        let (g, _) = graph(&fake);
        let plan = flows::plan_deploy(&g, &draft("Require MFA")).await.unwrap();
        let DeployPlan::Create {
            note: Some(flows::NameCheckNote::BetaUnread(e)),
            ..
        } = &plan
        else {
            panic!("{status}: expected a create with a note: {plan:?}")
        };
        assert_eq!(e.status, Some(status));
        // Beta's list is the same operation: the same permission is named.
        assert_eq!(e.op, GraphOp::ListPolicies);
        if status == 403 {
            assert_eq!(
                e.kind,
                ErrorKind::Forbidden {
                    needed: vec!["Policy.Read.All"]
                }
            );
        }
        let DeployPlan::Create {
            note: Some(note), ..
        } = plan
        else {
            unreachable!()
        };
        let text = note.text();
        assert!(
            text.starts_with("Only v1.0 was searched for a policy with this name"),
            "{text}"
        );
        assert!(text.contains(&format!("({reason})")), "{text}");
        assert!(text.contains("beta-only features"), "{text}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_v1_list_that_fails_is_still_the_error() {
    let fake = FakeGraph::new();
    fake.fail_once("GET", "/identity/conditionalAccess/policies", 403, None);
    let (g, _) = graph(&fake);
    let e = flows::plan_deploy(&g, &draft("Require MFA"))
        .await
        .unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::Forbidden {
            needed: vec!["Policy.Read.All"]
        }
    );
    assert_eq!(
        name_check_lines(&fake).len(),
        1,
        "beta is not asked after v1.0 failed"
    );
}

// ---------------------------------------------------------------- pilot

fn pilot_request(members: &[&str]) -> PilotRequest {
    PilotRequest {
        group_name: "Pilot - passkeys".into(),
        members: members.iter().map(|s| s.to_string()).collect(),
        policy: draft("Always require MFA (pilot)"),
        update_existing: true,
    }
}

// ---------------------------------------------------------------- cancellation

#[tokio::test(flavor = "current_thread")]
async fn cancelling_stops_before_sending_and_during_a_retry_wait() {
    let fake = FakeGraph::new();
    let cancel = Cancel::new();
    let (g, _) = graph(&fake);
    let g = g.with_cancel(cancel.clone());
    cancel.cancel();
    let e = flows::load_policies(&g, ApiVersion::V1, 50)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Cancelled);
    assert!(fake.requests().is_empty());

    // Cancel from the progress callback while waiting out a Retry-After.
    let fake = FakeGraph::new();
    fake.fail_once("GET", "/identity", 429, Some("20"));
    let cancel = Cancel::new();
    let c = cancel.clone();
    let g = Graph::new(FakeTransport::new(&fake), Cloud::Global)
        .with_cancel(cancel.clone())
        .on_progress(move |p| {
            if let Progress::Waiting {
                seconds_left: 19, ..
            } = p
            {
                c.cancel();
            }
        });
    let e = flows::load_policies(&g, ApiVersion::V1, 50)
        .await
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Cancelled);
    assert!(
        slept(&g) < Duration::from_secs(2),
        "stopped waiting: {:?}",
        slept(&g)
    );
    assert_eq!(fake.requests().len(), 1, "no retry after cancel");

    // Hooks (abort an in-flight fetch) run once on cancel, and not after their guard is dropped.
    let cancel = Cancel::new();
    let hits = Rc::new(Cell::new(0));
    let h = hits.clone();
    let kept = cancel.on_cancel(move || h.set(h.get() + 1));
    let h = hits.clone();
    drop(cancel.on_cancel(move || h.set(h.get() + 10)));
    cancel.cancel();
    cancel.cancel();
    assert_eq!(hits.get(), 1);
    drop(kept);
}

// ---------------------------------------------------------------- monitor

#[tokio::test(flavor = "current_thread")]
async fn registration_events_and_failed_sign_ins_are_loaded() {
    let fake = FakeGraph::new();
    fake.add_directory_audit(json!({"id": "a1", "activityDateTime": "2024-05-01T09:00:00Z", "activityDisplayName": "User registered security info", "resultReason": "User registered FIDO2 security key"}));
    fake.add_directory_audit(json!({"id": "a2", "activityDateTime": "2024-05-01T11:00:00Z", "activityDisplayName": "User deleted security info"}));
    fake.add_directory_audit(json!({"id": "a3", "activityDateTime": "2024-05-01T10:00:00Z", "activityDisplayName": "Add member to group"}));
    fake.add_sign_in(json!({"id": "s1", "createdDateTime": "2024-05-01T08:00:00Z", "status": {"errorCode": 53000}}));
    fake.add_sign_in(json!({"id": "s2", "createdDateTime": "2024-05-01T08:30:00Z", "status": {"errorCode": 530002}}));
    let (g, _) = graph(&fake);
    let q = RegistrationQuery {
        activities: vec![
            "User registered security info".into(),
            "User deleted security info".into(),
        ],
        since_unix: Some(NOW - 86_400),
        top: 50,
    };
    let events = flows::load_registration_events(&g, &q, 10).await.unwrap();
    let ids: Vec<&str> = events.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids,
        ["a2", "a1"],
        "both activities, newest first, unrelated activity not matched"
    );
    assert!(events.entries[1].mentions_passkey());
    let sign_ins = flows::load_sign_ins(&g, &SignInQuery::default(), 10)
        .await
        .unwrap();
    let ids: Vec<&str> = sign_ins.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["s2", "s1"]);
    assert!(fake
        .requests()
        .iter()
        .all(|r| !r.target.contains("authenticationProtocol")));
}

// ---------------------------------------------------------------- passkey / TAP methods and the strength

mod auth_methods {
    use super::*;
    use ca_builder::builders::methods::{
        self, CurrentConfig, Method as AuthMethod, PasskeySettings,
    };
    use ca_builder::builders::{aaguid, StrengthSettings};
    use ca_builder::graph::auth_methods::{
        self as am, MethodPatchOutcome, Restriction, StrengthOutcome,
    };
    use ca_builder::guid::{Guid, GuidKind};

    const PILOT: &str = "11111111-2222-3333-4444-555555555555";
    const YUBIKEY: &str = "cb69481e-8ff7-4039-93ec-0a2729a154a8";

    /// The first read of a method configuration goes through; the second is refused (403).
    fn refuse_the_second_methods_read(fake: &FakeGraph) {
        fake.fail(Failure {
            method: "GET".into(),
            path_prefix: "/policies/authenticationMethodsPolicy".into(),
            status: 403,
            code: "AccessDenied".into(),
            message: "Insufficient privileges.".into(),
            retry_after: None,
            times: 1,
            skip: 1,
        });
    }

    fn tenant_with_a_yubikey_allowed(fake: &FakeGraph) {
        let mut c = fake.method_config("fido2");
        c["state"] = json!("enabled");
        c["keyRestrictions"] =
            json!({"isEnforced": true, "enforcementType": "allow", "aaGuids": [YUBIKEY]});
        c["includeTargets"] = json!([{"targetType": "group", "id": "99999999-0000-0000-0000-000000000001", "isRegistrationRequired": false}]);
        fake.set_method_config("fido2", c);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_passkey_patch_previewed_on_the_live_configuration_keeps_what_the_tenant_allows() {
        let fake = FakeGraph::new();
        tenant_with_a_yubikey_allowed(&fake);
        let (g, _) = graph(&fake);
        let read = am::read_method_config(&g, AuthMethod::Fido2).await.unwrap();
        assert!(!read.config.assumed);
        assert!(read.text.contains(YUBIKEY), "the response is shown as read");
        let patch = methods::fido2_patch(&PasskeySettings::new(PILOT), &read.config).unwrap();
        let outcome = am::apply_method_patch(&g, &patch).await.unwrap();
        let MethodPatchOutcome::Sent { after: Ok(after) } = outcome else {
            panic!("not sent: {outcome:?}")
        };
        // Sent exactly the previewed body: re-read, PATCH, read back.
        let reqs = fake.requests();
        let lines = requests_line(&fake);
        let path =
            "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";
        assert_eq!(
            lines,
            [
                format!("GET {path}"),
                format!("GET {path}"),
                format!("PATCH {path}"),
                format!("GET {path}")
            ]
        );
        assert_eq!(
            serde_json::from_str::<Value>(&reqs[2].body).unwrap(),
            patch.body
        );
        // The stored lists: the YubiKey and the old target are still there, Authenticator and the pilot added.
        let stored = fake.method_config("fido2");
        let aaguids: Vec<&str> = stored["keyRestrictions"]["aaGuids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(aaguids.contains(&YUBIKEY), "{aaguids:?}");
        for a in aaguid::authenticator() {
            assert!(aaguids.contains(&a.as_str()), "{aaguids:?}");
        }
        let targets: Vec<&str> = stored["includeTargets"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap())
            .collect();
        assert!(
            targets.contains(&"99999999-0000-0000-0000-000000000001") && targets.contains(&PILOT),
            "{targets:?}"
        );
        assert_eq!(
            after
                .config
                .key_restrictions
                .as_ref()
                .unwrap()
                .aaguids
                .len(),
            aaguids.len()
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_configuration_changed_since_the_preview_is_not_overwritten() {
        let fake = FakeGraph::new();
        let (g, _) = graph(&fake);
        // Previewed on the assumed default; meanwhile someone allowed a YubiKey.
        let patch = methods::fido2_patch(
            &PasskeySettings::new(PILOT),
            &CurrentConfig::service_default(AuthMethod::Fido2),
        )
        .unwrap();
        tenant_with_a_yubikey_allowed(&fake);
        let before = fake.method_config("fido2");
        let outcome = am::apply_method_patch(&g, &patch).await.unwrap();
        let MethodPatchOutcome::Changed { now } = outcome else {
            panic!("sent over a changed configuration")
        };
        assert!(now
            .config
            .key_restrictions
            .unwrap()
            .aaguids
            .contains(&YUBIKEY.to_string()));
        assert!(
            fake.requests().iter().all(|r| r.method == "GET"),
            "{:?}",
            requests_line(&fake)
        );
        assert_eq!(fake.method_config("fido2"), before);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_tap_patch_goes_to_its_own_configuration() {
        let fake = FakeGraph::new();
        let (g, _) = graph(&fake);
        let read = am::read_method_config(&g, AuthMethod::TemporaryAccessPass)
            .await
            .unwrap();
        let mut tap = methods::TapSettings::new(PILOT);
        tap.one_time = true;
        let patch = methods::tap_patch(&tap, &read.config).unwrap();
        assert!(matches!(
            am::apply_method_patch(&g, &patch).await.unwrap(),
            MethodPatchOutcome::Sent { .. }
        ));
        let stored = fake.method_config("TemporaryAccessPass");
        assert_eq!(stored["state"], json!("enabled"));
        assert_eq!(stored["isUsableOnce"], json!(true));
        assert_eq!(
            fake.method_config("fido2")["state"],
            json!("disabled"),
            "the passkey configuration is untouched"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_patch_whose_read_back_fails_still_reports_it_was_applied() {
        let fake = FakeGraph::new();
        let (g, _) = graph(&fake);
        let read = am::read_method_config(&g, AuthMethod::Fido2).await.unwrap();
        let patch = methods::fido2_patch(&PasskeySettings::new(PILOT), &read.config).unwrap();
        // The re-read before the PATCH goes through; the read-back after it is refused.
        refuse_the_second_methods_read(&fake);
        let outcome = am::apply_method_patch(&g, &patch).await.unwrap();
        let MethodPatchOutcome::Sent { after: Err(e) } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(e.op, GraphOp::ReadAuthMethodsPolicy);
        assert_eq!(
            fake.requests()
                .iter()
                .filter(|r| r.method == "PATCH")
                .count(),
            1
        );
        assert_eq!(
            fake.method_config("fido2")["state"],
            json!("enabled"),
            "the PATCH was applied"
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn both_configurations_are_read_or_neither() {
        let fake = FakeGraph::new();
        tenant_with_a_yubikey_allowed(&fake);
        let (g, _) = graph(&fake);
        let [(m1, fido2), (m2, tap)] = am::read_method_configs(&g).await.unwrap();
        assert_eq!(
            (m1, m2),
            (AuthMethod::Fido2, AuthMethod::TemporaryAccessPass)
        );
        assert!(
            fido2.text.contains(YUBIKEY),
            "the passkey read is the tenant's"
        );
        assert!(tap.text.contains("TemporaryAccessPass"), "{}", tap.text);
        // The passkey read goes through and the TAP read is refused: no pair, and the error
        // says which read failed.
        refuse_the_second_methods_read(&fake);
        let e = am::read_method_configs(&g).await.unwrap_err();
        assert_eq!(e.op, GraphOp::ReadAuthMethodsPolicy);
        let last = fake.requests().pop().unwrap();
        assert!(
            last.target.ends_with("/TemporaryAccessPass"),
            "{}",
            last.target
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_forbidden_patch_names_the_permission_and_role() {
        let fake = FakeGraph::new();
        fake.fail_once("PATCH", "/policies/authenticationMethodsPolicy", 403, None);
        let (g, _) = graph(&fake);
        let read = am::read_method_config(&g, AuthMethod::Fido2).await.unwrap();
        let patch = methods::fido2_patch(&PasskeySettings::new(PILOT), &read.config).unwrap();
        let e = am::apply_method_patch(&g, &patch).await.unwrap_err();
        assert_eq!(e.op, GraphOp::UpdateAuthMethod);
        let msg = e.user_message();
        assert!(
            msg.contains("Policy.ReadWrite.AuthenticationMethod"),
            "{msg}"
        );
        assert!(msg.contains("Authentication Policy Administrator"), "{msg}");
        assert_eq!(fake.method_config("fido2")["state"], json!("disabled"));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_strength_is_created_once_with_its_aaguid_restriction_and_reused_after() {
        let fake = FakeGraph::new();
        let (g, _) = graph(&fake);
        let settings = StrengthSettings::default();
        let first = am::ensure_strength(&g, &settings).await.unwrap();
        let StrengthOutcome::Created {
            id,
            restriction_error: None,
        } = &first
        else {
            panic!("{first:?}")
        };
        let combos = fake.combinations();
        assert_eq!(combos.len(), 1);
        assert_eq!(&combos[0].0, id);
        let allowed: Vec<&str> = combos[0].1["allowedAAGUIDs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(
            allowed,
            aaguid::authenticator()
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
        );
        let created = fake
            .strengths()
            .into_iter()
            .find(|s| s["id"] == json!(id))
            .unwrap();
        assert_eq!(created["allowedCombinations"], json!(["fido2"]));
        // Run again (a retry, a second admin): found by name, nothing new.
        let posts_before = fake
            .requests()
            .iter()
            .filter(|r| r.method == "POST")
            .count();
        let mut renamed_case = settings.clone();
        renamed_case.display_name = settings.display_name.to_uppercase();
        let second = am::ensure_strength(&g, &renamed_case).await.unwrap();
        assert_eq!(
            second,
            StrengthOutcome::Existing {
                id: id.clone(),
                restriction: Restriction::Same
            }
        );
        assert_eq!(
            fake.requests()
                .iter()
                .filter(|r| r.method == "POST")
                .count(),
            posts_before
        );
        assert!(second.summary(&settings.display_name).contains(id.as_str()));
        // Other AAGUIDs wanted: reported, not changed.
        let mut more = settings.clone();
        more.aaguids
            .push(Guid::parse(YUBIKEY, GuidKind::Aaguid).unwrap());
        let third = am::ensure_strength(&g, &more).await.unwrap();
        assert!(
            matches!(
                third,
                StrengthOutcome::Existing {
                    restriction: Restriction::Differs { .. },
                    ..
                }
            ),
            "{third:?}"
        );
        assert_eq!(fake.combinations().len(), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_strength_left_without_its_restriction_gets_it_on_the_next_run() {
        let fake = FakeGraph::new();
        fake.fail_once(
            "POST",
            "/identity/conditionalAccess/authenticationStrength",
            403,
            None,
        );
        let (g, _) = graph(&fake);
        let settings = StrengthSettings::default();
        let first = am::ensure_strength(&g, &settings).await.unwrap();
        let StrengthOutcome::Created {
            id,
            restriction_error: Some(e),
        } = &first
        else {
            panic!("{first:?}")
        };
        assert!(
            first.summary("x").contains("accepts any passkey"),
            "{}",
            first.summary("x")
        );
        assert_eq!(e.op, GraphOp::CreateAuthStrength);
        assert!(fake.combinations().is_empty());
        let second = am::ensure_strength(&g, &settings).await.unwrap();
        assert_eq!(
            second,
            StrengthOutcome::Existing {
                id: id.clone(),
                restriction: Restriction::Added
            }
        );
        assert_eq!(fake.combinations().len(), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_built_in_strength_name_is_refused_before_anything_is_sent() {
        let fake = FakeGraph::new();
        let (g, _) = graph(&fake);
        let s = StrengthSettings {
            display_name: "Phishing resistant MFA".into(),
            ..StrengthSettings::default()
        };
        let out = am::ensure_strength(&g, &s).await.unwrap();
        assert!(
            matches!(&out, StrengthOutcome::NameTaken { built_in: true, .. }),
            "{out:?}"
        );
        assert_eq!(out.id(), None);
        assert!(out.summary(&s.display_name).contains("built-in"));
        assert!(fake.requests().iter().all(|r| r.method == "GET"));
    }
}

// ---------------------------------------------------------------- the pilot as a plan, and TAPs

mod pilot_plan {
    use super::*;
    use ca_builder::app::onboarding;
    use ca_builder::app::pilot::{self, StepKind, StepState, NEW_GROUP_SHOWN};
    use ca_builder::app::AppError;
    use ca_builder::guid::{Guid, GuidKind};

    async fn planned(g: &Graph<FakeTransport>, members: &[&str]) -> pilot::PilotPlan {
        let req = pilot_request(members);
        let survey = pilot::survey(g, &req).await.unwrap();
        pilot::plan(&req, Cloud::Global, survey).unwrap()
    }

    fn writes(fake: &FakeGraph) -> Vec<(String, String)> {
        fake.requests()
            .into_iter()
            .filter(|r| r.method != "GET")
            .map(|r| (format!("{} {}", r.method, r.path()), r.body))
            .collect()
    }

    fn kinds(plan: &pilot::PilotPlan) -> Vec<StepKind> {
        plan.preview().into_iter().map(|s| s.kind).collect()
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_new_pilot_posts_the_group_then_the_policy_narrowed_to_it() {
        let fake = FakeGraph::new();
        let ada = fake.add_user("ada@contoso.example");
        let (g, _) = graph(&fake);
        let plan = planned(&g, &["ada@contoso.example"]).await;
        assert_eq!(
            requests_line(&fake),
            [
                "GET /v1.0/groups",
                "GET /v1.0/users/ada@contoso.example",
                "GET /v1.0/identity/conditionalAccess/policies",
                "GET /beta/identity/conditionalAccess/policies",
            ],
            "the group, the member and the policy (v1.0 and beta) are read; nothing is written"
        );
        let report = pilot::send(&g, &plan, |_, _| {}).await;
        assert!(report.failed.is_none(), "{report:?}");
        let gid = report.group.clone().unwrap().to_string();
        assert_eq!(
            requests_line(&fake)[4..],
            [
                "POST /v1.0/groups".to_string(),
                format!("POST /v1.0/groups/{gid}/members/$ref"),
                "POST /v1.0/identity/conditionalAccess/policies".to_string(),
            ]
        );
        assert_eq!(
            fake.requests()[4].body,
            pretty_body(&group_body("Pilot - passkeys"))
        );
        assert_eq!(fake.members(), [(gid.clone(), ada)]);
        let d = report.policy.clone().expect("the created policy");
        let users = &d.policy.to_value()["conditions"]["users"];
        assert_eq!(users["includeUsers"], json!([]));
        assert_eq!(users["includeGroups"], json!([gid]));
        assert_eq!(
            users["excludeUsers"],
            json!(["aaaaaaaa-0000-0000-0000-000000000001"]),
            "break-glass kept"
        );
        assert!(report.summary(&plan).contains(&gid));
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_refused_policy_write_names_the_group_that_exists() {
        // The policy is read before anything is written: a refused read creates nothing.
        let fake = FakeGraph::new();
        fake.fail_once("GET", "/identity/conditionalAccess/policies", 403, None);
        let (g, _) = graph(&fake);
        let e = pilot::survey(&g, &pilot_request(&[])).await.unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::Forbidden {
                needed: vec!["Policy.Read.All"]
            }
        );
        assert!(writes(&fake).is_empty() && fake.groups().is_empty());

        // The confirmed create is refused after the group was made: the report names the group.
        let fake = FakeGraph::new();
        let (g, _) = graph(&fake);
        let plan = planned(&g, &[]).await;
        fake.fail_once("POST", "/identity/conditionalAccess/policies", 403, None);
        let report = pilot::send(&g, &plan, |_, _| {}).await;
        let (label, e) = report.failed.clone().unwrap();
        assert_eq!(
            label,
            "Create the policy \"Always require MFA (pilot)\", narrowed to \"Pilot - passkeys\""
        );
        assert_eq!(
            e.kind,
            ErrorKind::Forbidden {
                needed: vec!["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"]
            }
        );
        let gid = fake.groups()[0]["id"].as_str().unwrap().to_string();
        assert_eq!(
            report.group.as_ref().map(|g| g.to_string()),
            Some(gid.clone())
        );
        let text = report.summary(&plan);
        assert!(
            text.starts_with("Request 2 of 2 failed: Create the policy") && text.contains(&gid),
            "{text}"
        );
        assert_eq!(report.steps[0].1, StepState::Done);
        assert!(fake.policies().is_empty());
    }

    #[tokio::test(flavor = "current_thread")]
    async fn members_that_are_not_upns_or_ids_stop_the_pilot_before_any_request() {
        for bad in [
            ".",
            "..",
            "a/b",
            "x?y",
            "%2e",
            "%2e%2e",
            "ada@contoso.example/../../me",
            "ada#x@contoso.example",
            "ada@contoso",
            "\u{202e}ada@contoso.example",
            "ada@@contoso.example",
        ] {
            let fake = FakeGraph::new();
            fake.add_user("ada@contoso.example");
            let (g, _) = graph(&fake);
            let e = pilot::survey(&g, &pilot_request(&["ada@contoso.example", bad]))
                .await
                .unwrap_err();
            assert_eq!(e.kind, ErrorKind::Refused, "{bad:?}");
            assert!(
                e.message.contains(&format!("{bad:?}")),
                "the offending value is named: {}",
                e.message
            );
            assert!(
                e.user_message().contains("nothing was sent"),
                "{}",
                e.user_message()
            );
            assert_eq!(
                requests_line(&fake),
                Vec::<String>::new(),
                "{bad:?}: nothing sent, not even a read"
            );
            assert!(fake.groups().is_empty());
        }
        // Every bad entry is named at once, so one correction suffices.
        let fake = FakeGraph::new();
        let (g, _) = graph(&fake);
        let e = pilot::survey(&g, &pilot_request(&[".", "x?y"]))
            .await
            .unwrap_err();
        assert!(
            e.message.contains("\".\"") && e.message.contains("\"x?y\""),
            "{}",
            e.message
        );
        // A guest's #EXT# name and an object id are members like any other.
        let fake = FakeGraph::new();
        let guest = fake.add_user("ada_fabrikam.example#EXT#@contoso.onmicrosoft.com");
        let bob = fake.add_user("bob@contoso.example");
        let (g, _) = graph(&fake);
        let plan = planned(
            &g,
            &["ada_fabrikam.example#EXT#@contoso.onmicrosoft.com", &bob],
        )
        .await;
        let ids: Vec<&str> = plan.to_add.iter().map(|u| u.id.as_str()).collect();
        assert_eq!(ids, [guest.as_str(), bob.as_str()]);
        assert!(plan.unknown.is_empty(), "{:?}", plan.unknown);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn an_existing_pilot_policy_is_updated_only_through_a_previewed_patch() {
        let fake = FakeGraph::new();
        let (g, _) = graph(&fake);
        let first = planned(&g, &[]).await;
        assert!(pilot::send(&g, &first, |_, _| {}).await.failed.is_none());
        let existing = fake.policies()[0]["id"].as_str().unwrap().to_string();
        // Second wave, same policy name, another group: a PATCH is planned and none is sent.
        let mut req = pilot_request(&[]);
        req.group_name = "Pilot - wave 2".into();
        let sent_before = fake.requests().len();
        let survey = pilot::survey(&g, &req).await.unwrap();
        let plan = pilot::plan(&req, Cloud::Global, survey).unwrap();
        assert!(
            fake.requests()[sent_before..]
                .iter()
                .all(|r| r.method == "GET"),
            "no write before confirmation"
        );
        let preview = plan.preview();
        assert!(
            matches!(kinds(&plan).as_slice(), [StepKind::CreateGroup, StepKind::UpdatePolicy(id)] if id.as_str() == existing),
            "{:?}",
            kinds(&plan)
        );
        let changes = preview[1].changes();
        assert_eq!(
            changes.iter().map(|c| c.path.as_str()).collect::<Vec<_>>(),
            ["conditions.users.includeGroups"]
        );
        assert_eq!(changes[0].after, json!([pilot::NEW_GROUP]));
        let report = pilot::send(&g, &plan, |_, _| {}).await;
        assert!(report.failed.is_none(), "{report:?}");
        let gid2 = report.group.clone().unwrap().to_string();
        let patches: Vec<_> = fake
            .requests()
            .into_iter()
            .filter(|r| r.method == "PATCH")
            .collect();
        assert_eq!(patches.len(), 1);
        assert_eq!(
            patches[0].path(),
            format!("/v1.0/identity/conditionalAccess/policies/{existing}")
        );
        assert_eq!(
            patches[0].body,
            preview[1].shown_body().replace(NEW_GROUP_SHOWN, &gid2),
            "exactly what was previewed"
        );
        assert_eq!(
            fake.policies()[0]["conditions"]["users"]["includeGroups"],
            json!([gid2])
        );
        assert_eq!(fake.policies().len(), 1, "no duplicate");
        // Without "update it", an existing policy is left alone.
        let mut req = pilot_request(&[]);
        req.group_name = "Pilot - wave 3".into();
        req.update_existing = false;
        let survey = pilot::survey(&g, &req).await.unwrap();
        let plan = pilot::plan(&req, Cloud::Global, survey).unwrap();
        assert_eq!(kinds(&plan), [StepKind::CreateGroup]);
        assert!(
            plan.notes().iter().any(|n| n.contains("left unchanged")),
            "{:?}",
            plan.notes()
        );
    }

    #[tokio::test(flavor = "current_thread")]
    async fn unknown_members_are_left_out_with_why_and_the_rest_proceeds() {
        let fake = FakeGraph::new();
        let bob = fake.add_user("bob@contoso.example");
        let (g, _) = graph(&fake);
        let plan = planned(&g, &["nobody@contoso.example", "bob@contoso.example", "  "]).await;
        assert_eq!(
            requests_line(&fake)
                .iter()
                .filter(|l| l.starts_with("GET /v1.0/users/"))
                .count(),
            2,
            "blank lines skipped"
        );
        assert_eq!(
            plan.unknown,
            [("nobody@contoso.example".to_string(), AppError::NoSuchUser)]
        );
        assert!(
            matches!(kinds(&plan).as_slice(), [StepKind::CreateGroup, StepKind::AddMember(u), StepKind::CreatePolicy] if u.id.as_str() == bob),
            "{:?}",
            kinds(&plan)
        );
        let report = pilot::send(&g, &plan, |_, _| {}).await;
        assert!(report.failed.is_none(), "{report:?}");
        assert_eq!(fake.members().len(), 1);
        assert_eq!(fake.members()[0].1, bob);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_pilot_policy_only_beta_lists_is_updated_not_created_twice() {
        let fake = FakeGraph::new();
        let hidden = fake.add_beta_only_policy(stored_policy("Always require MFA (pilot)"));
        let (g, _) = graph(&fake);
        let plan = planned(&g, &[]).await;
        assert!(
            matches!(kinds(&plan).as_slice(), [StepKind::CreateGroup, StepKind::UpdatePolicy(id)] if id.as_str() == hidden),
            "{:?}",
            kinds(&plan)
        );
        let note = plan
            .name_note
            .clone()
            .expect("a note on the beta-only namesake");
        assert_eq!(
            note,
            flows::NameCheckNote::BetaOnly {
                id: Guid::parse(&hidden, GuidKind::Object).unwrap()
            }
        );
        assert!(plan.notes().contains(&note.text()), "{:?}", plan.notes());
        let filter = "$filter=displayName eq 'Always require MFA (pilot)'";
        assert_eq!(
            name_check_lines(&fake),
            [
                format!("GET /v1.0/identity/conditionalAccess/policies?{filter}"),
                format!("GET /beta/identity/conditionalAccess/policies?{filter}"),
            ]
        );
        let report = pilot::send(&g, &plan, |_, _| {}).await;
        assert!(report.failed.is_none(), "{report:?}");
        assert_eq!(fake.policies().len(), 1, "no second policy with the name");
        // Left alone when not asked to update: no write, and no note about comparing copies.
        let mut req = pilot_request(&[]);
        req.update_existing = false;
        req.group_name = "Pilot - wave 2".into();
        let survey = pilot::survey(&g, &req).await.unwrap();
        let plan = pilot::plan(&req, Cloud::Global, survey).unwrap();
        assert_eq!(kinds(&plan), [StepKind::CreateGroup]);
        assert_eq!(plan.name_note, None);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_beta_list_that_fails_still_plans_the_pilot_and_says_what_was_not_seen() {
        let fake = FakeGraph::new();
        fake.add_beta_only_policy(stored_policy("Always require MFA (pilot)"));
        fake.fail(Failure {
            method: "GET".into(),
            path_prefix: "/identity/conditionalAccess/policies".into(),
            status: 403,
            code: "AccessDenied".into(),
            message: "refused".into(),
            retry_after: None,
            times: 1,
            // v1.0's list goes through; beta's is the one refused.
            skip: 1,
        });
        let (g, _) = graph(&fake);
        let plan = planned(&g, &[]).await;
        assert_eq!(
            kinds(&plan),
            [StepKind::CreateGroup, StepKind::CreatePolicy]
        );
        let Some(flows::NameCheckNote::BetaUnread(e)) = &plan.name_note else {
            panic!("expected a note: {:?}", plan.name_note)
        };
        assert_eq!(e.status, Some(403));
        let text = plan.name_note.as_ref().unwrap().text();
        assert!(
            text.starts_with("Only v1.0 was searched for a policy with this name")
                && text.contains("permission denied, 403"),
            "{text}"
        );
        assert!(plan.notes().contains(&text), "{:?}", plan.notes());
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_group_name_used_by_a_non_security_group_is_refused() {
        let fake = FakeGraph::new();
        fake.add_group("Pilot - passkeys", false);
        let (g, _) = graph(&fake);
        let req = pilot_request(&[]);
        let survey = pilot::survey(&g, &req).await.unwrap();
        let e = pilot::plan(&req, Cloud::Global, survey).unwrap_err();
        assert!(
            matches!(&e, AppError::NotSecurityGroup { name, .. } if name == "Pilot - passkeys"),
            "{e:?}"
        );
        let text = e.to_string();
        assert!(
            text.contains("not a security group") && text.ends_with("Nothing was sent."),
            "{text}"
        );
        assert!(writes(&fake).is_empty(), "nothing created");
        assert_eq!(fake.groups().len(), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn the_pilot_reads_then_sends_exactly_its_preview_and_a_rerun_plans_nothing() {
        let fake = FakeGraph::new();
        let ada = fake.add_user("ada@contoso.example");
        let bob = fake.add_user("bob@contoso.example");
        let (g, _) = graph(&fake);
        let plan = planned(&g, &["ada@contoso.example", &bob]).await;
        assert!(
            fake.requests().iter().all(|r| r.method == "GET"),
            "planning only reads"
        );
        let preview = plan.preview();
        let labels: Vec<&str> = preview.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Create the security group \"Pilot - passkeys\"",
                "Add ada@contoso.example to \"Pilot - passkeys\"",
                "Add bob@contoso.example to \"Pilot - passkeys\"",
                "Create the policy \"Always require MFA (pilot)\", narrowed to \"Pilot - passkeys\"",
            ]
        );
        let states = RefCell::new(vec![]);
        let report = pilot::send(&g, &plan, |i, s| states.borrow_mut().push((i, s))).await;
        assert!(report.failed.is_none(), "{report:?}");
        let gid = report.group.clone().unwrap().to_string();
        // What went out is the preview, with the created group's id in place of its stand-in.
        let sent = writes(&fake);
        assert_eq!(sent.len(), preview.len());
        for (shown, (line, body)) in preview.iter().zip(&sent) {
            let fill = |t: String| t.replace(NEW_GROUP_SHOWN, &gid);
            let shown_line = fill(shown.shown_line());
            let (method, url) = shown_line.split_once(' ').unwrap();
            assert_eq!(
                format!(
                    "{method} {}",
                    url.trim_start_matches("https://graph.microsoft.com")
                ),
                *line
            );
            assert_eq!(fill(shown.shown_body()), *body);
        }
        assert_eq!(
            fake.members(),
            [(gid.clone(), ada.clone()), (gid.clone(), bob.clone())]
        );
        assert!(states
            .borrow()
            .iter()
            .any(|(i, s)| *i == 3 && *s == StepState::Done));
        assert!(report
            .summary(&plan)
            .starts_with("Pilot sent: 4 requests done."));

        let before = fake.requests().len();
        let again = planned(&g, &["ada@contoso.example", &bob]).await;
        assert_eq!(again.preview(), vec![], "{:?}", again.notes());
        assert!(fake.requests()[before..].iter().all(|r| r.method == "GET"));
        assert_eq!(fake.groups().len(), 1);
        assert_eq!(fake.policies().len(), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_failed_request_is_named_and_a_rerun_resumes_without_duplicates() {
        let fake = FakeGraph::new();
        fake.add_user("ada@contoso.example");
        fake.add_user("bob@contoso.example");
        let (g, _) = graph(&fake);
        let plan = planned(&g, &["ada@contoso.example", "bob@contoso.example"]).await;
        // The group's POST goes through; the second member's add is refused.
        fake.fail(Failure {
            method: "POST".into(),
            path_prefix: "/groups".into(),
            status: 403,
            code: "Authorization_RequestDenied".into(),
            message: "Insufficient privileges to complete the operation.".into(),
            retry_after: None,
            times: 1,
            skip: 2,
        });
        let report = pilot::send(&g, &plan, |_, _| {}).await;
        let (label, e) = report.failed.clone().unwrap();
        assert_eq!(label, "Add bob@contoso.example to \"Pilot - passkeys\"");
        assert_eq!(e.op, GraphOp::AddGroupMember);
        let text = report.summary(&plan);
        assert!(
            text.starts_with("Request 3 of 4 failed: Add bob@contoso.example"),
            "{text}"
        );
        assert!(text.contains("Done before it: Create the security group \"Pilot - passkeys\"; Add ada@contoso.example"), "{text}");
        assert!(
            text.contains(report.group.as_ref().unwrap().as_str()),
            "{text}"
        );
        assert!(text.contains("1 request was not sent"), "{text}");
        assert_eq!(report.steps[3].1, StepState::NotSent);
        assert!(fake.policies().is_empty());

        let resumed = planned(&g, &["ada@contoso.example", "bob@contoso.example"]).await;
        let kinds: Vec<StepKind> = resumed.preview().into_iter().map(|s| s.kind).collect();
        assert!(
            matches!(kinds.as_slice(), [StepKind::AddMember(u), StepKind::CreatePolicy] if u.upn == "bob@contoso.example"),
            "{kinds:?}"
        );
        let report = pilot::send(&g, &resumed, |_, _| {}).await;
        assert!(report.failed.is_none(), "{report:?}");
        assert_eq!(fake.groups().len(), 1);
        assert_eq!(fake.members().len(), 2);
        assert_eq!(fake.policies().len(), 1);
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_tap_takes_the_policy_terms_returns_the_code_and_a_failure_names_the_user_only() {
        let fake = FakeGraph::new();
        fake.add_user("ada@contoso.example");
        let (g, log) = graph(&fake);
        let plan = planned(&g, &["ada@contoso.example"]).await;
        let ada = plan.to_add[0].clone();
        let terms = onboarding::read_terms(&g).await;
        assert_eq!(
            terms.request.body(),
            json!({"isUsableOnce": false, "lifetimeInMinutes": 60})
        );
        let tap = onboarding::issue_tap(&g, &ada, &terms).await.unwrap();
        let (user, stored) = fake.taps().pop().unwrap();
        assert_eq!(user, ada.id.as_str());
        let code = stored["temporaryAccessPass"].as_str().unwrap().to_string();
        assert_eq!(tap.code.reveal(), code);
        let post = fake.requests().pop().unwrap();
        assert_eq!(
            post.path(),
            format!(
                "/v1.0/users/{}/authentication/temporaryAccessPassMethods",
                ada.id
            )
        );
        assert_eq!(
            serde_json::from_str::<Value>(&post.body).unwrap(),
            json!({"isUsableOnce": false, "lifetimeInMinutes": 60})
        );
        assert!(!format!("{tap:?}").contains(&code));
        assert!(!onboarding::issued_caption(&ada, &tap).contains(&code));
        assert!(log.borrow().iter().all(|p| !p.describe().contains(&code)));

        fake.fail_once("POST", "/users", 403, None);
        let e = onboarding::issue_tap(&g, &ada, &terms).await.unwrap_err();
        let text = e.to_string();
        assert!(
            text.starts_with("No Temporary Access Pass for ada@contoso.example: "),
            "{text}"
        );
        assert!(text.contains("UserAuthMethod-TAP.ReadWrite.All"), "{text}");
        assert!(!text.contains(&code) && !format!("{e:?}").contains(&code));

        // A one-time-only policy: the pass asks for one-time use; the fake refuses multi-use.
        let mut policy = fake.method_config("TemporaryAccessPass");
        policy["isUsableOnce"] = json!(true);
        fake.set_method_config("TemporaryAccessPass", policy);
        let terms = onboarding::read_terms(&g).await;
        assert_eq!(terms.request.is_usable_once, Some(true));
        let tap = onboarding::issue_tap(&g, &ada, &terms).await.unwrap();
        assert_eq!(tap.is_usable_once, Some(true));
        assert_eq!(fake.taps().len(), 1, "a new pass replaces the old");
    }
}
