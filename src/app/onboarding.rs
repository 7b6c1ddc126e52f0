//! Onboarding a pilot user with no MFA method: a Temporary Access Pass per user, with the
//! lifetime and one-time use the tenant's TAP method configuration sets (read first; when it
//! cannot be read, the body is left empty so the tenant's defaults apply, and the page says so).
//!
//! The code comes back in [`IssuedTap`] and goes no further than the caller's state: a
//! [`TapFailure`] names the user and Graph's reason, never a response body.

// A `TapFailure` carries the `GraphError` (large, as in `graph`), returned only on failure.
#![allow(clippy::result_large_err)]

use crate::builders::methods::Method as AuthMethod;
use crate::graph::auth_methods::read_method_config;
use crate::graph::ops::{self, IssuedTap, TapRequest};
use crate::graph::{ErrorKind, Graph, GraphError, Transport};

use super::pilot::PilotUser;

/// The body every pass of this run gets, and where it comes from, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TapTerms {
    pub request: TapRequest,
    pub note: String,
}

/// What the TAP method configuration allows; its read failing is not fatal (the tenant's
/// defaults then apply), but it is said.
pub fn terms_from(config: Result<serde_json::Value, GraphError>) -> TapTerms {
    match config {
        Ok(v) => {
            let request = TapRequest::from_config(&v);
            let note = if request == TapRequest::default() {
                "The Temporary Access Pass policy sets no lifetime or one-time use: each pass takes the tenant's defaults.".to_string()
            } else {
                format!(
                    "From the tenant's Temporary Access Pass policy: {}.",
                    request.describe()
                )
            };
            TapTerms { request, note }
        }
        Err(e) => TapTerms {
            request: TapRequest::default(),
            note: format!(
                "The Temporary Access Pass policy could not be read ({}): each pass takes the tenant's defaults.",
                e.user_message()
            ),
        },
    }
}

/// Reads the TAP method configuration and returns the terms it allows.
pub async fn read_terms<T: Transport>(g: &Graph<T>) -> TapTerms {
    let config = read_method_config(g, AuthMethod::TemporaryAccessPass)
        .await
        .and_then(|read| {
            serde_json::from_str(&read.text).map_err(|_| {
                GraphError::new(
                    crate::graph::GraphOp::ReadAuthMethodsPolicy,
                    ErrorKind::BadResponse,
                    "the configuration is not JSON".into(),
                )
            })
        });
    terms_from(config)
}

/// A pass that could not be issued: who, and why (Graph's message, never a body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TapFailure {
    pub user: String,
    pub why: String,
    pub error: GraphError,
}

impl std::fmt::Display for TapFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "No Temporary Access Pass for {}: {}",
            self.user, self.why
        )
    }
}

/// Issues one pass for `user` with `terms`. The code is in the `Ok` only.
pub async fn issue_tap<T: Transport>(
    g: &Graph<T>,
    user: &PilotUser,
    terms: &TapTerms,
) -> Result<IssuedTap, TapFailure> {
    let fail = |error: GraphError| TapFailure {
        user: user.label(),
        why: why(&error),
        error,
    };
    let response = g
        .send(&ops::create_tap(g.cloud, &user.id, &terms.request))
        .await
        .map_err(fail)?;
    ops::read_tap(&response).map_err(fail)
}

/// The reason in words, with the hints that apply to a pass.
fn why(e: &GraphError) -> String {
    let mut s = e.user_message();
    match &e.kind {
        ErrorKind::Forbidden { .. } => s.push_str(
            " A user who holds an admin role needs the Privileged Authentication Administrator role; nobody can issue a pass for themselves.",
        ),
        ErrorKind::BadRequest { .. } => s.push_str(
            " Check the Temporary Access Pass policy: it must be enabled, and a multi-use pass or this lifetime must be allowed.",
        ),
        _ => {}
    }
    s
}

/// What the panel shows over a pass: whose it is and its terms (not the code).
pub fn issued_caption(user: &PilotUser, tap: &IssuedTap) -> String {
    let once = match tap.is_usable_once {
        Some(true) => "one-time",
        Some(false) => "usable more than once",
        None => "usage as the tenant's policy sets",
    };
    let lifetime = tap
        .lifetime_minutes
        .map(|m| format!(", valid {m} minutes"))
        .unwrap_or_default();
    let start = tap
        .start
        .as_deref()
        .map(|s| format!(" from {s}"))
        .unwrap_or_default();
    format!(
        "Temporary Access Pass for {} ({once}{lifetime}{start}). It is shown only now: copy it to the user over a trusted channel.",
        user.label()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphOp;
    use serde_json::json;

    #[test]
    fn the_terms_come_from_the_policy_or_say_the_defaults_apply() {
        let t = terms_from(Ok(
            json!({"defaultLifetimeInMinutes": 120, "isUsableOnce": false}),
        ));
        assert_eq!(
            t.request.body(),
            json!({"isUsableOnce": false, "lifetimeInMinutes": 120})
        );
        assert!(
            t.note.contains("usable more than once, valid 120 minutes"),
            "{}",
            t.note
        );
        let e = GraphError::new(GraphOp::ReadAuthMethodsPolicy, ErrorKind::Other, "x".into());
        let t = terms_from(Err(e));
        assert_eq!(t.request.body(), json!({}));
        assert!(t.note.contains("tenant's defaults"), "{}", t.note);
        assert!(terms_from(Ok(json!({}))).note.contains("tenant's defaults"));
    }

    #[test]
    fn a_failure_names_the_user_and_the_hint() {
        let user = PilotUser {
            id: crate::guid::Guid::parse(
                "aaaaaaaa-0000-0000-0000-000000000001",
                crate::guid::GuidKind::Object,
            )
            .unwrap(),
            upn: "ada@contoso.com".into(),
            display_name: "Ada".into(),
        };
        let e = GraphError::new(
            GraphOp::CreateTemporaryAccessPass,
            ErrorKind::Forbidden {
                needed: vec!["UserAuthMethod-TAP.ReadWrite.All"],
            },
            "denied".into(),
        );
        let f = TapFailure {
            user: user.label(),
            why: why(&e),
            error: e,
        };
        let text = f.to_string();
        assert!(
            text.starts_with("No Temporary Access Pass for Ada (ada@contoso.com): "),
            "{text}"
        );
        assert!(
            text.contains("Privileged Authentication Administrator"),
            "{text}"
        );
    }
}
