//! Pure request builders and response readers for every call the app makes. No I/O: a flow
//! sends what these build and hands the answer back to them.
//!
//! Endpoints: `graph-ca-policy.md` §1 (policies), errata (d)/(e) (pilot group, narrowing), (f)
//! (monitoring: `directoryAudits` for registration, `signIns` with v1.0 properties only — no
//! `authenticationProtocol`). Values in `$filter` are OData string literals (`'` doubled) and
//! then percent-encoded, so a display name with quotes, `&`, `#` or non-ASCII cannot break out of
//! the filter or the query string.

use serde_json::{json, Value};

use crate::export::graph_json::{pretty_body, PolicyId, POLICIES_PATH};
use crate::policy::model::{Field, Policy};
use crate::policy::templates::{group_body, is_guid};
use crate::policy::to_patch_body;

use super::cloud::{ApiVersion, Cloud, GraphUrl};
use super::errors::{ErrorKind, GraphError};
use super::permissions::GraphOp;
use super::time::format_utc;
use super::transport::{Method, Request, Response};

/// Sent on reads of policies: without it Graph returns evolvable-enum members that come after
/// `unknownFutureValue` (`linux`, `riskRemediation`, `qrCodePin`) as `unknownFutureValue`, and
/// a read-modify-write would lose them (`graph-ca-policy.md` §8).
pub const PREFER_UNKNOWN_ENUMS: (&str, &str) = ("Prefer", "include-unknown-enum-members");

/// Shown next to the v1.0/beta choice in the audit.
pub const V1_OMISSION_NOTE: &str = "v1.0 can leave out policies that use beta-only features; \
    list with beta to see every policy (beta is not supported for production use)";

/// Percent-encodes everything but RFC 3986 unreserved characters (for query values and path
/// segments).
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An OData string literal: single quotes, inner `'` doubled.
pub fn odata_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Every path built here is a constant, a checked GUID ([`ObjectId`], `PolicyId`) or a checked
/// user principal name ([`Upn`]), and every query value is percent-encoded, so no input can
/// make the URL check fail; tests/graph_http.rs drives the builders with hostile values.
fn url(cloud: Cloud, version: ApiVersion, path_and_query: &str) -> GraphUrl {
    GraphUrl::new(cloud, version, path_and_query)
        .expect("paths built in this module are constants, GUIDs and checked UPNs")
}

/// A directory object id (user, group): a GUID, so it is safe in a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectId(String);

impl ObjectId {
    pub fn parse(s: &str) -> Option<ObjectId> {
        is_guid(s).then(|| ObjectId(s.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ObjectId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user principal name checked to be one (`name@domain.tld`, the characters Microsoft
/// Entra allows), so it is safe as a path segment once percent-encoded: `.`, `..`, `/`, `?`,
/// `%` and control characters cannot get in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Upn(String);

impl Upn {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A user named in the pilot's member list: an object id or a user principal name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum UserRef {
    Id(ObjectId),
    Upn(Upn),
}

impl UserRef {
    /// Reads one entry (trimmed). The error names the value and what is wrong with it.
    pub fn parse(s: &str) -> Result<UserRef, String> {
        let s = s.trim();
        if let Some(id) = ObjectId::parse(s) {
            return Ok(UserRef::Id(id));
        }
        upn_problem(s)
            .map(|why| {
                format!("{s:?} is not a user principal name (name@domain) or an object id: {why}")
            })
            .map_or(Ok(UserRef::Upn(Upn(s.to_string()))), Err)
    }
}

/// Why `s` is not a user principal name. Lengths and characters are Microsoft Entra's (prefix
/// up to 64 of `A-Z a-z 0-9 ' . - _ ! ^ ~`, domain up to 48); `#` only in a guest's `#EXT#`.
fn upn_problem(s: &str) -> Option<String> {
    let Some((local, domain)) = s.split_once('@') else {
        return Some("it has no @".into());
    };
    let prefix = local.strip_suffix("#EXT#").unwrap_or(local);
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || "'.-_!^~@#".contains(*c)))
    {
        let hint = if c == '%' {
            " (type the name as it is, not percent-encoded)"
        } else {
            ""
        };
        return Some(format!("it contains {c:?}{hint}"));
    }
    if prefix.contains('#') || domain.contains('#') {
        return Some("'#' appears only in a guest's #EXT# name".into());
    }
    if domain.contains('@') {
        return Some("it has more than one @".into());
    }
    if prefix.is_empty() || local.chars().count() > 64 {
        return Some("the part before @ must have 1 to 64 characters".into());
    }
    if prefix.starts_with('.') || prefix.ends_with('.') || prefix.contains("..") {
        return Some("the part before @ cannot start or end with '.' or hold '..'".into());
    }
    if domain.chars().count() > 48
        || domain.split('.').count() < 2
        || domain
            .split('.')
            .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
        || domain.contains(['_', '\'', '!', '^', '~'])
    {
        return Some(format!(
            "{domain:?} is not a domain name (such as contoso.com)"
        ));
    }
    None
}

// ---------------------------------------------------------------- policies

pub fn list_policies(cloud: Cloud, version: ApiVersion) -> Request {
    Request::get(GraphOp::ListPolicies, url(cloud, version, POLICIES_PATH))
        .header(PREFER_UNKNOWN_ENUMS.0, PREFER_UNKNOWN_ENUMS.1)
}

pub fn get_policy(cloud: Cloud, version: ApiVersion, id: &PolicyId) -> Request {
    Request::get(
        GraphOp::GetPolicy,
        url(cloud, version, &format!("{POLICIES_PATH}/{id}")),
    )
    .header(PREFER_UNKNOWN_ENUMS.0, PREFER_UNKNOWN_ENUMS.1)
}

/// `GET …/policies?$filter=displayName eq '<name>'` (v1.0). Display names are not unique, so
/// the answer is a list.
pub fn find_policies_by_name(cloud: Cloud, display_name: &str) -> Request {
    let filter = format!("displayName eq {}", odata_string(display_name));
    Request::get(
        GraphOp::ListPolicies,
        url(
            cloud,
            ApiVersion::V1,
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
    let mut changes = vec![];
    diff_leaves("", None, &body, &mut changes);
    WritePlan {
        request: create_policy(cloud, draft),
        body,
        changes,
    }
}

/// One changed leaf, for the PATCH preview.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Dotted path, e.g. `conditions.users.includeGroups`.
    pub path: String,
    /// Stored value (`None`: not stored).
    pub before: Option<Value>,
    /// Value after the PATCH.
    pub after: Value,
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
    id: &PolicyId,
    current: &Policy,
    draft: &Policy,
) -> Option<WritePlan> {
    let body = to_patch_body(current, draft);
    if body.as_object().is_some_and(|o| o.is_empty()) {
        return None;
    }
    let mut changes = vec![];
    diff_leaves("", Some(&current.to_post_body()), &body, &mut changes);
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

/// Objects are walked leaf by leaf (also where nothing was stored before); a stored
/// non-object replaced by an object, and every list, is one change.
fn diff_leaves(path: &str, before: Option<&Value>, after: &Value, out: &mut Vec<Change>) {
    match (before, after) {
        (None | Some(Value::Object(_)), Value::Object(a)) if !a.is_empty() => {
            for (k, av) in a {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                let b = before.and_then(|b| b.get(k));
                diff_leaves(&p, b, av, out);
            }
        }
        (b, a) if b != Some(a) => out.push(Change {
            path: path.to_string(),
            before: b.cloned(),
            after: a.clone(),
        }),
        _ => {}
    }
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
pub fn read_policy(response: &Response, op: GraphOp) -> Result<(PolicyId, Policy), GraphError> {
    let policy: Policy = serde_json::from_str(&response.body).map_err(|e| {
        GraphError::bad_response(op, response, format!("the policy is not JSON ({e})"))
    })?;
    let id = policy_id_of(&policy)
        .ok_or_else(|| GraphError::bad_response(op, response, "the policy has no valid `id`"))?;
    Ok((id, policy))
}

pub fn policy_id_of(policy: &Policy) -> Option<PolicyId> {
    policy.id.value().and_then(|s| PolicyId::parse(s).ok())
}

/// Narrows `policy` to the pilot group: `includeUsers: []` and `includeGroups: [group]`
/// (errata (e) 3: a group next to `All` still targets everyone); exclusions untouched.
pub fn wire_pilot_group(policy: &Policy, group: &ObjectId) -> Policy {
    let mut p = policy.clone();
    let users = p.conditions.get_or_default().users.get_or_default();
    users.include_users = Field::Value(vec![]);
    users.include_groups = Field::Value(vec![group.as_str().to_string()]);
    p
}

// ---------------------------------------------------------------- groups and users

/// A group as the pilot flow needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: ObjectId,
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
        id: ObjectId::parse(v.get("id")?.as_str()?)?,
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
    /// Several security groups share the name: ids listed, none picked (errata (d)).
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

/// `GET /users/{upn}?$select=id,userPrincipalName,displayName`.
pub fn get_user(cloud: Cloud, upn: &Upn) -> Request {
    Request::get(
        GraphOp::GetUser,
        url(
            cloud,
            ApiVersion::V1,
            &format!(
                "/users/{}?$select=id,userPrincipalName,displayName",
                encode_component(upn.as_str())
            ),
        ),
    )
}

pub fn read_user_id(v: &Value) -> Option<ObjectId> {
    ObjectId::parse(v.get("id")?.as_str()?)
}

/// `POST /groups/{id}/members/$ref` with `{"@odata.id": "https://<host>/v1.0/directoryObjects/{user}"}`
/// (the reference names the same cloud's host).
pub fn add_member(cloud: Cloud, group: &ObjectId, user: &ObjectId) -> Request {
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

// ---------------------------------------------------------------- monitoring

/// Audit activities around security-info registration (errata (f)). Passkeys registered through
/// the security-info page appear as "User registered security info".
pub const REGISTRATION_ACTIVITIES: [&str; 6] = [
    "User registered security info",
    "User registered all required security info",
    "User started security info registration",
    "User updated security info",
    "User deleted security info",
    "Admin registered security info",
];

/// `$top` bound: the logs accept up to 1000 per page.
pub const MAX_TOP: u32 = 999;

/// A registration-events query: one `GET auditLogs/directoryAudits` per activity, because the
/// documented operators on `activityDisplayName` are `eq` and `startswith` (no `in`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationQuery {
    pub activities: Vec<String>,
    /// Only events at or after this instant (`activityDateTime ge …`).
    pub since_unix: Option<i64>,
    pub top: u32,
}

impl Default for RegistrationQuery {
    fn default() -> Self {
        RegistrationQuery {
            activities: vec![REGISTRATION_ACTIVITIES[0].to_string()],
            since_unix: None,
            top: 100,
        }
    }
}

impl RegistrationQuery {
    pub fn requests(&self, cloud: Cloud) -> Vec<Request> {
        self.activities
            .iter()
            .map(|a| {
                let mut filter = format!("activityDisplayName eq {}", odata_string(a));
                if let Some(t) = self.since_unix {
                    filter.push_str(&format!(" and activityDateTime ge {}", format_utc(t)));
                }
                Request::get(
                    GraphOp::ReadDirectoryAudits,
                    url(
                        cloud,
                        ApiVersion::V1,
                        &format!(
                            "/auditLogs/directoryAudits?$filter={}&$top={}",
                            encode_component(&filter),
                            self.top.clamp(1, MAX_TOP)
                        ),
                    ),
                )
            })
            .collect()
    }
}

/// A sign-in log query using only v1.0 `signIn` properties and their documented operators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInQuery {
    /// `createdDateTime ge …`.
    pub since_unix: Option<i64>,
    /// `status/errorCode ne 0`.
    pub failures_only: bool,
    /// `appId eq '…'` (ignored unless a GUID). Microsoft Authenticator: [`AUTHENTICATOR_APP_ID`].
    pub app_id: Option<String>,
    /// `userPrincipalName eq '…'`.
    pub user_principal_name: Option<String>,
    pub top: u32,
}

/// Microsoft Authenticator's app id (third-party catalogued; errata (f)).
pub const AUTHENTICATOR_APP_ID: &str = "4813382a-8fa7-425e-ab75-3b753aab3abb";

impl Default for SignInQuery {
    fn default() -> Self {
        SignInQuery {
            since_unix: None,
            failures_only: true,
            app_id: None,
            user_principal_name: None,
            top: 100,
        }
    }
}

impl SignInQuery {
    pub fn filter(&self) -> Option<String> {
        let mut parts = vec![];
        if let Some(t) = self.since_unix {
            parts.push(format!("createdDateTime ge {}", format_utc(t)));
        }
        if self.failures_only {
            parts.push("status/errorCode ne 0".to_string());
        }
        if let Some(app) = self.app_id.as_deref().filter(|a| is_guid(a)) {
            parts.push(format!("appId eq {}", odata_string(app)));
        }
        if let Some(upn) = self
            .user_principal_name
            .as_deref()
            .filter(|u| !u.trim().is_empty())
        {
            parts.push(format!("userPrincipalName eq {}", odata_string(upn.trim())));
        }
        (!parts.is_empty()).then(|| parts.join(" and "))
    }

    pub fn request(&self, cloud: Cloud) -> Request {
        let mut q = format!("/auditLogs/signIns?$top={}", self.top.clamp(1, MAX_TOP));
        if let Some(f) = self.filter() {
            q.push_str(&format!("&$filter={}", encode_component(&f)));
        }
        Request::get(GraphOp::ReadSignIns, url(cloud, ApiVersion::V1, &q))
    }
}

/// A `directoryAudit` entry, the parts the monitor shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DirectoryAudit {
    pub id: String,
    pub activity_date_time: String,
    pub activity_display_name: String,
    pub category: Option<String>,
    pub result: Option<String>,
    pub result_reason: Option<String>,
    pub logged_by_service: Option<String>,
    pub correlation_id: Option<String>,
    pub initiated_by: Option<Value>,
    pub target_resources: Vec<Value>,
    pub additional_details: Vec<KeyValue>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct KeyValue {
    pub key: Option<String>,
    pub value: Option<String>,
}

impl DirectoryAudit {
    /// The user the event is about (first target's UPN), else who initiated it.
    pub fn user(&self) -> Option<String> {
        self.target_resources
            .iter()
            .find_map(|t| t.get("userPrincipalName").and_then(Value::as_str))
            .or_else(|| {
                self.initiated_by
                    .as_ref()
                    .and_then(|i| i.pointer("/user/userPrincipalName"))
                    .and_then(Value::as_str)
            })
            .map(str::to_string)
    }

    /// Whether the event mentions a passkey / FIDO2 method (in the result reason or details).
    pub fn mentions_passkey(&self) -> bool {
        let hit = |s: &str| {
            let l = s.to_ascii_lowercase();
            l.contains("passkey") || l.contains("fido")
        };
        self.result_reason.as_deref().is_some_and(hit)
            || self
                .additional_details
                .iter()
                .any(|kv| kv.value.as_deref().is_some_and(hit))
    }
}

/// A `signIn` entry, the parts the monitor shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SignIn {
    pub id: String,
    pub created_date_time: String,
    pub user_principal_name: Option<String>,
    pub user_display_name: Option<String>,
    pub app_display_name: Option<String>,
    pub app_id: Option<String>,
    pub client_app_used: Option<String>,
    pub ip_address: Option<String>,
    pub conditional_access_status: Option<String>,
    pub status: SignInStatus,
    pub device_detail: DeviceDetail,
    /// Omitted by Graph unless the token may read CA data (see `permissions`).
    pub applied_conditional_access_policies: Vec<AppliedPolicy>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SignInStatus {
    pub error_code: Option<i64>,
    pub failure_reason: Option<String>,
    pub additional_details: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DeviceDetail {
    pub device_id: Option<String>,
    pub display_name: Option<String>,
    pub operating_system: Option<String>,
    pub browser: Option<String>,
    pub is_compliant: Option<bool>,
    pub is_managed: Option<bool>,
    pub trust_type: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AppliedPolicy {
    pub id: Option<String>,
    pub display_name: Option<String>,
    /// `success`, `failure`, `notApplied`, `notEnabled`, `reportOnlySuccess`, …
    pub result: Option<String>,
    pub enforced_grant_controls: Vec<String>,
    pub enforced_session_controls: Vec<String>,
}

/// A log entry read from its JSON object. Read by hand rather than serde-derived: the derived
/// code for these types cost ~28 KB of the web bundle. The rules are serde's with
/// `#[serde(default)]`: an absent property takes its default, `null` is `None` for an optional
/// one, and a property of the wrong type makes the whole entry unreadable (`None`).
pub trait LogEntry: Sized {
    fn read(o: &Entry) -> Option<Self>;
}

/// One JSON object being read.
pub struct Entry<'a>(&'a serde_json::Map<String, Value>);

impl<'a> Entry<'a> {
    fn of(v: &'a Value) -> Option<Entry<'a>> {
        v.as_object().map(Entry)
    }

    /// `Some(None)` when absent or null; `None` when of another type.
    fn opt<T>(&self, key: &str, f: impl Fn(&'a Value) -> Option<T>) -> Option<Option<T>> {
        match self.0.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(v) => f(v).map(Some),
        }
    }

    fn text(&self, key: &str) -> Option<Option<String>> {
        self.opt(key, |v| v.as_str().map(str::to_string))
    }

    /// A required-but-defaulted string: absent is `""`, `null` is unreadable (as serde).
    fn string(&self, key: &str) -> Option<String> {
        match self.0.get(key) {
            None => Some(String::new()),
            Some(v) => v.as_str().map(str::to_string),
        }
    }

    /// A defaulted list: absent is empty, anything but an array (null included) unreadable.
    fn list<T>(&self, key: &str, f: impl Fn(&'a Value) -> Option<T>) -> Option<Vec<T>> {
        match self.0.get(key) {
            None => Some(vec![]),
            Some(Value::Array(a)) => a.iter().map(f).collect(),
            Some(_) => None,
        }
    }

    /// A defaulted nested object.
    fn object<T: LogEntry + Default>(&self, key: &str) -> Option<T> {
        match self.0.get(key) {
            None => Some(T::default()),
            Some(v) => T::read(&Entry::of(v)?),
        }
    }
}

fn nested<T: LogEntry>(v: &Value) -> Option<T> {
    T::read(&Entry::of(v)?)
}

impl LogEntry for KeyValue {
    fn read(o: &Entry) -> Option<Self> {
        Some(KeyValue {
            key: o.text("key")?,
            value: o.text("value")?,
        })
    }
}

impl LogEntry for DirectoryAudit {
    fn read(o: &Entry) -> Option<Self> {
        Some(DirectoryAudit {
            id: o.string("id")?,
            activity_date_time: o.string("activityDateTime")?,
            activity_display_name: o.string("activityDisplayName")?,
            category: o.text("category")?,
            result: o.text("result")?,
            result_reason: o.text("resultReason")?,
            logged_by_service: o.text("loggedByService")?,
            correlation_id: o.text("correlationId")?,
            initiated_by: o.opt("initiatedBy", |v| Some(v.clone()))?,
            target_resources: o.list("targetResources", |v| Some(v.clone()))?,
            additional_details: o.list("additionalDetails", nested)?,
        })
    }
}

impl LogEntry for SignInStatus {
    fn read(o: &Entry) -> Option<Self> {
        Some(SignInStatus {
            error_code: o.opt("errorCode", Value::as_i64)?,
            failure_reason: o.text("failureReason")?,
            additional_details: o.text("additionalDetails")?,
        })
    }
}

impl LogEntry for DeviceDetail {
    fn read(o: &Entry) -> Option<Self> {
        Some(DeviceDetail {
            device_id: o.text("deviceId")?,
            display_name: o.text("displayName")?,
            operating_system: o.text("operatingSystem")?,
            browser: o.text("browser")?,
            is_compliant: o.opt("isCompliant", Value::as_bool)?,
            is_managed: o.opt("isManaged", Value::as_bool)?,
            trust_type: o.text("trustType")?,
        })
    }
}

impl LogEntry for AppliedPolicy {
    fn read(o: &Entry) -> Option<Self> {
        let strings = |v: &Value| v.as_str().map(str::to_string);
        Some(AppliedPolicy {
            id: o.text("id")?,
            display_name: o.text("displayName")?,
            result: o.text("result")?,
            enforced_grant_controls: o.list("enforcedGrantControls", strings)?,
            enforced_session_controls: o.list("enforcedSessionControls", strings)?,
        })
    }
}

impl LogEntry for SignIn {
    fn read(o: &Entry) -> Option<Self> {
        Some(SignIn {
            id: o.string("id")?,
            created_date_time: o.string("createdDateTime")?,
            user_principal_name: o.text("userPrincipalName")?,
            user_display_name: o.text("userDisplayName")?,
            app_display_name: o.text("appDisplayName")?,
            app_id: o.text("appId")?,
            client_app_used: o.text("clientAppUsed")?,
            ip_address: o.text("ipAddress")?,
            conditional_access_status: o.text("conditionalAccessStatus")?,
            status: o.object("status")?,
            device_detail: o.object("deviceDetail")?,
            applied_conditional_access_policies: o
                .list("appliedConditionalAccessPolicies", nested)?,
        })
    }
}

/// Reads log entries; entries of the wrong shape are counted, not fatal.
pub fn read_entries<T: LogEntry>(items: Vec<Value>) -> (Vec<T>, usize) {
    let mut ok = vec![];
    let mut bad = 0;
    for item in &items {
        match nested(item) {
            Some(t) => ok.push(t),
            None => bad += 1,
        }
    }
    (ok, bad)
}
