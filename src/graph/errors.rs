//! Graph failures as values an admin can act on.
//!
//! Graph's error body is `{"error":{"code","message","innerError":{"request-id","date",
//! "client-request-id"}}}`; the `request-id` response header carries the same id. A
//! [`GraphError`] keeps status, code, message, request id and date (what Microsoft support asks
//! for) and a [`ErrorKind`] that says what to do. Texts come from the server and are passed
//! through the transport's `redact` before they are kept, so even a server that echoes the
//! `Authorization` header cannot put the token into a message.

use serde_json::Value;
use std::fmt;
use std::time::Duration;

use super::cloud::UrlError;
use super::permissions::GraphOp;
use super::retry::parse_retry_after;
use super::transport::{Response, TransportError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401. `expired`: Graph said the token's lifetime is over.
    Unauthorized { expired: bool },
    /// 403. `needed`: the least-privileged permission set for the operation.
    Forbidden { needed: Vec<&'static str> },
    /// 404.
    NotFound,
    /// 400. `field`: the property Graph's message names, when it names one.
    BadRequest { field: Option<String> },
    /// 409 (e.g. a name or reference that already exists).
    Conflict,
    /// 429, after the retries the policy allowed.
    Throttled { retry_after: Option<Duration> },
    /// 503 (and 502/504), after the retries the policy allowed.
    Unavailable { retry_after: Option<Duration> },
    /// No HTTP response (offline, DNS, TLS, CORS).
    Network,
    /// Cancelled by the admin.
    Cancelled,
    /// Refused before sending or while following a link: it pointed away from the Graph host.
    Refused,
    /// A success status whose body is not what the operation returns.
    BadResponse,
    /// Any other status.
    Other,
}

/// A failed Graph call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    pub op: GraphOp,
    /// HTTP status; `None` when no response arrived.
    pub status: Option<u16>,
    /// Graph's `error.code` (e.g. `Authorization_RequestDenied`).
    pub code: Option<String>,
    /// Graph's `error.message`, or a description of the failure.
    pub message: String,
    /// `request-id` (header or `innerError`).
    pub request_id: Option<String>,
    /// `innerError.date` (or the `Date` header).
    pub date: Option<String>,
    /// `innerError.client-request-id`.
    pub client_request_id: Option<String>,
    /// How many sends were made.
    pub attempts: u32,
    pub kind: ErrorKind,
}

impl GraphError {
    /// Maps an error response. `now_unix` resolves a `Retry-After` HTTP date; `redact` scrubs
    /// server-provided text.
    pub fn from_response(
        op: GraphOp,
        response: &Response,
        now_unix: i64,
        redact: &dyn Fn(&str) -> String,
    ) -> GraphError {
        let parsed: Option<Value> = serde_json::from_str(&response.body).ok();
        let error = parsed.as_ref().and_then(|v| v.get("error"));
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(redact);
        let inner = error.and_then(|e| e.get("innerError").or_else(|| e.get("innererror")));
        let code = text(error.and_then(|e| e.get("code")));
        let message = text(error.and_then(|e| e.get("message"))).unwrap_or_else(|| {
            // Not Graph's error shape (a proxy's HTML page, an empty body): say so briefly.
            let body = redact(response.body.trim());
            if body.is_empty() {
                format!("HTTP {} with an empty body", response.status)
            } else {
                let short: String = body.chars().take(200).collect();
                format!("HTTP {}: {short}", response.status)
            }
        });
        let request_id = response
            .header("request-id")
            .map(redact)
            .or_else(|| text(inner.and_then(|i| i.get("request-id"))));
        let date =
            text(inner.and_then(|i| i.get("date"))).or_else(|| response.header("date").map(redact));
        let client_request_id = text(inner.and_then(|i| i.get("client-request-id")))
            .or_else(|| response.header("client-request-id").map(redact));
        let retry_after = response
            .header("retry-after")
            .and_then(|v| parse_retry_after(v, now_unix));
        let kind = match response.status {
            401 => ErrorKind::Unauthorized {
                expired: message.to_ascii_lowercase().contains("expired")
                    || code
                        .as_deref()
                        .is_some_and(|c| c.eq_ignore_ascii_case("ExpiredAuthenticationToken")),
            },
            403 => ErrorKind::Forbidden {
                needed: op.requirement().any_of[0].to_vec(),
            },
            404 => ErrorKind::NotFound,
            400 => ErrorKind::BadRequest {
                field: field_named_in(&message),
            },
            409 => ErrorKind::Conflict,
            429 => ErrorKind::Throttled { retry_after },
            502..=504 => ErrorKind::Unavailable { retry_after },
            _ => ErrorKind::Other,
        };
        GraphError {
            op,
            status: Some(response.status),
            code,
            message,
            request_id,
            date,
            client_request_id,
            attempts: 1,
            kind,
        }
    }

    /// A request that got no response.
    pub fn from_transport(
        op: GraphOp,
        e: &TransportError,
        redact: &dyn Fn(&str) -> String,
    ) -> GraphError {
        let (kind, message) = match e {
            TransportError::Network(s) => (ErrorKind::Network, redact(s)),
            TransportError::Cancelled => (ErrorKind::Cancelled, "cancelled".to_string()),
            TransportError::Refused(s) => (ErrorKind::Refused, redact(s)),
        };
        GraphError::new(op, kind, message)
    }

    /// A link or URL refused by the allow-list.
    pub fn refused_url(op: GraphOp, e: &UrlError) -> GraphError {
        GraphError::new(op, ErrorKind::Refused, e.to_string())
    }

    /// A success response whose body could not be read.
    pub fn bad_response(op: GraphOp, response: &Response, detail: impl Into<String>) -> GraphError {
        GraphError {
            status: Some(response.status),
            request_id: response.header("request-id").map(str::to_string),
            ..GraphError::new(op, ErrorKind::BadResponse, detail.into())
        }
    }

    pub fn cancelled(op: GraphOp) -> GraphError {
        GraphError::new(op, ErrorKind::Cancelled, "cancelled".to_string())
    }

    /// An error found locally (no response), e.g. an ambiguous name.
    pub fn new(op: GraphOp, kind: ErrorKind, message: String) -> GraphError {
        GraphError {
            op,
            status: None,
            code: None,
            message,
            request_id: None,
            date: None,
            client_request_id: None,
            attempts: 1,
            kind,
        }
    }

    /// `Retry-After` of a 429/503, if it had one.
    pub fn retry_after(&self) -> Option<Duration> {
        match &self.kind {
            ErrorKind::Throttled { retry_after } | ErrorKind::Unavailable { retry_after } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// What happened and what to do, in an admin's words. Graph's own code and message follow.
    pub fn user_message(&self) -> String {
        let what = self.op.describe();
        let req = self.op.requirement();
        let mut s = match &self.kind {
            ErrorKind::Unauthorized { expired: true } => format!(
                "Graph refused the token while {what}: it has expired. Get a new access token \
                 (e.g. `az account get-access-token --resource https://graph.microsoft.com`) and connect again."
            ),
            ErrorKind::Unauthorized { expired: false } => format!(
                "Graph did not accept the token while {what}. Check that it is an access token for \
                 Microsoft Graph in the chosen cloud and that it was copied whole, then connect again."
            ),
            ErrorKind::Forbidden { needed } => {
                let mut s = format!(
                    "Permission denied while {what}. The token needs {} (delegated scope or application permission)",
                    needed.join(" and ")
                );
                if !req.roles.is_empty() {
                    s.push_str(&format!(
                        ", and a signed-in user also needs a directory role such as {}",
                        req.roles.join(" or ")
                    ));
                }
                s.push('.');
                s
            }
            ErrorKind::NotFound => format!(
                "Not found while {what}: it may have been deleted, or the id belongs to another tenant."
            ),
            ErrorKind::BadRequest { field: Some(f) } => {
                format!("Graph rejected the request while {what}: the property `{f}` is not accepted.")
            }
            ErrorKind::BadRequest { field: None } => {
                format!("Graph rejected the request while {what}.")
            }
            ErrorKind::Conflict => format!("Graph reported a conflict while {what}: it may already exist."),
            ErrorKind::Throttled { retry_after } => format!(
                "Graph is throttling requests (429) while {what}; gave up after {} attempt{}.{}",
                self.attempts,
                plural(self.attempts),
                wait_hint(*retry_after)
            ),
            ErrorKind::Unavailable { retry_after } => format!(
                "Graph is temporarily unavailable while {what}; gave up after {} attempt{}.{}",
                self.attempts,
                plural(self.attempts),
                wait_hint(*retry_after)
            ),
            ErrorKind::Network => {
                let mut s = format!(
                    "Could not reach Microsoft Graph while {what} (offline, blocked by a proxy or \
                     browser extension, or refused by CORS)."
                );
                if matches!(self.op, GraphOp::CreatePolicy | GraphOp::CreateGroup | GraphOp::AddGroupMember) {
                    s.push_str(" The request may still have been applied: look before retrying.");
                }
                s
            }
            ErrorKind::Cancelled => format!("Cancelled while {what}."),
            ErrorKind::Refused => format!("Refused while {what}: {}", self.message),
            ErrorKind::BadResponse => format!(
                "Graph's answer while {what} could not be read: {}",
                self.message
            ),
            ErrorKind::Other => format!(
                "Graph answered HTTP {} while {what}.",
                self.status.map(|s| s.to_string()).unwrap_or_else(|| "?".into())
            ),
        };
        if self.status.is_some() && !matches!(self.kind, ErrorKind::BadResponse) {
            match &self.code {
                Some(code) => s.push_str(&format!(" Graph said: {code}: {}", self.message)),
                None => s.push_str(&format!(" Graph said: {}", self.message)),
            }
        }
        s
    }
}

impl fmt::Display for GraphError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.user_message())?;
        if let Some(id) = &self.request_id {
            write!(f, " (request-id {id}")?;
            if let Some(d) = &self.date {
                write!(f, ", date {d}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl std::error::Error for GraphError {}

fn plural(n: u32) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn wait_hint(retry_after: Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(
            " Graph asked to wait {} s; try again after that.",
            d.as_secs()
        ),
        None => " Try again in a minute.".to_string(),
    }
}

/// The property a Graph 400 message names, for showing the message next to that field.
/// Graph (OData) phrases: "Could not find a property named 'x' on type …", "The property 'x'
/// does not exist on type …", "Invalid value specified for property 'x' …", "… for the
/// following modified properties: 'members'". Heuristic by design: `None` when unsure.
pub fn field_named_in(message: &str) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    for marker in [
        "property named '",
        "property '",
        "properties: '",
        "field '",
        "parameter '",
    ] {
        if let Some(at) = lower.find(marker) {
            let start = at + marker.len();
            let rest = &message[start..];
            let end = rest.find('\'')?;
            let name = &rest[..end];
            let plausible = !name.is_empty()
                && name.len() <= 200
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '@' | '#'));
            return plausible.then(|| name.to_string());
        }
    }
    None
}
