//! Graph JSON export: the request line a Graph Explorer user pastes, and a body that parses
//! back to exactly the body that went in, in the same key order.

use ca_builder::export::graph_json::{self, pretty_body};
use ca_builder::export::Operation;
use ca_builder::guid::{Guid, GuidKind};
use ca_builder::policy::templates::{self, Template, TemplateParams};
use serde_json::{json, Value};

const POLICY_ID: &str = "4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5d";

fn template_bodies() -> Vec<Value> {
    let params = TemplateParams {
        exclude_users: vec!["9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e".into()],
        pilot_group: Some("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0".into()),
        display_name: Some("O'Brien’s “MFA” – $(Remove-Item x)\n'@".into()),
        ..Default::default()
    };
    Template::ALL
        .iter()
        .map(|t| t.build(&params).unwrap().to_post_body())
        .collect()
}

/// Splits an export into its request line and body, checking the blank line between them.
fn split(export: &str) -> (&str, &str) {
    let (line, rest) = export.split_once('\n').expect("request line");
    let body = rest
        .strip_prefix('\n')
        .expect("blank line after the request line");
    (line, body)
}

#[test]
fn create_export_is_a_post_to_the_policies_collection_with_the_same_body() {
    for body in template_bodies() {
        let text = graph_json::export(&Operation::Create, &body).to_string();
        let (line, json) = split(&text);
        assert_eq!(
            line,
            "POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies"
        );
        let parsed: Value = serde_json::from_str(json).unwrap();
        assert_eq!(parsed, body);
        // Same key order as the body: the compact forms are identical text.
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            serde_json::to_string(&body).unwrap()
        );
        assert!(text.ends_with("}\n"));
    }
}

#[test]
fn update_export_is_a_patch_to_the_policy_id() {
    let body = json!({"conditions": {"users": {"includeUsers": [], "includeGroups": ["g"]}}});
    let op = Operation::Update {
        policy_id: Guid::parse(POLICY_ID, GuidKind::Policy).unwrap(),
    };
    let export = graph_json::export(&op, &body);
    assert_eq!(
        export.request_line,
        format!("PATCH https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies/{POLICY_ID}")
    );
    assert_eq!(serde_json::from_str::<Value>(&export.body).unwrap(), body);
    assert_eq!(
        op.relative_uri(),
        format!("/v1.0/identity/conditionalAccess/policies/{POLICY_ID}")
    );
}

#[test]
fn group_export_posts_the_group_body() {
    let body = templates::group_body("Pilot – Passkeys");
    let text = graph_json::export(&Operation::CreateGroup, &body).to_string();
    let (line, json) = split(&text);
    assert_eq!(line, "POST https://graph.microsoft.com/v1.0/groups");
    assert_eq!(serde_json::from_str::<Value>(json).unwrap(), body);
}

#[test]
fn body_is_indented_by_two_spaces_and_stable() {
    let body = json!({"displayName": "x", "conditions": {"users": {"includeUsers": ["All"]}}, "state": "disabled"});
    let text = pretty_body(&body);
    assert_eq!(
        text,
        "{\n  \"displayName\": \"x\",\n  \"conditions\": {\n    \"users\": {\n      \"includeUsers\": [\n        \"All\"\n      ]\n    }\n  },\n  \"state\": \"disabled\"\n}"
    );
    assert_eq!(pretty_body(&body), text, "same body, same text");
}

#[test]
fn hostile_policy_ids_are_rejected_with_the_offending_position() {
    let cases: &[(&str, Option<usize>)] = &[
        ("", None),
        ("4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5", None),
        (
            "4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5d/../../../users",
            Some(36),
        ),
        ("../../../users/4b2c8d1e-7f60-4a3b-9c5d", Some(0)),
        ("4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5d?$filter=x", Some(36)),
        ("4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5d ", Some(36)),
        (" 4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5d", Some(0)),
        ("4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5'", Some(35)),
        ("4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5’", Some(35)),
        ("4b2c8d1e–7f60-4a3b-9c5d-0e1f2a3b4c5d", Some(8)), // en dash
        ("4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5\n", Some(35)),
        ("4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c٣d", Some(34)), // Arabic-Indic digit
        ("4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4cgd", Some(34)),
        ("4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c%2F", Some(34)),
        ("$(Remove-Item x)", Some(0)),
    ];
    for (id, at) in cases {
        let err = Guid::parse(id, GuidKind::Policy).expect_err(id);
        assert_eq!(err.char_index, *at, "{id:?}: {err}");
        assert!(err.to_string().contains("a policy id is a GUID"), "{err}");
    }
    assert_eq!(
        Guid::parse("4B2C8D1E-7F60-4A3B-9C5D-0E1F2A3B4C5D", GuidKind::Policy)
            .unwrap()
            .as_str(),
        "4B2C8D1E-7F60-4A3B-9C5D-0E1F2A3B4C5D"
    );
}
