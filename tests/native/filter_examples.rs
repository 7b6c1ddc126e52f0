//! Every example of the reference (§8) and every rule of the corpus, read
//! from `../shared` so the tests follow the documents, plus a snapshot of
//! each one's rendered diagnostics (`UPDATE_SNAPSHOTS=1` rewrites it).

use ca_builder::filter::{self, apply_fix, check, render, Checked, Mode, MAX_RULE_CHARS};
use std::path::PathBuf;

fn shared(path: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(path);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
}

/// (example number, rule text)
type Examples = Vec<(usize, String)>;

/// The §8 examples: ✔ and ✘ lines, in document order.
fn reference_examples() -> (Examples, Examples) {
    let doc = shared("reference/device-filter-syntax.md");
    let section = doc.split("## 8. Examples").nth(1).expect("§8 exists");
    let (mut valid, mut invalid) = (Vec::new(), Vec::new());
    for line in section.lines() {
        let Some((num, rest)) = line.split_once(". ") else {
            continue;
        };
        let Ok(n) = num.trim().parse::<usize>() else {
            continue;
        };
        let rule = rest
            .split('`')
            .nth(1)
            .expect("example in backticks")
            .to_string();
        if rest.starts_with('✔') {
            valid.push((n, rule));
        } else if rest.starts_with('✘') {
            invalid.push((n, rule));
        }
    }
    (valid, invalid)
}

fn codes(c: &Checked) -> Vec<&'static str> {
    c.diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect()
}

/// The expected error for each ✘ example, by number (the reason given there).
const INVALID_CODES: [(usize, &str); 27] = [
    (1, "unknown-property"),
    (2, "operator-not-allowed"),
    (3, "value-not-allowed"),
    (4, "value-not-allowed"),
    (5, "operator-not-allowed"),
    (6, "operator-not-allowed"),
    (7, "dynamic-group-operator"),
    (8, "dynamic-group-operator"),
    (9, "not-operator"),
    (10, "symbolic-operator"),
    (11, "unquoted-value"),
    (12, "single-quoted-string"),
    (13, "expected-list"),
    (14, "missing-comma"),
    (15, "missing-device-prefix"),
    (16, "non-device-property"),
    (17, "unknown-property"),
    (18, "value-not-allowed"),
    (19, "dangling-operator"),
    (20, "unclosed-paren"),
    (21, "escaped-quote"),
    (22, "operator-not-allowed"),
    (23, "operator-not-allowed"),
    (24, "unknown-property"),
    (25, "typographic-dash"),
    (26, "typographic-quote"),
    (27, "empty-rule"),
];

#[test]
fn reference_has_28_valid_and_27_invalid_examples() {
    let (valid, invalid) = reference_examples();
    assert_eq!(valid.len(), 28);
    assert_eq!(invalid.len(), 27);
}

#[test]
fn every_valid_reference_example_checks_without_error() {
    for (n, rule) in reference_examples().0 {
        let c = check(&rule, None);
        assert!(c.is_valid(), "✔{n} `{rule}`: {:?}", c.diagnostics);
        assert!(c.ast.is_some(), "✔{n} has a tree");
    }
}

/// Example 27 is "`""` (empty rule) and any rule longer than 3072 characters".
fn as_rule(n: usize, rule: &str) -> String {
    if n == 27 {
        String::new()
    } else {
        rule.to_string()
    }
}

#[test]
fn every_invalid_reference_example_reports_its_error() {
    let (_, invalid) = reference_examples();
    for ((n, rule), (m, code)) in invalid.iter().zip(INVALID_CODES) {
        assert_eq!(*n, m);
        let c = check(&as_rule(*n, rule), None);
        assert!(
            !c.is_valid() && c.ast.is_none(),
            "✘{n} `{rule}` must be invalid"
        );
        assert!(
            codes(&c).contains(&code),
            "✘{n} `{rule}`: expected {code}, got {:?}",
            codes(&c)
        );
    }
}

#[test]
fn over_long_rule_is_rejected_and_3072_characters_are_allowed() {
    let clause = "device.extensionAttribute1 -eq \"x\" -or ";
    let mut rule = clause.repeat(MAX_RULE_CHARS / clause.len() + 1);
    rule.truncate(rule.len() - " -or ".len());
    let c = check(&rule, None);
    assert_eq!(
        codes(&c),
        ["rule-too-long"],
        "{} chars",
        rule.chars().count()
    );
    // Exactly the limit, counted in characters (ü is two bytes).
    let mut at_limit = String::from("device.displayName -eq \"");
    while at_limit.chars().count() < MAX_RULE_CHARS - 1 {
        at_limit.push('ü');
    }
    at_limit.push('"');
    assert_eq!(at_limit.chars().count(), MAX_RULE_CHARS);
    assert!(check(&at_limit, None).is_valid());
    at_limit.insert(0, ' ');
    assert_eq!(codes(&check(&at_limit, None)), ["rule-too-long"]);
}

struct CorpusLine {
    rule: String,
    expected: String,
    note: String,
}

fn corpus() -> Vec<CorpusLine> {
    shared("corpus/device-filters.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("corpus line is JSON");
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            CorpusLine {
                rule: s("rule"),
                expected: s("expected"),
                note: s("note"),
            }
        })
        .collect()
}

/// The error each invalid corpus rule must produce (the reason in its note).
fn corpus_invalid_code(rule: &str) -> &'static str {
    match rule {
        r if r.contains("==") => "symbolic-operator",
        r if r.contains("devicePhysicalIDs")
            || r.contains("deviceName")
            || r.contains("cpuArchitecture")
            || r.contains("objectId") =>
        {
            "unknown-property"
        }
        r if r.contains("profileType -notIn") => "operator-not-allowed",
        r if r.contains("trustType -notIn") => "expected-list",
        r if r.starts_with("(device.mdmAppId") => "unclosed-paren",
        r => panic!("no expected code for invalid corpus rule `{r}`"),
    }
}

#[test]
fn every_corpus_rule_is_judged_as_the_corpus_says() {
    let lines = corpus();
    assert_eq!(lines.len(), 46);
    let mut counts = (0, 0, 0);
    for l in &lines {
        let c = check(&l.rule, None);
        match l.expected.as_str() {
            "valid" => {
                counts.0 += 1;
                assert!(
                    c.is_valid(),
                    "`{}` ({}): {:?}",
                    l.rule,
                    l.note,
                    c.diagnostics
                );
                // The canonical form is valid and means the same.
                let f = filter::format(&l.rule).unwrap();
                let again = check(&f, None);
                assert!(
                    again
                        .ast
                        .unwrap()
                        .eq_ignoring_spans(c.ast.as_ref().unwrap()),
                    "{f}"
                );
            }
            "invalid" => {
                counts.1 += 1;
                let code = corpus_invalid_code(&l.rule);
                assert!(
                    codes(&c).contains(&code),
                    "`{}`: expected {code}, got {:?}",
                    l.rule,
                    codes(&c)
                );
            }
            "unknown" => {
                counts.2 += 1;
                // App policy (reference §3): single-quoted values are not
                // documented for CA, so the app rejects them with a fix.
                let d = c
                    .diagnostics
                    .iter()
                    .find(|d| d.code == "single-quoted-string")
                    .expect("single quotes flagged");
                assert!(d.is_error());
                let fixed = apply_fix(&l.rule, d.fix.as_ref().expect("fix to double quotes"));
                assert!(!fixed.contains('\''), "{fixed}");
            }
            other => panic!("unexpected judgement {other}"),
        }
    }
    assert_eq!(counts, (36, 8, 2));
}

#[test]
fn hyphenless_corpus_rule_is_accepted_with_a_warning_and_fix() {
    let rule = "device.operatingSystem eq \"Doors\"";
    let c = check(rule, None);
    assert!(c.is_valid());
    let d = c
        .diagnostics
        .iter()
        .find(|d| d.code == "hyphenless-operator")
        .unwrap();
    assert_eq!(d.severity, filter::Severity::Warning);
    let fixed = apply_fix(rule, d.fix.as_ref().unwrap());
    assert_eq!(fixed, "device.operatingSystem -eq \"Doors\"");
    assert!(check(&fixed, None).diagnostics.is_empty());
}

/// Every example and corpus rule, checked in both modes, rendered.
fn snapshot() -> String {
    let (valid, invalid) = reference_examples();
    let mut rules: Vec<(String, String)> = Vec::new();
    rules.extend(
        valid
            .into_iter()
            .map(|(n, r)| (format!("reference ✔{n}"), r)),
    );
    rules.extend(
        invalid
            .into_iter()
            .map(|(n, r)| (format!("reference ✘{n}"), as_rule(n, &r))),
    );
    rules.extend(
        corpus()
            .into_iter()
            .enumerate()
            .map(|(i, l)| (format!("corpus line {} ({})", i + 1, l.expected), l.rule)),
    );
    let mut out = String::new();
    for (name, rule) in rules {
        for mode in [Mode::Include, Mode::Exclude] {
            let c = check(&rule, Some(mode));
            out.push_str(&format!("=== {name} [{}]: {rule}\n", mode.as_str()));
            out.push_str(&render(&rule, &c.diagnostics));
        }
    }
    out
}

#[test]
fn rendered_diagnostics_match_the_snapshot() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/native/snapshots/filter_diagnostics.snap");
    let actual = snapshot();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} missing: run with UPDATE_SNAPSHOTS=1 and review it",
            path.display()
        )
    });
    if actual != expected {
        let first = actual
            .lines()
            .zip(expected.lines())
            .position(|(a, b)| a != b);
        panic!(
            "rendering changed (first differing line {:?}); review and rerun with UPDATE_SNAPSHOTS=1\n--- actual ---\n{}",
            first.map(|i| i + 1),
            actual
        );
    }
}
