//! What an admin pastes, imports or opens, tried as a hostile user would: generated inputs of
//! every class that once crashed, hung or flooded the app and `ca-policy`, driven through the
//! same entry points as the fuzz targets in `fuzz/` (the filter checker, policy import, draft
//! loading and every exporter), with a fixed seed so a failure reproduces.
//!
//! Every case runs on a thread with a 1 MB stack: a panic fails the test with the case's name,
//! and unbounded recursion overflows that stack and aborts the test binary (Rust cannot catch
//! an overflow; the abort message names the thread, which is named after the case). Each case
//! also checks that what comes out grows at most linearly with what went in, and that no error
//! message carries a raw control or bidi character to the terminal.
//!
//! The inputs come from `support::hostile`; `HOSTILE_SEED=N cargo test --test native hostile_inputs::`
//! explores other inputs of the same classes.

use crate::support::entry_points as entry;
use crate::support::hostile::{
    comparison_with, repeat_to, Rng, COMPARISONS, CONTROLS, FLOOD, NON_ASCII, SIZES,
};
use crate::support::small_stack;

use ca_builder::app::draft::Draft;
use ca_builder::export::Format;
use ca_builder::filter::Mode;
use entry::shown;
use serde_json::{json, Value};

const STACK: usize = 1 << 20;

// ---------------------------------------------------------------------------------------------
// Running a case and what every case checks.

fn guarded<T: Send + 'static>(case: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
    small_stack::run(case, STACK, f)
}

// ---------------------------------------------------------------------------------------------
// Entry point 1: the filter checker, its renderer and its formatter.

fn filter_case(case: String, rule: String, mode: Option<Mode>) {
    guarded(&case, move || entry::filter(&rule, mode));
}

#[test]
fn filter_deep_negation_chains() {
    let mut rng = Rng::new("negation");
    let spellings = ["-not ", "-NOT ", "-Not  ", "-not\t", "\n-not ", "-not("];
    let tails = ["", ")", "device.trustType", COMPARISONS[0], COMPARISONS[2]];
    let mut depths = vec![1, 2, 64, 2_800, 20_000, 100_000];
    depths.extend((0..20).map(|_| rng.below(5_000)));
    for depth in depths {
        let spelling = rng.pick(&spellings);
        let mixed = rng.chance(3);
        let mut rule = String::new();
        for _ in 0..depth {
            rule.push_str(if mixed {
                rng.pick(&spellings)
            } else {
                spelling
            });
        }
        rule.push_str(rng.pick(&tails));
        let mode = rng.pick(&[None, Some(Mode::Include), Some(Mode::Exclude)]);
        filter_case(
            format!("{depth} × {spelling:?} (mixed: {mixed})"),
            rule,
            mode,
        );
    }
}

#[test]
fn filter_deep_parentheses_and_lists() {
    let mut rng = Rng::new("parentheses");
    let openers = ["(", "(-not ", "-not (", "[", "device.x -in [", "((", "( "];
    let mut depths = vec![1, 100, 1_000, 20_000, 100_000];
    depths.extend((0..20).map(|_| rng.below(3_000)));
    for depth in depths {
        let opener = rng.pick(&openers);
        let mut rule = opener.repeat(depth);
        rule.push_str(rng.pick(&COMPARISONS));
        if rng.chance(2) {
            let closer = if opener.contains('[') { "]" } else { ")" };
            rule.push_str(&closer.repeat(depth.saturating_sub(rng.below(3))));
        }
        filter_case(format!("{depth} × {opener:?}"), rule, None);
    }
}

#[test]
fn filter_diagnostic_floods() {
    let mut rng = Rng::new("flood");
    for n in [3_072, 20_000] {
        filter_case(format!("{n} × ')'"), ")".repeat(n), None);
        let lines: String = (0..n)
            .map(|i| if i % 80 == 79 { '\n' } else { ')' })
            .collect();
        filter_case(format!("{n} × ')' in lines of 80"), lines, None);
    }
    for i in 0..20 {
        let target = rng.pick(&[500, 3_072, 10_000]);
        let mut rule = String::new();
        while rule.len() < target {
            rule.push_str(rng.pick(&FLOOD));
            if rng.chance(3) {
                rule.push(' ');
            }
        }
        filter_case(
            format!("junk flood #{i} of {target} bytes"),
            rule,
            Some(Mode::Exclude),
        );
    }
}

#[test]
fn filter_rules_of_3k_64k_and_1m() {
    let pieces = [
        "-not ",
        "(",
        ")",
        "device.trustType -eq \"AzureAD\" -or ",
        "\"",
        "x",
        "\u{fc}",
        "\u{202e}",
    ];
    for bytes in SIZES {
        for piece in pieces {
            filter_case(
                format!("{piece:?} to {bytes} bytes"),
                repeat_to(piece, bytes),
                Some(Mode::Exclude),
            );
        }
    }
}

#[test]
fn control_and_bidi_characters() {
    let mut rng = Rng::new("controls");
    for i in 0..60 {
        let rule = comparison_with(&mut rng, &CONTROLS, 3);
        filter_case(format!("controls in a rule #{i}: {rule:?}"), rule, None);
    }
    // Into policy files: keys, values, the document's shape, and where JSON forbids them raw.
    for i in 0..40 {
        let c = rng.pick(&CONTROLS);
        let escaped = serde_json::to_string(c).unwrap();
        let texts = [
            format!("{{\"conditions\":{{}},\"displayName\":{escaped},{escaped}:1}}"),
            format!("{{\"conditions\":{{}},\"state\":{escaped}}}"),
            format!("{{{escaped}:{{}}}}"),
            format!("[{escaped}]"),
            format!("{{\"conditions\":{{\"users\":{{\"includeUsers\":[{escaped}]}}}},\"displayName\":\"a{c}b\"}}"),
            format!("{c}{{}}"),
            format!("{{\"conditions\":{{}},\"DISPLAYNAME\":1,\"displayName{c}\":2,\"displayname\":{escaped}}}"),
        ];
        let text = texts[rng.below(texts.len())].clone();
        import_case(
            format!("controls in a policy file #{i}: {text:?}"),
            text.into_bytes(),
        )
        .ok();
    }
    // Into drafts: step kinds, states, numbers, keys.
    let base = Draft::new().to_json();
    for i in 0..40 {
        let c = serde_json::to_string(rng.pick(&CONTROLS)).unwrap();
        let c = &c[1..c.len() - 1];
        let text = match i % 4 {
            0 => base.replacen("\"mfa-compensating\"", &format!("\"mfa{c}\""), 1),
            1 => base.replacen("\"version\":1", &format!("\"version\":\"{c}\""), 1),
            2 => base.replacen("\"current\":0", &format!("\"current\":\"{c}\""), 1),
            _ => base.replacen("\"steps\"", &format!("\"steps{c}\""), 1),
        };
        draft_case(format!("controls in a draft #{i}"), text);
    }
}

#[test]
fn non_ascii_text() {
    let mut rng = Rng::new("non-ascii");
    for i in 0..100 {
        let rule = comparison_with(&mut rng, &NON_ASCII, 4);
        filter_case(
            format!("non-ASCII in a rule #{i}: {rule:?}"),
            rule,
            Some(Mode::Include),
        );
    }
    // Policy files: UTF-8, UTF-16 either way, cut mid-character, lone surrogates.
    for i in 0..60 {
        let name: String = (0..1 + rng.below(12))
            .map(|_| rng.pick(&NON_ASCII))
            .collect();
        let doc = json!({"displayName": name, "conditions": {"devices": {"deviceFilter": {"mode": "exclude", "rule": format!("device.model -eq \"{name}\"")}}}});
        let text = doc.to_string();
        let bytes = match i % 5 {
            0 => text.into_bytes(),
            1 => [&[0xff, 0xfe][..], &utf16(&text, u16::to_le_bytes)].concat(),
            2 => [&[0xfe, 0xff][..], &utf16(&text, u16::to_be_bytes)].concat(),
            3 => {
                let b = utf16(&text, u16::to_le_bytes);
                let cut = rng.below(b.len());
                [&[0xff, 0xfe][..], &b[..cut]].concat()
            }
            _ => {
                let mut b = [&[0xff, 0xfe][..], &utf16(&text, u16::to_le_bytes)].concat();
                let at = 2 + 2 * rng.below((b.len() - 2) / 2);
                b[at..at + 2].copy_from_slice(&0xd800u16.to_le_bytes());
                b
            }
        };
        import_case(
            format!("non-ASCII policy file #{i} (variant {})", i % 5),
            bytes,
        )
        .ok();
    }
}

fn utf16(s: &str, unit: fn(u16) -> [u8; 2]) -> Vec<u8> {
    s.encode_utf16().flat_map(unit).collect()
}

// ---------------------------------------------------------------------------------------------
// Entry points 2 and 4: policy import, then every exporter on what was imported.

fn base_policy() -> Value {
    json!({
        "displayName": "Passkey pilot",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "clientAppTypes": ["all"],
            "applications": {"includeApplications": ["All"]},
            "users": {"includeUsers": ["All"], "excludeGroups": ["66666666-7777-8888-9999-000000000000"]},
            "devices": {"deviceFilter": {"mode": "exclude", "rule": "device.trustType -eq \"AzureAD\""}}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]},
        "sessionControls": {"signInFrequency": {"isEnabled": true, "type": "hours", "value": 4}}
    })
}

fn import_case(case: String, bytes: Vec<u8>) -> Result<Vec<String>, String> {
    guarded(&case, move || {
        entry::import_and_export(&bytes, &Format::ALL)
    })
}

#[test]
fn import_refuses_keys_that_differ_only_by_case() {
    let mut rng = Rng::new("case-keys");
    // (path to an object in the base policy, a key in it)
    let places: [(&[&str], &str); 8] = [
        (&[], "displayName"),
        (&[], "state"),
        (&[], "conditions"),
        (&["conditions"], "users"),
        (&["conditions", "users"], "includeUsers"),
        (&["conditions", "devices", "deviceFilter"], "mode"),
        (&["grantControls"], "operator"),
        (&["sessionControls", "signInFrequency"], "isEnabled"),
    ];
    for i in 0..60 {
        let (path, key) = rng.pick(&places);
        let twin = loop {
            let t: String = key
                .chars()
                .map(|c| {
                    if rng.chance(2) {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect();
            if t != key {
                break t;
            }
        };
        let mut doc = base_policy();
        let mut obj = &mut doc;
        for p in path {
            obj = &mut obj[*p];
        }
        let map = obj.as_object_mut().expect("an object in the base policy");
        let value = map[key].clone();
        // Both orders: the twin before or after the original.
        if rng.chance(2) {
            map.insert(twin.clone(), value);
        } else {
            let old = std::mem::take(map);
            map.insert(twin.clone(), value);
            map.extend(old);
        }
        let text = match i % 3 {
            0 => doc.to_string(),
            1 => json!([base_policy(), doc]).to_string(),
            _ => json!({"value": [doc]}).to_string(),
        };
        let case = format!("{key} and {twin} in {path:?} (#{i})");
        match import_case(case.clone(), text.into_bytes()) {
            Ok(_) => panic!("{case}: imported; Graph would get both keys and honour one of them"),
            Err(message) => assert!(
                message.contains(&format!("\"{key}\"")) || message.contains(key),
                "{case}: the error does not name {key}: {message}"
            ),
        }
    }
}

/// "Import then export must give back what came in": a number comes back exactly as written,
/// or the import refuses it and says which; it is never rewritten silently.
#[test]
fn import_never_rewrites_a_number_silently() {
    let mut rng = Rng::new("numbers");
    let mut literals: Vec<String> = [
        "1E+2",
        "-0",
        "123456789012345678901234567890",
        "18446744073709551616",
        "-9223372036854775809",
        "9007199254740993",
        "1.0",
        "0.10",
        "1e-7",
        "2.50",
        "1E400",
        "4",
    ]
    .map(String::from)
    .to_vec();
    for _ in 0..30 {
        let digits = |rng: &mut Rng, n: usize| -> String {
            (0..n)
                .map(|_| char::from(b'0' + rng.below(10) as u8))
                .collect()
        };
        let mut n = String::new();
        if rng.chance(3) {
            n.push('-');
        }
        let int_len = 1 + rng.below(30);
        n.push_str(digits(&mut rng, int_len).trim_start_matches('0'));
        if n.is_empty() || n == "-" {
            n.push('0');
        }
        if rng.chance(2) {
            let frac_len = 1 + rng.below(6);
            n.push('.');
            n.push_str(&digits(&mut rng, frac_len));
        }
        if rng.chance(2) {
            n.push(rng.pick(&['e', 'E']));
            n.push_str(rng.pick(&["", "+", "-"]));
            let exp_len = 1 + rng.below(3);
            n.push_str(&digits(&mut rng, exp_len));
        }
        literals.push(n);
    }
    for literal in &literals {
        for place in ["an unknown property", "signInFrequency.value"] {
            let mut text = base_policy().to_string();
            let key = if place == "an unknown property" {
                text.pop();
                text.push_str(&format!(",\"x-probe\":{literal}}}"));
                "\"x-probe\": "
            } else {
                text = text.replacen("\"value\":4", &format!("\"value\":{literal}"), 1);
                "\"value\": "
            };
            let case = format!("{literal} in {place}");
            let at = text
                .find(&format!("{key}{literal}").replace(": ", ":"))
                .expect("the probe")
                + key.len();
            match import_case(case.clone(), text.into_bytes()) {
                Ok(bodies) => {
                    let want = format!("{key}{literal}");
                    assert!(
                        bodies.iter().all(|b| b.contains(&want)),
                        "{case}: imported, but the JSON export does not carry {want}: {}",
                        shown(bodies.first().map_or("", String::as_str))
                    );
                }
                // Refused: the message names the number, or its position points at it.
                Err(message) => {
                    let column = message
                        .strip_prefix("1:")
                        .and_then(|rest| rest.split(':').next())
                        .and_then(|c| c.parse::<usize>().ok());
                    let points_at =
                        column.is_some_and(|c| (at..=at + literal.len() + 1).contains(&c));
                    assert!(
                        message.contains(literal.as_str()) || points_at,
                        "{case}: refused without naming the number or pointing at column {}: {message}",
                        at + 1
                    );
                }
            }
        }
    }
}

#[test]
fn malformed_truncated_and_deep_json() {
    let mut rng = Rng::new("json");
    let policy = base_policy().to_string();
    let draft = Draft::new().to_json();
    for _ in 0..40 {
        let cut = rng.below(policy.len());
        import_case(
            format!("a policy cut at byte {cut}"),
            policy.as_bytes()[..cut].to_vec(),
        )
        .ok();
        let cut = rng.below(draft.len());
        draft_case(
            format!("a draft cut at byte {cut}"),
            draft[..cut].to_string(),
        );
    }
    for depth in [100, 127, 128, 129, 10_000, 1_000_000] {
        for (shape, open, close) in [("arrays", "[", "]"), ("objects", "{\"a\":", "}")] {
            let nested = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            let policy = format!("{{\"conditions\":{{}},\"x\":{nested}}}");
            import_case(
                format!("{depth} nested {shape} in a policy"),
                policy.into_bytes(),
            )
            .ok();
            import_case(
                format!("{depth} nested {shape} as a file"),
                nested.clone().into_bytes(),
            )
            .ok();
            let d = draft.replacen(
                "\"breakGlass\":",
                &format!("\"x\":{nested},\"breakGlass\":"),
                1,
            );
            draft_case(format!("{depth} nested {shape} in a draft"), d);
            draft_case(format!("{depth} nested {shape} as a draft"), nested);
        }
    }
    for i in 0..40 {
        let len = rng.below(200);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        import_case(format!("random bytes #{i}"), bytes.clone()).ok();
        draft_case(
            format!("random text #{i}"),
            String::from_utf8_lossy(&bytes).into_owned(),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Entry point 3: a saved draft or a share link.

fn draft_case(case: String, text: String) {
    guarded(&case, move || entry::draft(&text));
}

#[test]
fn drafts_with_steps_out_of_range() {
    let mut rng = Rng::new("drafts");
    let base: Value = serde_json::from_str(&Draft::new().to_json()).expect("a draft is JSON");
    let currents = [
        json!(5),
        json!(6),
        json!(1_000_000),
        json!(u64::MAX),
        json!(-1),
        json!(1.5),
        json!(1e30),
        json!("2"),
        json!(null),
    ];
    for current in &currents {
        let mut d = base.clone();
        d["current"] = current.clone();
        draft_case(format!("current {current} of 5 steps"), d.to_string());
    }
    for i in 0..30 {
        let mut d = base.clone();
        let steps = d["steps"].as_array_mut().expect("steps");
        let keep = rng.below(steps.len() + 1);
        steps.truncate(keep);
        // Some imported steps, so that removal is possible down to the last one.
        if rng.chance(2) {
            let imported = json!({"kind": "imported", "policy": base_policy()});
            for _ in 0..rng.below(3) {
                steps.push(imported.clone());
            }
        }
        let len = steps.len();
        d["current"] = json!(len + rng.below(3));
        draft_case(
            format!("draft #{i}: {len} steps, current past the end"),
            d.to_string(),
        );
    }
    let mut only_imported = base.clone();
    only_imported["steps"] = json!([{"kind": "imported", "policy": base_policy()}]);
    draft_case(
        "one imported step, removed".into(),
        only_imported.to_string(),
    );
    let mut none = base;
    none["steps"] = json!([]);
    draft_case("zero steps".into(), none.to_string());
}

// ---------------------------------------------------------------------------------------------
// Entry point 4 with hostile content: names and ids that try to leave a literal or a line.

#[test]
fn exporters_on_hostile_policies() {
    let mut rng = Rng::new("exporters");
    let pieces = [
        "'",
        "\u{2019}",
        "\u{2018}",
        "\"",
        "\u{201c}",
        "$",
        "`",
        "@",
        "'@",
        "\"@",
        "$(calc)",
        "{",
        "}",
        ";",
        "#",
        "\n",
        "\r\n",
        "<#",
        "#>",
        "\u{1b}[2J",
        "\u{202e}",
        "\u{92}",
        "\u{fc}",
        "\u{1f600}",
        "\\",
        "\u{85}",
        "\u{2028}",
        " ",
    ];
    let word =
        |rng: &mut Rng| -> String { (0..rng.below(12)).map(|_| rng.pick(&pieces)).collect() };
    for i in 0..80 {
        let mut doc = base_policy();
        let w: Vec<String> = (0..8).map(|_| word(&mut rng)).collect();
        doc["displayName"] = json!(w[0]);
        doc["conditions"]["users"]["excludeUsers"] = json!([w[1], w[2]]);
        doc["conditions"]["devices"]["deviceFilter"]["rule"] = json!(w[3]);
        doc[&w[4]] = json!({ &w[5]: [w[6], 1, null, {"a": w[7]}] });
        if rng.chance(4) {
            doc["displayName"] = json!(repeat_to(&format!("{}x", w[0]), 10_000));
        }
        import_case(format!("hostile policy #{i}"), doc.to_string().into_bytes()).ok();
    }
    // Many policies in one file: every export of every one stays linear in the file.
    let many: Vec<Value> = (0..200).map(|_| base_policy()).collect();
    import_case(
        "200 policies".into(),
        serde_json::to_vec(&many).expect("JSON"),
    )
    .ok();
}
