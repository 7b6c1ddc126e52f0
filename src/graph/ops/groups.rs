//! The pilot group: find it by name, create it, pick the one security group among those of
//! that name, and add members to it.

use serde_json::{json, Value};

use crate::export::graph_json::pretty_body;
use crate::guid::{Guid, GuidKind};
use crate::policy::templates::group_body;

use super::{encode_component, odata_string, url};
use crate::graph::cloud::{ApiVersion, Cloud};
use crate::graph::errors::{ErrorKind, GraphError};
use crate::graph::permissions::GraphOp;
use crate::graph::transport::{Method, Request};

/// A group as the pilot flow needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: Guid,
    pub display_name: String,
    pub security_enabled: bool,
    pub mail_enabled: bool,
}

/// `GET /groups?$filter=displayName eq '<name>'&$select=…`.
pub fn find_group_by_name(cloud: Cloud, display_name: &str) -> Request {
    let filter = format!("displayName eq {}", odata_string(display_name));
    Request::get(
        GraphOp::FindGroup,
        url(
            cloud,
            ApiVersion::V1,
            &format!(
                "/groups?$filter={}&$select=id,displayName,securityEnabled,mailEnabled",
                encode_component(&filter)
            ),
        ),
    )
}

/// `POST /groups` with `templates::group_body` (security-enabled, not mail-enabled).
pub fn create_group(cloud: Cloud, display_name: &str) -> Request {
    Request::with_body(
        GraphOp::CreateGroup,
        Method::Post,
        url(cloud, ApiVersion::V1, "/groups"),
        pretty_body(&group_body(display_name)),
    )
}

pub fn read_group(v: &Value) -> Option<Group> {
    Some(Group {
        id: Guid::parse(v.get("id")?.as_str()?, GuidKind::Object).ok()?,
        display_name: v.get("displayName")?.as_str()?.to_string(),
        security_enabled: v
            .get("securityEnabled")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        mail_enabled: v
            .get("mailEnabled")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    })
}

/// What a name lookup found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupMatch {
    None,
    One(Group),
    /// Several security groups share the name: ids listed, none picked (guessing
    /// could put the pilot's policy on the wrong people).
    Ambiguous(Vec<Group>),
    /// Only groups that are not security-enabled have the name; making another with the same
    /// name would make later lookups ambiguous.
    NotSecurity(Vec<Group>),
}

/// Picks the security group among the lookup's items. Names compare ignoring ASCII case, as
/// Graph's `eq` on `displayName` does, so what Graph returned is what is counted.
pub fn match_group(items: &[Value], display_name: &str) -> GroupMatch {
    let groups: Vec<Group> = items.iter().filter_map(read_group).collect();
    let named: Vec<Group> = groups
        .iter()
        .filter(|g| g.display_name.eq_ignore_ascii_case(display_name))
        .cloned()
        .collect();
    let mut security: Vec<Group> = named
        .iter()
        .filter(|g| g.security_enabled)
        .cloned()
        .collect();
    if security.len() > 1 {
        return GroupMatch::Ambiguous(security);
    }
    match security.pop() {
        Some(g) => GroupMatch::One(g),
        None if named.is_empty() => GroupMatch::None,
        None => GroupMatch::NotSecurity(named),
    }
}

/// `POST /groups/{id}/members/$ref` with `{"@odata.id": "https://<host>/v1.0/directoryObjects/{user}"}`
/// (the reference names the same cloud's host).
pub fn add_member(cloud: Cloud, group: &Guid, user: &Guid) -> Request {
    let body = json!({
        "@odata.id": format!("{}/v1.0/directoryObjects/{user}", cloud.origin()),
    });
    Request::with_body(
        GraphOp::AddGroupMember,
        Method::Post,
        url(
            cloud,
            ApiVersion::V1,
            &format!("/groups/{group}/members/$ref"),
        ),
        pretty_body(&body),
    )
}

/// Graph answers 400 when the object is already a member ("One or more added object references
/// already exist for the following modified properties: 'members'."): for a re-run that is
/// success.
pub fn is_already_member(e: &GraphError) -> bool {
    matches!(e.kind, ErrorKind::BadRequest { .. }) && e.message.contains("already exist")
}

/// `GET /groups/{id}/members/microsoft.graph.user?$select=id,userPrincipalName,displayName`:
/// who is in the group already, so a re-run of the pilot plans no second add.
pub fn list_user_members(cloud: Cloud, group: &Guid) -> Request {
    Request::get(
        GraphOp::FindGroup,
        url(
            cloud,
            ApiVersion::V1,
            &format!(
                "/groups/{group}/members/microsoft.graph.user?$select=id,userPrincipalName,displayName"
            ),
        ),
    )
}
