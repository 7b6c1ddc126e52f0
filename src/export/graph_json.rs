//! Graph JSON export: the request line a Graph Explorer user pastes into the URL bar, and the
//! body pretty-printed for the request-body box.
//!
//! Endpoints are Graph v1.0's
//! (<https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy>): create is
//! `POST /identity/conditionalAccess/policies` (never the legacy
//! `/policies/conditionalAccessPolicies`), update is `PATCH …/policies/{id}`; pilot groups are
//! created with `POST /groups`.

use serde_json::Value;
use std::fmt;

use crate::guid::Guid;

/// The Graph service root; national clouds differ, which is why the PowerShell exports use
/// version-relative URIs and let `Connect-MgGraph` pick the cloud.
pub const GRAPH_ROOT: &str = "https://graph.microsoft.com";
/// The API version every export targets.
pub const API_VERSION: &str = "v1.0";
/// Collection of Conditional Access policies (relative to the version).
pub const POLICIES_PATH: &str = "/identity/conditionalAccess/policies";
/// Collection of groups (relative to the version).
pub const GROUPS_PATH: &str = "/groups";

/// What a request does. An update carries a checked policy id (a [`Guid`]: no character of it
/// could leave a path segment or a script literal), so an operation with an unsafe id cannot
/// exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// Create a Conditional Access policy.
    Create,
    /// Update (PATCH) an existing policy: lists in the body replace the stored lists, nested
    /// objects are merged.
    Update { policy_id: Guid },
    /// Create a security group (pilot group).
    CreateGroup,
}

impl Operation {
    /// The HTTP method.
    pub fn method(&self) -> &'static str {
        match self {
            Operation::Create | Operation::CreateGroup => "POST",
            Operation::Update { .. } => "PATCH",
        }
    }

    /// The path below the version, e.g. `/identity/conditionalAccess/policies/{id}`.
    pub fn path(&self) -> String {
        match self {
            Operation::Create => POLICIES_PATH.to_string(),
            Operation::Update { policy_id } => format!("{POLICIES_PATH}/{policy_id}"),
            Operation::CreateGroup => GROUPS_PATH.to_string(),
        }
    }

    /// The version-relative URI `Invoke-MgGraphRequest -Uri` takes (`/v1.0/…`).
    pub fn relative_uri(&self) -> String {
        format!("/{API_VERSION}{}", self.path())
    }

    /// The absolute URL.
    pub fn url(&self) -> String {
        format!("{GRAPH_ROOT}{}", self.relative_uri())
    }

    /// `METHOD URL`, as typed into Graph Explorer.
    pub fn request_line(&self) -> String {
        format!("{} {}", self.method(), self.url())
    }
}

/// A request ready to paste: the request line and the body text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphJson {
    pub request_line: String,
    pub body: String,
}

impl fmt::Display for GraphJson {
    /// The request line, a blank line, then the body, as in an HTTP request or a `.http` file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.request_line)?;
        writeln!(f)?;
        writeln!(f, "{}", self.body)
    }
}

/// The export of one request.
pub fn export(operation: &Operation, body: &Value) -> GraphJson {
    GraphJson {
        request_line: operation.request_line(),
        body: pretty_body(body),
    }
}

/// The body with 2-space indentation. Key order is the body's own order (serde_json keeps
/// insertion order in this crate), so the same body always prints the same text.
pub fn pretty_body(body: &Value) -> String {
    // Serialising a `Value` to a String cannot fail: keys are strings and there is no I/O.
    serde_json::to_string_pretty(body).expect("a serde_json::Value always serialises")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guid::GuidKind;

    #[test]
    fn guid_ids_are_accepted_in_either_case() {
        assert!(Guid::parse("0a1b2c3d-4e5f-6789-abcd-EF0123456789", GuidKind::Policy).is_ok());
    }

    #[test]
    fn bad_ids_point_at_the_first_bad_character() {
        let at = |s| Guid::parse(s, GuidKind::Policy).unwrap_err().char_index;
        assert_eq!(at("0a1b2c3d-4e5f-6789-abcd-EF012345678/"), Some(35));
        assert_eq!(at("0a1b2c3d/4e5f-6789-abcd-EF0123456789"), Some(8));
        assert_eq!(at("0a1b2c3d-4e5f-6789-abcd-EF0123456789?x"), Some(36));
        assert_eq!(at(""), None);
    }

    #[test]
    fn an_update_puts_the_id_in_the_path() {
        let policy_id =
            Guid::parse("0a1b2c3d-4e5f-6789-abcd-ef0123456789", GuidKind::Policy).unwrap();
        assert_eq!(
            Operation::Update { policy_id }.request_line(),
            "PATCH https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies/0a1b2c3d-4e5f-6789-abcd-ef0123456789"
        );
    }
}
