//! Pasting a token: decoding, tolerance for how admins copy it, never printing it, expiry and
//! audience warnings, and the permission checks made before a call.

use ca_builder::graph::permissions::{missing_for, warning_for, GraphOp};
use ca_builder::graph::token::{ExpiryStatus, Part, Token, TokenError, TokenKind};
use ca_builder::graph::Cloud;
use fake_graph::{graph_token, jwt};
use serde_json::json;

const NOW: i64 = 1_714_564_800; // 2024-05-01T12:00:00Z

#[test]
fn decodes_the_claims_an_admin_is_shown() {
    let t = Token::parse(&graph_token(
        NOW + 3600,
        "Policy.Read.All Policy.ReadWrite.ConditionalAccess",
    ))
    .unwrap();
    let c = t.claims();
    assert_eq!(
        c.tenant_id.as_deref(),
        Some("11111111-2222-3333-4444-555555555555")
    );
    assert_eq!(c.user.as_deref(), Some("admin@contoso.example"));
    assert_eq!(c.expires_at, NOW + 3600);
    assert_eq!(
        c.scopes,
        ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"]
    );
    assert!(c.roles.is_empty());
    assert_eq!(c.kind(), TokenKind::Delegated);
    assert_eq!(
        c.app_id.as_deref(),
        Some("14d82eec-204b-4c2f-b7e8-296a70dab67e")
    );
}

#[test]
fn user_falls_back_through_unique_name_preferred_username_and_app_name() {
    for (claim, value) in [
        ("unique_name", "legacy@contoso.example"),
        ("preferred_username", "pref@contoso.example"),
        ("app_displayname", "Deploy pipeline"),
    ] {
        let t = Token::parse(&jwt(&json!({"exp": NOW, claim: value}))).unwrap();
        assert_eq!(t.claims().user.as_deref(), Some(value), "{claim}");
    }
    let both = jwt(&json!({"exp": NOW, "upn": "a@x", "unique_name": "b@x"}));
    assert_eq!(
        Token::parse(&both).unwrap().claims().user.as_deref(),
        Some("a@x")
    );
}

#[test]
fn application_tokens_use_roles() {
    let t = Token::parse(&jwt(&json!({
        "exp": NOW + 600, "aud": "00000003-0000-0000-c000-000000000000",
        "roles": ["Policy.Read.All", "AuditLog.Read.All"], "app_displayname": "Auditor"
    })))
    .unwrap();
    let c = t.claims();
    assert_eq!(c.kind(), TokenKind::Application);
    assert!(
        c.has_permission("auditlog.read.all"),
        "permission names are case-insensitive"
    );
    assert_eq!(missing_for(GraphOp::ReadDirectoryAudits, c), None);
    assert_eq!(
        missing_for(GraphOp::CreatePolicy, c),
        Some(vec!["Policy.ReadWrite.ConditionalAccess"])
    );
    assert!(
        c.audience_is_graph(Cloud::Global),
        "Graph's app id is a Graph audience"
    );
    assert!(c.audience_is_graph(Cloud::China), "…in every cloud");
}

#[test]
fn accepts_what_admins_paste() {
    let raw = graph_token(NOW + 3600, "Policy.Read.All");
    let wrapped = format!("{}\n{}", &raw[..40], &raw[40..]);
    for pasted in [
        format!("Bearer {raw}"),
        format!("  bearer {raw}\n"),
        format!("\"{raw}\""),
        format!("'{raw}'"),
        format!("Authorization: Bearer {raw}"),
        format!("\"Bearer {raw}\"\r\n"),
        wrapped,
    ] {
        let t = Token::parse(&pasted).unwrap_or_else(|e| panic!("{pasted:?}: {e}"));
        assert_eq!(
            t.authorization_value(),
            format!("Bearer {raw}"),
            "header is exactly the token"
        );
    }
}

#[test]
fn malformed_tokens_are_refused_with_located_messages() {
    let good = graph_token(NOW, "x");
    let parts: Vec<&str> = good.split('.').collect();
    assert_eq!(Token::parse("   ").unwrap_err(), TokenError::Empty);
    assert_eq!(
        Token::parse("EwBwA8l6BAAU").unwrap_err(),
        TokenError::NotThreeParts { parts: 1 }
    );
    assert_eq!(
        Token::parse(&format!("{}.{}", parts[0], parts[1])).unwrap_err(),
        TokenError::NotThreeParts { parts: 2 }
    );
    assert_eq!(
        Token::parse("a.b.c.d.e").unwrap_err(),
        TokenError::NotThreeParts { parts: 5 }
    );
    // A bad character in the payload is located in the whole token.
    let bad = format!(
        "{}.{}%{}.{}",
        parts[0],
        &parts[1][..5],
        &parts[1][5..],
        parts[2]
    );
    assert_eq!(
        Token::parse(&bad).unwrap_err(),
        TokenError::BadBase64 {
            part: Part::Payload,
            index: parts[0].len() + 1 + 5
        }
    );
    // Base64 fine, JSON not.
    let not_json = format!("{}.{}.{}", parts[0], "bm90IGpzb24", parts[2]);
    assert!(matches!(
        Token::parse(&not_json).unwrap_err(),
        TokenError::BadJson {
            part: Part::Payload,
            ..
        }
    ));
    let array = format!("{}.{}.{}", parts[0], "WzFd", parts[2]); // [1]
    assert_eq!(
        Token::parse(&array).unwrap_err(),
        TokenError::NotAnObject {
            part: Part::Payload
        }
    );
    assert_eq!(
        Token::parse(&jwt(&json!({"aud": "x"}))).unwrap_err(),
        TokenError::MissingExp
    );
    assert_eq!(
        Token::parse(&jwt(&json!({"exp": "tomorrow"}))).unwrap_err(),
        TokenError::BadClaim {
            claim: "exp",
            expected: "a number of seconds"
        }
    );
    assert!(matches!(
        Token::parse(&jwt(&json!({"exp": NOW, "scp": ["a"]}))).unwrap_err(),
        TokenError::BadClaim { claim: "scp", .. }
    ));
}

#[test]
fn the_secret_never_appears_in_debug_display_or_errors() {
    let raw = graph_token(NOW + 3600, "Policy.Read.All");
    let signature = raw.rsplit('.').next().unwrap().to_string();
    let t = Token::parse(&raw).unwrap();
    for shown in [format!("{t:?}"), format!("{t}"), format!("{:?}", Some(&t))] {
        assert_eq!(
            shown.replace("Some(", "").replace(')', ""),
            "Token(…redacted…"
        );
        assert!(!shown.contains(&signature));
    }
    // Errors describe, never quote: break the token in several ways and look for any part of it.
    let parts: Vec<&str> = raw.split('.').collect();
    for broken in [
        format!("{}.{}", parts[0], parts[2]),
        format!("{}.{}!.{}", parts[0], parts[1], parts[2]),
        format!(
            "{}.{}.{}",
            parts[0],
            &parts[1][..parts[1].len() - 7],
            parts[2]
        ),
        format!("{raw}.{raw}"),
    ] {
        let e = Token::parse(&broken).unwrap_err();
        for text in [e.to_string(), format!("{e:?}")] {
            for p in &parts {
                assert!(
                    !text.contains(&p[..12.min(p.len())]),
                    "{text} leaks part of the token"
                );
            }
        }
    }
}

#[test]
fn redact_removes_the_token_and_its_parts_from_server_text() {
    let raw = graph_token(NOW, "x");
    let t = Token::parse(&raw).unwrap();
    let signature = raw.rsplit('.').next().unwrap();
    let echoed = format!("Invalid header: Bearer {raw}; sig={signature}");
    let clean = t.redact(&echoed);
    assert!(!clean.contains(signature));
    assert!(!clean.contains(&raw));
    assert!(clean.contains("…redacted…"));
    assert_eq!(t.redact("nothing secret"), "nothing secret");
}

#[test]
fn expiry_status_warns_minutes_ahead() {
    let t = Token::parse(&graph_token(NOW + 3600, "x")).unwrap();
    let c = t.claims();
    assert_eq!(c.expiry_status(NOW), ExpiryStatus::Valid);
    assert_eq!(c.expiry_status(NOW + 3600 - 601), ExpiryStatus::Valid);
    assert_eq!(
        c.expiry_status(NOW + 3600 - 600),
        ExpiryStatus::ExpiresSoon { minutes: 10 }
    );
    assert_eq!(
        c.expiry_status(NOW + 3600 - 61),
        ExpiryStatus::ExpiresSoon { minutes: 2 }
    );
    assert_eq!(
        c.expiry_status(NOW + 3600 - 1),
        ExpiryStatus::ExpiresSoon { minutes: 1 }
    );
    assert_eq!(c.expiry_status(NOW + 3600), ExpiryStatus::Expired);
    assert_eq!(c.expiry_status(NOW + 99_999), ExpiryStatus::Expired);
}

#[test]
fn audience_warnings_name_the_problem() {
    let graph = Token::parse(&graph_token(NOW, "x")).unwrap();
    assert_eq!(graph.claims().audience_warning(Cloud::Global), None);
    let w = graph.claims().audience_warning(Cloud::UsGov).unwrap();
    assert!(
        w.contains("another cloud") && w.contains("graph.microsoft.com"),
        "{w}"
    );

    let slash = Token::parse(&jwt(
        &json!({"exp": NOW, "aud": "https://graph.microsoft.us/"}),
    ))
    .unwrap();
    assert_eq!(
        slash.claims().audience_warning(Cloud::UsGov),
        None,
        "trailing slash accepted"
    );

    let arm = Token::parse(&jwt(
        &json!({"exp": NOW, "aud": "https://management.azure.com"}),
    ))
    .unwrap();
    let w = arm.claims().audience_warning(Cloud::Global).unwrap();
    assert!(
        w.contains("https://management.azure.com")
            && w.contains("--resource https://graph.microsoft.com"),
        "{w}"
    );

    let none = Token::parse(&jwt(&json!({"exp": NOW}))).unwrap();
    assert!(none
        .claims()
        .audience_warning(Cloud::Global)
        .unwrap()
        .contains("no audience"));
}

#[test]
fn scope_checks_pick_the_closest_alternative() {
    let reader = Token::parse(&graph_token(NOW, "Policy.Read.All User.Read")).unwrap();
    let c = reader.claims();
    assert_eq!(missing_for(GraphOp::ListPolicies, c), None);
    assert_eq!(
        missing_for(GraphOp::CreatePolicy, c),
        Some(vec!["Policy.ReadWrite.ConditionalAccess"])
    );
    assert_eq!(
        missing_for(GraphOp::CreateGroup, c),
        Some(vec!["Group.ReadWrite.All"])
    );
    assert_eq!(
        missing_for(GraphOp::ReadSignIns, c),
        Some(vec!["AuditLog.Read.All"])
    );

    // The higher-privileged alternative satisfies create as well.
    let alt = Token::parse(&graph_token(
        NOW,
        "Application.Read.All Policy.ReadWrite.ConditionalAccess",
    ))
    .unwrap();
    assert_eq!(missing_for(GraphOp::UpdatePolicy, alt.claims()), None);
    assert_eq!(
        missing_for(GraphOp::ListPolicies, alt.claims()),
        Some(vec!["Policy.Read.All"])
    );

    // Nothing held: the least-privileged set is named whole.
    let empty = Token::parse(&graph_token(NOW, "openid")).unwrap();
    assert_eq!(
        missing_for(GraphOp::CreatePolicy, empty.claims()),
        Some(vec![
            "Policy.Read.All",
            "Policy.ReadWrite.ConditionalAccess"
        ])
    );
    let w = warning_for(GraphOp::AddGroupMember, empty.claims()).unwrap();
    assert!(w.starts_with("Adding a member to the group: the token lacks the delegated scope GroupMember.ReadWrite.All"), "{w}");

    // Reading a method configuration: the method-specific read scope alone is enough, and
    // the one named when nothing is held.
    let methods_reader =
        Token::parse(&graph_token(NOW, "Policy.Read.AuthenticationMethod")).unwrap();
    assert_eq!(
        missing_for(GraphOp::ReadAuthMethodsPolicy, methods_reader.claims()),
        None
    );
    assert_eq!(
        warning_for(GraphOp::ReadAuthMethodsPolicy, methods_reader.claims()),
        None
    );
    assert_eq!(
        missing_for(GraphOp::ReadAuthMethodsPolicy, c),
        None,
        "Policy.Read.All still reads it"
    );
    assert_eq!(
        missing_for(GraphOp::ReadAuthMethodsPolicy, empty.claims()),
        Some(vec!["Policy.Read.AuthenticationMethod"])
    );
    assert_eq!(
        missing_for(GraphOp::UpdateAuthMethod, methods_reader.claims()),
        Some(vec!["Policy.ReadWrite.AuthenticationMethod"])
    );

    // Broad directory scopes (as in az CLI tokens) satisfy group and user operations.
    let az = Token::parse(&graph_token(
        NOW,
        "Directory.ReadWrite.All Group.ReadWrite.All",
    ))
    .unwrap();
    for op in [
        GraphOp::FindGroup,
        GraphOp::CreateGroup,
        GraphOp::AddGroupMember,
        GraphOp::GetUser,
    ] {
        assert_eq!(missing_for(op, az.claims()), None, "{op:?}");
    }
}

#[test]
fn every_operation_has_a_requirement_and_a_description() {
    for op in GraphOp::ALL {
        let r = op.requirement();
        assert!(
            !r.any_of.is_empty() && r.any_of.iter().all(|s| !s.is_empty()),
            "{op:?}"
        );
        assert!(!op.describe().is_empty());
    }
}
