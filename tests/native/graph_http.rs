//! The pure request layer: the host allow-list and nextLink checks, error mapping, the retry
//! policy, paging, and the request builders' URLs and bodies.

use ca_builder::export::graph_json::pretty_body;
use ca_builder::graph::errors::field_named_in;
use ca_builder::graph::ops::{self, RegistrationQuery, SignInQuery};
use ca_builder::graph::paging::Pager;
use ca_builder::graph::retry::parse_retry_after;
use ca_builder::graph::{
    ApiVersion, Cloud, ErrorKind, GraphError, GraphOp, GraphUrl, Method, Response, RetryPolicy,
    UrlError,
};
use ca_builder::guid::{Guid, GuidKind};
use ca_builder::policy::templates::{group_body, Template, TemplateParams};
use ca_builder::policy::Policy;
use fake_graph::percent_decode;
use serde_json::{json, Value};
use std::time::Duration;

const NOW: i64 = 1_714_564_800; // Wed, 01 May 2024 12:00:00 GMT

fn no_redact(s: &str) -> String {
    s.to_string()
}

fn resp(status: u16, headers: &[(&str, &str)], body: Value) -> Response {
    Response {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: body.to_string(),
    }
}

fn graph_error_body(code: &str, message: &str) -> Value {
    json!({"error": {"code": code, "message": message,
        "innerError": {"date": "2024-05-01T12:00:00", "request-id": "rid-inner", "client-request-id": "cid-inner"}}})
}

// ---------------------------------------------------------------- clouds and URLs

#[test]
fn urls_are_https_on_the_chosen_cloud() {
    let hosts: Vec<String> = Cloud::ALL
        .iter()
        .map(|c| {
            GraphUrl::new(*c, ApiVersion::V1, "/groups")
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        hosts,
        [
            "https://graph.microsoft.com/v1.0/groups",
            "https://graph.microsoft.us/v1.0/groups",
            "https://dod-graph.microsoft.us/v1.0/groups",
            "https://microsoftgraph.chinacloudapi.cn/v1.0/groups",
        ]
    );
    assert_eq!(
        GraphUrl::new(Cloud::Global, ApiVersion::Beta, "/x?$top=5")
            .unwrap()
            .relative(),
        "/beta/x?$top=5"
    );
    for c in Cloud::ALL {
        assert_eq!(Cloud::from_id(c.id()), Some(c));
        assert_eq!(Cloud::from_host(&c.host().to_uppercase()), Some(c));
    }
    assert_eq!(Cloud::from_host("graph.windows.net"), None);
}

#[test]
fn paths_that_could_escape_are_refused() {
    let bad = |p: &str| GraphUrl::new(Cloud::Global, ApiVersion::V1, p).unwrap_err();
    assert_eq!(bad("groups"), UrlError::NotAbsolutePath);
    assert_eq!(
        bad("/users/a b"),
        UrlError::BadCharacter { index: 8, ch: ' ' }
    );
    assert!(matches!(
        bad("/x#frag"),
        UrlError::BadCharacter { ch: '#', .. }
    ));
    assert!(matches!(
        bad("/x\\y"),
        UrlError::BadCharacter { ch: '\\', .. }
    ));
    assert!(matches!(bad("/users/é"), UrlError::BadCharacter { .. }));
    assert!(matches!(
        bad("//evil.example/x"),
        UrlError::BadCharacter { .. }
    ));
    assert_eq!(bad("/groups/../me"), UrlError::DotSegment);
    assert_eq!(bad("/groups/%2E%2E/me"), UrlError::DotSegment);
}

#[test]
fn next_links_must_stay_on_the_same_host_over_https() {
    let page = GraphUrl::new(
        Cloud::Global,
        ApiVersion::V1,
        "/identity/conditionalAccess/policies",
    )
    .unwrap();
    let ok = page
        .follow(
            "https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies?$skiptoken=abc",
        )
        .unwrap();
    assert_eq!(
        ok.path_and_query(),
        "/identity/conditionalAccess/policies?$skiptoken=abc"
    );
    assert_eq!(
        page.follow("HTTPS://GRAPH.MICROSOFT.COM/beta/x")
            .unwrap()
            .version(),
        ApiVersion::Beta
    );

    for (link, expect_host) in [
        (
            "https://evil.example/v1.0/identity/conditionalAccess/policies",
            Some("evil.example"),
        ),
        (
            "https://graph.microsoft.com.evil.example/v1.0/x",
            Some("graph.microsoft.com.evil.example"),
        ),
        (
            "https://graph.microsoft.com@evil.example/v1.0/x",
            Some("graph.microsoft.com@evil.example"),
        ),
        (
            "https://graph.microsoft.com:8443/v1.0/x",
            Some("graph.microsoft.com:8443"),
        ),
        // Another allow-listed cloud is still another host: the token is for this one.
        (
            "https://graph.microsoft.us/v1.0/x",
            Some("graph.microsoft.us"),
        ),
    ] {
        match page.follow(link).unwrap_err() {
            UrlError::ForeignHost { host, expected } => {
                assert_eq!(Some(host.as_str()), expect_host, "{link}");
                assert_eq!(expected, "graph.microsoft.com");
            }
            other => panic!("{link}: {other:?}"),
        }
    }
    assert!(matches!(
        page.follow("http://graph.microsoft.com/v1.0/x")
            .unwrap_err(),
        UrlError::NotHttps { .. }
    ));
    assert!(matches!(
        page.follow("//evil.example/v1.0/x").unwrap_err(),
        UrlError::NotHttps { .. }
    ));
    assert!(matches!(
        page.follow("/v1.0/x").unwrap_err(),
        UrlError::NotHttps { .. }
    ));
    assert_eq!(
        page.follow("https://graph.microsoft.com/v2.0/x")
            .unwrap_err(),
        UrlError::UnknownVersion
    );
    assert_eq!(
        page.follow("https://graph.microsoft.com").unwrap_err(),
        UrlError::UnknownVersion
    );
    assert_eq!(
        page.follow("https://graph.microsoft.com/v1.0/a/../b")
            .unwrap_err(),
        UrlError::DotSegment
    );
}

// ---------------------------------------------------------------- errors

#[test]
fn error_bodies_keep_code_message_request_id_and_date() {
    let r = resp(
        403,
        &[
            ("request-id", "rid-header"),
            ("client-request-id", "cid-header"),
        ],
        graph_error_body(
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ),
    );
    let e = GraphError::from_response(GraphOp::CreatePolicy, &r, NOW, &no_redact);
    assert_eq!(e.status, Some(403));
    assert_eq!(e.code.as_deref(), Some("Authorization_RequestDenied"));
    assert_eq!(
        e.request_id.as_deref(),
        Some("rid-header"),
        "the header wins"
    );
    assert_eq!(e.date.as_deref(), Some("2024-05-01T12:00:00"));
    assert_eq!(e.client_request_id.as_deref(), Some("cid-inner"));
    assert_eq!(
        e.kind,
        ErrorKind::Forbidden {
            needed: vec!["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"]
        }
    );
    let m = e.user_message();
    assert!(
        m.contains("Policy.Read.All and Policy.ReadWrite.ConditionalAccess"),
        "{m}"
    );
    assert!(m.contains("Conditional Access Administrator"), "{m}");
    assert!(
        m.contains("Authorization_RequestDenied: Insufficient privileges"),
        "{m}"
    );
    assert!(e
        .to_string()
        .contains("request-id rid-header, date 2024-05-01T12:00:00"));

    // Without the header, innerError's request-id is used.
    let r = resp(
        404,
        &[],
        graph_error_body("Request_ResourceNotFound", "gone"),
    );
    let e = GraphError::from_response(GraphOp::GetPolicy, &r, NOW, &no_redact);
    assert_eq!(e.request_id.as_deref(), Some("rid-inner"));
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert!(e
        .user_message()
        .starts_with("Not found while reading a Conditional Access policy"));
}

#[test]
fn status_codes_map_to_kinds() {
    let map = |status: u16, headers: &[(&str, &str)], code: &str, message: &str| {
        GraphError::from_response(
            GraphOp::ListPolicies,
            &resp(status, headers, graph_error_body(code, message)),
            NOW,
            &no_redact,
        )
    };
    assert_eq!(
        map(
            401,
            &[],
            "InvalidAuthenticationToken",
            "Lifetime validation failed, the token is expired."
        )
        .kind,
        ErrorKind::Unauthorized { expired: true }
    );
    let e = map(
        401,
        &[],
        "InvalidAuthenticationToken",
        "Access token validation failure. Invalid audience.",
    );
    assert_eq!(e.kind, ErrorKind::Unauthorized { expired: false });
    assert!(e
        .user_message()
        .contains("access token for Microsoft Graph in the chosen cloud"));
    assert_eq!(
        map(400, &[], "BadRequest", "Could not find a property named 'authenticationProtocol' on type 'microsoft.graph.signIn'.").kind,
        ErrorKind::BadRequest { field: Some("authenticationProtocol".into()) }
    );
    assert_eq!(
        map(400, &[], "BadRequest", "Invalid filter clause").kind,
        ErrorKind::BadRequest { field: None }
    );
    assert_eq!(
        map(429, &[("Retry-After", "7")], "TooManyRequests", "slow down").kind,
        ErrorKind::Throttled {
            retry_after: Some(Duration::from_secs(7))
        }
    );
    assert_eq!(
        map(
            503,
            &[("retry-after", "Wed, 01 May 2024 12:00:30 GMT")],
            "ServiceUnavailable",
            "x"
        )
        .kind,
        ErrorKind::Unavailable {
            retry_after: Some(Duration::from_secs(30))
        }
    );
    assert_eq!(
        map(503, &[], "ServiceUnavailable", "x").kind,
        ErrorKind::Unavailable { retry_after: None }
    );
    assert_eq!(map(409, &[], "Conflict", "x").kind, ErrorKind::Conflict);
    assert_eq!(
        map(500, &[], "InternalServerError", "x").kind,
        ErrorKind::Other
    );
}

#[test]
fn non_graph_bodies_still_give_a_message() {
    let r = Response {
        status: 502,
        headers: vec![],
        body: "<html>Bad gateway</html>".into(),
    };
    let e = GraphError::from_response(GraphOp::ListPolicies, &r, NOW, &no_redact);
    assert_eq!(e.message, "HTTP 502: <html>Bad gateway</html>");
    assert_eq!(e.code, None);
    let r = Response {
        status: 500,
        headers: vec![],
        body: String::new(),
    };
    assert_eq!(
        GraphError::from_response(GraphOp::ListPolicies, &r, NOW, &no_redact).message,
        "HTTP 500 with an empty body"
    );
}

#[test]
fn server_text_is_redacted_before_it_is_kept() {
    let secret = "eyJhbGciOi.SECRETPAYLOAD.SECRETSIGNATURE";
    let r = resp(
        401,
        &[("request-id", "rid")],
        graph_error_body(
            "InvalidAuthenticationToken",
            &format!("Bad token Bearer {secret}"),
        ),
    );
    let redact = |s: &str| s.replace(secret, "…redacted…");
    let e = GraphError::from_response(GraphOp::ListPolicies, &r, NOW, &redact);
    for text in [e.user_message(), e.to_string(), format!("{e:?}")] {
        assert!(!text.contains("SECRETSIGNATURE"), "{text}");
    }
}

#[test]
fn fields_named_in_400_messages() {
    for (message, field) in [
        ("The property 'includeDeviceStates' does not exist on type 'microsoft.graph.conditionalAccessDevices'.", Some("includeDeviceStates")),
        ("Invalid value specified for property 'mailNickname' of resource 'Group'.", Some("mailNickname")),
        ("One or more added object references already exist for the following modified properties: 'members'.", Some("members")),
        ("Property 'conditions.users.includeUsers' is invalid", Some("conditions.users.includeUsers")),
        ("Invalid filter clause", None),
        ("The property 'has spaces in it' is odd", None),
    ] {
        assert_eq!(field_named_in(message).as_deref(), field, "{message}");
    }
}

// ---------------------------------------------------------------- retry

#[test]
fn retry_after_is_read_as_seconds_or_http_date() {
    assert_eq!(
        parse_retry_after("120", NOW),
        Some(Duration::from_secs(120))
    );
    assert_eq!(parse_retry_after(" 0 ", NOW), Some(Duration::ZERO));
    assert_eq!(
        parse_retry_after("Wed, 01 May 2024 12:00:05 GMT", NOW),
        Some(Duration::from_secs(5))
    );
    assert_eq!(
        parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", NOW),
        Some(Duration::ZERO),
        "past date: now"
    );
    assert_eq!(parse_retry_after("-5", NOW), None);
    assert_eq!(parse_retry_after("soon", NOW), None);
    assert_eq!(parse_retry_after("1.5", NOW), None);
}

#[test]
fn retry_policy_is_bounded() {
    let p = RetryPolicy::default();
    assert_eq!(p.max_attempts, 4);
    // Exponential backoff without Retry-After.
    assert_eq!(p.next_delay(1, None), Some(Duration::from_secs(1)));
    assert_eq!(p.next_delay(2, None), Some(Duration::from_secs(2)));
    assert_eq!(p.next_delay(3, None), Some(Duration::from_secs(4)));
    assert_eq!(p.next_delay(4, None), None, "4 attempts in all");
    assert_eq!(p.next_delay(0, None), None);
    // Retry-After honoured as given…
    assert_eq!(
        p.next_delay(1, Some(Duration::from_secs(17))),
        Some(Duration::from_secs(17))
    );
    assert_eq!(p.next_delay(1, Some(Duration::ZERO)), Some(Duration::ZERO));
    // …but a wait longer than max_delay ends the retries instead of hanging the page.
    assert_eq!(p.next_delay(1, Some(Duration::from_secs(31))), None);
    // The total is bounded too.
    assert_eq!(
        p.next_delay_within(2, Some(Duration::from_secs(30)), Duration::from_secs(30)),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        p.next_delay_within(3, Some(Duration::from_secs(30)), Duration::from_secs(60)),
        None
    );
    // Backoff is capped per wait even with many attempts allowed.
    let long = RetryPolicy {
        max_attempts: 40,
        max_total: Duration::from_secs(3600),
        ..p
    };
    assert_eq!(long.next_delay(39, None), Some(long.max_delay));
    assert_eq!(RetryPolicy::none().next_delay(1, None), None);
    // Whatever happens, the sum of waits stays within max_total.
    let mut waited = Duration::ZERO;
    let mut attempt = 1;
    while let Some(d) = p.next_delay_within(attempt, Some(Duration::from_secs(25)), waited) {
        waited += d;
        attempt += 1;
    }
    assert!(
        waited <= p.max_total && attempt <= p.max_attempts,
        "{waited:?} {attempt}"
    );
}

// ---------------------------------------------------------------- paging

fn page(items: &[i64], next: Option<&str>) -> Response {
    let mut v = json!({"value": items});
    if let Some(n) = next {
        v["@odata.nextLink"] = json!(n);
    }
    Response {
        status: 200,
        headers: vec![],
        body: v.to_string(),
    }
}

#[test]
fn pager_follows_next_links_and_keeps_headers() {
    let first = ops::list_policies(Cloud::Global, ApiVersion::V1);
    let mut pager = Pager::new(first.clone(), 10);
    assert_eq!(pager.next_request(), Some(&first));
    assert_eq!(pager.accept(&page(&[1, 2], Some("https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies?$skiptoken=2"))).unwrap(), 2);
    let second = pager.next_request().unwrap().clone();
    assert_eq!(
        second.url.path_and_query(),
        "/identity/conditionalAccess/policies?$skiptoken=2"
    );
    assert_eq!(
        second.headers, first.headers,
        "Prefer header kept on every page"
    );
    assert_eq!(second.op, GraphOp::ListPolicies);
    pager.accept(&page(&[3], None)).unwrap();
    assert_eq!(pager.next_request(), None);
    let done = pager.finish();
    assert_eq!(done.items, [json!(1), json!(2), json!(3)]);
    assert_eq!(done.pages, 2);
    assert!(!done.truncated());
}

#[test]
fn pager_stops_at_the_cap_and_says_so() {
    let first = ops::list_policies(Cloud::Global, ApiVersion::Beta);
    let mut pager = Pager::new(first, 2);
    let link = |n: u32| {
        format!(
            "https://graph.microsoft.com/beta/identity/conditionalAccess/policies?$skiptoken={n}"
        )
    };
    pager.accept(&page(&[1], Some(&link(1)))).unwrap();
    pager.accept(&page(&[2], Some(&link(2)))).unwrap();
    assert_eq!(pager.next_request(), None, "cap reached");
    let done = pager.finish();
    assert!(done.truncated());
    assert_eq!(done.more.unwrap().to_string(), link(2));
}

#[test]
fn hostile_next_link_is_refused_before_anything_is_sent_to_it() {
    let mut pager = Pager::new(ops::list_policies(Cloud::Global, ApiVersion::V1), 10);
    let e = pager
        .accept(&page(
            &[1],
            Some("https://evil.example/v1.0/identity/conditionalAccess/policies?$skiptoken=2"),
        ))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert!(
        e.user_message().contains("evil.example")
            && e.user_message().contains("graph.microsoft.com"),
        "{}",
        e.user_message()
    );
    assert_eq!(pager.next_request(), None);
}

#[test]
fn malformed_pages_are_errors_not_empty_lists() {
    let mut pager = Pager::new(ops::list_policies(Cloud::Global, ApiVersion::V1), 10);
    let e = pager
        .accept(&Response {
            status: 200,
            headers: vec![],
            body: "{\"values\": []}".into(),
        })
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadResponse);
    let mut pager = Pager::new(ops::list_policies(Cloud::Global, ApiVersion::V1), 10);
    let e = pager
        .accept(&Response {
            status: 200,
            headers: vec![],
            body: "<html>".into(),
        })
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BadResponse);
}

// ---------------------------------------------------------------- request builders

#[test]
fn name_filters_escape_quotes_and_encode_everything() {
    let name = "Ada's \"MFA\" & co #1 – 100%";
    let r = ops::find_policies_by_name(Cloud::Global, name);
    assert_eq!(r.method, Method::Get);
    let pq = r.url.path_and_query();
    let (path, query) = pq.split_once('?').unwrap();
    assert_eq!(path, "/identity/conditionalAccess/policies");
    assert!(
        !query.contains(['\'', ' ', '&', '#', '"']),
        "raw query must carry them encoded: {query}"
    );
    assert_eq!(
        percent_decode(query),
        format!("$filter=displayName eq 'Ada''s \"MFA\" & co #1 – 100%'")
    );
    let g = ops::find_group_by_name(Cloud::UsGov, "O'Brien pilot");
    assert_eq!(g.url.host(), "graph.microsoft.us");
    assert_eq!(
        percent_decode(g.url.path_and_query()),
        "/groups?$filter=displayName eq 'O''Brien pilot'&$select=id,displayName,securityEnabled,mailEnabled"
    );
    assert_eq!(ops::odata_string("it''s"), "'it''''s'");
}

fn pilot_policy() -> Policy {
    Template::MfaCompensating
        .build(&TemplateParams {
            exclude_users: vec!["aaaaaaaa-0000-0000-0000-000000000001".into()],
            ..Default::default()
        })
        .unwrap()
}

#[test]
fn create_bodies_are_the_export_panels_json() {
    let draft = pilot_policy();
    let r = ops::create_policy(Cloud::Global, &draft);
    assert_eq!(
        r.request_line(),
        "POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies"
    );
    assert_eq!(
        r.body.as_deref(),
        Some(pretty_body(&draft.to_post_body()).as_str())
    );
    let g = ops::create_group(Cloud::China, "Pilot - passkeys");
    assert_eq!(
        g.request_line(),
        "POST https://microsoftgraph.chinacloudapi.cn/v1.0/groups"
    );
    assert_eq!(
        g.body.as_deref(),
        Some(pretty_body(&group_body("Pilot - passkeys")).as_str())
    );
}

#[test]
fn policy_reads_ask_for_unknown_enum_members() {
    let id = Guid::parse("0a1b2c3d-4e5f-6789-abcd-ef0123456789", GuidKind::Policy).unwrap();
    for r in [
        ops::list_policies(Cloud::Global, ApiVersion::V1),
        ops::get_policy(Cloud::Global, ApiVersion::Beta, &id),
        ops::find_policies_by_name(Cloud::Global, "x"),
    ] {
        assert!(
            r.headers
                .contains(&("Prefer", "include-unknown-enum-members".to_string())),
            "{}",
            r.request_line()
        );
    }
}

#[test]
fn update_plans_send_patch_semantics_and_preview_each_change() {
    let current = pilot_policy();
    let group = Guid::parse("bbbbbbbb-0000-0000-0000-000000000002", GuidKind::Object).unwrap();
    let draft = ops::wire_pilot_group(&current, &group);
    let id = Guid::parse("0a1b2c3d-4e5f-6789-abcd-ef0123456789", GuidKind::Policy).unwrap();
    let plan = ops::update_policy(Cloud::Global, &id, &current, &draft).unwrap();
    assert_eq!(
        plan.request.request_line(),
        format!("PATCH https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies/{id}")
    );
    assert_eq!(
        plan.body,
        json!({"conditions": {"users": {"includeUsers": [], "includeGroups": [group.as_str()]}}}),
        "narrowing sends both lists and leaves the exclusions alone (errata (e))"
    );
    assert_eq!(
        plan.request.body.as_deref(),
        Some(pretty_body(&plan.body).as_str())
    );
    let changes: Vec<(String, Option<Value>, Value)> = plan
        .changes
        .iter()
        .map(|c| (c.path.clone(), c.before.clone(), c.after.clone()))
        .collect();
    assert_eq!(
        changes,
        [
            (
                "conditions.users.includeUsers".into(),
                Some(json!(["All"])),
                json!([])
            ),
            (
                "conditions.users.includeGroups".into(),
                Some(json!([])),
                json!([group.as_str()])
            ),
        ]
    );
    assert_eq!(
        ops::update_policy(Cloud::Global, &id, &current, &current),
        None,
        "nothing to send"
    );
}

#[test]
fn members_are_added_by_reference_on_the_same_cloud() {
    let g = Guid::parse("BBBBBBBB-0000-0000-0000-000000000002", GuidKind::Object).unwrap();
    let u = Guid::parse("cccccccc-0000-0000-0000-000000000003", GuidKind::Object).unwrap();
    let r = ops::add_member(Cloud::UsGovDod, &g, &u);
    assert_eq!(r.request_line(), "POST https://dod-graph.microsoft.us/v1.0/groups/bbbbbbbb-0000-0000-0000-000000000002/members/$ref");
    let body: Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"@odata.id": "https://dod-graph.microsoft.us/v1.0/directoryObjects/cccccccc-0000-0000-0000-000000000003"})
    );
    assert!(Guid::parse("not-a-guid", GuidKind::Object).is_err());
    // UPNs are path-encoded: a guest's #EXT# cannot become a fragment.
    let ops::UserRef::Upn(upn) =
        ops::UserRef::parse("ada_contoso.example#EXT#@tenant.onmicrosoft.com").unwrap()
    else {
        panic!("a UPN")
    };
    let user = ops::get_user(Cloud::Global, &upn);
    assert_eq!(
        user.url.path_and_query(),
        "/users/ada_contoso.example%23EXT%23%40tenant.onmicrosoft.com?$select=id,userPrincipalName,displayName"
    );
}

/// Whatever an admin types (names, members, filters), building a request never panics and the
/// URL stays a Graph URL: free text goes only into percent-encoded query values, and into a
/// path only once checked as a GUID or a user principal name.
#[test]
fn hostile_text_never_breaks_url_building() {
    let hostile = [
        ".",
        "..",
        "/",
        "a/../b",
        "x?y",
        "#frag",
        "%2e",
        "%2e%2e",
        "\u{0}",
        "\u{1b}[31m",
        "\u{202e}evil",
        "ada@contoso.example/../../me",
        "' or 1 eq 1",
        "é",
        "",
    ];
    for s in hostile {
        for r in [
            ops::find_group_by_name(Cloud::Global, s),
            ops::find_policies_by_name(Cloud::Global, s),
            SignInQuery {
                user_principal_name: Some(s.into()),
                app_id: Some(s.into()),
                ..Default::default()
            }
            .request(Cloud::Global),
        ] {
            assert!(
                r.url
                    .as_string()
                    .starts_with("https://graph.microsoft.com/v1.0/"),
                "{s:?}"
            );
            assert!(!r.url.path_and_query().contains(['#', ' ']), "{s:?}");
        }
        let q = RegistrationQuery {
            activities: vec![s.into()],
            ..Default::default()
        };
        assert_eq!(q.requests(Cloud::Global).len(), 1);
        // As a member: refused by name unless it is a UPN or an id.
        let e = ops::UserRef::parse(s).unwrap_err().to_string();
        assert!(e.contains(&format!("{:?}", s.trim())), "{e}");
    }
    for good in [
        "ada@contoso.example",
        "o'brien@contoso.co.uk",
        "a.b-c_d!^~@x-y.example",
    ] {
        let ops::UserRef::Upn(upn) = ops::UserRef::parse(good).unwrap() else {
            panic!("{good}")
        };
        assert!(ops::get_user(Cloud::Global, &upn)
            .url
            .path_and_query()
            .starts_with("/users/"));
    }
    for bad in [
        "ada@contoso..example",
        ".ada@contoso.example",
        "ada.@contoso.example",
        "ada@-x.example",
    ] {
        assert!(ops::UserRef::parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn group_matches_pick_security_groups_and_refuse_ambiguity() {
    let g = |id: u8, name: &str, sec: bool| json!({"id": format!("00000000-0000-0000-0000-0000000000{id:02}"), "displayName": name, "securityEnabled": sec});
    assert_eq!(ops::match_group(&[], "Pilot"), ops::GroupMatch::None);
    assert!(
        matches!(ops::match_group(&[g(1, "pilot", true)], "Pilot"), ops::GroupMatch::One(x) if x.id.as_str().ends_with("01"))
    );
    assert!(
        matches!(ops::match_group(&[g(1, "Pilot", false), g(2, "Pilot", true)], "Pilot"), ops::GroupMatch::One(x) if x.id.as_str().ends_with("02"))
    );
    assert!(
        matches!(ops::match_group(&[g(1, "Pilot", true), g(2, "Pilot", true)], "Pilot"), ops::GroupMatch::Ambiguous(v) if v.len() == 2)
    );
    assert!(matches!(
        ops::match_group(&[g(1, "Pilot", false)], "Pilot"),
        ops::GroupMatch::NotSecurity(_)
    ));
}

#[test]
fn monitoring_queries_use_only_supported_v1_filters() {
    let q = RegistrationQuery {
        activities: vec![
            "User registered security info".into(),
            "User deleted security info".into(),
        ],
        since_unix: Some(NOW),
        top: 50,
    };
    let rs = q.requests(Cloud::Global);
    let decoded: Vec<String> = rs
        .iter()
        .map(|r| percent_decode(&r.url.relative()))
        .collect();
    assert_eq!(
        decoded,
        [
            "/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName eq 'User registered security info' and activityDateTime ge 2024-05-01T12:00:00Z&$top=50",
            "/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName eq 'User deleted security info' and activityDateTime ge 2024-05-01T12:00:00Z&$top=50",
        ]
    );
    assert!(rs.iter().all(|r| r.op == GraphOp::ReadDirectoryAudits));

    let s = SignInQuery {
        since_unix: Some(NOW),
        failures_only: true,
        app_id: Some(ops::AUTHENTICATOR_APP_ID.into()),
        user_principal_name: Some("ada@contoso.example".into()),
        top: 5000,
    };
    let url = percent_decode(&s.request(Cloud::Global).url.relative());
    assert_eq!(
        url,
        "/v1.0/auditLogs/signIns?$top=999&$filter=createdDateTime ge 2024-05-01T12:00:00Z and status/errorCode ne 0 \
         and appId eq '4813382a-8fa7-425e-ab75-3b753aab3abb' and userPrincipalName eq 'ada@contoso.example'"
    );
    assert!(
        !url.contains("authenticationProtocol"),
        "not a v1.0 signIn property (errata (f))"
    );
    let plain = SignInQuery {
        failures_only: false,
        app_id: Some("not a guid".into()),
        ..SignInQuery::default()
    };
    assert_eq!(
        percent_decode(&plain.request(Cloud::Global).url.relative()),
        "/v1.0/auditLogs/signIns?$top=100"
    );
}

#[test]
fn log_entries_read_the_fields_the_monitor_shows() {
    let (entries, bad): (Vec<ops::SignIn>, usize) = ops::read_entries(vec![
        json!({
            "id": "s1", "createdDateTime": "2024-05-01T10:00:00Z", "userPrincipalName": "ada@contoso.example",
            "appDisplayName": "Microsoft Authenticator App", "status": {"errorCode": 53003, "failureReason": "Blocked by Conditional Access"},
            "deviceDetail": {"operatingSystem": "Ios 17", "isCompliant": false, "isManaged": false, "trustType": null},
            "appliedConditionalAccessPolicies": [{"id": "p1", "displayName": "Require compliant device", "result": "failure",
                "enforcedGrantControls": ["RequireCompliantDevice"], "enforcedSessionControls": []}]
        }),
        json!("not an object"),
    ]);
    assert_eq!(bad, 1);
    let s = &entries[0];
    assert_eq!(s.status.error_code, Some(53003));
    assert_eq!(s.device_detail.is_compliant, Some(false));
    assert_eq!(
        s.applied_conditional_access_policies[0].result.as_deref(),
        Some("failure")
    );

    let (audits, _): (Vec<ops::DirectoryAudit>, usize) = ops::read_entries(vec![json!({
        "id": "a1", "activityDateTime": "2024-05-01T10:05:00Z", "activityDisplayName": "User registered security info",
        "result": "success", "resultReason": "User registered Passkey (device-bound)",
        "targetResources": [{"userPrincipalName": "ada@contoso.example"}],
        "additionalDetails": [{"key": "Method", "value": "Passkey"}]
    })]);
    assert_eq!(audits[0].user().as_deref(), Some("ada@contoso.example"));
    assert!(audits[0].mentions_passkey());
}

#[test]
fn a_log_entry_of_the_wrong_shape_is_counted_not_half_read() {
    let (entries, bad): (Vec<ops::SignIn>, usize) = ops::read_entries(vec![
        // Absent properties take their defaults, null optional ones are None.
        json!({"id": "ok", "userPrincipalName": null, "deviceDetail": {"isCompliant": null}}),
        json!({"id": "s2", "status": {"errorCode": "53003"}}),
        json!({"id": "s3", "appliedConditionalAccessPolicies": null}),
        json!({"id": null}),
        json!({"id": "s5", "deviceDetail": "iPhone"}),
        json!({"id": "s6", "appliedConditionalAccessPolicies": [{"enforcedGrantControls": [1]}]}),
    ]);
    assert_eq!(bad, 5, "{entries:?}");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].id, "ok");
    assert_eq!(entries[0].user_principal_name, None);
    assert_eq!(entries[0].device_detail.is_compliant, None);
    assert!(entries[0].applied_conditional_access_policies.is_empty());
    let (audits, bad): (Vec<ops::DirectoryAudit>, usize) = ops::read_entries(vec![
        json!({"id": "a", "additionalDetails": [{"key": "Method", "value": 3}]}),
        json!({"id": "b"}),
    ]);
    assert_eq!((audits.len(), bad), (1, 1));
    assert_eq!(audits[0].activity_display_name, "");
}
