//! Import → export gives back what came in, to the byte, for generated policies full of what
//! rewrites JSON on the way through: numbers at the edges of 64-bit integers and doubles, keys
//! and strings with escapes, controls, bidi and astral-plane characters, and known and unknown
//! properties in any order. A number that would come back otherwise (`-0`, `1E+2`, `1.50`, an
//! integer past 64 bits) is refused where it is, never rewritten.

use ca_builder::policy::import_document;

use crate::support::policy_set;
use policy_set::Rng;

/// Numbers a 64-bit integer or a double gives back as written.
const NUMBERS: &[&str] = &[
    "0",
    "-0.0",
    "1e-7",
    "0.1",
    "1.0",
    "4",
    "-17",
    "100.0",
    "1e+21",
    "5e-324",
    "0.30000000000000004",
    "18446744073709551615",
    "-9223372036854775808",
    "9007199254740993",
];

/// Numbers that would come back otherwise (with what they would become).
const REWRITTEN: &[(&str, &str)] = &[
    ("-0", "-0.0"),
    ("1E+2", "100.0"),
    ("1e2", "100.0"),
    ("1.50", "1.5"),
    ("0.10", "0.1"),
    ("1e21", "1e+21"),
    ("1E-7", "1e-7"),
    ("123456789012345678901234567890", "1.2345678901234568e+29"),
    ("18446744073709551616", "1.8446744073709552e+19"),
    ("-9223372036854775809", "-9.223372036854776e+18"),
];

const STRINGS: &[&str] = &[
    "plain",
    "Zürich – MFA “quoted”",
    "tab\there",
    "esc\u{1b}[31mred",
    "nul\u{0}byte",
    "bidi \u{202e}evil\u{202c}",
    "astral 😀 𝄞",
    "quote \" backslash \\ slash /",
    "",
];

/// Keys of a policy object: known ones (the model types them) and unknown ones (kept aside).
const POLICY_KEYS: &[&str] = &[
    "id",
    "templateId",
    "displayName",
    "createdDateTime",
    "modifiedDateTime",
    "state",
    "description",
    "x-extra",
    "@odata.etag",
    "ünïcode key",
    "key with \u{1b} escape",
];

fn string(rng: &mut Rng) -> String {
    let s = STRINGS[rng.below(STRINGS.len())];
    serde_json::to_string(s).unwrap()
}

fn number(rng: &mut Rng) -> &'static str {
    NUMBERS[rng.below(NUMBERS.len())]
}

/// Any JSON value, written compactly the way serde_json writes it, so the export of a
/// faithful import is the same text.
fn value(rng: &mut Rng, depth: usize) -> String {
    match rng.below(if depth > 3 { 4 } else { 6 }) {
        0 => number(rng).to_string(),
        1 => string(rng),
        2 => ["true", "false", "null"][rng.below(3)].to_string(),
        3 => number(rng).to_string(),
        4 => {
            let items: Vec<String> = (0..rng.below(4)).map(|_| value(rng, depth + 1)).collect();
            format!("[{}]", items.join(","))
        }
        _ => {
            let n = rng.below(4);
            let items: Vec<String> = (0..n)
                .map(|i| {
                    format!(
                        "\"k{i}{}\":{}",
                        ["", "K", "é"][rng.below(3)],
                        value(rng, depth + 1)
                    )
                })
                .collect();
            format!("{{{}}}", items.join(","))
        }
    }
}

/// A policy whose properties, known and unknown, come in a random order, with a session
/// control whose typed `value` gets hostile numbers too.
fn policy(rng: &mut Rng) -> String {
    let mut props: Vec<String> = Vec::new();
    for key in POLICY_KEYS {
        if rng.below(3) == 0 {
            continue;
        }
        let v = match *key {
            "state" => [
                "\"enabled\"",
                "\"enabledForReportingButNotEnforced\"",
                "\"disabled\"",
            ][rng.below(3)]
            .to_string(),
            "displayName" | "description" | "id" => string(rng),
            _ => value(rng, 1),
        };
        props.push(format!("{}:{v}", serde_json::to_string(key).unwrap()));
    }
    let users = format!(
        "{{\"x-u\":{},\"includeUsers\":[\"All\"],\"excludeUsers\":[{}]}}",
        value(rng, 2),
        string(rng)
    );
    let mut conditions = vec![
        format!("\"users\":{users}"),
        "\"clientAppTypes\":[\"all\"]".to_string(),
        format!("\"x-c\":{}", value(rng, 2)),
        "\"applications\":{\"includeApplications\":[\"All\"]}".to_string(),
    ];
    shuffle(rng, &mut conditions);
    props.push(format!("\"conditions\":{{{}}}", conditions.join(",")));
    let mut sif = vec![
        "\"isEnabled\":true".to_string(),
        format!("\"value\":{}", number(rng)),
        "\"type\":\"hours\"".to_string(),
        format!("\"x-s\":{}", number(rng)),
    ];
    shuffle(rng, &mut sif);
    props.push(format!(
        "\"sessionControls\":{{\"signInFrequency\":{{{}}}}}",
        sif.join(",")
    ));
    props.push("\"grantControls\":{\"operator\":\"OR\",\"builtInControls\":[\"mfa\"]}".to_string());
    shuffle(rng, &mut props);
    format!("{{{}}}", props.join(","))
}

fn shuffle(rng: &mut Rng, v: &mut [String]) {
    for i in (1..v.len()).rev() {
        v.swap(i, rng.below(i + 1));
    }
}

#[test]
fn generated_policies_come_back_byte_for_byte() {
    let mut rng = Rng(0x6e75_6d62_6572_7321);
    for i in 0..400 {
        let text = if i % 4 == 3 {
            let items: Vec<String> = (0..3).map(|_| policy(&mut rng)).collect();
            format!("[{}]", items.join(","))
        } else {
            policy(&mut rng)
        };
        let doc = import_document(text.as_bytes()).unwrap_or_else(|e| panic!("#{i}: {e}\n{text}"));
        let out = serde_json::to_string(&doc.to_value()).unwrap();
        assert_eq!(out, text, "#{i}: import → export changed the text");
    }
}

#[test]
fn numbers_that_would_be_rewritten_are_refused_where_they_are() {
    let mut rng = Rng(0x0072_6577_7269_7465);
    for (n, written) in REWRITTEN {
        for _ in 0..4 {
            // Kept numbers before it, in extras, arrays and the typed signInFrequency value.
            let before = NUMBERS[rng.below(NUMBERS.len())];
            let (text, needle) = match rng.below(3) {
                0 => (format!("{{\"conditions\":{{}},\n \"x\":[{before},{{\"y\":{n}}}]}}"), format!(":{n}}}")),
                1 => (format!("{{\"x\":{before},\"conditions\":{{\"x-c\":[[{n}]]}}}}"), format!("[[{n}")),
                _ => (
                    format!("{{\"conditions\":{{}},\"sessionControls\":{{\"signInFrequency\":{{\"isEnabled\":true,\n\"value\":{n}}}}}}}"),
                    format!(":{n}}}"),
                ),
            };
            let e = import_document(text.as_bytes()).expect_err(&text);
            let at = text.find(&needle).unwrap() + needle.find(n).unwrap();
            let line = text[..at].matches('\n').count() + 1;
            let column = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
            assert_eq!((e.line, e.column), (line, column), "{n}: {e}\n{text}");
            assert!(
                e.message.contains(&format!("the number {n} "))
                    && e.message.contains(&format!("exported as {written}")),
                "{n}: {e}"
            );
        }
    }
}

#[test]
fn kept_numbers_survive_in_extras_typed_fields_and_post_bodies() {
    for n in NUMBERS {
        let text = format!(
            "{{\"conditions\":{{}},\"x\":[{n},{{\"y\":{n}}}],\"sessionControls\":{{\"signInFrequency\":{{\"value\":{n}}}}}}}"
        );
        let doc = import_document(text.as_bytes()).unwrap_or_else(|e| panic!("{n}: {e}"));
        assert_eq!(serde_json::to_string(&doc.to_value()).unwrap(), text, "{n}");
        let body = serde_json::to_string(&doc.policies[0].to_post_body()).unwrap();
        assert_eq!(body, text, "{n} in the POST body");
    }
}
