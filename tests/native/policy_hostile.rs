//! Broken and hostile policy files, generated from a fixed seed: truncated JSON, nesting far
//! past serde_json's limit of 128, huge strings, raw and escaped control characters, UTF-16
//! without a BOM, lone surrogates, colliding keys at random depths. Every one either imports
//! faithfully (export gives back the input as JSON) or fails with a located error that shows
//! no raw control character; none panics.

use crate::support::corpus;
use crate::support::policy_set;

use ca_builder::policy::{import_bytes, import_document, Shape};
use policy_set::Rng;
use serde_json::Value;

const POLICY: &str = r#"{"displayName":"Pilot – “passkeys”","state":"enabledForReportingButNotEnforced","conditions":{"users":{"includeUsers":["All"],"excludeUsers":["9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e"]},"applications":{"includeApplications":["All"]},"devices":{"deviceFilter":{"mode":"exclude","rule":"device.trustType -eq \"AzureAD\""}}},"grantControls":{"operator":"OR","builtInControls":["mfa"]},"sessionControls":{"signInFrequency":{"isEnabled":true,"value":4,"type":"hours"}}}"#;

/// What an import of `bytes` must be: faithful, or an error that says where and shows no raw
/// control character. `text` is the decoded text, when the test knows it.
fn check(case: &str, bytes: &[u8], text: Option<&str>) -> Result<(), String> {
    match import_document(bytes) {
        Ok(doc) => {
            if let Some(text) = text {
                let mut want: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
                    .unwrap_or_else(|e| panic!("{case}: imported, yet not JSON: {e}"));
                if doc.shape == Shape::ListResponse {
                    want = want["value"].take();
                }
                assert!(
                    doc.to_value() == want,
                    "{case}: import → export changed the JSON"
                );
            }
            Ok(())
        }
        Err(e) => {
            assert!(e.line >= 1 && e.column >= 1, "{case}: {e}");
            if let Some(text) = text {
                let lines = text.split('\n').count();
                assert!(e.line <= lines, "{case}: line {} of {lines}: {e}", e.line);
                let width = text
                    .split('\n')
                    .nth(e.line - 1)
                    .map_or(0, |l| l.chars().count());
                assert!(
                    e.column <= width + 1,
                    "{case}: column {} of {width}: {e}",
                    e.column
                );
            }
            assert!(
                !e.message.chars().any(|c| c.is_control()
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
                "{case}: raw control character in {:?}",
                e.message
            );
            assert!(
                e.message.len() < 2_000,
                "{case}: a {}-byte message",
                e.message.len()
            );
            Err(e.message)
        }
    }
}

fn utf16(s: &str, unit: fn(u16) -> [u8; 2]) -> Vec<u8> {
    s.encode_utf16().flat_map(unit).collect()
}

#[test]
fn truncated_files_fail_where_they_end() {
    let mut rng = Rng(0x7472_756e_6361_7465);
    let real =
        std::fs::read_to_string(corpus::root().join("jsa2__caOptics/demodata/policies.json"))
            .unwrap();
    for text in [POLICY, &format!("[\n{POLICY},\n{POLICY}\n]"), real.as_str()] {
        for _ in 0..60 {
            let mut cut = rng.below(text.len());
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let part = &text[..cut];
            if check(&format!("cut at {cut}"), part.as_bytes(), Some(part)).is_ok() {
                panic!("a policy cut at byte {cut} imported");
            }
        }
    }
}

#[test]
fn deep_nesting_is_refused_with_a_clear_message() {
    for depth in [129, 10_000, 1_000_000] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let text = format!(
                "{{\"conditions\":{{\"x\":{}1{}}}}}",
                open.repeat(depth),
                close.repeat(depth)
            );
            let e = check(&format!("{depth} × {open}"), text.as_bytes(), Some(&text)).unwrap_err();
            assert!(e.contains("nested more than 128 levels"), "{e}");
        }
    }
    // Inside the limit, nesting is data like any other.
    let text = format!(
        "{{\"conditions\":{{\"x\":{}1{}}}}}",
        "[".repeat(120),
        "]".repeat(120)
    );
    check("120 levels", text.as_bytes(), Some(&text)).unwrap();
}

#[test]
fn huge_strings_and_escaped_controls_import_faithfully() {
    let big = "Ω".repeat(4 << 20);
    let text = POLICY.replacen("Pilot – “passkeys”", &big, 1);
    let started = std::time::Instant::now();
    check("a 12 MB display name", text.as_bytes(), Some(&text)).unwrap();
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());

    let escaped = POLICY.replacen("Pilot", r"nul\u0000 esc\u001b[2J bidi\u202e del\u007f", 1);
    check("escaped controls", escaped.as_bytes(), Some(&escaped)).unwrap();
}

#[test]
fn raw_controls_lone_surrogates_and_utf16_without_bom() {
    let mut rng = Rng(0x6368_6172_7321);
    for i in 0..100 {
        let c = ['\u{0}', '\u{1b}', '\u{7}', '\u{8}', '\u{1f}'][rng.below(5)];
        // A raw control character inside a string is not JSON; outside one, neither.
        let at = 1 + rng.below(POLICY.len() - 2);
        let mut text = POLICY.to_string();
        if !text.is_char_boundary(at) {
            continue;
        }
        text.insert(at, c);
        check(
            &format!("raw {c:?} at {at} (#{i})"),
            text.as_bytes(),
            Some(&text),
        )
        .ok();
    }
    for lone in [r"\ud800", r"\udc00", r"\ud800\u0041", r"\udbff"] {
        let text = POLICY.replacen("Pilot", lone, 1);
        let e = check(lone, text.as_bytes(), Some(&text)).unwrap_err();
        assert!(
            e.contains("surrogate") || e.contains("escape"),
            "{lone}: {e}"
        );
    }
    let mut lone16 = utf16(POLICY, u16::to_le_bytes);
    lone16.splice(40..42, 0xdc01u16.to_le_bytes());
    let e = check("UTF-16 with a lone low surrogate", &lone16, None).unwrap_err();
    assert!(e.contains("unpaired surrogate"), "{e}");

    let want = import_bytes(POLICY.as_bytes()).unwrap();
    assert_eq!(
        import_bytes(&utf16(POLICY, u16::to_le_bytes)).unwrap(),
        want
    );
    assert_eq!(
        import_bytes(&utf16(POLICY, u16::to_be_bytes)).unwrap(),
        want
    );
}

#[test]
fn random_bytes_and_colliding_keys_never_panic() {
    let mut rng = Rng(0x6e6f_7061_6e69_6321);
    let pieces = [
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\\",
        "\"state\":",
        "\"State\":",
        "\"conditions\":{}",
        "1E+2",
        "-0",
        "nul",
        "\u{1b}",
        "\u{202e}",
        "é",
        "\u{feff}",
        " ",
        "\n",
        "\"x\"",
        "true",
    ];
    for i in 0..2_000 {
        let mut text = String::new();
        for _ in 0..rng.below(40) {
            text.push_str(pieces[rng.below(pieces.len())]);
        }
        let bytes = match i % 5 {
            0 => utf16(&text, u16::to_le_bytes),
            1 => {
                let mut b = text.clone().into_bytes();
                let n = rng.below(b.len().max(1));
                b.truncate(n);
                b
            }
            _ => text.clone().into_bytes(),
        };
        let shown = if i % 5 < 2 { None } else { Some(text.as_str()) };
        let _ = check(&format!("#{i}: {text:?}"), &bytes, shown);
    }
    // Twins at a random depth of a random policy set, always refused.
    for i in 0..100 {
        let depth = rng.below(30);
        let twins = format!("{{\"k\":1,\"{}\":2}}", ["k", "K"][rng.below(2)]);
        let nested = format!("{}{twins}{}", "{\"d\":[".repeat(depth), "]}".repeat(depth));
        let text = format!("[{POLICY},{{\"conditions\":{{\"x\":{nested}}}}}]");
        let e = check(
            &format!("twins at depth {depth} (#{i})"),
            text.as_bytes(),
            Some(&text),
        )
        .unwrap_err();
        assert!(
            e.contains(&format!("/1/conditions/x{}/", "/d/0".repeat(depth))),
            "{e}"
        );
    }
}
