//! Response bodies read as JSON by the reader policy files go through
//! ([`crate::policy::import::parse_json`]), so a tenant's answer gets the refusals a file gets:
//! two keys of one object that are equal or equal but for case (which one a reader keeps is
//! not said), numbers that would not be written back as they were read, nesting past 128
//! levels. A list response that repeated `state` would otherwise show one value and keep
//! the other in the read-modify-write.

use serde_json::Value;

use super::errors::GraphError;
use super::permissions::GraphOp;
use super::transport::Response;

/// The body of `response` as JSON; `what` names it in the refusal ("the page").
pub fn read_json(op: GraphOp, response: &Response, what: &str) -> Result<Value, GraphError> {
    crate::policy::import::parse_json(&response.body)
        .map_err(|e| GraphError::bad_response(op, response, format!("{what} cannot be read ({e})")))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::graph::errors::ErrorKind;

    /// A 200 answer with `body`, for the readers' tests.
    pub(crate) fn response(body: &str) -> Response {
        Response {
            status: 200,
            headers: vec![],
            body: body.to_string(),
        }
    }

    #[test]
    fn a_hostile_list_response_is_refused_like_a_file() {
        let op = GraphOp::ListPolicies;
        let twice = r#"{"value": [{"id": "a", "state": "disabled", "State": "enabled"}]}"#;
        let e = read_json(op, &response(twice), "the page").unwrap_err();
        assert!(matches!(e.kind, ErrorKind::BadResponse), "{e:?}");
        assert!(
            e.message.starts_with("the page cannot be read (1:"),
            "{}",
            e.message
        );
        assert!(e.message.contains("differ only by case"), "{}", e.message);

        let number = r#"{"value": [{"id": "a", "n": 1.50}]}"#;
        let e = read_json(op, &response(number), "the page").unwrap_err();
        assert!(
            e.message.contains("the number 1.50 cannot be kept"),
            "{}",
            e.message
        );

        let e = read_json(op, &response("<html>"), "the page").unwrap_err();
        assert!(e.message.contains("1:1: invalid JSON"), "{}", e.message);

        let fine = read_json(op, &response(r#"{"value": []}"#), "the page").unwrap();
        assert_eq!(fine["value"], Value::Array(vec![]));
    }
}
