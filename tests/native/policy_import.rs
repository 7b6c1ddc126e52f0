//! Import: encodings, shapes, absent/null/[] fidelity, unknown enum members, and errors that
//! say where.

use crate::support::hostile::Rng;
use ca_builder::policy::model::*;
use ca_builder::policy::{import_bytes, import_document, Shape};
use serde_json::{json, Value};

const POLICY: &str = r#"{
  "displayName": "Zürich – MFA “quoted”",
  "state": "enabledForReportingButNotEnforced",
  "conditions": {
    "clientAppTypes": ["all"],
    "applications": { "includeApplications": ["All"] },
    "users": { "includeUsers": ["All"], "excludeUsers": [] },
    "platforms": null
  },
  "grantControls": { "operator": "OR", "builtInControls": ["mfa"] }
}"#;

fn utf16le_bom(s: &str) -> Vec<u8> {
    let mut b = vec![0xff, 0xfe];
    b.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
    b
}

fn utf16be_bom(s: &str) -> Vec<u8> {
    let mut b = vec![0xfe, 0xff];
    b.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
    b
}

#[test]
fn every_encoding_gives_the_same_policy() {
    let want = import_bytes(POLICY.as_bytes()).unwrap();
    assert_eq!(
        want[0].display_name.value().unwrap(),
        "Zürich – MFA “quoted”"
    );
    let mut bom8 = b"\xef\xbb\xbf".to_vec();
    bom8.extend_from_slice(POLICY.as_bytes());
    let le_no_bom: Vec<u8> = POLICY.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be_no_bom: Vec<u8> = POLICY.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for (what, bytes) in [
        ("UTF-8 BOM", bom8),
        ("UTF-16LE BOM", utf16le_bom(POLICY)),
        ("UTF-16BE BOM", utf16be_bom(POLICY)),
        ("UTF-16LE without BOM", le_no_bom),
        ("UTF-16BE without BOM", be_no_bom),
    ] {
        assert_eq!(
            import_bytes(&bytes).unwrap_or_else(|e| panic!("{what}: {e}")),
            want,
            "{what}"
        );
    }
}

#[test]
fn shapes_single_array_and_list_response() {
    let single = import_document(POLICY.as_bytes()).unwrap();
    assert_eq!((single.shape, single.policies.len()), (Shape::Single, 1));
    assert!(single.to_value().is_object());

    let array = format!("[{POLICY}, {POLICY}]");
    let doc = import_document(array.as_bytes()).unwrap();
    assert_eq!((doc.shape, doc.policies.len()), (Shape::Array, 2));
    // An array of one stays an array.
    let one = format!("[{POLICY}]");
    assert!(import_document(one.as_bytes())
        .unwrap()
        .to_value()
        .is_array());

    let list = format!(r#"{{"@odata.context": "x", "value": [{POLICY}]}}"#);
    let doc = import_document(list.as_bytes()).unwrap();
    assert_eq!((doc.shape, doc.policies.len()), (Shape::ListResponse, 1));
    assert_eq!(
        doc.to_value(),
        Value::Array(vec![serde_json::from_str(POLICY).unwrap()])
    );
}

#[test]
fn absent_null_and_empty_stay_distinct() {
    let p = &import_bytes(POLICY.as_bytes()).unwrap()[0];
    let c = p.conditions.value().unwrap();
    assert_eq!(c.platforms, Field::Null);
    assert_eq!(c.locations, Field::Absent);
    let users = c.users.value().unwrap();
    assert_eq!(users.exclude_users, Field::Value(vec![]));
    assert_eq!(users.include_groups, Field::Absent);
    let out = p.to_value();
    assert_eq!(out["conditions"]["platforms"], Value::Null);
    assert!(
        out["conditions"].get("platforms").is_some(),
        "null is written back as null"
    );
    assert!(
        out["conditions"].get("locations").is_none(),
        "absent stays absent"
    );
    assert_eq!(out["conditions"]["users"]["excludeUsers"], json!([]));
}

#[test]
fn unknown_enum_members_survive_and_are_visible() {
    let text = r#"{"displayName": "x", "state": "enabledForSomethingNew",
        "conditions": {"clientAppTypes": ["All", "browser"], "platforms": {"includePlatforms": ["linux", "visionOS"]},
                       "insiderRiskLevels": "minor, elevated",
                       "users": {"includeGuestsOrExternalUsers": {"guestOrExternalUserTypes": "internalGuest,futureGuest"}}},
        "grantControls": {"operator": "XOR", "builtInControls": ["riskRemediation", "quantumProof"]}}"#;
    let p = &import_bytes(text.as_bytes()).unwrap()[0];
    assert_eq!(
        p.state,
        Field::Value(PolicyState::Unknown("enabledForSomethingNew".into()))
    );
    let c = p.conditions.value().unwrap();
    // Case matters: Graph spells it `all`.
    assert_eq!(
        c.client_app_types,
        Field::Value(vec![
            ClientAppType::Unknown("All".into()),
            ClientAppType::Browser
        ])
    );
    let plats = c
        .platforms
        .value()
        .unwrap()
        .include_platforms
        .value()
        .unwrap();
    assert_eq!(
        plats,
        &vec![
            DevicePlatform::Linux,
            DevicePlatform::Unknown("visionOS".into())
        ]
    );
    // Flags split on commas only; the stray space is kept (and is not a member).
    let levels = c.insider_risk_levels.value().unwrap();
    assert_eq!(
        levels.0,
        vec![
            InsiderRiskLevel::Minor,
            InsiderRiskLevel::Unknown(" elevated".into())
        ]
    );
    let g = p.grant_controls.value().unwrap();
    assert_eq!(
        g.operator,
        Field::Value(GrantOperator::Unknown("XOR".into()))
    );
    assert_eq!(
        g.built_in_controls,
        Field::Value(vec![
            GrantControl::RiskRemediation,
            GrantControl::Unknown("quantumProof".into())
        ])
    );
    assert_eq!(p.to_value(), serde_json::from_str::<Value>(text).unwrap());
}

#[test]
fn values_of_the_wrong_shape_are_kept_verbatim() {
    // Real file (AlexFilipin 306): `"locations": []`. Also a scalar where a list belongs (seed (b) 5),
    // and a beta-only property.
    let text = r#"{"displayName": "x", "state": "enabled",
        "conditions": {"locations": [], "applications": {"includeApplications": "All"}, "times": null},
        "sessionControls": {"signInFrequency": {"isEnabled": true, "value": 1.5}}}"#;
    let p = &import_bytes(text.as_bytes()).unwrap()[0];
    let c = p.conditions.value().unwrap();
    assert_eq!(c.locations, Field::Mismatch(json!([])));
    assert_eq!(
        c.applications.value().unwrap().include_applications,
        Field::Mismatch(json!("All"))
    );
    assert_eq!(c.extra.get("times"), Some(&Value::Null));
    assert_eq!(p.to_value(), serde_json::from_str::<Value>(text).unwrap());
}

#[test]
fn syntax_errors_have_line_and_character_column() {
    // Line 2 holds non-ASCII characters before the error; the column counts characters.
    let text = "{\n  \"displayName\": \"Zürich “x”\" \"state\": \"enabled\"\n}";
    let e = import_bytes(text.as_bytes()).unwrap_err();
    assert_eq!((e.line, e.column), (2, 31), "{e}");
    assert!(
        e.message.starts_with("invalid JSON: expected `,` or `}`"),
        "{e}"
    );
    assert_eq!(e.to_string(), format!("2:31: {}", e.message));

    // The same text as UTF-16 reports the same position.
    let e16 = import_bytes(&utf16le_bom(text)).unwrap_err();
    assert_eq!((e16.line, e16.column), (2, 31));

    // A typographic quote used as a delimiter (seed errata, general note) is reported where it is.
    let e = import_bytes("{\"state\": “enabled”}".as_bytes()).unwrap_err();
    assert_eq!((e.line, e.column), (1, 11), "{e}");

    let e = import_bytes(b"[\n").unwrap_err();
    assert_eq!(e.line, 2, "{e}");
    assert!(e.message.contains("EOF"), "{e}");
}

#[test]
fn non_policies_are_named_by_index_and_position() {
    let text = "[\n  {\"conditions\": {}},\n  {\"displayName\": \"a named location\"}\n]";
    let e = import_bytes(text.as_bytes()).unwrap_err();
    assert_eq!((e.line, e.column), (3, 3), "{e}");
    assert!(
        e.message
            .starts_with("[1] is not a conditional access policy"),
        "{e}"
    );
    assert!(e.message.contains("without \"conditions\""), "{e}");

    let text = "{\"@odata.context\": \"[x]\", \"value\": [\n {\"conditions\": {}}, {\"conditions\": {}},\n   \"oops\"]}";
    let e = import_bytes(text.as_bytes()).unwrap_err();
    assert_eq!((e.line, e.column), (3, 4), "{e}");
    assert!(
        e.message
            .starts_with("value[2] is not a conditional access policy"),
        "{e}"
    );
    assert!(e.message.contains("found a string"), "{e}");

    let e = import_bytes(b"  42").unwrap_err();
    assert_eq!((e.line, e.column), (1, 3));
    assert!(e.message.contains("found a number"), "{e}");
}

#[test]
fn undecodable_bytes_are_located() {
    let mut bytes = b"{\n  \"displayName\": \"ab".to_vec();
    bytes.push(0xff);
    bytes.extend_from_slice(b"\"}");
    let e = import_bytes(&bytes).unwrap_err();
    assert_eq!((e.line, e.column), (2, 21), "{e}");
    assert!(e.message.contains("not valid UTF-8"), "{e}");

    let mut odd = utf16le_bom("{}");
    odd.push(b' ');
    let e = import_bytes(&odd).unwrap_err();
    assert!(e.message.contains("odd byte count"), "{e}");

    let mut lone = vec![0xff, 0xfe];
    lone.extend([b'[', 0, 0x00, 0xd8, b']', 0]); // `[` + unpaired high surrogate + `]`
    let e = import_bytes(&lone).unwrap_err();
    assert_eq!((e.line, e.column), (1, 2), "{e}");
    assert!(e.message.contains("unpaired surrogate"), "{e}");
}

/// Line and character column (1-based) of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

#[test]
fn keys_equal_but_for_case_are_refused_at_any_depth_with_both_paths() {
    // Random nesting from the hostile-input generator, twin keys at random depths, in all
    // three document shapes, pretty-printed so positions span lines.
    let mut rng = Rng::new("twin keys at depth");
    let mut next = |n: usize| rng.below(n);
    for case in 0..200 {
        // A chain of objects and arrays from the policy down to where the twins go.
        let depth = next(6);
        let mut path: Vec<String> = vec![];
        let mut inner = json!({});
        let key = ["state", "includeUsers", "displayName", "é-clé", "x~y/z"][next(5)];
        let twin = match case % 3 {
            0 => key.to_string(),    // exact duplicate
            1 => key.to_uppercase(), // STATE
            _ => {
                let mut t: Vec<char> = key.chars().collect();
                t[0] = t[0].to_uppercase().next().unwrap();
                t.into_iter().collect() // State
            }
        };
        let marker = "\u{1}TWINS\u{1}";
        inner[marker] = json!(1);
        for level in 0..depth {
            if next(2) == 0 {
                inner = json!([0, inner]);
                path.push("1".into());
            } else {
                let k = format!("level{level}");
                inner = json!({ "before": [1, 2], k.clone(): inner });
                path.push(k);
            }
        }
        path.reverse();
        let mut policy =
            json!({"displayName": "p", "conditions": {"users": {"includeUsers": ["All"]}}});
        policy["conditions"]["x-nested"] = inner;
        let (doc, prefix) = match case % 4 {
            0 | 1 => (policy, ""),
            2 => (json!([{"conditions": {}}, policy]), "/1"),
            _ => (
                json!({"@odata.context": "x", "value": [{"conditions": {}}, policy]}),
                "/value/1",
            ),
        };
        let pretty = serde_json::to_string_pretty(&doc).unwrap();
        let twins = format!(
            "{}: 1,\n\"other\": 2, {}: 3",
            serde_json::to_string(key).unwrap(),
            serde_json::to_string(&twin).unwrap()
        );
        let text = pretty.replace(
            &format!("{}: 1", serde_json::to_string(marker).unwrap()),
            &twins,
        );
        assert_ne!(text, pretty);
        let e = import_bytes(text.as_bytes()).expect_err(&text);
        let escaped = |k: &str| k.replace('~', "~0").replace('/', "~1");
        let base = format!(
            "{prefix}/conditions/x-nested{}",
            path.iter().map(|p| format!("/{p}")).collect::<String>()
        );
        let first = format!("{base}/{}", escaped(key));
        let second = format!("{base}/{}", escaped(&twin));
        assert!(
            e.message.contains(&second),
            "#{case}: {second} not named: {e}"
        );
        let at = |needle: String| position(&text, text.find(&needle).unwrap());
        let first_at = at(format!(
            "{}: 1,\n\"other\"",
            serde_json::to_string(key).unwrap()
        ));
        let second_at = at(format!("{}: 3", serde_json::to_string(&twin).unwrap()));
        assert_eq!(
            (e.line, e.column),
            second_at,
            "#{case}: located at the second key: {e}"
        );
        assert!(
            e.message
                .contains(&format!("{}:{}", first_at.0, first_at.1)),
            "#{case}: {e}"
        );
        if key != twin {
            assert!(
                e.message.contains(&first) && e.message.contains("differ only by case"),
                "#{case}: {e}"
            );
        } else {
            assert!(e.message.contains("appears twice"), "#{case}: {e}");
        }
    }
}

#[test]
fn duplicate_keys_are_refused_through_every_reader_and_shown_escaped() {
    // Escapes decode before comparing: `st\u0061te` is `state`.
    let text = "{\"conditions\": {},\n \"state\": \"enabledForReportingButNotEnforced\",\n \"st\\u0061te\": \"enabled\"}";
    let e = import_bytes(text.as_bytes()).unwrap_err();
    assert_eq!((e.line, e.column), (3, 2), "{e}");
    assert_eq!(
        e.message,
        "the key /state appears twice in one object (2:2 and 3:2); a JSON reader keeps one of the two values without saying which, so remove one"
    );
    // The same through the document reader, UTF-16, and a draft's import.
    assert_eq!(import_document(text.as_bytes()).unwrap_err(), e);
    assert_eq!(import_bytes(&utf16le_bom(text)).unwrap_err(), e);
    let mut draft = ca_builder::app::draft::Draft::new();
    assert_eq!(draft.import(text.as_bytes()).unwrap_err(), e);

    // A key holding ESC and a bidi override is named, escaped.
    let text = r#"{"conditions": {"a\u001b[2J\u202e": 1, "A\u001b[2J\u202e": 2}}"#;
    let e = import_bytes(text.as_bytes()).unwrap_err();
    assert!(
        !e.message.contains('\u{1b}') && !e.message.contains('\u{202e}'),
        "{e}"
    );
    assert!(
        e.message.contains("/conditions/a\\u{1b}[2J\\u{202e}"),
        "{e}"
    );

    // Objects apart may share keys; so may strings and keys.
    for ok in [
        r#"[{"conditions": {}, "state": "enabled"}, {"conditions": {}, "State": "x"}]"#,
        r#"{"conditions": {"users": {"a": 1}, "Users2": {"a": 1}}, "displayName": "state"}"#,
    ] {
        import_bytes(ok.as_bytes()).unwrap_or_else(|e| panic!("{ok}: {e}"));
    }
}
