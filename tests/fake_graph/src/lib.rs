//! A stand-in for Microsoft Graph: the routing and state ([`FakeGraph::handle`], pure, used
//! in-memory by the native graph tests) and a local HTTPS server over it ([`serve_https`], for
//! the end-to-end browser tests, which map graph.microsoft.com to it with Chromium's
//! `--host-resolver-rules` and `--ignore-certificate-errors`). A crate of its own so that the
//! `native` and `e2e` test crates share one copy.
//!
//! It answers like Graph where the app depends on it: CORS preflights (with the response headers
//! the app reads exposed), 401 without a bearer token, policies with paging (`@odata.nextLink`
//! back to https://graph.microsoft.com/…), `$filter=displayName eq '…'` on policies and groups,
//! POST (201 with id) and PATCH (204; objects merged, lists replaced) of policies (a policy can be
//! one that only beta lists, [`FakeGraph::add_beta_only_policy`]), POST /groups,
//! GET /users/{upn}, POST /directoryObjects/getByIds, GET /servicePrincipals?$filter=appId in (…), POST /groups/{id}/members/$ref (400 when already a member), the group's
//! user members, a Temporary Access Pass per user (within the TAP policy's limits), the two audit
//! logs, the What-If (`POST /identity/conditionalAccess/evaluate`: a configurable answer,
//! [`FakeGraph::set_evaluate_answer`], by default every policy applying), Graph's error body
//! with `request-id` and `date`, the pickers' searches (`$search` on users, groups and service
//! principals, refused without `ConsistencyLevel: eventual`; role definitions; named locations),
//! and one-shot failures
//! (400/403/429 with `Retry-After`) on a chosen path. Every request, preflights included, is
//! recorded with its headers (Authorization included) and body.
//!
//! The passkey (FIDO2) configuration can be seeded as a tenant on passkey profiles
//! ([`FakeGraph::seed_profiles`], the shapes in [`ProfilesTenant`]); a PATCH of such a
//! configuration is then answered as the service does (`profiles.rs`): a new profile gets an
//! id, a target naming no such profile, a fourth profile and a policy over 20 KB are refused.
//! A configuration without `passkeyProfiles` is merged as before.

mod profiles;

pub use profiles::{
    is_on_profiles, profiles_config, ProfilesTenant, AUTHENTICATOR_AAGUIDS, DEFAULT_PROFILE_ID,
    MAX_POLICY_BYTES, MAX_PROFILES, OUR_PROFILE_NAME, SEEDED_ADMINS_GROUP, SEEDED_DEVICE_BOUND_ID,
    SEEDED_FIPS_ID, SEEDED_OURS_ID,
};
use serde_json::{json, Map, Value};
use std::sync::{Arc, Mutex};

pub const GRAPH_HOST: &str = "graph.microsoft.com";

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub method: String,
    /// Path and query exactly as sent (still percent-encoded), e.g. `/v1.0/groups?$filter=…`.
    pub target: String,
    /// Lower-cased names.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The path without the query, percent-decoded.
    pub fn path(&self) -> String {
        percent_decode(self.target.split('?').next().unwrap_or(""))
    }

    /// The query, percent-decoded.
    pub fn query(&self) -> String {
        percent_decode(self.target.split_once('?').map(|(_, q)| q).unwrap_or(""))
    }
}

/// What the server answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// A failure to inject.
#[derive(Debug, Clone)]
pub struct Failure {
    pub method: String,
    /// Matched against the decoded path after the version, e.g. `/identity/conditionalAccess/policies`.
    pub path_prefix: String,
    pub status: u16,
    pub code: String,
    pub message: String,
    pub retry_after: Option<String>,
    pub times: usize,
    /// Matching requests to let through before failing (e.g. fail only a read-back).
    pub skip: usize,
}

#[derive(Default)]
struct State {
    requests: Vec<Recorded>,
    policies: Vec<Value>,
    /// Ids of policies that use beta-only features: v1.0's list leaves them out, as Graph does.
    beta_only: Vec<String>,
    groups: Vec<Value>,
    users: Vec<Value>,
    members: Vec<(String, String)>,
    directory_audits: Vec<Value>,
    sign_ins: Vec<Value>,
    page_size: usize,
    /// Page size of the two audit logs; `None` (the default): one page with everything.
    log_page_size: Option<usize>,
    failures: Vec<Failure>,
    next_id: u64,
    /// Where nextLinks point; a test can make it hostile.
    link_origin: String,
    /// Authentication method configurations by lower-cased id (`fido2`, `temporaryaccesspass`).
    method_configs: Vec<(String, Value)>,
    /// Authentication strengths (the three built-ins to start with).
    strengths: Vec<Value>,
    /// `(strength id, combination configuration)`.
    combinations: Vec<(String, Value)>,
    /// Temporary Access Passes issued: `(user id, the method as created, code included)`.
    taps: Vec<(String, Value)>,
    /// Ids given to passkey profiles sent without one, in order.
    assigned_profile_ids: Vec<String>,
    /// The policy size budget a profiles PATCH is held to (bytes).
    policy_size_limit: usize,
    /// What `evaluate` answers; `None`: every v1.0 policy, applying (a stand-in, not an engine).
    evaluate_answer: Option<Value>,
    service_principals: Vec<Value>,
    role_definitions: Vec<Value>,
    named_locations: Vec<Value>,
    /// `userRegistrationDetails` entries, by user (the report's `id`).
    registrations: Vec<Value>,
}

/// The fake's state, shared (clones see the same state).
#[derive(Clone)]
pub struct FakeGraph {
    state: Arc<Mutex<State>>,
}

impl Default for FakeGraph {
    fn default() -> Self {
        FakeGraph::new()
    }
}

impl FakeGraph {
    pub fn new() -> FakeGraph {
        FakeGraph {
            state: Arc::new(Mutex::new(State {
                page_size: 2,
                link_origin: format!("https://{GRAPH_HOST}"),
                method_configs: default_method_configs(),
                strengths: built_in_strengths(),
                policy_size_limit: MAX_POLICY_BYTES,
                ..State::default()
            })),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    fn new_id(s: &mut State) -> String {
        s.next_id += 1;
        format!("00000000-0000-4000-8000-{:012x}", s.next_id)
    }

    /// Stores a policy (an `id` is assigned when it has none); returns the id.
    pub fn add_policy(&self, mut policy: Value) -> String {
        self.with(|s| {
            let id = match policy.get("id").and_then(Value::as_str) {
                Some(id) => id.to_string(),
                None => {
                    let id = FakeGraph::new_id(s);
                    policy["id"] = json!(id);
                    id
                }
            };
            s.policies.push(policy);
            id
        })
    }

    /// Stores a policy that only beta lists (one using beta-only features: v1.0's list leaves
    /// it out); returns the id.
    pub fn add_beta_only_policy(&self, policy: Value) -> String {
        let id = self.add_policy(policy);
        self.with(|s| s.beta_only.push(id.clone()));
        id
    }

    pub fn add_user(&self, upn: &str) -> String {
        self.with(|s| {
            let id = FakeGraph::new_id(s);
            s.users
                .push(json!({"id": id, "userPrincipalName": upn, "displayName": upn}));
            id
        })
    }

    pub fn add_group(&self, name: &str, security_enabled: bool) -> String {
        self.with(|s| {
            let id = FakeGraph::new_id(s);
            s.groups.push(json!({"id": id, "displayName": name, "securityEnabled": security_enabled, "mailEnabled": !security_enabled}));
            id
        })
    }

    /// A user with a display name of its own (for the pickers' `$search`); returns the id.
    pub fn add_named_user(&self, upn: &str, display_name: &str) -> String {
        self.with(|s| {
            let id = FakeGraph::new_id(s);
            s.users
                .push(json!({"id": id, "userPrincipalName": upn, "displayName": display_name}));
            id
        })
    }

    /// A service principal for `app_id`; returns its object id (not the appId).
    pub fn add_service_principal(&self, app_id: &str, display_name: &str) -> String {
        self.with(|s| {
            let id = FakeGraph::new_id(s);
            s.service_principals.push(json!({"id": id, "appId": app_id, "displayName": display_name, "servicePrincipalType": "Application"}));
            id
        })
    }

    /// A directory role definition (a built-in one's `id` is its template id).
    pub fn add_role_definition(&self, id: &str, display_name: &str, built_in: bool) {
        self.with(|s| {
            s.role_definitions.push(json!({"id": id, "templateId": id, "displayName": display_name, "isBuiltIn": built_in}))
        });
    }

    /// A named location (IP ranges); returns its id.
    pub fn add_named_location(&self, display_name: &str) -> String {
        self.with(|s| {
            let id = FakeGraph::new_id(s);
            s.named_locations.push(json!({"@odata.type": "#microsoft.graph.ipNamedLocation", "id": id, "displayName": display_name, "isTrusted": false}));
            id
        })
    }

    pub fn add_directory_audit(&self, entry: Value) {
        self.with(|s| s.directory_audits.push(entry));
    }

    pub fn add_sign_in(&self, entry: Value) {
        self.with(|s| s.sign_ins.push(entry));
    }

    pub fn set_page_size(&self, n: usize) {
        self.with(|s| s.page_size = n.max(1));
    }

    /// Pages the audit logs (`directoryAudits`, `signIns`) `n` entries at a time.
    pub fn set_log_page_size(&self, n: usize) {
        self.with(|s| s.log_page_size = Some(n.max(1)));
    }

    /// Makes every `@odata.nextLink` point at `origin` (e.g. `https://evil.example`).
    pub fn set_link_origin(&self, origin: &str) {
        self.with(|s| s.link_origin = origin.to_string());
    }

    /// Answers the next `method` request under `path_prefix` with `status` (400, 403, 429, 503 …)
    /// once; `retry_after` is sent as the `Retry-After` header.
    pub fn fail_once(
        &self,
        method: &str,
        path_prefix: &str,
        status: u16,
        retry_after: Option<&str>,
    ) {
        let (code, message) = match status {
            400 => ("BadRequest", "Invalid property 'conditions.users.includeFoo' in the request body."),
            401 => ("InvalidAuthenticationToken", "Lifetime validation failed, the token is expired."),
            403 => ("AccessDenied", "You cannot perform the requested operation, required scopes are missing in the token."),
            404 => ("Request_ResourceNotFound", "Resource not found."),
            429 => ("TooManyRequests", "Too many requests."),
            503 => ("ServiceUnavailable", "The service is temporarily unavailable."),
            _ => ("UnknownError", "Something went wrong."),
        };
        self.fail(Failure {
            method: method.to_string(),
            path_prefix: path_prefix.to_string(),
            status,
            code: code.to_string(),
            message: message.to_string(),
            retry_after: retry_after.map(str::to_string),
            times: 1,
            skip: 0,
        });
    }

    pub fn fail(&self, failure: Failure) {
        self.with(|s| s.failures.push(failure));
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.with(|s| s.requests.clone())
    }

    pub fn policies(&self) -> Vec<Value> {
        self.with(|s| s.policies.clone())
    }

    pub fn groups(&self) -> Vec<Value> {
        self.with(|s| s.groups.clone())
    }

    /// A method configuration as stored (`fido2`, `TemporaryAccessPass`; any case).
    pub fn method_config(&self, id: &str) -> Value {
        self.with(|s| {
            config_mut(s, id)
                .cloned()
                .expect("a known method configuration")
        })
    }

    /// Makes `user` a member of `group` (as an earlier add would have).
    pub fn add_member(&self, group: &str, user: &str) {
        self.with(|s| s.members.push((group.to_string(), user.to_string())));
    }

    /// The registration report's entry for a user: `methodsRegistered` as given, the rest from
    /// the stored user (a member's entry; the report has none for a user not given here).
    pub fn set_registration(&self, user: &str, methods: &[&str]) {
        self.with(|s| {
            let u = s
                .users
                .iter()
                .find(|u| u["id"] == json!(user))
                .cloned()
                .unwrap_or_default();
            s.registrations.retain(|r| r["id"] != json!(user));
            s.registrations.push(
                json!({"id": user, "userPrincipalName": u["userPrincipalName"],
                "userDisplayName": u["displayName"], "userType": "member", "isAdmin": false,
                "isMfaRegistered": !methods.is_empty(), "methodsRegistered": methods,
                "lastUpdatedDateTime": "2026-12-01T08:00:00Z"}),
            );
        })
    }

    /// A custom authentication strength with its combination configurations; returns its id.
    pub fn add_strength(
        &self,
        display_name: &str,
        combinations: &[&str],
        configs: Vec<Value>,
    ) -> String {
        self.with(|s| {
            let id = FakeGraph::new_id(s);
            s.strengths.push(
                json!({"id": id, "displayName": display_name, "policyType": "custom",
                "requirementsSatisfied": "mfa", "allowedCombinations": combinations}),
            );
            for c in configs {
                let cid = FakeGraph::new_id(s);
                let mut c = c;
                c["id"] = json!(cid);
                s.combinations.push((id.clone(), c));
            }
            id
        })
    }

    /// Replaces a stored method configuration (another admin's change, a non-default tenant).
    pub fn set_method_config(&self, id: &str, v: Value) {
        self.with(|s| *config_mut(s, id).expect("a known method configuration") = v);
    }

    /// Seeds the passkey (FIDO2) configuration as a tenant on passkey profiles.
    pub fn seed_profiles(&self, shape: ProfilesTenant) {
        self.set_method_config("fido2", profiles_config(shape));
    }

    /// The ids given to passkey profiles that PATCHes sent without one, oldest first.
    pub fn assigned_profile_ids(&self) -> Vec<String> {
        self.with(|s| s.assigned_profile_ids.clone())
    }

    /// Holds profiles PATCHes to `bytes` instead of 20 KB (to meet the size error with a
    /// small configuration).
    pub fn set_policy_size_limit(&self, bytes: usize) {
        self.with(|s| s.policy_size_limit = bytes);
    }

    /// What `POST /identity/conditionalAccess/evaluate` answers from now on (the whole body,
    /// e.g. `{"value": [{"id": …, "policyApplies": false, "analysisReasons": "users"}]}`).
    pub fn set_evaluate_answer(&self, answer: Value) {
        self.with(|s| s.evaluate_answer = Some(answer));
    }

    /// The requests (preflights left out) whose decoded path, after the version, is `path`
    /// (any case), in the order they came: e.g. the reads and PATCHes of
    /// `/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2`.
    pub fn sent_to(&self, path: &str) -> Vec<Recorded> {
        self.with(|s| {
            s.requests
                .iter()
                .filter(|r| r.method != "OPTIONS")
                .filter(|r| {
                    let p = r.path();
                    let rest = p
                        .strip_prefix("/v1.0")
                        .or_else(|| p.strip_prefix("/beta"))
                        .unwrap_or(&p);
                    rest.eq_ignore_ascii_case(path)
                })
                .cloned()
                .collect()
        })
    }

    pub fn strengths(&self) -> Vec<Value> {
        self.with(|s| s.strengths.clone())
    }

    /// `(strength id, combination configuration)` pairs.
    pub fn combinations(&self) -> Vec<(String, Value)> {
        self.with(|s| s.combinations.clone())
    }

    /// `(group id, user id)` pairs.
    pub fn members(&self) -> Vec<(String, String)> {
        self.with(|s| s.members.clone())
    }

    /// `(user id, temporaryAccessPassMethod)` pairs, the code included, newest last.
    pub fn taps(&self) -> Vec<(String, Value)> {
        self.with(|s| s.taps.clone())
    }

    /// Handles one request. `target` is the request target (`/v1.0/…?…`, percent-encoded).
    pub fn handle(
        &self,
        method: &str,
        target: &str,
        headers: &[(String, String)],
        body: &str,
    ) -> Reply {
        let rec = Recorded {
            method: method.to_string(),
            target: target.to_string(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
                .collect(),
            body: body.to_string(),
        };
        let mut s = self.state.lock().unwrap();
        s.requests.push(rec.clone());
        let seq = s.requests.len();
        let mut reply = route(&mut s, &rec);
        reply
            .headers
            .push(("request-id".into(), format!("fake-request-{seq}")));
        reply
            .headers
            .push(("client-request-id".into(), format!("fake-client-{seq}")));
        reply
    }
}

fn graph_error(status: u16, code: &str, message: &str) -> Reply {
    Reply {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: json!({"error": {"code": code, "message": message, "innerError": {
            "date": "2024-05-01T12:00:00", "request-id": "inner-request-id", "client-request-id": "inner-client-id"}}})
        .to_string(),
    }
}

fn ok_json(status: u16, v: &Value) -> Reply {
    Reply {
        status,
        headers: vec![("content-type".into(), "application/json".into())],
        body: v.to_string(),
    }
}

fn no_content() -> Reply {
    Reply {
        status: 204,
        headers: vec![],
        body: String::new(),
    }
}

fn route(s: &mut State, r: &Recorded) -> Reply {
    let auth = r.header("authorization").unwrap_or("");
    if !auth.starts_with("Bearer ") || auth.len() <= "Bearer ".len() {
        return graph_error(401, "InvalidAuthenticationToken", "Access token is empty.");
    }
    let path = r.path();
    let (version, rest) = match path.strip_prefix("/v1.0") {
        Some(rest) => ("v1.0", rest.to_string()),
        None => match path.strip_prefix("/beta") {
            Some(rest) => ("beta", rest.to_string()),
            None => return graph_error(400, "BadRequest", "Invalid version."),
        },
    };
    if let Some(i) = s
        .failures
        .iter()
        .position(|f| f.method.eq_ignore_ascii_case(&r.method) && rest.starts_with(&f.path_prefix))
    {
        let f = s.failures[i].clone();
        if f.skip > 0 {
            s.failures[i].skip -= 1;
            return route_ok(s, r, version, &rest);
        }
        s.failures[i].times -= 1;
        if s.failures[i].times == 0 {
            s.failures.remove(i);
        }
        let mut reply = graph_error(f.status, &f.code, &f.message);
        if let Some(ra) = f.retry_after {
            reply.headers.push(("retry-after".into(), ra));
        }
        return reply;
    }
    route_ok(s, r, version, &rest)
}

/// Answers a request that no injected failure took.
fn route_ok(s: &mut State, r: &Recorded, version: &str, rest: &str) -> Reply {
    let query = r.query();
    let filter_name = filter_display_name(&query);
    let skip: usize = query_param(&query, "$skiptoken")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let segments: Vec<&str> = rest.trim_start_matches('/').split('/').collect();
    let body: Option<Value> = serde_json::from_str(&r.body).ok();
    match (r.method.as_str(), segments.as_slice()) {
        ("GET", ["identity", "conditionalAccess", "policies"]) => {
            let all: Vec<Value> = s
                .policies
                .iter()
                .filter(|p| version == "beta" || !s.beta_only.iter().any(|id| p["id"] == json!(id)))
                .filter(|p| match &filter_name {
                    Some(n) => p["displayName"]
                        .as_str()
                        .is_some_and(|d| d.eq_ignore_ascii_case(n)),
                    None => true,
                })
                .cloned()
                .collect();
            let page: Vec<Value> = all.iter().skip(skip).take(s.page_size).cloned().collect();
            let mut v = json!({
                "@odata.context": format!("https://{GRAPH_HOST}/{version}/$metadata#identity/conditionalAccess/policies"),
                "value": page,
            });
            if skip + s.page_size < all.len() {
                let mut q = format!("$skiptoken={}", skip + s.page_size);
                if let Some(f) = query_param_raw(&r.target, "$filter") {
                    q = format!("$filter={f}&{q}");
                }
                v["@odata.nextLink"] = json!(format!(
                    "{}/{version}/identity/conditionalAccess/policies?{q}",
                    s.link_origin
                ));
            }
            ok_json(200, &v)
        }
        ("GET", ["identity", "conditionalAccess", "policies", id]) => {
            match s.policies.iter().find(|p| p["id"] == json!(id)) {
                Some(p) => ok_json(200, p),
                None => graph_error(404, "Request_ResourceNotFound", "The policy was not found."),
            }
        }
        ("POST", ["identity", "conditionalAccess", "policies"]) => {
            let Some(Value::Object(mut p)) = body else {
                return graph_error(400, "BadRequest", "The request body is not a JSON object.");
            };
            let id = FakeGraph::new_id(s);
            let mut created = Map::new();
            created.insert("id".into(), json!(id));
            created.append(&mut p);
            created.insert("createdDateTime".into(), json!("2024-05-01T12:00:00Z"));
            created.insert("modifiedDateTime".into(), Value::Null);
            let v = Value::Object(created);
            s.policies.push(v.clone());
            ok_json(201, &v)
        }
        // Graph requires the three sign-in members; the answer is the configured one.
        ("POST", ["identity", "conditionalAccess", "evaluate"]) => {
            let complete = body.as_ref().is_some_and(|b| {
                ["signInIdentity", "signInContext", "signInConditions"]
                    .iter()
                    .all(|k| b.get(k).is_some_and(Value::is_object))
            });
            if !complete {
                return graph_error(
                    400,
                    "BadRequest",
                    "signInIdentity, signInContext and signInConditions are required.",
                );
            }
            let answer = s.evaluate_answer.clone().unwrap_or_else(|| {
                let value: Vec<Value> = s
                    .policies
                    .iter()
                    .filter(|p| !s.beta_only.iter().any(|id| p["id"] == json!(id)))
                    .map(|p| {
                        let mut r = p.clone();
                        r["policyApplies"] = json!(true);
                        r["analysisReasons"] = json!("notSet");
                        r
                    })
                    .collect();
                json!({
                    "@odata.context": format!("https://{GRAPH_HOST}/v1.0/$metadata#Collection(microsoft.graph.whatIfAnalysisResult)"),
                    "value": value,
                })
            });
            ok_json(200, &answer)
        }
        // Names by id: the users and groups among `ids` (of the kinds in `types`); others are
        // left out, as Graph leaves out ids it has no object for.
        ("POST", ["directoryObjects", "getByIds"]) => {
            let list = |k: &str| -> Vec<String> {
                body.as_ref()
                    .and_then(|b| b.get(k))
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let (ids, types) = (list("ids"), list("types"));
            if ids.is_empty() || ids.len() > 1000 {
                return graph_error(400, "BadRequest", "ids must hold 1 to 1000 ids.");
            }
            let mut value = vec![];
            for (kind, objects) in [("user", &s.users), ("group", &s.groups)] {
                if !types.iter().any(|t| t == kind) {
                    continue;
                }
                for o in objects
                    .iter()
                    .filter(|o| ids.iter().any(|id| o["id"] == json!(id)))
                {
                    let mut o = o.clone();
                    o["@odata.type"] = json!(format!("#microsoft.graph.{kind}"));
                    value.push(o);
                }
            }
            ok_json(200, &json!({ "value": value }))
        }
        ("PATCH", ["identity", "conditionalAccess", "policies", id]) => {
            let Some(patch) = body else {
                return graph_error(400, "BadRequest", "The request body is not JSON.");
            };
            match s.policies.iter_mut().find(|p| p["id"] == json!(id)) {
                Some(p) => {
                    merge(p, &patch);
                    no_content()
                }
                None => graph_error(404, "Request_ResourceNotFound", "The policy was not found."),
            }
        }
        // The pickers' searches (an advanced query: refused without the header, as Graph does).
        ("GET", [collection @ ("users" | "groups" | "servicePrincipals")])
            if query_param_raw(&r.target, "$search").is_some() =>
        {
            if !r
                .header("consistencylevel")
                .is_some_and(|v| v.eq_ignore_ascii_case("eventual"))
            {
                return graph_error(400, "Request_UnsupportedQuery", "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
            }
            let objects = match *collection {
                "users" => &s.users,
                "groups" => &s.groups,
                _ => &s.service_principals,
            };
            search_objects(objects, &r.target)
        }
        // Service principals by appId (`$filter=appId in ('…','…')`), at most 15 values, the
        // limit Graph's known issues give for `in`.
        ("GET", ["servicePrincipals"]) if query.contains("appId in (") => {
            let start = query.find("appId in (").unwrap() + "appId in (".len();
            let Some(len) = query[start..].find(')') else {
                return graph_error(400, "BadRequest", "Invalid filter clause.");
            };
            let wanted: Vec<String> = query[start..start + len]
                .split(',')
                .map(|v| v.trim().trim_matches('\'').to_ascii_lowercase())
                .collect();
            if wanted.len() > 15 {
                return graph_error(400, "BadRequest", "Too many child clauses specified in search filter expression containing 'OR' operators: 16. Max allowed: 15.");
            }
            let v: Vec<Value> = s
                .service_principals
                .iter()
                .filter(|sp| {
                    sp["appId"]
                        .as_str()
                        .is_some_and(|a| wanted.contains(&a.to_ascii_lowercase()))
                })
                .cloned()
                .collect();
            ok_json(200, &json!({"value": v}))
        }
        ("GET", ["roleManagement", "directory", "roleDefinitions"]) => {
            let built_in_only = query.contains("isBuiltIn eq true");
            let v: Vec<Value> = s
                .role_definitions
                .iter()
                .filter(|d| !built_in_only || d["isBuiltIn"] == json!(true))
                .cloned()
                .collect();
            ok_json(200, &json!({"value": v}))
        }
        ("GET", ["identity", "conditionalAccess", "namedLocations"]) => {
            ok_json(200, &json!({"value": s.named_locations}))
        }
        ("GET", ["groups"]) => {
            let v: Vec<Value> = s
                .groups
                .iter()
                .filter(|g| match &filter_name {
                    Some(n) => g["displayName"]
                        .as_str()
                        .is_some_and(|d| d.eq_ignore_ascii_case(n)),
                    None => true,
                })
                .cloned()
                .collect();
            ok_json(200, &json!({"value": v}))
        }
        ("POST", ["groups"]) => {
            let Some(Value::Object(mut g)) = body else {
                return graph_error(400, "BadRequest", "The request body is not a JSON object.");
            };
            for required in [
                "displayName",
                "mailEnabled",
                "mailNickname",
                "securityEnabled",
            ] {
                if !g.contains_key(required) {
                    return graph_error(400, "Request_BadRequest", &format!("Invalid value specified for property '{required}' of resource 'Group'."));
                }
            }
            let id = FakeGraph::new_id(s);
            let mut created = Map::new();
            created.insert("id".into(), json!(id));
            created.append(&mut g);
            let v = Value::Object(created);
            s.groups.push(v.clone());
            ok_json(201, &v)
        }
        ("GET", ["users", upn]) => {
            match s.users.iter().find(|u| {
                u["userPrincipalName"].as_str().is_some_and(|x| x.eq_ignore_ascii_case(upn)) || u["id"] == json!(upn)
            }) {
                Some(u) => ok_json(200, u),
                None => graph_error(404, "Request_ResourceNotFound", &format!("Resource '{upn}' does not exist or one of its queried reference-property objects are not present.")),
            }
        }
        ("POST", ["groups", group, "members", "$ref"]) => {
            let Some(user) = body
                .as_ref()
                .and_then(|b| b["@odata.id"].as_str())
                .and_then(|u| u.rsplit('/').next())
                .map(str::to_string)
            else {
                return graph_error(400, "BadRequest", "Missing @odata.id.");
            };
            if !s.groups.iter().any(|g| g["id"] == json!(group)) {
                return graph_error(404, "Request_ResourceNotFound", "The group was not found.");
            }
            if s.members.iter().any(|(g, u)| g == group && *u == user) {
                return graph_error(400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'members'.");
            }
            s.members.push((group.to_string(), user));
            no_content()
        }
        ("GET", ["groups", group, "members", "microsoft.graph.user"]) => {
            if !s.groups.iter().any(|g| g["id"] == json!(group)) {
                return graph_error(404, "Request_ResourceNotFound", "The group was not found.");
            }
            let v: Vec<Value> = s
                .users
                .iter()
                .filter(|u| {
                    s.members
                        .iter()
                        .any(|(g, m)| g == group && u["id"] == json!(m))
                })
                .cloned()
                .collect();
            ok_json(200, &json!({"value": v}))
        }
        // One pass per user (a new one replaces the old), with the policy's limits: a
        // multi-use pass only where the policy allows it, the lifetime within its range.
        ("POST", ["users", user, "authentication", "temporaryAccessPassMethods"]) => {
            let Some(u) = s
                .users
                .iter()
                .find(|u| u["id"] == json!(user) || u["userPrincipalName"] == json!(user))
                .cloned()
            else {
                return graph_error(404, "Request_ResourceNotFound", &format!("Resource '{user}' does not exist or one of its queried reference-property objects are not present."));
            };
            let Some(Value::Object(b)) = body else {
                return graph_error(400, "BadRequest", "The request body is not a JSON object.");
            };
            if let Some(k) = b.keys().find(|k| {
                !["isUsableOnce", "lifetimeInMinutes", "startDateTime"].contains(&k.as_str())
            }) {
                return graph_error(400, "BadRequest", &format!("Invalid property '{k}'."));
            }
            let policy = config_mut(s, "temporaryaccesspass")
                .cloned()
                .unwrap_or_default();
            let forced_once = policy["isUsableOnce"].as_bool().unwrap_or(false);
            if forced_once && b.get("isUsableOnce") == Some(&json!(false)) {
                return graph_error(
                    400,
                    "BadRequest",
                    "The policy does not allow multi-use Temporary Access Passes.",
                );
            }
            let lifetime = b
                .get("lifetimeInMinutes")
                .and_then(Value::as_i64)
                .unwrap_or_else(|| policy["defaultLifetimeInMinutes"].as_i64().unwrap_or(60));
            let (min, max) = (
                policy["minimumLifetimeInMinutes"].as_i64().unwrap_or(10),
                policy["maximumLifetimeInMinutes"].as_i64().unwrap_or(43200),
            );
            if !(min..=max).contains(&lifetime) {
                return graph_error(
                    400,
                    "BadRequest",
                    "The lifetime is outside the policy's range.",
                );
            }
            let uid = u["id"].as_str().unwrap_or_default().to_string();
            let id = FakeGraph::new_id(s);
            let code = format!("TAP-{}", &id[id.len() - 6..]);
            let created = json!({
                "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethod",
                "id": id,
                "temporaryAccessPass": code,
                "createdDateTime": "2024-05-01T12:00:00Z",
                "startDateTime": "2024-05-01T12:00:00Z",
                "lifetimeInMinutes": lifetime,
                "isUsableOnce": b.get("isUsableOnce").and_then(Value::as_bool).unwrap_or(forced_once),
                "isUsable": true,
                "methodUsabilityReason": "EnabledByPolicy",
            });
            s.taps.retain(|(x, _)| *x != uid);
            s.taps.push((uid, created.clone()));
            ok_json(201, &created)
        }
        ("GET", ["auditLogs", "directoryAudits"]) => {
            let v: Vec<Value> = s
                .directory_audits
                .iter()
                .filter(|e| match odata_eq(&query, "activityDisplayName") {
                    Some(a) => e["activityDisplayName"].as_str() == Some(a.as_str()),
                    None => true,
                })
                .cloned()
                .collect();
            log_page(s, r, version, "auditLogs/directoryAudits", v, skip)
        }
        ("GET", ["auditLogs", "signIns"]) => {
            if query.contains("authenticationProtocol") && version == "v1.0" {
                return graph_error(400, "BadRequest", "Could not find a property named 'authenticationProtocol' on type 'microsoft.graph.signIn'.");
            }
            let v = s.sign_ins.clone();
            log_page(s, r, version, "auditLogs/signIns", v, skip)
        }
        (
            "GET",
            ["policies", "authenticationMethodsPolicy", "authenticationMethodConfigurations", id],
        ) => match config_mut(s, id) {
            Some(c) => {
                let mut v = c.clone();
                v["@odata.context"] = json!(format!(
                        "https://{GRAPH_HOST}/{version}/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity"
                    ));
                ok_json(200, &v)
            }
            None => graph_error(
                404,
                "Request_ResourceNotFound",
                "The method configuration was not found.",
            ),
        },
        (
            "PATCH",
            ["policies", "authenticationMethodsPolicy", "authenticationMethodConfigurations", id],
        ) => {
            let Some(patch) = body else {
                return graph_error(400, "BadRequest", "The request body is not JSON.");
            };
            let limit = s.policy_size_limit;
            let mut next = s.next_id;
            let mut new_id = || {
                next += 1;
                format!("00000000-0000-4000-8000-{next:012x}")
            };
            let (result, assigned) = match config_mut(s, id) {
                Some(c) => {
                    // The update pages: the body must carry the configuration's @odata.type.
                    if patch.get("@odata.type") != c.get("@odata.type") {
                        return graph_error(
                            400,
                            "BadRequest",
                            "The @odata.type of the body does not match the configuration.",
                        );
                    }
                    // On passkey profiles (or put on them by this PATCH): the service's rules.
                    if !is_on_profiles(c) && !is_on_profiles(&patch) {
                        merge(c, &patch);
                        return no_content();
                    }
                    match profiles::patch_profiles(c, &patch, limit, &mut new_id) {
                        Ok((after, assigned)) => {
                            *c = after;
                            (no_content(), assigned)
                        }
                        Err((status, code, message)) => {
                            (graph_error(status, code, &message), vec![])
                        }
                    }
                }
                None => {
                    return graph_error(
                        404,
                        "Request_ResourceNotFound",
                        "The method configuration was not found.",
                    )
                }
            };
            s.next_id += assigned.len() as u64;
            s.assigned_profile_ids.extend(assigned);
            result
        }
        ("GET", ["reports", "authenticationMethods", "userRegistrationDetails", id]) => {
            match s.registrations.iter().find(|r| r["id"] == json!(id)) {
                Some(r) => ok_json(200, r),
                None => graph_error(404, "Request_ResourceNotFound", &format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present.")),
            }
        }
        ("GET", ["policies", "authenticationStrengthPolicies"]) => {
            ok_json(200, &json!({"value": s.strengths}))
        }
        ("POST", ["policies", "authenticationStrengthPolicies"]) => {
            let Some(Value::Object(mut b)) = body else {
                return graph_error(400, "BadRequest", "The request body is not a JSON object.");
            };
            for required in ["displayName", "allowedCombinations"] {
                if !b.contains_key(required) {
                    return graph_error(
                        400,
                        "BadRequest",
                        &format!("The property '{required}' is required."),
                    );
                }
            }
            let id = FakeGraph::new_id(s);
            let mut created = Map::new();
            created.insert("id".into(), json!(id));
            created.append(&mut b);
            created.insert("policyType".into(), json!("custom"));
            created.insert("requirementsSatisfied".into(), json!("mfa"));
            let v = Value::Object(created);
            s.strengths.push(v.clone());
            ok_json(201, &v)
        }
        (
            "GET",
            ["identity", "conditionalAccess", "authenticationStrength", "policies", id, "combinationConfigurations"],
        ) => {
            let v: Vec<Value> = s
                .combinations
                .iter()
                .filter(|(sid, _)| sid == id)
                .map(|(_, c)| c.clone())
                .collect();
            ok_json(200, &json!({"value": v}))
        }
        (
            "POST",
            ["identity", "conditionalAccess", "authenticationStrength", "policies", id, "combinationConfigurations"],
        ) => {
            let Some(strength) = s.strengths.iter().find(|x| x["id"] == json!(id)) else {
                return graph_error(
                    404,
                    "Request_ResourceNotFound",
                    "The authentication strength was not found.",
                );
            };
            if strength["policyType"] != json!("custom") {
                return graph_error(400, "BadRequest", "Combination configurations can only be added to custom authentication strengths.");
            }
            let Some(Value::Object(mut b)) = body else {
                return graph_error(400, "BadRequest", "The request body is not a JSON object.");
            };
            if b.get("@odata.type")
                != Some(&json!("#microsoft.graph.fido2CombinationConfiguration"))
                || b.get("appliesToCombinations") != Some(&json!(["fido2"]))
            {
                return graph_error(400, "BadRequest", "Invalid combination configuration.");
            }
            let cid = FakeGraph::new_id(s);
            let mut created = Map::new();
            created.insert("id".into(), json!(cid));
            created.append(&mut b);
            let v = Value::Object(created);
            s.combinations.push((id.to_string(), v.clone()));
            ok_json(201, &v)
        }
        _ => graph_error(
            404,
            "UnknownResource",
            "Resource not found for the segment.",
        ),
    }
}

/// `$search="prop:term" OR "prop:term"` over `objects`: `displayName` matches a word that starts
/// with the term (Graph tokenizes it), other properties match by prefix, letter case ignored;
/// `$filter=securityEnabled eq true` and `$top` are honoured.
fn search_objects(objects: &[Value], target: &str) -> Reply {
    let search = query_param_raw(target, "$search")
        .map(|v| percent_decode(&v))
        .unwrap_or_default();
    let filter = query_param_raw(target, "$filter")
        .map(|v| percent_decode(&v))
        .unwrap_or_default();
    let top: usize = query_param_raw(target, "$top")
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    // Clauses are the quoted parts; a quote inside a term would have ended its clause.
    let clauses: Vec<(String, String)> = search
        .split('"')
        .skip(1)
        .step_by(2)
        .filter_map(|c| c.split_once(':'))
        .map(|(p, t)| (p.to_string(), t.to_lowercase()))
        .collect();
    if clauses.is_empty() {
        return graph_error(400, "BadRequest", "Syntax error in $search.");
    }
    let v: Vec<Value> = objects
        .iter()
        .filter(|o| {
            !filter.contains("securityEnabled eq true") || o["securityEnabled"] == json!(true)
        })
        .filter(|o| {
            clauses.iter().any(|(prop, term)| {
                let value = o[prop.as_str()].as_str().unwrap_or_default().to_lowercase();
                if prop == "displayName" {
                    value
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w.starts_with(term.as_str()))
                        || value.starts_with(term.as_str())
                } else {
                    value.starts_with(term.as_str())
                }
            })
        })
        .take(top)
        .cloned()
        .collect();
    ok_json(200, &json!({"@odata.count": v.len(), "value": v}))
}

fn config_mut<'a>(s: &'a mut State, id: &str) -> Option<&'a mut Value> {
    s.method_configs
        .iter_mut()
        .find(|(k, _)| k.eq_ignore_ascii_case(id))
        .map(|(_, v)| v)
}

/// A new tenant's configurations (passkey-methods-policy.md §1, §4): disabled, all users.
fn default_method_configs() -> Vec<(String, Value)> {
    let all_users =
        json!([{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}]);
    vec![
        (
            "fido2".into(),
            json!({
                "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
                "id": "Fido2", "state": "disabled",
                "isSelfServiceRegistrationAllowed": true, "isAttestationEnforced": false,
                "keyRestrictions": {"isEnforced": false, "enforcementType": "block", "aaGuids": []},
                "includeTargets": all_users, "excludeTargets": []
            }),
        ),
        (
            "temporaryaccesspass".into(),
            json!({
                "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
                "id": "TemporaryAccessPass", "state": "disabled",
                "defaultLifetimeInMinutes": 60, "defaultLength": 8,
                "minimumLifetimeInMinutes": 60, "maximumLifetimeInMinutes": 480, "isUsableOnce": false,
                "includeTargets": all_users, "excludeTargets": []
            }),
        ),
    ]
}

fn built_in_strengths() -> Vec<Value> {
    [
        ("00000000-0000-0000-0000-000000000002", "Multifactor authentication"),
        ("00000000-0000-0000-0000-000000000003", "Passwordless MFA"),
        ("00000000-0000-0000-0000-000000000004", "Phishing resistant MFA"),
    ]
    .iter()
    .map(|(id, name)| json!({"id": id, "displayName": name, "policyType": "builtIn", "allowedCombinations": ["fido2"]}))
    .collect()
}

/// One page of a log from `skip`, with an `@odata.nextLink` that repeats the request's own
/// query (still encoded) and the next `$skiptoken`, when paging is on and more entries remain.
fn log_page(
    s: &State,
    r: &Recorded,
    version: &str,
    path: &str,
    all: Vec<Value>,
    skip: usize,
) -> Reply {
    let size = s.log_page_size.unwrap_or(usize::MAX);
    let page: Vec<Value> = all.iter().skip(skip).take(size).cloned().collect();
    let mut v = json!({ "value": page });
    if skip.saturating_add(size) < all.len() {
        let kept: Vec<&str> = r
            .target
            .split_once('?')
            .map(|(_, q)| {
                q.split('&')
                    .filter(|kv| percent_decode(kv.split('=').next().unwrap_or("")) != "$skiptoken")
                    .collect()
            })
            .unwrap_or_default();
        let mut q = kept.join("&");
        if !q.is_empty() {
            q.push('&');
        }
        q.push_str(&format!("$skiptoken={}", skip + size));
        v["@odata.nextLink"] = json!(format!("{}/{version}/{path}?{q}", s.link_origin));
    }
    ok_json(200, &v)
}

/// Graph's PATCH: nested objects merged, everything else (lists, scalars, null) replaced.
pub fn merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                match t.get_mut(k) {
                    Some(existing @ Value::Object(_)) if v.is_object() => merge(existing, v),
                    _ => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn query_param(decoded_query: &str, name: &str) -> Option<String> {
    decoded_query
        .split('&')
        .find_map(|kv| kv.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
        .map(str::to_string)
}

/// The still-encoded value of a query parameter (to copy into nextLinks).
fn query_param_raw(target: &str, name: &str) -> Option<String> {
    let q = target.split_once('?')?.1;
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        (percent_decode(k) == name).then(|| v.to_string())
    })
}

/// The literal of `<prop> eq '<literal>'` in `$filter` (`''` unescaped).
fn odata_eq(decoded_query: &str, prop: &str) -> Option<String> {
    let filter = decoded_query
        .split('&')
        .find_map(|kv| kv.strip_prefix("$filter="))?;
    let start = filter.find(&format!("{prop} eq '"))? + prop.len() + 5;
    let rest = &filter[start..];
    let mut out = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            if chars.peek() == Some(&'\'') {
                chars.next();
                out.push('\'');
            } else {
                return Some(out);
            }
        } else {
            out.push(c);
        }
    }
    None
}

fn filter_display_name(decoded_query: &str) -> Option<String> {
    odata_eq(decoded_query, "displayName")
}

// ---------------------------------------------------------------- tokens for tests

fn b64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// An unsigned-looking JWT with the given payload claims (signature is filler; nobody checks it).
pub fn jwt(payload: &Value) -> String {
    let header = json!({"typ": "JWT", "alg": "RS256", "kid": "fake"});
    format!(
        "{}.{}.{}",
        b64url(header.to_string().as_bytes()),
        b64url(payload.to_string().as_bytes()),
        b64url(b"fake-signature-bytes-that-are-long-enough-to-redact")
    )
}

/// A delegated Graph token for the global cloud, valid until `exp`, with these scopes.
pub fn graph_token(exp: i64, scopes: &str) -> String {
    jwt(&json!({
        "aud": "https://graph.microsoft.com",
        "iss": "https://sts.windows.net/11111111-2222-3333-4444-555555555555/",
        "tid": "11111111-2222-3333-4444-555555555555",
        "upn": "admin@contoso.example",
        "appid": "14d82eec-204b-4c2f-b7e8-296a70dab67e",
        "iat": exp - 3600,
        "exp": exp,
        "scp": scopes,
    }))
}

// ---------------------------------------------------------------- HTTPS server

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A running server: its port on 127.0.0.1 and its self-signed certificate (DER) for
/// graph.microsoft.com, so a native client can trust exactly it.
pub struct FakeServer {
    pub port: u16,
    pub cert_der: Vec<u8>,
    pub graph: FakeGraph,
}

/// Starts the HTTPS stand-in on 127.0.0.1 (any free port). Needs a tokio runtime.
pub async fn serve_https(graph: FakeGraph) -> FakeServer {
    use tokio_rustls::rustls;
    let _ = rustls::crypto::ring::default_provider().install_default();
    let ck = rcgen::generate_simple_self_signed(vec![GRAPH_HOST.to_string()]).unwrap();
    let cert = ck.cert.der().clone();
    let cert_der = cert.to_vec();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(ck.signing_key.serialize_der().into());
    let cfg = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(cfg));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let g = graph.clone();
    tokio::spawn(async move {
        loop {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            let g = g.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                // One request per connection (Connection: close) keeps the parser simple.
                let Some((method, target, headers, body)) = read_request(&mut tls).await else {
                    return;
                };
                let origin = headers
                    .iter()
                    .find(|(n, _)| n == "origin")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| "*".into());
                let reply = if method == "OPTIONS" {
                    g.with(|s| {
                        s.requests.push(Recorded {
                            method: method.clone(),
                            target: target.clone(),
                            headers: headers.clone(),
                            body: String::new(),
                        })
                    });
                    let requested = headers
                        .iter()
                        .find(|(n, _)| n == "access-control-request-headers")
                        .map(|(_, v)| v.clone())
                        .unwrap_or_else(|| "authorization, content-type, prefer".into());
                    Reply {
                        status: 204,
                        headers: vec![
                            ("access-control-allow-headers".into(), requested),
                            (
                                "access-control-allow-methods".into(),
                                "GET, POST, PATCH, DELETE, OPTIONS".into(),
                            ),
                            ("access-control-max-age".into(), "0".into()),
                        ],
                        body: String::new(),
                    }
                } else {
                    g.handle(&method, &target, &headers, &body)
                };
                let mut head = format!("HTTP/1.1 {} {}\r\n", reply.status, reason(reply.status));
                head.push_str(&format!(
                    "access-control-allow-origin: {origin}\r\nvary: Origin\r\n"
                ));
                head.push_str("access-control-expose-headers: request-id, client-request-id, retry-after, date\r\n");
                for (n, v) in &reply.headers {
                    head.push_str(&format!("{n}: {v}\r\n"));
                }
                head.push_str(&format!(
                    "content-length: {}\r\nconnection: close\r\n\r\n",
                    reply.body.len()
                ));
                let _ = tls.write_all(head.as_bytes()).await;
                let _ = tls.write_all(reply.body.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    FakeServer {
        port,
        cert_der,
        graph,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Reads one HTTP/1.1 request: head up to CRLFCRLF, then `content-length` bytes of body.
async fn read_request<S: AsyncReadExt + Unpin>(
    s: &mut S,
) -> Option<(String, String, Vec<(String, String)>, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 || buf.len() > 1 << 20 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next()?.split(' ');
    let method = first.next()?.to_string();
    let target = first.next()?.to_string();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = s.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..head_end + len]).into_owned();
    Some((method, target, headers, body))
}
