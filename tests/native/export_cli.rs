//! `ca-policy export`: formats, --update, several policies, stdin, and exit codes
//! (0 ok, 1 bad input with file:line:column, 2 usage).

use crate::support::cli;
use crate::support::powershell as powershell_check;

use cli::Run;
use serde_json::{json, Value};
use std::path::PathBuf;

const POLICY_ID: &str = "4b2c8d1e-7f60-4a3b-9c5d-0e1f2a3b4c5d";

/// `ca-policy export ARGS`.
fn run(args: &[&str], stdin: Option<&[u8]>) -> Run {
    cli::ca_policy(&[&["export"], args].concat(), stdin.unwrap_or_default())
}

/// A file in the target directory's temp area, unique per test.
fn file(name: &str, content: &[u8]) -> PathBuf {
    cli::temp_file("export_cli", name, content)
}

fn policy(name: &str) -> Value {
    json!({
        "id": "11111111-1111-1111-1111-111111111111",
        "createdDateTime": "2024-01-01T00:00:00Z",
        "displayName": name,
        "state": "enabledForReportingButNotEnforced",
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeUsers": ["9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e"]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"]
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    })
}

/// What Graph accepts on POST: the policy without its read-only properties.
fn post_body(mut p: Value) -> Value {
    let o = p.as_object_mut().unwrap();
    o.remove("id");
    o.remove("createdDateTime");
    p
}

fn bodies_of_json_export(stdout: &str) -> Vec<(String, Value)> {
    // Requests are "LINE\n\nBODY\n" joined by a blank line; bodies are pretty JSON objects
    // whose closing brace is the only "}" in column 0.
    let mut out = Vec::new();
    let mut rest = stdout;
    while !rest.is_empty() {
        let (line, after) = rest.split_once("\n\n").unwrap();
        let end = after.find("\n}\n").unwrap() + 3;
        out.push((
            line.to_string(),
            serde_json::from_str(&after[..end]).unwrap(),
        ));
        rest = after[end..].strip_prefix('\n').unwrap_or(&after[end..]);
    }
    out
}

#[test]
fn json_create_prints_the_post_request_with_the_post_body() {
    let p = file(
        "one.json",
        policy("O'Brien’s – $(x)").to_string().as_bytes(),
    );
    let r = run(&["--format", "json", p.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let requests = bodies_of_json_export(&r.stdout);
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].0,
        "POST https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies"
    );
    assert_eq!(requests[0].1, post_body(policy("O'Brien’s – $(x)")));
}

#[test]
fn json_update_reads_stdin_and_prints_a_patch() {
    let bytes = policy("P").to_string();
    let r = run(
        &["--format=json", "--update", POLICY_ID, "-"],
        Some(bytes.as_bytes()),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let requests = bodies_of_json_export(&r.stdout);
    assert_eq!(requests[0].0, format!("PATCH https://graph.microsoft.com/v1.0/identity/conditionalAccess/policies/{POLICY_ID}"));
    assert_eq!(requests[0].1, post_body(policy("P")));
}

#[test]
fn several_policies_export_in_order() {
    let list = json!({"value": [policy("First"), policy("Second ’@")]});
    let p = file("list.json", list.to_string().as_bytes());
    let r = run(&["--format", "json", p.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let names: Vec<Value> = bodies_of_json_export(&r.stdout)
        .into_iter()
        .map(|(_, b)| b["displayName"].clone())
        .collect();
    assert_eq!(names, vec![json!("First"), json!("Second ’@")]);

    let r = run(&["--format", "powershell", p.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let cmds = [
        "Import-Module",
        "Connect-MgGraph",
        "Get-MgIdentityConditionalAccessPolicy",
        "Invoke-MgGraphRequest",
        "New-MgIdentityConditionalAccessPolicy",
        "Write-Output",
        "Write-Warning",
    ];
    // A non-ASCII name, and still an ASCII script: Windows PowerShell 5.1 reads the saved file
    // (no BOM, so in the ANSI code page) exactly as PowerShell 7 does.
    let script = r.stdout.as_str();
    assert!(script.is_ascii(), "{script}");
    let c = powershell_check::check(script, &cmds, &["[uri]::EscapeDataString"]).unwrap();
    assert_eq!(
        c.value_of("$params", 0).unwrap(),
        post_body(policy("First"))
    );
    assert_eq!(
        c.value_of("$params", 1).unwrap(),
        post_body(policy("Second ’@"))
    );

    // --update names one policy: refusing beats guessing which.
    let r = run(
        &[
            "--format",
            "powershell",
            "--update",
            POLICY_ID,
            p.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("holds 2"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
}

#[test]
fn powershell_invoke_update_script_is_clean() {
    let p = file("upd.json", policy("Name ' ’ \n '@").to_string().as_bytes());
    let r = run(
        &[
            "--format",
            "powershell-invoke",
            "--update",
            POLICY_ID,
            p.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let script = r.stdout.as_str();
    assert!(script.is_ascii(), "{script}");
    let c = powershell_check::check(
        script,
        &[
            "Import-Module",
            "Connect-MgGraph",
            "Invoke-MgGraphRequest",
            "Write-Output",
        ],
        &[],
    )
    .unwrap();
    let Value::String(body) = c.value_of("$body", 0).unwrap() else {
        panic!()
    };
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        post_body(policy("Name ' ’ \n '@"))
    );
}

#[test]
fn ascii_scripts_have_no_bom() {
    let p = file("ascii.json", policy("Plain name").to_string().as_bytes());
    let r = run(&["--format", "powershell", p.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("#Requires -Modules "));
}

#[test]
fn broken_json_names_file_line_and_column() {
    let p = file(
        "broken.json",
        b"{\n  \"displayName\": \"x\",\n  \"state\": ,\n}",
    );
    let r = run(&["--format", "powershell", p.to_str().unwrap()], None);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with(&format!("error: {}:3:", p.display())),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
}

#[test]
fn content_no_script_can_carry_is_input_error_with_its_pointer() {
    let p = file("nul.json", policy("a\u{0}b").to_string().as_bytes());
    let r = run(&["--format", "powershell", p.to_str().unwrap()], None);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("/displayName: character 2 is NUL"),
        "{}",
        r.stderr
    );
    // The JSON export escapes it and is fine.
    assert_eq!(
        run(&["--format", "json", p.to_str().unwrap()], None).code,
        0
    );
}

#[test]
fn usage_errors_exit_2() {
    let p = file("u.json", policy("P").to_string().as_bytes());
    let f = p.to_str().unwrap();
    for args in [
        vec![f],
        vec!["--format", "yaml", f],
        vec!["--format"],
        vec!["--format", "json", "--update", "../../users", f],
        vec!["--format", "json", "--bogus", f],
        vec!["--format", "json", f, f],
    ] {
        let r = run(&args, None);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("usage: ca-policy export"), "{args:?}");
    }
    let r = run(&["--format", "json", "/nonexistent/x.json"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read /nonexistent/x.json"));
    let r = run(&["--format", "json", "-"], Some(b"[]"));
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("holds no policy"));
}
