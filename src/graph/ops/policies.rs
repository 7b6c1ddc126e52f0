//! Conditional Access policies: list, get, find by name, create, and the PATCH that turns the
//! stored policy into the draft, with the changes it makes for the preview.

use serde_json::Value;

use crate::export::graph_json::{pretty_body, POLICIES_PATH};
use crate::guid::{Guid, GuidKind};
use crate::policy::diff;
use crate::policy::model::{Field, Policy};
use crate::policy::to_patch_body;

use super::{encode_component, odata_string, url, PREFER_UNKNOWN_ENUMS};
use crate::graph::body::read_json;
use crate::graph::cloud::{ApiVersion, Cloud};
use crate::graph::errors::GraphError;
use crate::graph::permissions::GraphOp;
use crate::graph::transport::{Method, Request, Response};

pub fn list_policies(cloud: Cloud, version: ApiVersion) -> Request {
    Request::get(GraphOp::ListPolicies, url(cloud, version, POLICIES_PATH))
        .header(PREFER_UNKNOWN_ENUMS.0, PREFER_UNKNOWN_ENUMS.1)
}

pub fn get_policy(cloud: Cloud, version: ApiVersion, id: &Guid) -> Request {
    Request::get(
        GraphOp::GetPolicy,
        url(cloud, version, &format!("{POLICIES_PATH}/{id}")),
    )
    .header(PREFER_UNKNOWN_ENUMS.0, PREFER_UNKNOWN_ENUMS.1)
}

/// `GET …/policies?$filter=displayName eq '<name>'` (v1.0). Display names are not unique, so
/// the answer is a list.
pub fn find_policies_by_name(cloud: Cloud, display_name: &str) -> Request {
    find_policies_by_name_in(cloud, ApiVersion::V1, display_name)
}

/// The same lookup in `version`: beta also lists the policies that use beta-only features,
/// which v1.0 leaves out.
pub fn find_policies_by_name_in(cloud: Cloud, version: ApiVersion, display_name: &str) -> Request {
    let filter = format!("displayName eq {}", odata_string(display_name));
    Request::get(
        GraphOp::ListPolicies,
        url(
            cloud,
            version,
            &format!("{POLICIES_PATH}?$filter={}", encode_component(&filter)),
        ),
    )
    .header(PREFER_UNKNOWN_ENUMS.0, PREFER_UNKNOWN_ENUMS.1)
}

/// `POST …/policies` with exactly the export panel's body (`pretty_body(to_post_body())`).
pub fn create_policy(cloud: Cloud, draft: &Policy) -> Request {
    Request::with_body(
        GraphOp::CreatePolicy,
        Method::Post,
        url(cloud, ApiVersion::V1, POLICIES_PATH),
        pretty_body(&draft.to_post_body()),
    )
}

/// The create as a write to preview: every property of the body is new.
pub fn plan_create(cloud: Cloud, draft: &Policy) -> WritePlan {
    let body = draft.to_post_body();
    let changes = diff_leaves(None, &body);
    WritePlan {
        request: create_policy(cloud, draft),
        body,
        changes,
    }
}

/// One changed leaf, for the PATCH preview: the core's [`diff::Change`] of a body, which
/// always writes a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Dotted path, e.g. `conditions.users.includeGroups`.
    pub path: String,
    /// Stored value (`None`: not stored).
    pub before: Option<Value>,
    /// Value after the PATCH.
    pub after: Value,
}

impl Change {
    /// The change in the words `ca-policy diff` uses (lists as `+`/`−` entries).
    pub fn words(&self, names: &diff::Names) -> Vec<String> {
        diff::Change {
            path: self.path.clone(),
            before: self.before.clone(),
            after: Some(self.after.clone()),
        }
        .words(names)
    }
}

/// A write (a create's POST or an update's PATCH) ready to send, with what it changes: the
/// page previews `changes` and `request` and, once confirmed, sends exactly `request`.
#[derive(Debug, Clone, PartialEq)]
pub struct WritePlan {
    pub request: Request,
    /// The exact body sent (PATCH semantics: omitted = kept, lists replaced, objects merged).
    pub body: Value,
    pub changes: Vec<Change>,
}

/// The PATCH turning `current` (as stored) into `draft`; `None` when nothing writable differs.
pub fn update_policy(
    cloud: Cloud,
    id: &Guid,
    current: &Policy,
    draft: &Policy,
) -> Option<WritePlan> {
    let body = to_patch_body(current, draft);
    if body.as_object().is_some_and(|o| o.is_empty()) {
        return None;
    }
    let changes = diff_leaves(Some(&current.to_post_body()), &body);
    Some(WritePlan {
        request: Request::with_body(
            GraphOp::UpdatePolicy,
            Method::Patch,
            url(cloud, ApiVersion::V1, &format!("{POLICIES_PATH}/{id}")),
            pretty_body(&body),
        ),
        body,
        changes,
    })
}

/// What `body` changes in `before`, by the core's walk of a body (`diff::body_changes`: objects
/// leaf by leaf, every list one change), the one `ca-policy diff` uses.
fn diff_leaves(before: Option<&Value>, body: &Value) -> Vec<Change> {
    diff::body_changes(before, body)
        .into_iter()
        .map(|c| Change {
            path: c.path,
            before: c.before,
            // A body's changes always carry the value written.
            after: c.after.unwrap_or(Value::Null),
        })
        .collect()
}

/// Reads list items as policies. Items that are not objects are reported, not dropped silently.
pub fn read_policies(items: Vec<Value>) -> (Vec<Policy>, Vec<String>) {
    let mut ok = vec![];
    let mut bad = vec![];
    for (i, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<Policy>(item) {
            Ok(p) => ok.push(p),
            Err(e) => bad.push(format!("item {}: {e}", i + 1)),
        }
    }
    (ok, bad)
}

/// The policy in a 200/201 body, with its id checked.
pub fn read_policy(response: &Response, op: GraphOp) -> Result<(Guid, Policy), GraphError> {
    let policy: Policy =
        serde_json::from_value(read_json(op, response, "the policy")?).map_err(|e| {
            GraphError::bad_response(op, response, format!("the policy is not one ({e})"))
        })?;
    let id = policy_id_of(&policy)
        .ok_or_else(|| GraphError::bad_response(op, response, "the policy has no valid `id`"))?;
    Ok((id, policy))
}

pub fn policy_id_of(policy: &Policy) -> Option<Guid> {
    policy
        .id
        .value()
        .and_then(|s| Guid::parse(s, GuidKind::Policy).ok())
}

/// Narrows `policy` to the pilot group: `includeUsers: []` and `includeGroups: [group]`
/// (a group next to `All` would still target everyone); exclusions untouched.
pub fn wire_pilot_group(policy: &Policy, group: &Guid) -> Policy {
    let mut p = policy.clone();
    let users = p.conditions.get_or_default().users.get_or_default();
    users.include_users = Field::Value(vec![]);
    users.include_groups = Field::Value(vec![group.as_str().to_string()]);
    p
}
