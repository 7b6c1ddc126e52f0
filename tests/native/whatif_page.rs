//! The page's What-If as Graph's evaluate request: the form written as the request body and
//! read back (nothing lost silently), the offline result compared with the tenant's answer
//! policy by policy, and the request the page sends to the fake Graph being exactly the body
//! it shows and downloads.

use crate::support::fake_transport::forward;
use ca_builder::analysis::whatif::evaluate::read_request;
use ca_builder::app::draft::Draft;
use ca_builder::app::whatif::WhatIfForm;
use ca_builder::app::whatif_compare::{compare, offline, run_in_tenant, Agreement, Origin};
use ca_builder::app::whatif_file::{from_request, to_request};
use ca_builder::graph::flows::PolicyList;
use ca_builder::graph::ops::{ServiceAnswer, ServicePolicy};
use ca_builder::graph::{
    ApiVersion, Cancel, Cloud, ErrorKind, Graph, Request, Response, Token, Transport,
    TransportError,
};
use ca_builder::names::Lookup;
use ca_builder::policy::import::import_bytes;
use fake_graph::{graph_token, FakeGraph};
use serde_json::{json, Value};
use std::time::Duration;

const USER: &str = "00000000-0000-0000-0000-0000000000aa";
const TENANT_POLICY: &str = "11111111-2222-3333-4444-000000000001";
const OTHER_POLICY: &str = "11111111-2222-3333-4444-000000000002";

fn body_json(form: &WhatIfForm) -> Value {
    serde_json::from_str(&to_request(form).unwrap().body).unwrap()
}

#[test]
fn the_form_is_written_as_the_request_graph_takes() {
    let form = WhatIfForm {
        guest: true,
        resource: "app".into(),
        app_id: " 00000003-0000-0ff1-ce00-000000000000 ".into(),
        client_app: "browser".into(),
        platform: "windows".into(),
        sign_in_risk: "high".into(),
        auth_flow: "deviceCodeFlow".into(),
        registered: true,
        trust_type: "AzureAD".into(),
        compliant: "True".into(),
        ownership: "Company".into(),
        device_json: r#"{"extensionAttribute1": "Kiosk", "physicalIds": ["[ZTDId]:x"]}"#.into(),
        ..WhatIfForm::default()
    };
    let w = to_request(&form).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&w.body).unwrap(),
        json!({
            "signInIdentity": {"@odata.type": "#microsoft.graph.userSignIn", "userId": USER,
                               "externalUserType": "b2bCollaborationGuest"},
            "signInContext": {"@odata.type": "#microsoft.graph.applicationContext",
                              "includeApplications": ["00000003-0000-0ff1-ce00-000000000000"]},
            "signInConditions": {
                "authenticationFlow": {"transferMethod": "deviceCodeFlow"},
                "clientAppType": "browser",
                "deviceInfo": {"extensionAttribute1": "Kiosk", "isCompliant": true,
                               "operatingSystem": "windows", "ownership": "Company",
                               "physicalIds": ["[ZTDId]:x"], "trustType": "AzureAD"},
                "devicePlatform": "windows",
                "signInRiskLevel": "high"
            },
            "appliedPoliciesOnly": false
        })
    );
    // The core's strict reader (the CLI's) takes it as it is.
    assert_eq!(read_request(w.body.as_bytes()).unwrap(), w.request);
    assert!(w.left_out.is_empty(), "{:?}", w.left_out);

    // Each kind of resource.
    for (resource, context) in [
        (
            "registersecurityinfo",
            json!({"@odata.type": "#microsoft.graph.userActionContext", "userAction": "registerSecurityInformation"}),
        ),
        (
            "registerdevice",
            json!({"@odata.type": "#microsoft.graph.userActionContext", "userAction": "registerOrJoinDevices"}),
        ),
        (
            "context",
            json!({"@odata.type": "#microsoft.graph.authContext", "authenticationContextValue": "c1"}),
        ),
    ] {
        let f = WhatIfForm {
            resource: resource.into(),
            ..WhatIfForm::default()
        };
        assert_eq!(body_json(&f)["signInContext"], context, "{resource}");
    }
    // An unregistered device is an empty deviceInfo; no risk is left out (read as none).
    let d = body_json(&WhatIfForm::default());
    assert_eq!(d["signInConditions"]["deviceInfo"], json!({}));
    assert!(d["signInConditions"].get("signInRiskLevel").is_none());
}

#[test]
fn what_the_request_cannot_carry_is_said_and_what_graph_would_refuse_is_refused() {
    let form = WhatIfForm {
        groups: "g1".into(),
        location: "trusted".into(),
        named_locations: "n1".into(),
        registered: true,
        device_json: r#"{"notAProperty": "x", "extensionAttribute2": "y"}"#.into(),
        ..WhatIfForm::default()
    };
    let w = to_request(&form).unwrap();
    let said = w.left_out.join("\n");
    assert!(
        said.contains("groups and roles are not part of a request"),
        "{said}"
    );
    assert!(
        said.contains("The location is not part of the request"),
        "{said}"
    );
    assert!(said.contains("notAProperty"), "{said}");
    assert_eq!(
        w.request
            .sign_in_conditions
            .device_info
            .as_ref()
            .unwrap()
            .extension_attribute2
            .as_deref(),
        Some("y")
    );
    let bad_json = WhatIfForm {
        registered: true,
        device_json: "{".into(),
        ..WhatIfForm::default()
    };
    assert!(to_request(&bad_json).unwrap().left_out[0].starts_with("Device attributes, line 1"));
    for f in [
        WhatIfForm {
            user_id: " ".into(),
            ..WhatIfForm::default()
        },
        WhatIfForm {
            resource: "app".into(),
            app_id: String::new(),
            ..WhatIfForm::default()
        },
        WhatIfForm {
            resource: "context".into(),
            context: String::new(),
            ..WhatIfForm::default()
        },
    ] {
        assert!(to_request(&f).is_err(), "{f:?}");
    }
}

#[test]
fn a_written_form_loads_back_as_it_was() {
    let form = WhatIfForm {
        guest: true,
        resource: "context".into(),
        context: "c7".into(),
        client_app: "exchangeActiveSync".into(),
        platform: "android".into(),
        user_risk: "medium".into(),
        auth_flow: "authenticationTransfer".into(),
        registered: true,
        trust_type: "Workplace".into(),
        compliant: "False".into(),
        ownership: "Personal".into(),
        device_json: "{\n  \"extensionAttribute1\": \"Kiosk\"\n}".into(),
        ..WhatIfForm::default()
    };
    let w = to_request(&form).unwrap();
    let back = from_request("s.json", w.body.as_bytes(), &WhatIfForm::default()).unwrap();
    assert_eq!(back.form, form);
    assert!(back.not_shown.is_empty(), "{:?}", back.not_shown);
    // And it writes the same body again.
    assert_eq!(to_request(&back.form).unwrap().body, w.body);
}

#[test]
fn a_request_file_says_what_the_form_cannot_show_and_errors_name_line_and_column() {
    // Shaped like Microsoft's published examples.
    let file = br##"{
  "signInIdentity": {"@odata.type": "#microsoft.graph.userSignIn", "userId": "15dc174b-f34c-4588-ac45-61d6e05dce93"},
  "signInContext": {"@odata.type": "#microsoft.graph.applicationContext",
                    "includeApplications": ["00000003-0000-0ff1-ce00-000000000000", "c44b4083-3bb0-49c1-b47d-974e53cbdf3c"]},
  "signInConditions": {"devicePlatform": "iOS", "ipAddress": "40.77.182.32", "country": "US",
                       "insiderRiskLevel": "minor",
                       "deviceInfo": {"trustType": "EntraID", "operatingSystem": "Windows", "model": "Surface"}},
  "appliedPoliciesOnly": true
}"##;
    let current = WhatIfForm {
        groups: "g1".into(),
        ..WhatIfForm::default()
    };
    let l = from_request("tenant.json", file, &current).unwrap();
    assert_eq!(l.form.user_id, "15dc174b-f34c-4588-ac45-61d6e05dce93");
    assert_eq!(l.form.app_id, "00000003-0000-0ff1-ce00-000000000000");
    assert_eq!(l.form.platform, "iOS");
    assert_eq!(l.form.groups, "g1", "what a request does not hold stays");
    assert!(l.form.registered);
    let device: Value = serde_json::from_str(&l.form.device_json).unwrap();
    assert_eq!(device, json!({"model": "Surface", "trustType": "EntraID"}));
    let said = l.not_shown.join("\n");
    for bit in [
        "c44b4083-3bb0-49c1-b47d-974e53cbdf3c",
        "ipAddress 40.77.182.32",
        "country US",
        "insiderRiskLevel minor",
        "appliedPoliciesOnly",
        "clientAppType not supplied",
        "operatingSystem Windows",
        "groups, roles or named location",
    ] {
        assert!(said.contains(bit), "{bit} not said in:\n{said}");
    }

    let broken = b"{\n  \"signInIdentity\": {\"@odata.type\": \"#microsoft.graph.userSignIn\", \"userId\": \"u\"},\n  \"signInContext\": 3\n}";
    let e = from_request("broken.json", broken, &current).unwrap_err();
    assert!(e.starts_with("broken.json:3:"), "{e}");
    let sp = br##"{"signInIdentity": {"@odata.type": "#microsoft.graph.servicePrincipalSignIn", "servicePrincipalId": "a"},
      "signInContext": {"@odata.type": "#microsoft.graph.applicationContext", "includeApplications": ["x"]},
      "signInConditions": {}}"##;
    let e = from_request("sp.json", sp, &current).unwrap_err();
    assert!(e.contains("service principal"), "{e}");
}

fn tenant_policy(id: &str, name: &str, include_groups: bool) -> Value {
    let users = if include_groups {
        json!({"includeGroups": ["g-pilot"]})
    } else {
        json!({"includeUsers": ["All"]})
    };
    json!({"id": id, "displayName": name, "state": "enabled",
           "conditions": {"users": users, "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]},
           "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}})
}

fn tenant_list(policies: &[Value]) -> PolicyList {
    PolicyList {
        version: ApiVersion::V1,
        policies: import_bytes(serde_json::to_string(policies).unwrap().as_bytes()).unwrap(),
        unreadable: vec![],
        pages: 1,
        truncated: false,
    }
}

#[test]
fn offline_and_service_are_compared_policy_by_policy_with_every_difference_explained() {
    let draft = Draft::new();
    let tenant = tenant_list(&[
        tenant_policy(TENANT_POLICY, "All users MFA", false),
        tenant_policy(OTHER_POLICY, "Pilot MFA", true),
    ]);
    let form = WhatIfForm::default();
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
    let steps = draft.steps.len();
    assert_eq!(off.policies.len(), steps + 2);
    assert!(off.policies[..steps]
        .iter()
        .all(|p| p.origin == Origin::Draft { updates: None } && p.key.is_none()));
    let all_users = &off.policies[steps];
    assert_eq!(all_users.key.as_deref(), Some(TENANT_POLICY));
    assert!(
        all_users.result.applies,
        "All users, All resources covers the user action"
    );
    let pilot = &off.policies[steps + 1];
    assert!(!pilot.result.applies, "the user is in no group offline");

    let service = ServiceAnswer {
        policies: vec![
            // Agrees.
            ServicePolicy {
                id: TENANT_POLICY.to_uppercase(),
                name: "All users MFA".into(),
                state: "enabled".into(),
                applies: true,
                reasons: "notSet".into(),
            },
            // The tenant knows the user is in the pilot group.
            ServicePolicy {
                id: OTHER_POLICY.into(),
                name: "Pilot MFA".into(),
                state: "enabled".into(),
                applies: true,
                reasons: "notSet".into(),
            },
            ServicePolicy {
                id: "99999999-0000-0000-0000-000000000000".into(),
                name: "Only in the tenant".into(),
                state: "enabledForReportingButNotEnforced".into(),
                applies: false,
                reasons: "users,agentIdRisk".into(),
            },
        ],
        more: false,
    };
    let c = compare(&off, &service);
    assert_eq!(c.rows.len(), steps + 3, "nothing dropped");
    let row = |name: &str| c.rows.iter().find(|r| r.name == name).unwrap();
    let same = row("All users MFA");
    assert_eq!(same.agreement, Agreement::Same);
    assert!(same.why.is_empty());
    let pilot = row("Pilot MFA");
    assert_eq!(pilot.agreement, Agreement::Applies);
    assert_eq!(pilot.offline.as_deref(), Some("does not apply (users)"));
    assert_eq!(pilot.service.as_deref(), Some("applies"));
    let why = pilot.why.join("\n");
    assert!(why.contains("only offline says users"), "{why}");
    assert!(why.contains("groups, roles and guest status"), "{why}");
    assert!(why.contains("offline: not met"), "{why}");
    let only = row("Only in the tenant");
    assert_eq!(only.agreement, Agreement::OnlyService);
    assert!(
        only.why[0].contains("the audit's list did not have it"),
        "{:?}",
        only.why
    );
    for r in &c.rows[..steps] {
        assert_eq!(r.agreement, Agreement::OnlyOffline, "{}", r.name);
        assert!(r.why[0].contains("draft policy not in the tenant yet"));
    }
    assert_eq!(c.differences, steps + 2);
    assert!(c
        .notes
        .iter()
        .all(|n| n.starts_with("Offline assumption: ")));

    // Both not applying, for different reasons; a reason the engine does not know is named.
    let mut service2 = service.clone();
    service2.policies[1].applies = false;
    service2.policies[1].reasons = "users,location".into();
    let c2 = compare(&off, &service2);
    let r = c2.rows.iter().find(|r| r.name == "Pilot MFA").unwrap();
    assert_eq!(r.agreement, Agreement::Reasons);
    assert!(
        r.why.iter().any(|w| w == "only the service says location"),
        "{:?}",
        r.why
    );
    let mut service3 = service.clone();
    service3.policies[0].applies = false;
    service3.policies[0].reasons = "agentIdRisk".into();
    let c3 = compare(&off, &service3);
    assert!(c3.rows[steps]
        .why
        .iter()
        .any(|w| w.contains("agentIdRisk is one the offline engine does not know")));

    // Without the tenant's policies, the service's are said to be missing for that reason; a
    // step that updates a tenant policy is matched by that id.
    let mut draft = Draft::new();
    draft.steps[0].update_policy_id = TENANT_POLICY.into();
    let off = offline(&w.request, &form, &draft, &[], true, None, Lookup::Offline).unwrap();
    assert_eq!(
        off.policies[0].origin,
        Origin::Draft {
            updates: Some(TENANT_POLICY.into())
        }
    );
    let c = compare(&off, &service);
    assert_eq!(
        c.rows[0].id.as_deref(),
        Some(TENANT_POLICY.to_uppercase().as_str())
    );
    let missing = c.rows.iter().find(|r| r.name == "Pilot MFA").unwrap();
    assert_eq!(missing.agreement, Agreement::OnlyService);
    assert!(missing.why[0].contains("the tenant's policies are not in the offline set"));
}

// ---------------------------------------------------------------- against the fake Graph

const NOW: i64 = 1_714_564_800;

/// The browser transport's contract, in memory (the bearer header from a token).
struct FakeTransport {
    graph: FakeGraph,
    token: Token,
}

impl Transport for FakeTransport {
    async fn send(&self, request: &Request, cancel: &Cancel) -> Result<Response, TransportError> {
        if cancel.is_cancelled() {
            return Err(TransportError::Cancelled);
        }
        Ok(forward(&self.graph, &self.token, request))
    }

    async fn sleep(&self, _: Duration) {}

    fn now_unix(&self) -> i64 {
        NOW
    }

    fn redact(&self, text: &str) -> String {
        self.token.redact(text).into_owned()
    }
}

fn graph(fake: &FakeGraph) -> Graph<FakeTransport> {
    let raw = graph_token(NOW + 3600, "Policy.Read.ConditionalAccess");
    Graph::new(
        FakeTransport {
            graph: fake.clone(),
            token: Token::parse(&raw).unwrap(),
        },
        Cloud::Global,
    )
}

#[tokio::test(flavor = "current_thread")]
async fn the_tenant_is_sent_exactly_the_request_the_page_shows_and_downloads() {
    let fake = FakeGraph::new();
    fake.add_policy(tenant_policy(TENANT_POLICY, "All users MFA", false));
    fake.set_evaluate_answer(json!({"value": [
        {"id": TENANT_POLICY, "displayName": "All users MFA", "state": "enabled",
         "policyApplies": false, "analysisReasons": "users"}
    ]}));
    let form = WhatIfForm {
        registered: true,
        trust_type: "ServerAD".into(),
        ..WhatIfForm::default()
    };
    let w = to_request(&form).unwrap();
    let answer = run_in_tenant(&graph(&fake), &w.body).await.unwrap();
    let sent = fake.sent_to("/identity/conditionalAccess/evaluate");
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].method, "POST");
    assert!(sent[0].target.starts_with("/v1.0/"), "{}", sent[0].target);
    assert_eq!(sent[0].body, w.body, "byte for byte the shown body");
    assert_eq!(answer.policies.len(), 1);
    assert!(!answer.policies[0].applies);

    let tenant = tenant_list(&fake.policies());
    let off = offline(
        &w.request,
        &form,
        &Draft::new(),
        &[],
        true,
        Some(&tenant),
        Lookup::Offline,
    )
    .unwrap();
    let c = compare(&off, &answer);
    let r = c.rows.iter().find(|r| r.name == "All users MFA").unwrap();
    assert_eq!(r.agreement, Agreement::Applies);
    assert!(
        r.why.iter().any(|w| w == "only the service says users"),
        "{:?}",
        r.why
    );

    // A hostile answer is refused like a file, naming the position; no token in the message.
    fake.set_evaluate_answer(json!({"value": [{"id": "a", "policyApplies": true}]}));
    let twice = r#"{"value": [{"id": "a", "policyApplies": true, "PolicyApplies": false}]}"#;
    let e = ca_builder::graph::ops::read_evaluate(&Response {
        status: 200,
        headers: vec![],
        body: twice.into(),
    })
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadResponse);
    assert!(e.message.contains("1:"), "{}", e.message);

    // Graph refuses a body without the sign-in members; the error is Graph's, not a panic.
    let e = run_in_tenant(&graph(&fake), "{}").await.unwrap_err();
    assert_eq!(e.status, Some(400));
}
