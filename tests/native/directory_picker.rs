//! The pickers: the search requests (hostile text cannot leave its `$search` clause or the
//! query string, the advanced-query header, the bounds), the strict reading of the answers, the
//! permission each search names, the searches against the fake Graph, and the picker model
//! (debounce tickets, offline catalogue, keyboard, choices into the draft's lists and labels).

use crate::support::fake_transport::forward;
use ca_builder::app::draft::{Action, Draft};
use ca_builder::app::picker::{choose, offline_hits, remove, PickTarget, Picker, PickerStatus};
use ca_builder::graph::ops::{
    read_search, search_request, DirectoryKind, Hit, MAX_TERM_CHARS, SEARCH_TOP,
};
use ca_builder::graph::{
    missing_for, Cancel, Claims, Cloud, ErrorKind, Graph, GraphError, GraphOp, Request, Response,
    Token, Transport, TransportError,
};
use ca_builder::names::{LabelError, Labels, Lookup, Naming};
use ca_builder::policy::edit::IdList;
use fake_graph::{graph_token, percent_decode, FakeGraph};
use serde_json::json;
use std::time::Duration;

const NOW: i64 = 1_714_564_800;
const CA_ADMIN: &str = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";
const TEAMS: &str = "1fec8e78-bce4-4aaf-ab1b-5451cc387264";
const USER: &str = "11111111-2222-3333-4444-555555555555";

fn query_of(r: &Request) -> String {
    r.url.relative().split_once('?').unwrap().1.to_string()
}

/// The raw query's parameters, each value percent-decoded.
fn params(r: &Request) -> Vec<(String, String)> {
    query_of(r)
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), percent_decode(v))
        })
        .collect()
}

fn param(r: &Request, name: &str) -> Option<String> {
    params(r)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

fn response(status: u16, body: serde_json::Value) -> Response {
    Response {
        status,
        headers: vec![],
        body: body.to_string(),
    }
}

// ---------------------------------------------------------------- requests

#[test]
fn hostile_text_stays_inside_its_search_clause_and_the_query_string() {
    let hostile = "a\" OR \"id:x' & $top=999 #\\ %41\u{0007}\u{202E}";
    for kind in [
        DirectoryKind::User,
        DirectoryKind::Group,
        DirectoryKind::App,
    ] {
        let r = search_request(Cloud::Global, kind, hostile).unwrap();
        let ps = params(&r);
        let names: Vec<&str> = ps.iter().map(|(k, _)| k.as_str()).collect();
        // Only the parameters the builder writes, each once: `&` and `=` typed stay encoded.
        let expected: &[&str] = match kind {
            DirectoryKind::Group => &["$search", "$filter", "$select", "$top", "$count"],
            _ => &["$search", "$select", "$top", "$count"],
        };
        assert_eq!(names, expected, "{kind:?}: {}", r.url);
        assert_eq!(param(&r, "$top").as_deref(), Some("25"));
        assert_eq!(param(&r, "$count").as_deref(), Some("true"));
        let search = param(&r, "$search").unwrap();
        let clauses = if kind == DirectoryKind::User { 2 } else { 1 };
        assert_eq!(
            search.matches('"').count(),
            2 * clauses,
            "{kind:?}: the typed quote cannot close the clause: {search}"
        );
        assert!(!search.contains('\\'), "{search}");
        assert!(
            !search.contains('\u{0007}'),
            "control characters dropped: {search}"
        );
        assert!(
            search.starts_with("\"displayName:a  OR  id:x' & $top=999 #"),
            "{search}"
        );
        assert_eq!(
            r.headers,
            vec![("ConsistencyLevel", "eventual".to_string())],
            "{kind:?}: $search is an advanced query"
        );
        assert_eq!(r.op, kind.op());
    }
    let users = search_request(Cloud::Global, DirectoryKind::User, "ali").unwrap();
    assert_eq!(
        param(&users, "$search").unwrap(),
        "\"displayName:ali\" OR \"userPrincipalName:ali\""
    );
    assert!(users.url.relative().starts_with("/v1.0/users?"));
    let groups = search_request(Cloud::Global, DirectoryKind::Group, "pilot").unwrap();
    assert_eq!(
        param(&groups, "$filter").as_deref(),
        Some("securityEnabled eq true")
    );
    let apps = search_request(Cloud::Global, DirectoryKind::App, "teams").unwrap();
    assert!(apps.url.relative().starts_with("/v1.0/servicePrincipals?"));
    assert!(param(&apps, "$select").unwrap().contains("appId"));
}

#[test]
fn roles_and_locations_are_listed_and_filtered_here() {
    let roles = search_request(Cloud::Global, DirectoryKind::Role, "").unwrap();
    assert!(roles
        .url
        .relative()
        .starts_with("/v1.0/roleManagement/directory/roleDefinitions?"));
    assert_eq!(
        param(&roles, "$filter").as_deref(),
        Some("isBuiltIn eq true")
    );
    assert!(roles.headers.is_empty(), "not an advanced query");
    let locations = search_request(Cloud::Global, DirectoryKind::Location, "x'y").unwrap();
    assert_eq!(
        locations.url.relative(),
        "/v1.0/identity/conditionalAccess/namedLocations?$select=id,displayName",
        "the text is not sent: the list is filtered here"
    );
    // An empty search is not sent where Graph searches.
    for kind in [
        DirectoryKind::User,
        DirectoryKind::Group,
        DirectoryKind::App,
    ] {
        assert_eq!(
            search_request(Cloud::Global, kind, "  \u{0001} "),
            None,
            "{kind:?}"
        );
    }
    // A long text is cut.
    let long = "x".repeat(500);
    let r = search_request(Cloud::Global, DirectoryKind::Group, &long).unwrap();
    let search = param(&r, "$search").unwrap();
    assert_eq!(search.matches('x').count(), MAX_TERM_CHARS);
    // Other clouds' hosts.
    let us = search_request(Cloud::UsGov, DirectoryKind::User, "a").unwrap();
    assert_eq!(us.url.host(), Cloud::UsGov.host());
}

// ---------------------------------------------------------------- answers

#[test]
fn answers_are_read_strictly() {
    let kind = DirectoryKind::User;
    let ok = response(
        200,
        json!({"@odata.count": 1, "value": [{"id": USER.to_uppercase(), "displayName": "Alice", "userPrincipalName": "alice@contoso.com"}]}),
    );
    let hits = read_search(kind, "ali", &ok).unwrap();
    assert_eq!(
        hits,
        vec![Hit {
            id: USER.into(),
            name: "Alice".into(),
            detail: Some("alice@contoso.com".into())
        }]
    );
    for (body, said) in [
        (json!({"values": []}), "no list of results"),
        (json!({"value": {}}), "no list of results"),
        (
            json!({"value": [{"id": USER, "displayName": "A"}, {"id": "../me", "displayName": "B"}]}),
            "result 2",
        ),
        (json!({"value": [{"id": USER}]}), "result 1"),
        (
            json!({"value": [{"id": USER, "displayName": 7}]}),
            "result 1",
        ),
    ] {
        let e = read_search(kind, "a", &response(200, body.clone())).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::BadResponse), "{body}");
        assert!(e.message.contains(said), "{body}: {}", e.message);
    }
    // Colliding keys are refused as a policy file's are.
    let twice = Response {
        status: 200,
        headers: vec![],
        body: format!(
            r#"{{"value": [{{"id": "{USER}", "displayName": "A", "DisplayName": "B"}}]}}"#
        ),
    };
    assert!(read_search(kind, "a", &twice).is_err());

    // An app is its appId, not the service principal's object id.
    let sp = response(
        200,
        json!({"value": [{"id": USER, "appId": TEAMS, "displayName": "Microsoft Teams", "servicePrincipalType": "Application"}]}),
    );
    assert_eq!(
        read_search(DirectoryKind::App, "teams", &sp).unwrap()[0].id,
        TEAMS
    );
    let no_app_id = response(200, json!({"value": [{"id": USER, "displayName": "x"}]}));
    assert!(read_search(DirectoryKind::App, "x", &no_app_id).is_err());

    // Roles: the template id, filtered by name here; locations likewise.
    let roles = response(
        200,
        json!({"value": [
            {"id": USER, "templateId": CA_ADMIN, "displayName": "Conditional Access Administrator", "isBuiltIn": true},
            {"id": "62e90394-69f5-4237-9190-012177145e10", "displayName": "Global Administrator", "isBuiltIn": true},
        ]}),
    );
    let hits = read_search(DirectoryKind::Role, "ACCESS", &roles).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, CA_ADMIN);
    assert_eq!(
        read_search(DirectoryKind::Role, "", &roles).unwrap().len(),
        2
    );
    let many: Vec<_> = (0..40)
        .map(|i| json!({"id": format!("00000000-0000-4000-8000-{i:012}"), "displayName": format!("Office {i}")}))
        .collect();
    let locations = response(200, json!({ "value": many }));
    assert_eq!(
        read_search(DirectoryKind::Location, "office", &locations)
            .unwrap()
            .len(),
        SEARCH_TOP
    );
    assert_eq!(
        read_search(DirectoryKind::Location, "office 3", &locations)
            .unwrap()
            .len(),
        11
    );
}

#[test]
fn each_search_names_its_least_privileged_permission() {
    let expected = [
        (DirectoryKind::User, "User.ReadBasic.All"),
        (DirectoryKind::Group, "GroupMember.Read.All"),
        (DirectoryKind::Role, "RoleManagement.Read.Directory"),
        (DirectoryKind::App, "Application.Read.All"),
        (DirectoryKind::Location, "Policy.Read.All"),
    ];
    let claims = Token::parse(&graph_token(NOW + 3600, "User.Read"))
        .unwrap()
        .claims()
        .clone();
    for (kind, permission) in expected {
        let op = kind.op();
        assert!(GraphOp::ALL.contains(&op), "{op:?}");
        assert_eq!(op.requirement().any_of[0], [permission], "{kind:?}");
        assert_eq!(missing_for(op, &claims), Some(vec![permission]), "{kind:?}");
        let denied = Response {
            status: 403,
            headers: vec![],
            body: json!({"error": {"code": "Authorization_RequestDenied", "message": "Insufficient privileges to complete the operation."}}).to_string(),
        };
        let e = GraphError::from_response(op, &denied, NOW, &|s| s.to_string());
        let said = e.user_message();
        assert!(said.contains(permission), "{kind:?}: {said}");
        assert!(said.contains("Permission denied while"), "{said}");
    }
    let _: &Claims = &claims;
}

// ---------------------------------------------------------------- against the fake Graph

struct FakeTransport {
    graph: FakeGraph,
    token: Token,
}

impl Transport for FakeTransport {
    async fn send(&self, request: &Request, _: &Cancel) -> Result<Response, TransportError> {
        Ok(forward(&self.graph, &self.token, request))
    }
    async fn sleep(&self, _: Duration) {}
    fn now_unix(&self) -> i64 {
        NOW
    }
    fn redact(&self, text: &str) -> String {
        self.token.redact(text).into_owned()
    }
}

fn graph(fake: &FakeGraph) -> Graph<FakeTransport> {
    let token = Token::parse(&graph_token(NOW + 3600, "User.ReadBasic.All")).unwrap();
    Graph::new(
        FakeTransport {
            graph: fake.clone(),
            token,
        },
        Cloud::Global,
    )
}

async fn search(
    g: &Graph<FakeTransport>,
    kind: DirectoryKind,
    text: &str,
) -> Result<Vec<Hit>, GraphError> {
    let request = search_request(Cloud::Global, kind, text).unwrap();
    let response = g.send(&request).await?;
    read_search(kind, text, &response)
}

#[tokio::test(flavor = "current_thread")]
async fn the_searches_find_by_name_in_the_fake_tenant() {
    let fake = FakeGraph::new();
    let alice = fake.add_named_user("alice@contoso.com", "Alice Doe");
    fake.add_named_user("bob@contoso.com", "Bob Alison");
    fake.add_named_user("carol@contoso.com", "Carol");
    let pilot = fake.add_group("Passkey pilot", true);
    fake.add_group("Pilot newsletter", false);
    fake.add_service_principal(TEAMS, "Microsoft Teams");
    fake.add_role_definition(CA_ADMIN, "Conditional Access Administrator", true);
    fake.add_role_definition(
        "aaaaaaaa-0000-4000-8000-000000000001",
        "Custom reader",
        false,
    );
    let office = fake.add_named_location("Head office");
    fake.add_named_location("Branch");
    let g = graph(&fake);

    let users = search(&g, DirectoryKind::User, "ali").await.unwrap();
    let names: Vec<&str> = users.iter().map(|h| h.name.as_str()).collect();
    assert_eq!(
        names,
        ["Alice Doe", "Bob Alison"],
        "by a word of the display name"
    );
    assert_eq!(users[0].id, alice);
    let by_upn = search(&g, DirectoryKind::User, "carol@").await.unwrap();
    assert_eq!(by_upn.len(), 1);
    let groups = search(&g, DirectoryKind::Group, "pilot").await.unwrap();
    assert_eq!(
        groups.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        [pilot.as_str()]
    );
    let apps = search(&g, DirectoryKind::App, "teams").await.unwrap();
    assert_eq!(apps[0].id, TEAMS);
    let roles = search(&g, DirectoryKind::Role, "").await.unwrap();
    assert_eq!(roles.len(), 1, "built-in roles only: {roles:?}");
    let locations = search(&g, DirectoryKind::Location, "office").await.unwrap();
    assert_eq!(locations[0].id, office);
    // Hostile text is one clause to the service too: nothing found, nothing broken.
    assert_eq!(
        search(&g, DirectoryKind::User, "a\" OR \"id:")
            .await
            .unwrap(),
        vec![]
    );

    let searched = fake.sent_to("/users");
    assert!(searched
        .iter()
        .all(|r| r.header("consistencylevel") == Some("eventual")));

    // Without the header Graph refuses the query: the request is what sends it.
    let mut bare = search_request(Cloud::Global, DirectoryKind::User, "ali").unwrap();
    bare.headers.clear();
    let e = g.send(&bare).await.unwrap_err();
    assert_eq!(e.code.as_deref(), Some("Request_UnsupportedQuery"));

    fake.fail_once("GET", "/servicePrincipals", 403, None);
    let e = search(&g, DirectoryKind::App, "teams").await.unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Forbidden { .. }));
    assert!(
        e.user_message().contains("Application.Read.All"),
        "{}",
        e.user_message()
    );
}

// ---------------------------------------------------------------- the picker model

#[test]
fn offline_roles_and_apps_come_from_the_catalogue_and_ids_stay_ids() {
    let labels = Labels::new();
    let roles = offline_hits(DirectoryKind::Role, "conditional", &labels);
    assert_eq!(roles[0].id, CA_ADMIN);
    assert_eq!(roles[0].name, "Conditional Access Administrator");
    // Names that start with the text come first.
    let admins = offline_hits(DirectoryKind::Role, "global", &labels);
    assert_eq!(admins[0].name, "Global Administrator");
    assert!(offline_hits(DirectoryKind::Role, "administrator", &labels).len() <= SEARCH_TOP);
    let apps = offline_hits(DirectoryKind::App, "TEAMS", &labels);
    assert!(apps.iter().any(|h| h.id == TEAMS), "{apps:?}");
    assert_eq!(offline_hits(DirectoryKind::User, "alice", &labels), vec![]);

    let mut p = Picker::new(DirectoryKind::User);
    assert_eq!(p.type_text("alice", false, &labels), None);
    match &p.status {
        PickerStatus::Note(n) => assert!(n.contains("connect"), "{n}"),
        s => panic!("{s:?}"),
    }
    // A pasted id is a suggestion at once, named if the draft knows it.
    assert_eq!(p.type_text(&USER.to_uppercase(), true, &labels), None);
    assert_eq!(p.results.len(), 1);
    assert_eq!(
        (p.results[0].id.as_str(), p.results[0].name.as_str()),
        (USER, "")
    );
    assert_eq!(
        labels.describe(USER),
        format!("{USER} (connect to look it up)")
    );
    let mut named = Labels::new();
    named.insert(USER, "Alice").unwrap();
    p.type_text(USER, false, &named);
    assert_eq!(p.results[0].name, "Alice");
}

#[test]
fn only_the_latest_keystroke_is_searched_and_answered() {
    let labels = Labels::new();
    let mut p = Picker::new(DirectoryKind::Role);
    let first = p.type_text("glo", true, &labels).unwrap();
    let second = p.type_text("glob", true, &labels).unwrap();
    assert_eq!(p.status, PickerStatus::Waiting);
    assert_eq!(p.due(first), None, "replaced by the next keystroke");
    assert_eq!(p.due(second).as_deref(), Some("glob"));
    assert_eq!(p.status, PickerStatus::Searching);
    let hit = Hit {
        id: CA_ADMIN.into(),
        name: "x".into(),
        detail: None,
    };
    assert!(!p.accept(first, Ok(vec![hit.clone()]), &labels));
    assert!(p.results.is_empty());
    assert!(p.accept(second, Ok(vec![hit.clone(), hit.clone()]), &labels));
    assert_eq!((p.results.len(), p.status.clone()), (2, PickerStatus::Done));

    // Keyboard: down, down wraps, up wraps back; Enter takes the active one.
    assert_eq!(p.active_hit(), None, "two suggestions and none active");
    p.move_active(1);
    assert_eq!(p.active, Some(0));
    p.move_active(1);
    p.move_active(1);
    assert_eq!(p.active, Some(0));
    p.move_active(-1);
    assert_eq!(p.active, Some(1));
    assert!(p.active_hit().is_some());
    p.close();
    assert!(p.results.is_empty() && p.query.is_empty() && p.active.is_none());

    // A failed search says why and, for roles, still offers the catalogue.
    let t = p.type_text("global", true, &labels).unwrap();
    p.due(t);
    let denied = GraphError::new(
        GraphOp::ListRoleDefinitions,
        ErrorKind::Forbidden {
            needed: vec!["RoleManagement.Read.Directory"],
        },
        "denied".into(),
    );
    assert!(p.accept(t, Err(denied), &labels));
    match &p.status {
        PickerStatus::Note(n) => assert!(n.contains("RoleManagement.Read.Directory"), "{n}"),
        s => panic!("{s:?}"),
    }
    assert_eq!(p.results[0].name, "Global Administrator");
    // A keystroke after close: an answer to the search before it is dropped.
    let t = p.type_text("a", true, &labels).unwrap();
    p.close();
    assert_eq!(p.due(t), None);
}

#[test]
fn choosing_puts_the_id_in_its_list_and_the_name_in_the_labels() {
    let mut d = Draft::new();
    let hit = Hit {
        id: USER.into(),
        name: "Alice Doe".into(),
        detail: None,
    };
    let (actions, refused) = choose(&d, PickTarget::BreakGlassUsers, &hit);
    assert_eq!(refused, None);
    for a in actions {
        d.apply(a);
    }
    assert_eq!(d.break_glass.users, vec![USER.to_string()]);
    assert_eq!(d.labels.get(USER), Some("Alice Doe"));
    // Twice is once.
    let (actions, _) = choose(&d, PickTarget::BreakGlassUsers, &hit);
    actions.into_iter().for_each(|a| d.apply(a));
    assert_eq!(d.break_glass.users.len(), 1);

    // A role into the open step's excludes; the catalogue's name is kept as the label.
    let role = offline_hits(DirectoryKind::Role, "conditional access", &Labels::new())[0].clone();
    let target = PickTarget::for_list(IdList::ExcludeRoles).unwrap();
    assert_eq!(target.kind(), DirectoryKind::Role);
    let (actions, _) = choose(&d, target, &role);
    actions.into_iter().for_each(|a| d.apply(a));
    let before = IdList::ExcludeRoles.get(&Draft::new().step().policy);
    let after = IdList::ExcludeRoles.get(&d.step().policy);
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    assert_eq!(after.last().map(String::as_str), Some(CA_ADMIN));
    assert_eq!(
        d.labels.get(CA_ADMIN),
        Some("Conditional Access Administrator")
    );
    assert_eq!(PickTarget::for_list(IdList::IncludeUserActions), None);

    // The pilot group replaces, and narrows the policy.
    d.apply(Action::Select(1));
    for (id, name) in [
        ("aaaaaaaa-0000-4000-8000-000000000001", "Pilot A"),
        ("aaaaaaaa-0000-4000-8000-000000000002", "Pilot B"),
    ] {
        let hit = Hit {
            id: id.into(),
            name: name.into(),
            detail: None,
        };
        let (actions, _) = choose(&d, PickTarget::PilotGroup, &hit);
        actions.into_iter().for_each(|a| d.apply(a));
    }
    assert_eq!(
        IdList::IncludeGroups.get(&d.step().policy),
        vec!["aaaaaaaa-0000-4000-8000-000000000002".to_string()]
    );
    assert!(IdList::IncludeUsers.get(&d.step().policy).is_empty());

    // A name shaped like a token is never kept; the id still is.
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    let sneaky = Hit {
        id: "bbbbbbbb-0000-4000-8000-000000000001".into(),
        name: jwt.into(),
        detail: None,
    };
    let (actions, refused) = choose(&d, PickTarget::BreakGlassGroups, &sneaky);
    assert!(matches!(refused, Some(LabelError::LooksLikeToken { .. })));
    actions.into_iter().for_each(|a| d.apply(a));
    assert_eq!(d.break_glass.groups, vec![sneaky.id.clone()]);
    assert_eq!(d.labels.get(&sneaky.id), None);
    assert!(!d.to_json().contains(jwt));
    // And an action that tries anyway changes nothing.
    d.apply(Action::SetLabel {
        id: sneaky.id.clone(),
        name: jwt.into(),
    });
    assert_eq!(d.labels.get(&sneaky.id), None);

    // Removing takes the id out (any case).
    d.apply(remove(&d, PickTarget::BreakGlassUsers, &USER.to_uppercase()).expect("a draft list"));
    assert!(d.break_glass.users.is_empty());
}

#[test]
fn labels_survive_a_reload_and_older_drafts_still_open() {
    let fresh = Draft::new().to_json();
    assert!(
        !fresh.contains("labels"),
        "a draft without names is written as before"
    );
    let old = Draft::from_json(&fresh).unwrap();
    assert!(old.draft.labels.is_empty());

    let mut d = Draft::new();
    d.apply(Action::SetLabel {
        id: USER.into(),
        name: "Alice Doe".into(),
    });
    let opened = Draft::from_json(&d.to_json()).unwrap();
    assert_eq!(opened.draft.labels.get(USER), Some("Alice Doe"));
    assert_eq!(opened.draft, d);

    // A crafted link whose label holds a token is refused, not opened with it.
    let mut v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
    v["labels"][USER] = json!("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
    assert!(Draft::from_json(&v.to_string()).is_err());
}

// ---------------------------------------------------------------- names for ids already held

#[tokio::test(flavor = "current_thread")]
async fn ids_the_draft_holds_without_a_name_are_named_by_one_lookup() {
    use ca_builder::app::name_lookup::{look_up, outcome, unnamed, Unnamed};
    use ca_builder::graph::ops::{name_lookup_request, MAX_APP_IDS_PER_LOOKUP, MAX_IDS_PER_LOOKUP};

    let fake = FakeGraph::new();
    let alice = fake.add_named_user("alice@contoso.com", "Alice Doe");
    let pilot = fake.add_group("Passkey pilot", true);
    let gone = "0badc0de-0000-4000-8000-000000000001".to_string();
    let picked = "5d2e9c41-7a3b-4c8d-9e0f-1a2b3c4d5e6f";
    // The tenant's own application (a policy holds its appId) and a named location.
    let payroll = "7c3e2a10-5b4d-4e6f-8a9b-0c1d2e3f4a5b".to_string();
    fake.add_service_principal(&payroll.to_uppercase(), "Payroll");
    let office = fake.add_named_location("Head office");
    fake.add_named_location("Branch");

    // An imported policy's ids, a break-glass account and one the admin picked (named already).
    let mut d = Draft::new();
    d.apply(Action::SetBreakGlassUsers(vec![alice.to_uppercase()]));
    d.apply(Action::SetIdList(
        IdList::ExcludeGroups,
        vec![pilot.clone(), picked.into()],
    ));
    d.apply(Action::SetIdList(
        IdList::IncludeUsers,
        vec![gone.clone(), alice.clone(), CA_ADMIN.into()],
    ));
    d.apply(Action::SetIdList(
        IdList::IncludeApplications,
        vec![
            payroll.clone(),
            "00000002-0000-0ff1-ce00-000000000000".into(),
        ],
    ));
    d.apply(Action::SetIdList(
        IdList::ExcludeLocations,
        vec![office.clone(), "AllTrusted".into()],
    ));
    d.label(picked, "Picked group").unwrap();
    let ids = unnamed(&d);
    // Each once, lowercase; the labelled one, the catalogued role and Microsoft app and the
    // special value are not asked for.
    assert_eq!(
        ids,
        Unnamed {
            directory: vec![gone.clone(), alice.clone(), pilot.clone()],
            apps: vec![payroll.clone()],
            locations: vec![office.clone()],
        }
    );
    assert_eq!(
        ids.ops(),
        [
            GraphOp::LookUpNames,
            GraphOp::LookUpAppNames,
            GraphOp::ReadNamedLocations
        ]
    );

    let request = name_lookup_request(Cloud::Global, &ids.directory);
    assert_eq!(
        request.request_line(),
        "POST https://graph.microsoft.com/v1.0/directoryObjects/getByIds"
    );
    assert_eq!(request.op.requirement().any_of[0], ["Directory.Read.All"]);
    let body: serde_json::Value = serde_json::from_str(request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"ids": ids.directory, "types": ["user", "group"]})
    );

    let g = graph(&fake);
    let before = fake.requests().len();
    let hits = look_up(&g, &ids).await.unwrap();
    let lines: Vec<String> = fake.requests()[before..]
        .iter()
        .map(|r| format!("{} {}?{}", r.method, r.path(), r.query()))
        .collect();
    assert_eq!(
        lines,
        [
            "POST /v1.0/directoryObjects/getByIds?".to_string(),
            format!("GET /v1.0/servicePrincipals?$filter=appId in ('{payroll}')&$select=id,appId,displayName,servicePrincipalType"),
            "GET /v1.0/identity/conditionalAccess/namedLocations?$select=id,displayName".to_string(),
        ]
    );
    let found = outcome(&ids, &hits);
    for a in found.labels {
        d.apply(a);
    }
    let text = found.text;
    assert_eq!(
        d.labels.name_of(&alice),
        Some("Alice Doe (alice@contoso.com)")
    );
    assert_eq!(d.labels.name_of(&pilot), Some("Passkey pilot"));
    assert_eq!(d.labels.name_of(&payroll), Some("Payroll"));
    assert_eq!(d.labels.name_of(&office), Some("Head office"));
    assert_eq!(d.labels.name_of(&gone), None);
    assert!(text.starts_with("Named 4 of 5 ids."), "{text}");
    assert!(text.contains(&gone), "the unnamed id is listed: {text}");
    assert_eq!(found.not_found, vec![gone.clone()]);
    assert_eq!(unnamed(&d).directory, vec![gone.clone()]);
    assert_eq!(unnamed(&d).len(), 1);
    // From then on the page words that id as one the tenant did not return.
    let not_found = std::collections::HashSet::from([gone.clone()]);
    let names = Naming::new(
        &d.labels,
        Lookup::Connected {
            not_found: &not_found,
        },
    );
    assert_eq!(
        names.describe(&gone),
        format!("{gone} (not found in the tenant)")
    );

    // Once the tenant did not return an id, it is not asked about again.
    let (left, missing) = unnamed(&d).without(&not_found);
    assert!(left.is_empty());
    assert_eq!(missing, 1);

    // A long list goes in requests of at most 1,000 ids, applications 15 a request.
    let many = |n: usize| -> Vec<String> {
        (0..n)
            .map(|i| format!("00000000-0000-4000-8000-{i:012}"))
            .collect()
    };
    let before = fake.requests().len();
    let long = Unnamed {
        directory: many(2_001),
        apps: many(31),
        locations: vec![],
    };
    look_up(&g, &long).await.unwrap();
    let sent: Vec<usize> = fake.requests()[before..]
        .iter()
        .map(|r| match r.method.as_str() {
            "POST" => serde_json::from_str::<serde_json::Value>(&r.body).unwrap()["ids"]
                .as_array()
                .unwrap()
                .len(),
            _ => r.query().matches('\'').count() / 2,
        })
        .collect();
    assert_eq!(
        sent,
        vec![
            MAX_IDS_PER_LOOKUP,
            MAX_IDS_PER_LOOKUP,
            1,
            MAX_APP_IDS_PER_LOOKUP,
            MAX_APP_IDS_PER_LOOKUP,
            1
        ]
    );
}

#[test]
fn a_lookup_answer_without_a_list_or_with_a_bad_id_is_refused_and_an_unreadable_object_skipped() {
    use ca_builder::graph::ops::{read_app_lookup, read_name_lookup};
    let answer = |body: serde_json::Value| Response {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.to_string(),
    };
    assert!(read_name_lookup(&answer(json!({"value": {}}))).is_err());
    assert!(read_app_lookup(&answer(json!({"value": {}}))).is_err());
    // A service principal is named by its appId, which is what a policy holds.
    let sp = read_app_lookup(&answer(json!({"value": [
        {"id": "1b2c3d4e-0000-4000-8000-000000000001", "appId": "7C3E2A10-5B4D-4E6F-8A9B-0C1D2E3F4A5B", "displayName": "Payroll"},
        {"id": "1b2c3d4e-0000-4000-8000-000000000002", "displayName": "no appId"}]})))
    .unwrap();
    assert_eq!(sp.len(), 1);
    assert_eq!(sp[0].id, "7c3e2a10-5b4d-4e6f-8a9b-0c1d2e3f4a5b");
    let e =
        read_name_lookup(&answer(json!({"value": [{"id": "x", "displayName": "X"}]}))).unwrap_err();
    assert!(
        e.user_message().contains("object 1"),
        "{}",
        e.user_message()
    );
    // Limited information (an object the token may not read): its id only, so no name.
    let hits = read_name_lookup(&answer(json!({"value": [
        {"@odata.type": "#microsoft.graph.group", "id": USER, "displayName": null},
    ]})))
    .unwrap();
    assert!(hits.is_empty());
}
