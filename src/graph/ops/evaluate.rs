//! The service's What-If: `POST /identity/conditionalAccess/evaluate` (v1.0) with a request
//! body the page also shows and downloads, and the reader of its answer, a list of
//! `whatIfAnalysisResult` (each policy plus `policyApplies` and `analysisReasons`).
//!
//! Reference: <https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-1.0>
//! and <https://learn.microsoft.com/graph/api/resources/whatifanalysisresult?view=graph-rest-1.0>.

use serde_json::Value;

use super::url;
use crate::graph::body::read_json;
use crate::graph::cloud::{ApiVersion, Cloud};
use crate::graph::errors::GraphError;
use crate::graph::permissions::GraphOp;
use crate::graph::transport::{Method, Request, Response};

/// `POST /identity/conditionalAccess/evaluate` with `body`, sent as given (the text the page
/// shows and downloads), so what the tenant evaluates is exactly that file.
pub fn evaluate(cloud: Cloud, body: &str) -> Request {
    Request::with_body(
        GraphOp::EvaluatePolicies,
        Method::Post,
        url(
            cloud,
            ApiVersion::V1,
            "/identity/conditionalAccess/evaluate",
        ),
        body.to_string(),
    )
}

/// One policy as the service evaluated it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePolicy {
    pub id: String,
    pub name: String,
    /// `enabled`, `enabledForReportingButNotEnforced`, `disabled`, as the service wrote it.
    pub state: String,
    pub applies: bool,
    /// `analysisReasons` as the service wrote it (a flags value: comma-separated names).
    pub reasons: String,
}

/// The service's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAnswer {
    pub policies: Vec<ServicePolicy>,
    /// The answer said it has more (`@odata.nextLink`), which the call does not follow: a
    /// POST's next page is not documented.
    pub more: bool,
}

/// Reads the answer through the reader policy files go through (a hostile body is refused
/// like a file), then each result: an object with an `id` and a boolean `policyApplies`.
pub fn read_evaluate(response: &Response) -> Result<ServiceAnswer, GraphError> {
    let op = GraphOp::EvaluatePolicies;
    let v = read_json(op, response, "the What-If answer")?;
    let bad = |what: String| GraphError::bad_response(op, response, what);
    let Some(list) = v.get("value").and_then(Value::as_array) else {
        return Err(bad(
            "the What-If answer has no \"value\" list of policies".into()
        ));
    };
    let mut policies = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let n = i + 1;
        let text = |name: &str| item.get(name).and_then(Value::as_str).map(str::to_string);
        let Some(id) = text("id").filter(|s| !s.trim().is_empty()) else {
            return Err(bad(format!("result {n} of the What-If answer has no id")));
        };
        let Some(applies) = item.get("policyApplies").and_then(Value::as_bool) else {
            return Err(bad(format!(
                "result {n} of the What-If answer has no boolean policyApplies"
            )));
        };
        policies.push(ServicePolicy {
            name: text("displayName").unwrap_or_default(),
            state: text("state").unwrap_or_default(),
            reasons: text("analysisReasons").unwrap_or_default(),
            id,
            applies,
        });
    }
    Ok(ServiceAnswer {
        policies,
        more: v.get("@odata.nextLink").is_some_and(|l| !l.is_null()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::body::tests::response;
    use crate::graph::errors::ErrorKind;

    #[test]
    fn the_request_is_a_v1_post_of_the_body_as_given() {
        let r = evaluate(Cloud::Global, "{\n  \"a\": 1\n}");
        assert_eq!(r.op, GraphOp::EvaluatePolicies);
        assert_eq!(
            r.request_line(),
            "POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/evaluate"
        );
        assert_eq!(r.body.as_deref(), Some("{\n  \"a\": 1\n}"));
    }

    #[test]
    fn results_are_read_and_a_bad_answer_is_refused() {
        let a = read_evaluate(&response(
            r#"{"value": [{"id": "p1", "displayName": "One", "state": "enabled", "policyApplies": false, "analysisReasons": "users,application"}]}"#,
        ))
        .unwrap();
        assert_eq!(
            a.policies,
            [ServicePolicy {
                id: "p1".into(),
                name: "One".into(),
                state: "enabled".into(),
                applies: false,
                reasons: "users,application".into(),
            }]
        );
        assert!(!a.more);
        for (body, says) in [
            (
                r#"{"value": [{"id": "a", "policyApplies": true, "policyapplies": false}]}"#,
                "differ only by case",
            ),
            (r#"{"values": []}"#, "no \"value\" list"),
            (
                r#"{"value": [{"policyApplies": true}]}"#,
                "result 1 of the What-If answer has no id",
            ),
            (
                r#"{"value": [{"id": "a", "policyApplies": "yes"}]}"#,
                "no boolean policyApplies",
            ),
        ] {
            let e = read_evaluate(&response(body)).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadResponse, "{body}");
            assert!(e.message.contains(says), "{body}: {}", e.message);
        }
    }
}
