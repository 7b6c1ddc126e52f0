//! `ca-policy lint`: human and JSON output, exit codes (0 clean, 1 an error finding or a file
//! that does not import, 2 usage), file:line:col for broken files, several files as one set.

use crate::support::cli;

use cli::Run;
use serde_json::{json, Value};

const BG: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";

/// `ca-policy lint ARGS`.
fn run(args: &[&str], stdin: &[u8]) -> Run {
    cli::ca_policy(&[&["lint"], args].concat(), stdin)
}

fn file(name: &str, content: &[u8]) -> String {
    cli::temp_file("analysis_cli", name, content)
        .display()
        .to_string()
}

fn clean_policy(name: &str) -> Value {
    json!({
        "displayName": name, "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeUsers": [BG]},
            "applications": {"includeApplications": ["All"]}, "clientAppTypes": ["all"]
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    })
}

fn broken_policy() -> Value {
    json!({
        "displayName": "Always require MFA", "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
            "devices": {"deviceFilter": {"mode": "exclude", "rule": "device.trustType -eq \\\"ServerAD\\\""}}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    })
}

#[test]
fn a_clean_set_exits_0_and_an_error_exits_1_with_human_output() {
    let clean = file(
        "clean.json",
        clean_policy("CA001 - MFA").to_string().as_bytes(),
    );
    let r = run(&["--break-glass-user", BG, &clean], b"");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .ends_with("0 finding(s), 0 error(s) in 1 policies\n"),
        "{}",
        r.stdout
    );

    let broken = file("broken.json", broken_policy().to_string().as_bytes());
    let r = run(&["--break-glass-user", BG, &clean, &broken], b"");
    assert_eq!(r.code, 1, "{}", r.stdout);
    let line = r
        .stdout
        .lines()
        .find(|l| l.starts_with("error[escaped-quote]"))
        .expect("escaped-quote line");
    assert_eq!(
        line,
        format!("error[escaped-quote] policy \"Always require MFA\" ({broken}#0) conditions.devices.deviceFilter.rule: the rule contains escaped quotes (`\\\"`), probably copied from a PowerShell or JSON string; the stored rule needs bare `\"` (rule 1:22)")
    );
    let after = r.stdout.split(line).nth(1).unwrap();
    assert!(
        after
            .starts_with("\n  help: use straight double quotes: device.trustType -eq \"ServerAD\""),
        "{after}"
    );
    assert!(r.stdout.contains(&format!("error[no-break-glass-exclusion] policy \"Always require MFA\" ({broken}#0) conditions.users.excludeUsers:")));
}

#[test]
fn json_output_is_an_array_of_findings_with_file_positions() {
    let set = file(
        "set.json",
        json!([clean_policy("x"), broken_policy()])
            .to_string()
            .as_bytes(),
    );
    let r = run(
        &[
            "--json",
            "--naming",
            "CA??? - *",
            "--break-glass-user",
            BG,
            &set,
        ],
        b"",
    );
    assert_eq!(r.code, 1);
    let v: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    let naming: Vec<&Value> = v
        .iter()
        .filter(|f| f["code"] == "naming-convention")
        .collect();
    assert_eq!(naming.len(), 2);
    assert_eq!(naming[0]["policy"], json!({"index": 0, "name": "x"}));
    assert_eq!(naming[0]["severity"], "warning");
    assert_eq!(naming[0]["file"], json!(set));
    assert_eq!(naming[1]["fileIndex"], 1);
    let q = v.iter().find(|f| f["code"] == "escaped-quote").unwrap();
    assert_eq!(q["severity"], "error");
    assert_eq!(q["field"], "conditions.devices.deviceFilter.rule");
    assert!(q["fix"]
        .as_str()
        .unwrap()
        .contains("device.trustType -eq \"ServerAD\""));
}

#[test]
fn stdin_broken_files_and_usage_errors() {
    let r = run(
        &["--break-glass-user", BG, "-"],
        clean_policy("CA002 - x").to_string().as_bytes(),
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    let bad = file(
        "bad.json",
        b"{\n  \"displayName\": \"x\",\n  \"state\": \n}",
    );
    let r = run(&[&bad], b"");
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with(&format!("error: {bad}:4:1: ")),
        "{}",
        r.stderr
    );
    assert_eq!(run(&[], b"").code, 2);
    let r = run(&["--frobnicate", &bad], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown option --frobnicate"));
    assert_eq!(run(&["--naming"], b"").code, 2);
    let r = run(&["/nonexistent/policies.json"], b"");
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read /nonexistent/policies.json"));
}

#[test]
fn undeclared_break_glass_is_said_not_guessed_and_is_only_a_warning() {
    let p = file(
        "undeclared.json",
        clean_policy("CA003 - x").to_string().as_bytes(),
    );
    let r = run(&[&p], b"");
    assert_eq!(r.code, 0, "a warning is not an error: {}", r.stdout);
    assert!(r.stdout.contains("warning[no-break-glass-exclusion]"));
    assert!(r.stdout.contains("no break-glass accounts were declared"));
}
