//! `ca-policy passkey-policy | tap-policy | auth-strength | rollout` as an admin runs them.

use crate::support::cli;
use crate::support::powershell as powershell_check;

const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

fn run(args: &[&str]) -> (i32, String, String) {
    let r = cli::ca_policy(args, b"");
    (r.code, r.stdout, r.stderr)
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "ca-builder-builders-cli-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn passkey_policy_prints_the_request_with_its_permission() {
    let (code, out, _) = run(&[
        "passkey-policy",
        "--pilot-group",
        PILOT,
        "--aaguid",
        "EE882879-721C-4913-9775-3DFCCE97072A",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("# permission: Policy.ReadWrite.AuthenticationMethod"),
        "{out}"
    );
    assert!(out.contains("PATCH https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2"));
    assert!(
        out.contains("\"ee882879-721c-4913-9775-3dfcce97072a\""),
        "extra AAGUID, lowercased: {out}"
    );
}

#[test]
fn bad_input_says_where_and_why() {
    let (code, _, err) = run(&[
        "passkey-policy",
        "--pilot-group",
        PILOT,
        "--aaguid",
        "ee882879-721c-4913-9775-3dfcce97072x",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("character 36"), "{err}");
    let dir = temp_dir("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("current.json");
    std::fs::write(
        &f,
        "{\n  \"state\": \"enabled\",\n  \"includeTargets\": [,]\n}",
    )
    .unwrap();
    let (code, _, err) = run(&[
        "passkey-policy",
        "--pilot-group",
        PILOT,
        "--current",
        f.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("{}:3:", f.display())), "{err}");
    let (code, _, err) = run(&["tap-policy", "--pilot-group", PILOT, "--length", "4"]);
    assert_eq!(code, 2);
    assert!(err.contains("length") && err.contains("8 to 48"), "{err}");
}

#[test]
fn app_protection_question_gets_the_plain_answer() {
    let (code, out, _) = run(&["passkey-policy", "--app-protection"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("cannot target Microsoft Authenticator"),
        "{out}"
    );
    assert!(out.contains("Register security"), "{out}");
}

#[test]
fn rollout_writes_the_bundle_once_and_prints_a_clean_script() {
    let dir = temp_dir("bundle");
    let (code, _, err) = run(&[
        "rollout",
        "--out",
        dir.to_str().unwrap(),
        "--new-group",
        "Pilot passkeys",
        "--exclude-user",
        "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("P2"),
        "the risk policies' licence is stated: {err}"
    );
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let files: Vec<&str> = manifest["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert_eq!(files[0], "00-pilot-group.json");
    assert_eq!(*files.last().unwrap(), "90-switch-on.json");
    for f in &files {
        assert!(dir.join(f).exists(), "{f} listed but not written");
    }
    let (code, _, err) = run(&[
        "rollout",
        "--out",
        dir.to_str().unwrap(),
        "--new-group",
        "Pilot passkeys",
    ]);
    assert_eq!(code, 1, "a second run must not overwrite: {err}");

    // The passkey strength on the pilot (All resources) or on registration is the
    // authentication-strength loop: refused, exit 1, with the reason and the ways out.
    for slug in ["pilot", "protect-registration"] {
        let (code, out, err) = run(&[
            "rollout",
            "--script",
            "--pilot-group",
            PILOT,
            "--strength-for",
            slug,
        ]);
        assert_eq!(code, 1, "{slug}: {err}");
        assert!(out.is_empty(), "{slug}: {out}");
        assert!(err.contains("authentication-strength loop"), "{err}");
        assert!(err.contains("Ways out"), "{err}");
    }
    let (code, script, err) = run(&["rollout", "--script", "--pilot-group", PILOT]);
    assert_eq!(code, 0, "{err}");
    powershell_check::check(
        &script,
        &[
            "Import-Module",
            "Connect-MgGraph",
            "Invoke-MgGraphRequest",
            "Out-Null",
            "Write-Output",
        ],
        &["[uri]::EscapeDataString"],
    )
    .unwrap_or_else(|v| panic!("{v:#?}"));
    assert!(script.contains("'Policy.ReadWrite.AuthenticationMethod'"));
    let (code, _, err) = run(&[
        "rollout",
        "--script",
        "--pilot-group",
        PILOT,
        "--template",
        "nope",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("nope"), "{err}");
}

#[test]
fn a_blank_strength_name_is_named_as_the_problem_in_every_format() {
    for format in ["json", "powershell", "powershell-invoke"] {
        let (code, out, err) = run(&["auth-strength", "--display-name", " ", "--format", format]);
        assert_eq!(code, 2, "{format}: {err}");
        assert!(out.is_empty(), "{format}: {out}");
        assert!(
            err.starts_with("error: display_name: the strength needs a display name"),
            "{format}: {err}"
        );
        assert!(!err.contains("JSON object"), "{format}: {err}");
        assert!(
            err.contains("usage:\n  ca-policy passkey-policy"),
            "{format}: {err}"
        );
    }
}
