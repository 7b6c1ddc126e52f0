//! A Temporary Access Pass for one user: the request that issues it, with only the lifetime and
//! one-time use the tenant's TAP method configuration allows, and the reader of the answer.
//!
//! The code (`temporaryAccessPass`) is returned only in the 201 of the POST
//! (<https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods>). It
//! is held in a [`TapCode`], which prints as `TapCode(hidden)` and has no `Display` or
//! `Serialize`, so no log, error message or saved state can carry it by accident; every error
//! built here names the user and never quotes the response.

use serde_json::{Map, Value};

use super::url;
use crate::export::graph_json::pretty_body;
use crate::graph::cloud::{ApiVersion, Cloud};
use crate::graph::errors::{ErrorKind, GraphError};
use crate::graph::permissions::GraphOp;
use crate::graph::transport::{Method, Request, Response};
use crate::guid::Guid;

/// What the body asks for; `None`: left out, so the tenant's default applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TapRequest {
    pub is_usable_once: Option<bool>,
    pub lifetime_minutes: Option<i64>,
}

impl TapRequest {
    /// The request the TAP method configuration (its GET response) allows: its default
    /// lifetime and its `isUsableOnce` (a multi-use pass only where the tenant allows one).
    /// A field the configuration lacks, or holds out of Graph's range, is left out.
    pub fn from_config(config: &Value) -> TapRequest {
        let lifetime = config
            .get("defaultLifetimeInMinutes")
            .and_then(Value::as_i64)
            .filter(|m| (10..=43_200).contains(m));
        TapRequest {
            is_usable_once: config.get("isUsableOnce").and_then(Value::as_bool),
            lifetime_minutes: lifetime,
        }
    }

    /// `{"isUsableOnce": …, "lifetimeInMinutes": …}`, only the fields that are set.
    pub fn body(&self) -> Value {
        let mut m = Map::new();
        if let Some(once) = self.is_usable_once {
            m.insert("isUsableOnce".into(), Value::Bool(once));
        }
        if let Some(minutes) = self.lifetime_minutes {
            m.insert("lifetimeInMinutes".into(), Value::from(minutes));
        }
        Value::Object(m)
    }

    /// In words, for the panel: what the pass will be.
    pub fn describe(&self) -> String {
        let once = match self.is_usable_once {
            Some(true) => "one-time",
            Some(false) => "usable more than once",
            None => "one-time or not as the tenant's default says",
        };
        let lifetime = match self.lifetime_minutes {
            Some(m) => format!("valid {m} minutes"),
            None => "valid for the tenant's default lifetime".to_string(),
        };
        format!("{once}, {lifetime}")
    }
}

/// `POST /users/{id}/authentication/temporaryAccessPassMethods` with [`TapRequest::body`].
pub fn create_tap(cloud: Cloud, user: &Guid, request: &TapRequest) -> Request {
    Request::with_body(
        GraphOp::CreateTemporaryAccessPass,
        Method::Post,
        url(
            cloud,
            ApiVersion::V1,
            &format!("/users/{user}/authentication/temporaryAccessPassMethods"),
        ),
        pretty_body(&request.body()),
    )
}

/// The code of a Temporary Access Pass. Not `Display`, not `Serialize`, `Debug` hides it: read
/// it only with [`TapCode::reveal`], to show it.
#[derive(Clone, PartialEq, Eq)]
pub struct TapCode(String);

impl TapCode {
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for TapCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TapCode(hidden)")
    }
}

/// A pass Graph issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedTap {
    pub code: TapCode,
    /// The method's id (to delete the pass after registration).
    pub method_id: Option<String>,
    pub lifetime_minutes: Option<i64>,
    pub is_usable_once: Option<bool>,
    pub start: Option<String>,
}

/// Reads the 201. The errors never quote the body, which holds the code.
pub fn read_tap(response: &Response) -> Result<IssuedTap, GraphError> {
    let op = GraphOp::CreateTemporaryAccessPass;
    let unreadable = |what: &str| GraphError {
        status: Some(response.status),
        request_id: response.header("request-id").map(str::to_string),
        ..GraphError::new(op, ErrorKind::BadResponse, what.to_string())
    };
    let v: Value = serde_json::from_str(&response.body).map_err(|_| {
        unreadable("the response is not JSON (the pass may exist: issue it again to replace it)")
    })?;
    let code = v
        .get("temporaryAccessPass")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            unreadable(
                "the response holds no code (the pass may exist: issue it again to replace it)",
            )
        })?;
    Ok(IssuedTap {
        code: TapCode(code.to_string()),
        method_id: v.get("id").and_then(Value::as_str).map(str::to_string),
        lifetime_minutes: v.get("lifetimeInMinutes").and_then(Value::as_i64),
        is_usable_once: v.get("isUsableOnce").and_then(Value::as_bool),
        start: v
            .get("startDateTime")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const USER: &str = "11111111-2222-3333-4444-555555555555";

    #[test]
    fn the_body_carries_only_what_the_tenant_policy_allows() {
        let config =
            json!({"defaultLifetimeInMinutes": 60, "isUsableOnce": true, "defaultLength": 8});
        let r = TapRequest::from_config(&config);
        assert_eq!(
            r.body(),
            json!({"isUsableOnce": true, "lifetimeInMinutes": 60})
        );
        assert_eq!(r.describe(), "one-time, valid 60 minutes");
        let out_of_range = TapRequest::from_config(&json!({"defaultLifetimeInMinutes": 5}));
        assert_eq!(out_of_range.body(), json!({}));
        assert_eq!(TapRequest::default().body(), json!({}));
        let req = create_tap(
            Cloud::Global,
            &Guid::parse(USER, crate::guid::GuidKind::Object).unwrap(),
            &r,
        );
        assert_eq!(
            req.request_line(),
            format!("POST https://graph.microsoft.com/v1.0/users/{USER}/authentication/temporaryAccessPassMethods")
        );
        assert_eq!(
            serde_json::from_str::<Value>(req.body.as_deref().unwrap()).unwrap(),
            r.body()
        );
    }

    #[test]
    fn the_code_is_read_and_never_printed() {
        let body = json!({"id": "m1", "temporaryAccessPass": "Secret#Code9", "lifetimeInMinutes": 60, "isUsableOnce": true});
        let ok = read_tap(&Response {
            status: 201,
            headers: vec![],
            body: body.to_string(),
        })
        .unwrap();
        assert_eq!(ok.code.reveal(), "Secret#Code9");
        assert!(!format!("{ok:?}").contains("Secret#Code9"));
        for bad in [
            r#"{"temporaryAccessPass": "Secret#Code9""#.to_string(),
            json!({"temporaryAccessPass": 7, "note": "Secret#Code9"}).to_string(),
        ] {
            let e = read_tap(&Response {
                status: 201,
                headers: vec![],
                body: bad,
            })
            .unwrap_err();
            assert!(!format!("{e:?}").contains("Secret#Code9"));
            assert!(!e.user_message().contains("Secret#Code9"));
        }
    }
}
