//! `ca-policy diff` and the core diff under it: every corpus policy against itself is equal;
//! every single-property change of every corpus policy (each leaf changed, each list grown and
//! shrunk, each property removed) is found, at its path, in words; dated snapshots of one
//! tenant compared both ways; folders, standard input, --names, the --json shape, and the
//! exit codes (0 equal, 1 different, 2 trouble, with FILE:LINE:COLUMN).

use crate::support::{cli, corpus};

use ca_builder::policy::diff::{diff_sets, Names};
use ca_builder::policy::{import_bytes, Policy};
use cli::Run;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const BREAK_GLASS_2: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";
const NEW_ENTRY: &str = "00000000-0000-4000-8000-00000000abcd";

fn run(args: &[&str], stdin: &[u8]) -> Run {
    cli::ca_policy(&[&["diff"], args].concat(), stdin)
}

fn file(name: &str, content: &[u8]) -> PathBuf {
    cli::temp_file("diff_cli", name, content)
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every corpus file that imports, with its policies.
fn corpus_policies() -> Vec<(PathBuf, Vec<Policy>)> {
    corpus::files()
        .into_iter()
        .filter(|p| !p.ends_with(corpus::BROKEN) && !p.ends_with(corpus::DUPLICATE_KEY))
        .map(|p| {
            let policies = import_bytes(&std::fs::read(&p).unwrap()).unwrap();
            (p, policies)
        })
        .collect()
}

/// `body` as a policy with the id `p`, so a pair is matched by id whatever else changes.
fn with_id(body: &Value) -> Policy {
    let mut b = body.clone();
    b["id"] = json!("p");
    serde_json::from_value(b).unwrap()
}

/// Every leaf of `v` (scalars and lists; objects are walked), with its key path.
fn leaves(v: &Value, at: &mut Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                at.push(k.clone());
                leaves(x, at, out);
                at.pop();
            }
        }
        leaf => out.push((at.clone(), leaf.clone())),
    }
}

fn slot<'a>(v: &'a mut Value, keys: &[String]) -> &'a mut Value {
    keys.iter().fold(v, |v, k| &mut v[k.as_str()])
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The single-property changes of a leaf, each with the words its diff must say.
fn mutations(value: &Value, dotted: &str) -> Vec<(Option<Value>, Vec<String>)> {
    let to = |after: Value| {
        let words = format!("{dotted}: {} \u{2192} {}", shown(value), shown(&after));
        (Some(after), vec![words])
    };
    let mut out = vec![];
    match value {
        Value::Null => out.push((
            Some(json!("set")),
            vec![format!("{dotted}: (not set) \u{2192} set")],
        )),
        Value::String(s) => out.push(to(json!(format!("{s}-changed")))),
        Value::Bool(b) => out.push(to(json!(!b))),
        Value::Number(n) => out.push(to(match n.as_i64() {
            Some(i) => json!(i + 1),
            None => json!(n.as_f64().unwrap() + 1.0),
        })),
        Value::Array(items) => {
            let mut grown = items.clone();
            grown.push(json!(NEW_ENTRY));
            out.push((
                Some(Value::Array(grown)),
                vec![format!("{dotted}: + {NEW_ENTRY}")],
            ));
            if let Some(first) = items.first() {
                let shrunk: Vec<Value> = items.iter().filter(|x| *x != first).cloned().collect();
                out.push((
                    Some(Value::Array(shrunk)),
                    vec![format!("{dotted}: \u{2212} {}", shown(first))],
                ));
            }
        }
        Value::Object(_) => {}
    }
    let unset = matches!(value, Value::Null)
        || value.as_array().is_some_and(Vec::is_empty)
        || value.as_object().is_some_and(|o| o.is_empty());
    if !unset && !value.is_array() {
        out.push((
            None,
            vec![format!("{dotted}: {} \u{2192} (not set)", shown(value))],
        ));
    }
    out
}

#[test]
fn every_corpus_policy_is_equal_to_itself() {
    let mut n = 0;
    for (p, policies) in corpus_policies() {
        let d = diff_sets(&policies, &policies);
        assert!(d.is_equal(), "{}: {d:?}", p.display());
        assert_eq!(d.pairs.len(), policies.len(), "{}", p.display());
        n += policies.len();
    }
    assert!(n >= 400, "corpus has 403 policies, found {n}");
}

#[test]
fn every_single_property_change_of_every_corpus_policy_is_found_and_worded() {
    let names = Names::default();
    let mut checked = 0;
    for (file, policies) in corpus_policies() {
        for (i, p) in policies.iter().enumerate() {
            let body = p.to_post_body();
            let before = [with_id(&body)];
            let mut all = vec![];
            leaves(&body, &mut vec![], &mut all);
            for (keys, value) in all {
                let dotted = keys.join(".");
                for (after_value, words) in mutations(&value, &dotted) {
                    let mut after = body.clone();
                    match after_value {
                        Some(v) => *slot(&mut after, &keys) = v,
                        None => {
                            let (last, parent) = keys.split_last().unwrap();
                            slot(&mut after, parent)
                                .as_object_mut()
                                .unwrap()
                                .shift_remove(last);
                        }
                    }
                    let d = diff_sets(&before, &[with_id(&after)]);
                    let what = format!("{}#{i} {dotted}", file.display());
                    assert!(d.added.is_empty() && d.removed.is_empty(), "{what}");
                    let [pair] = &d.pairs[..] else {
                        panic!("{what}: {d:?}")
                    };
                    let [change] = &pair.changes[..] else {
                        panic!("{what}: {:?}", pair.changes)
                    };
                    assert_eq!(change.path, dotted, "{what}");
                    assert_eq!(change.words(&names), words, "{what}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 5000, "{checked} changes checked");
}

#[test]
fn dated_snapshots_of_one_tenant_differ_the_same_both_ways() {
    let archive = corpus::root().join("denis-beuermann__ConditionalAccess/archive");
    let mut snapshots: Vec<PathBuf> = std::fs::read_dir(&archive)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    snapshots.sort();
    assert!(snapshots.len() >= 4);
    for w in snapshots.windows(2) {
        let (a, b) = (
            import_bytes(&std::fs::read(&w[0]).unwrap()).unwrap(),
            import_bytes(&std::fs::read(&w[1]).unwrap()).unwrap(),
        );
        let (ab, ba) = (diff_sets(&a, &b), diff_sets(&b, &a));
        assert_eq!(ab.added, ba.removed);
        assert_eq!(ab.removed, ba.added);
        assert_eq!(ab.pairs.len() + ab.removed.len(), a.len());
        assert_eq!(ab.pairs.len() + ab.added.len(), b.len());
        for p in &ab.pairs {
            let back = ba.pairs.iter().find(|q| q.before == p.after).unwrap();
            let paths = |cs: &[ca_builder::policy::diff::Change]| {
                let mut v: Vec<String> = cs.iter().map(|c| c.path.clone()).collect();
                v.sort();
                v
            };
            assert_eq!(paths(&p.changes), paths(&back.changes));
        }

        let r = run(&[path(&w[0]), path(&w[1])], b"");
        assert_eq!(r.code, i32::from(!ab.is_equal()), "{}", r.stderr);
        for p in ab.changed() {
            for c in &p.changes {
                for line in c.words(&Names::default()) {
                    assert!(r.stdout.contains(&format!("  {line}\n")), "{line}");
                }
            }
        }
        let changed = ab.changed().count();
        assert!(r.stdout.ends_with(&format!(
            "{changed} changed, {} added, {} removed, {} equal\n",
            ab.added.len(),
            ab.removed.len(),
            ab.pairs.len() - changed
        )));
    }
}

fn policy(name: &str, exclude: &[&str]) -> Value {
    json!({
        "id": "11111111-1111-1111-1111-111111111111",
        "displayName": name,
        "modifiedDateTime": "2024-01-01T00:00:00Z",
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeUsers": exclude},
            "applications": {"includeApplications": ["All"]}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    })
}

#[test]
fn a_change_reads_with_names_and_exits_1() {
    let b = file("b.json", policy("MFA", &["a"]).to_string().as_bytes());
    let mut after = policy("MFA", &["a", BREAK_GLASS_2]);
    after["modifiedDateTime"] = json!("2025-06-01T00:00:00Z");
    after["state"] = json!("enabled");
    let a = file("a.json", after.to_string().as_bytes());
    let names = file(
        "names.json",
        json!({ BREAK_GLASS_2.to_uppercase(): "Break Glass 2" })
            .to_string()
            .as_bytes(),
    );
    let r = run(&["--names", path(&names), path(&b), path(&a)], b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        format!(
            "changed: \"MFA\" (id 11111111-1111-1111-1111-111111111111; {}#0 \u{2192} {}#0, matched by id)\n  \
             state: enabledForReportingButNotEnforced \u{2192} enabled\n  \
             conditions.users.excludeUsers: + Break Glass 2\n\
             1 changed, 0 added, 0 removed, 0 equal\n",
            path(&b),
            path(&a)
        )
    );
    // Without names, the id.
    let r = run(&[path(&b), path(&a)], b"");
    assert!(r
        .stdout
        .contains(&format!("excludeUsers: + {BREAK_GLASS_2}\n")));
    // The same set is equal, whatever the service-owned dates say.
    let r = run(&[path(&a), path(&b)], b"");
    assert!(r.stdout.contains("excludeUsers: \u{2212} "), "{}", r.stdout);
    let same = file("same.json", after.to_string().as_bytes());
    let r = run(&[path(&a), path(&same)], b"");
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, "0 changed, 0 added, 0 removed, 1 equal\n")
    );
}

#[test]
fn json_has_a_fixed_shape() {
    let b = file(
        "set-b.json",
        json!([policy("MFA", &["a"]), {"displayName": "gone", "conditions": {}}])
            .to_string()
            .as_bytes(),
    );
    let a = file(
        "set-a.json",
        json!([{"displayName": "new", "conditions": {}}, policy("MFA", &[])])
            .to_string()
            .as_bytes(),
    );
    let r = run(&["--json", path(&b), path(&a)], b"");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["equal", "changed", "removed", "added", "unchanged"]);
    assert_eq!(v["equal"], json!(false));
    assert_eq!(v["unchanged"], json!(0));
    assert_eq!(
        v["removed"],
        json!([{"file": path(&b), "index": 1, "id": null, "displayName": "gone"}])
    );
    assert_eq!(
        v["added"],
        json!([{"file": path(&a), "index": 0, "id": null, "displayName": "new"}])
    );
    let c = &v["changed"][0];
    assert_eq!(c["matchedBy"], json!("id"));
    assert_eq!(c["before"]["index"], json!(0));
    assert_eq!(c["after"]["index"], json!(1));
    assert_eq!(
        c["changes"],
        json!([{
            "path": "conditions.users.excludeUsers",
            "before": ["a"],
            "after": null,
            "added": [],
            "removed": ["a"],
            "words": ["conditions.users.excludeUsers: \u{2212} a"],
        }])
    );
    let r = run(&["--json", path(&a), path(&a)], b"");
    assert_eq!(r.code, 0);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["equal"], json!(true));
    assert_eq!(v["unchanged"], json!(2));
}

#[test]
fn folders_and_standard_input_are_sets() {
    let dir = corpus::root().join("j0eyv__ConditionalAccessBaseline");
    let r = run(&[path(&dir), path(&dir)], b"");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.ends_with(" equal\n") && r.stdout.starts_with("0 changed"),
        "{}",
        r.stdout
    );

    // One file of the folder changed, given on standard input against the folder.
    let mut all = vec![];
    for (p, ps) in corpus_policies() {
        if p.starts_with(&dir) {
            all.extend(ps.iter().map(Policy::to_value));
        }
    }
    let mut changed = all.clone();
    changed[0]["state"] = json!("disabled");
    let removed = changed.pop().unwrap();
    let stdin = serde_json::to_vec(&changed).unwrap();
    let r = run(&[path(&dir), "-"], &stdin);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("\n  state: ") || r.stdout.contains("state: "),
        "{}",
        r.stdout
    );
    let name = removed["displayName"].as_str().unwrap();
    assert!(
        r.stdout.contains(&format!("removed: {name:?}")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("#0 \u{2192} <stdin>#0"), "{}", r.stdout);
}

#[test]
fn trouble_exits_2_and_says_where() {
    let good = file("good.json", policy("MFA", &[]).to_string().as_bytes());
    // A corpus file that is not JSON, and a folder holding it.
    let broken = corpus::root().join(corpus::BROKEN);
    let r = run(&[path(&good), path(&broken)], b"");
    assert_eq!(r.code, 2);
    let at = format!("error: {}:", broken.display());
    assert!(r.stderr.starts_with(&at), "{}", r.stderr);
    let rest = &r.stderr[at.len()..];
    let mut parts = rest.splitn(3, ':');
    assert!(
        parts.next().unwrap().parse::<usize>().unwrap() > 0,
        "{rest}"
    );
    assert!(
        parts.next().unwrap().parse::<usize>().unwrap() > 0,
        "{rest}"
    );
    assert!(r.stdout.is_empty());
    let r = run(&[path(&corpus::root()), path(&good)], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains(corpus::BROKEN) || r.stderr.contains(corpus::DUPLICATE_KEY));

    let names = file("bad-names.json", b"{\n  \"a\": \"A\",\n  \"b\": [1]\n}");
    let r = run(&["--names", path(&names), path(&good), path(&good)], b"");
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr,
        format!(
            "error: {}:3:8: the name of \"b\" must be a string\n",
            path(&names)
        )
    );

    let empty = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("diff_cli/empty-dir");
    std::fs::create_dir_all(&empty).unwrap();
    for args in [
        vec![path(&good)],
        vec!["-", "-"],
        vec!["--bogus", path(&good), path(&good)],
        vec![path(&good), path(&good), path(&good)],
        vec![path(&good), "/nonexistent/x.json"],
        vec![path(&good), path(&empty)],
    ] {
        let r = run(&args, b"[]");
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.starts_with("error: "), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
    }
}
