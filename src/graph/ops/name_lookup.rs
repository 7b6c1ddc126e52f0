//! Names for ids the draft holds without one (an imported policy's, an id typed by hand):
//!
//! - users and groups: `POST /directoryObjects/getByIds` with the types `user` and `group`, at
//!   most [`MAX_IDS_PER_LOOKUP`] ids a request
//!   (<https://learn.microsoft.com/graph/api/directoryobject-getbyids>). A read, though sent as
//!   POST. Objects the token may not read come back with their id only and no `displayName`:
//!   those stay unnamed, as do ids that are no user or group (deleted, or of another kind).
//! - applications, which a policy holds by `appId`: `GET /servicePrincipals?$filter=appId in
//!   (…)`, at most [`MAX_APP_IDS_PER_LOOKUP`] a request, the limit Graph's known issues give for
//!   `in` (<https://developer.microsoft.com/graph/known-issues>).
//! - named locations: the tenant's list, as the location picker reads it, matched here.

use serde_json::{json, Value};

use super::directory_search::read_hit;
use super::{encode_component, url};
use super::{DirectoryKind, Hit};
use crate::graph::body::read_json;
use crate::graph::cloud::{ApiVersion, Cloud};
use crate::graph::errors::GraphError;
use crate::graph::permissions::GraphOp;
use crate::graph::transport::{Method, Request, Response};
use crate::guid::is_guid;
use crate::names::user_label;

/// The most ids `getByIds` takes in one request.
pub const MAX_IDS_PER_LOOKUP: usize = 1000;
/// The most values one `in` filter takes.
pub const MAX_APP_IDS_PER_LOOKUP: usize = 15;

/// The request that asks for the users and groups among `ids` (at most
/// [`MAX_IDS_PER_LOOKUP`]; the caller splits a longer list).
pub fn name_lookup_request(cloud: Cloud, ids: &[String]) -> Request {
    let body = json!({ "ids": ids, "types": ["user", "group"] });
    Request::with_body(
        GraphOp::LookUpNames,
        Method::Post,
        url(cloud, ApiVersion::V1, "/directoryObjects/getByIds"),
        body.to_string(),
    )
}

/// The request for the service principals of `app_ids` (GUIDs, at most
/// [`MAX_APP_IDS_PER_LOOKUP`]; the caller splits a longer list and checks each is a GUID, so no
/// quote can reach the filter).
pub fn app_lookup_request(cloud: Cloud, app_ids: &[String]) -> Request {
    let values: Vec<String> = app_ids.iter().map(|id| format!("'{id}'")).collect();
    let path = format!(
        "/servicePrincipals?$filter={}&$select=id,appId,displayName,servicePrincipalType",
        encode_component(&format!("appId in ({})", values.join(",")))
    );
    Request::get(GraphOp::LookUpAppNames, url(cloud, ApiVersion::V1, &path))
}

/// Reads the answer: each entry with a GUID id and a `displayName` becomes a [`Hit`] (a user's
/// name with its principal name, as the pickers show it). An entry without a name is skipped;
/// an answer that is no list, or an entry without a GUID id, refuses the whole answer.
pub fn read_name_lookup(response: &Response) -> Result<Vec<Hit>, GraphError> {
    let op = GraphOp::LookUpNames;
    let body = read_json(op, response, "the getByIds answer")?;
    let bad = |detail: String| GraphError::bad_response(op, response, detail);
    let Some(items) = body.get("value").and_then(Value::as_array) else {
        return Err(bad("the getByIds answer has no list of objects".into()));
    };
    let mut hits = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let text = |k: &str| item.get(k).and_then(Value::as_str).unwrap_or_default();
        let id = text("id");
        if !is_guid(id) {
            return Err(bad(format!(
                "object {} of the getByIds answer has no GUID id",
                i + 1
            )));
        }
        let (name, upn) = (text("displayName"), text("userPrincipalName"));
        if name.trim().is_empty() && upn.trim().is_empty() {
            continue;
        }
        hits.push(Hit {
            id: id.to_ascii_lowercase(),
            name: user_label(id, name, upn),
            detail: None,
        });
    }
    Ok(hits)
}

/// Reads the service principals' answer: each entry with an `appId` and a `displayName` becomes
/// a [`Hit`] keyed by the `appId` (what a policy holds); an answer that is no list refuses.
pub fn read_app_lookup(response: &Response) -> Result<Vec<Hit>, GraphError> {
    let op = GraphOp::LookUpAppNames;
    let body = read_json(op, response, "the service principals' answer")?;
    let Some(items) = body.get("value").and_then(Value::as_array) else {
        return Err(GraphError::bad_response(
            op,
            response,
            "the service principals' answer has no list",
        ));
    };
    Ok(items
        .iter()
        .filter_map(|item| read_hit(DirectoryKind::App, item))
        .collect())
}

/// The named locations among a listing's `items` (as the location picker reads them); an
/// entry without a GUID id or a name is left unnamed.
pub fn read_location_lookup(items: &[Value]) -> Vec<Hit> {
    items
        .iter()
        .filter_map(|item| read_hit(DirectoryKind::Location, item))
        .collect()
}
