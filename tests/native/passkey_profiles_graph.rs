//! The passkey-profiles step machine over Graph (`app::passkey_profiles::send_next`) against
//! a stand-in for the one resource it uses, the FIDO2 method configuration: GET returns it,
//! PATCH replaces the lists it names and, as the service does, gives a new profile its id.

use ca_builder::app::passkey_profiles::{read_profiles, send_next, SendOutcome, StepMachine};
use ca_builder::builders::methods::{ProfileSettings, StepKind};
use ca_builder::graph::{Cancel, Cloud, Graph, Request, Response, Transport, TransportError};
use serde_json::{json, Value};
use std::cell::RefCell;
use std::time::Duration;

const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const DEFAULT_ID: &str = "00000000-0000-0000-0000-000000000001";
const NEW_ID: &str = "6b2a1c4e-0f0e-4d7a-9c55-3e1f2a9b8c7d";
const PATH: &str =
    "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";

struct Fido2Service {
    stored: RefCell<Value>,
    /// `(method, body)` of every request.
    log: RefCell<Vec<(String, Option<Value>)>>,
    /// Refuse an includeTargets PATCH as too large.
    refuse_targets: bool,
}

impl Fido2Service {
    fn new(stored: Value) -> Fido2Service {
        Fido2Service {
            stored: RefCell::new(stored),
            log: RefCell::new(vec![]),
            refuse_targets: false,
        }
    }

    fn methods(&self) -> Vec<String> {
        self.log.borrow().iter().map(|(m, _)| m.clone()).collect()
    }
}

fn reply(status: u16, body: String) -> Response {
    Response {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body,
    }
}

impl Transport for Fido2Service {
    async fn send(&self, request: &Request, _: &Cancel) -> Result<Response, TransportError> {
        assert_eq!(request.url.relative(), PATH);
        let body: Option<Value> = request
            .body
            .as_deref()
            .map(|b| serde_json::from_str(b).unwrap());
        self.log
            .borrow_mut()
            .push((request.method.as_str().to_string(), body.clone()));
        let Some(body) = body else {
            return Ok(reply(200, self.stored.borrow().to_string()));
        };
        if self.refuse_targets && body.get("includeTargets").is_some() {
            return Ok(reply(
                400,
                json!({"error": {"code": "badRequest",
                    "message": "Persistence of policy failed: the policy size exceeds the limit."}})
                .to_string(),
            ));
        }
        let mut stored = self.stored.borrow_mut();
        for (k, v) in body.as_object().unwrap() {
            if k.starts_with('@') {
                continue;
            }
            let mut v = v.clone();
            if k == "passkeyProfiles" {
                for p in v.as_array_mut().unwrap() {
                    if p.get("id").is_none() {
                        p["id"] = json!(NEW_ID);
                    }
                }
            }
            stored[k] = v;
        }
        Ok(reply(204, String::new()))
    }

    async fn sleep(&self, _: Duration) {}

    fn now_unix(&self) -> i64 {
        1_714_564_800
    }
}

fn migrated() -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity",
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "id": "Fido2", "state": "enabled", "isSelfServiceRegistrationAllowed": true,
        "defaultPasskeyProfile": DEFAULT_ID,
        "passkeyProfiles": [{ "id": DEFAULT_ID, "name": "Default passkey profile",
            "passkeyTypes": "deviceBound,synced", "attestationEnforcement": "disabled",
            "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] } }],
        "includeTargets": [{ "targetType": "group", "id": "all_users", "isRegistrationRequired": false,
            "allowedPasskeyProfiles": [DEFAULT_ID] }],
        "excludeTargets": []
    })
}

fn machine(stored: &Value) -> StepMachine {
    let read = read_profiles(&stored.to_string()).unwrap();
    StepMachine::new(&read, &ProfileSettings::new(PILOT)).unwrap()
}

#[tokio::test(flavor = "current_thread")]
async fn the_profile_is_added_read_back_and_then_targeted_with_the_id_the_service_gave() {
    let g = Graph::new(Fido2Service::new(migrated()), Cloud::Global);
    let mut m = machine(&migrated());
    assert_eq!(send_next(&g, &mut m).await.unwrap(), SendOutcome::Sent);
    assert_eq!(send_next(&g, &mut m).await.unwrap(), SendOutcome::Sent);
    assert!(m.is_finished());
    // Re-read, PATCH, read back; twice. Never a new profile and a target in one PATCH.
    assert_eq!(
        g.transport.methods(),
        ["GET", "PATCH", "GET", "GET", "PATCH", "GET"]
    );
    let log = g.transport.log.borrow();
    let add = log[1].1.as_ref().unwrap();
    assert!(add.get("includeTargets").is_none());
    assert!(add["passkeyProfiles"][1].get("id").is_none());
    let target = log[4].1.as_ref().unwrap();
    assert!(target.get("passkeyProfiles").is_none());
    assert_eq!(
        target["includeTargets"][1]["allowedPasskeyProfiles"],
        json!([NEW_ID])
    );
    let stored = g.transport.stored.borrow().clone();
    assert!(m.read_back.as_deref().unwrap().contains(NEW_ID));
    drop(log);

    // A re-run over the finished rollout has nothing to send.
    let again = machine(&stored);
    assert_eq!(again.plan().steps.len(), 0);
}

#[tokio::test(flavor = "current_thread")]
async fn stopped_after_the_add_a_fresh_read_sends_only_the_target() {
    let g = Graph::new(Fido2Service::new(migrated()), Cloud::Global);
    let mut m = machine(&migrated());
    assert_eq!(send_next(&g, &mut m).await.unwrap(), SendOutcome::Sent);
    // The admin stops; later the page reads the tenant again.
    let stored = g.transport.stored.borrow().clone();
    let mut fresh = machine(&stored);
    assert_eq!(fresh.plan().steps.len(), 1);
    assert_eq!(fresh.plan().steps[0].kind, StepKind::Targets);
    assert_eq!(send_next(&g, &mut fresh).await.unwrap(), SendOutcome::Sent);
    assert!(fresh.is_finished());
    assert_eq!(
        g.transport.stored.borrow()["includeTargets"][1]["allowedPasskeyProfiles"],
        json!([NEW_ID])
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_changed_tenant_gets_no_patch() {
    let g = Graph::new(Fido2Service::new(migrated()), Cloud::Global);
    let mut m = machine(&migrated());
    g.transport.stored.borrow_mut()["state"] = json!("disabled");
    let out = send_next(&g, &mut m).await.unwrap();
    assert!(matches!(out, SendOutcome::Refused(_)), "{out:?}");
    assert_eq!(g.transport.methods(), ["GET"]);
}

#[tokio::test(flavor = "current_thread")]
async fn a_size_error_on_the_target_removes_the_added_profile_again() {
    let mut service = Fido2Service::new(migrated());
    service.refuse_targets = true;
    let g = Graph::new(service, Cloud::Global);
    let mut m = machine(&migrated());
    assert_eq!(send_next(&g, &mut m).await.unwrap(), SendOutcome::Sent);
    let out = send_next(&g, &mut m).await.unwrap();
    assert!(
        matches!(&out, SendOutcome::Failed { undone: true, error } if error.contains("size")),
        "{out:?}"
    );
    assert_eq!(
        g.transport.methods(),
        ["GET", "PATCH", "GET", "GET", "PATCH", "GET", "PATCH", "GET"]
    );
    assert_eq!(
        g.transport.stored.borrow()["passkeyProfiles"],
        migrated()["passkeyProfiles"]
    );
    assert_eq!(m.states[0].name(), "undone");
    assert_eq!(m.states[1].name(), "failed");
}
