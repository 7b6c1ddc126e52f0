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

/// A configuration without passkey profiles (a tenant whose passkey method was never migrated).
const LEGACY_FIDO2: &str = r##"{"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
  "id": "Fido2", "state": "disabled", "isSelfServiceRegistrationAllowed": true, "isAttestationEnforced": false,
  "keyRestrictions": {"isEnforced": false, "enforcementType": "block", "aaGuids": []},
  "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}],
  "excludeTargets": []}"##;

#[test]
fn passkey_policy_prints_the_request_with_its_permission() {
    let dir = temp_dir("legacy");
    std::fs::create_dir_all(&dir).unwrap();
    let current = dir.join("fido2.json");
    std::fs::write(&current, LEGACY_FIDO2).unwrap();
    let (code, out, err) = run(&[
        "passkey-policy",
        "--pilot-group",
        PILOT,
        "--aaguid",
        "EE882879-721C-4913-9775-3DFCCE97072A",
        "--current",
        current.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("assumes"), "a configuration was given: {err}");
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
fn without_current_the_passkey_plan_assumes_the_migrated_configuration_and_says_so() {
    let (code, out, err) = run(&["passkey-policy", "--pilot-group", PILOT]);
    assert_eq!(code, 0, "{err}");
    // The plan in words over the Default profile, the assumption among its notes.
    assert!(
        out.starts_with("Passkey (FIDO2) method enabled, on passkey profiles (1 of 3)"),
        "{out}"
    );
    assert!(
        out.contains("\"Default passkey profile\" [Default]"),
        "{out}"
    );
    assert!(
        out.contains("plus \"Passkeys in Microsoft Authenticator\" without an id"),
        "{out}"
    );
    assert!(
        out.contains("note: no --current FILE was given, so this plan assumes Microsoft's default migrated configuration")
            && out.contains("pass --current FILE: the body of GET https://graph.microsoft.com/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2"),
        "{out}"
    );
    assert!(
        !out.contains("\"method\": \"PATCH\""),
        "no requests over an assumption: {out}"
    );
    let (code, effect, _) = run(&[
        "passkey-policy",
        "--pilot-group",
        PILOT,
        "--format",
        "effect",
    ]);
    assert_eq!((code, effect), (0, out));
    // Requests, a single PATCH or a script need the tenant's configuration.
    for format in ["requests", "json", "powershell"] {
        let (code, out, err) = run(&["passkey-policy", "--pilot-group", PILOT, "--format", format]);
        assert_eq!(code, 2, "{format}: {out}");
        assert!(out.is_empty(), "{format}: {out}");
        assert!(err.contains("--current FILE"), "{format}: {err}");
    }
    // The rollout plans the profile steps over the same assumption, and says so on stderr.
    let (code, script, err) = run(&["rollout", "--script", "--pilot-group", PILOT]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("note: no --current-fido2 FILE was given, so this plan assumes Microsoft's default migrated configuration")
            && err.contains("unless the tenant holds this configuration"),
        "{err}"
    );
    assert!(
        script.contains("Assert-PasskeyConfig"),
        "profile steps: {script}"
    );
    assert!(
        script.contains("Passkeys in Microsoft Authenticator"),
        "{script}"
    );
    // A given configuration without profiles keeps the single PATCH, and no assumption is said.
    let dir = temp_dir("rollout-legacy");
    std::fs::create_dir_all(&dir).unwrap();
    let current = dir.join("fido2.json");
    std::fs::write(&current, LEGACY_FIDO2).unwrap();
    let (code, script, err) = run(&[
        "rollout",
        "--script",
        "--pilot-group",
        PILOT,
        "--current-fido2",
        current.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("assumes"), "{err}");
    assert!(
        !script.contains("Assert-PasskeyConfig"),
        "the legacy PATCH: {script}"
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
    // Every step has a file but the read-back between adding the passkey profile and
    // targeting it (a GET; without --current-fido2 the migrated configuration is assumed).
    let steps = manifest["steps"].as_array().unwrap();
    let files: Vec<&str> = steps.iter().filter_map(|s| s["file"].as_str()).collect();
    assert_eq!(
        steps
            .iter()
            .filter(|s| s["file"].is_null())
            .map(|s| s["method"].as_str())
            .collect::<Vec<_>>(),
        [Some("GET")]
    );
    assert!(err.contains("no --current-fido2 FILE was given"), "{err}");
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
            "Write-Warning",
            // The passkey profile steps (the migrated configuration is assumed).
            "Write-Error",
            "Get-PasskeyConfigSeen",
            "Assert-PasskeyConfig",
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
fn rollout_pilot_script_takes_the_opt_in_tap_step_in_both_flavours() {
    const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";
    let base = [
        "rollout",
        "--pilot-script",
        "--new-group",
        "Pilot passkeys",
        "--exclude-user",
        BREAK_GLASS,
    ];
    for (flavour, commands, methods, code) in [
        (
            "sdk",
            &[
                "Import-Module",
                "Connect-MgGraph",
                "Get-MgIdentityConditionalAccessPolicy",
                "Get-MgGroup",
                "New-MgGroup",
                "New-MgIdentityConditionalAccessPolicy",
                "Write-Output",
                "Invoke-MgGraphRequest",
                "Get-MgGroupMemberAsUser",
                "New-MgUserAuthenticationTemporaryAccessPassMethod",
                "Write-Host",
                "Write-Warning",
            ][..],
            // The name check reads beta through Invoke-MgGraphRequest.
            &["[uri]::EscapeDataString"][..],
            "$tap.TemporaryAccessPass",
        ),
        (
            "invoke",
            &[
                "Import-Module",
                "Connect-MgGraph",
                "Invoke-MgGraphRequest",
                "Write-Output",
                "ConvertTo-Json",
                "Write-Host",
                "Write-Warning",
            ][..],
            &["[uri]::EscapeDataString"][..],
            "$tap.temporaryAccessPass",
        ),
    ] {
        let args = |extra: &[&'static str]| {
            let mut a = base.to_vec();
            a.extend(["--flavour", flavour]);
            a.extend(extra);
            a
        };
        let (code_off, without, err) = run(&args(&[]));
        assert_eq!(code_off, 0, "{flavour}: {err}");
        assert!(
            !without.contains("temporaryAccessPassMethods"),
            "{flavour}: opt-in only"
        );
        assert!(
            !without.contains("UserAuthMethod-TAP.ReadWrite.All"),
            "{flavour}"
        );
        let (rc, script, err) = run(&args(&["--issue-tap"]));
        assert_eq!(rc, 0, "{flavour}: {err}");
        assert!(
            err.is_empty(),
            "{flavour}: break-glass given, nothing to warn: {err}"
        );
        let c = powershell_check::check(&script, commands, methods)
            .unwrap_or_else(|v| panic!("{flavour}: {v:#?}\n{script}"));
        for cmd in ["Write-Host", "Connect-MgGraph"] {
            assert!(c.commands.iter().any(|x| x == cmd), "{flavour}: {cmd}");
        }
        assert!(
            script.contains(",'UserAuthMethod-TAP.ReadWrite.All' -NoWelcome"),
            "{flavour}: asks for the TAP permission"
        );
        assert!(
            c.literals.iter().any(|l| l == "Pilot passkeys"),
            "{flavour}: the group by name"
        );
        assert!(
            script.contains(BREAK_GLASS),
            "{flavour}: break-glass excluded"
        );
        assert!(
            script.contains("enabledForReportingButNotEnforced"),
            "{flavour}"
        );
        // The code is read once, by the Write-Host line, after the policy exists.
        let uses: Vec<&str> = script.lines().filter(|l| l.contains(code)).collect();
        assert_eq!(uses.len(), 1, "{flavour}: {uses:?}");
        assert!(
            uses[0].trim_start().starts_with("Write-Host ("),
            "{flavour}"
        );
        let at = |cmd: &str| c.commands.iter().rposition(|x| x == cmd).unwrap();
        assert!(at("Write-Host") > at("Write-Output"), "{flavour}");
        // The pilot script itself (group, then the policy), not the whole rollout.
        assert!(
            script.contains("# Pilot rollout: pilot group and policy"),
            "{flavour}"
        );
        assert!(!script.contains("authenticationStrength"), "{flavour}");
    }

    // The pass is a step of the pilot script only; the pilot script finds the group by name.
    let (rc, out, err) = run(&["rollout", "--script", "--pilot-group", PILOT, "--issue-tap"]);
    assert_eq!(rc, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains("--issue-tap is a step of --pilot-script"),
        "{err}"
    );
    let (rc, _, err) = run(&[
        "rollout",
        "--pilot-script",
        "--pilot-group",
        PILOT,
        "--issue-tap",
    ]);
    assert_eq!(rc, 2);
    assert!(err.contains("give --new-group NAME"), "{err}");
    let (rc, _, err) = run(&["rollout", "--pilot-script", "--issue-tap"]);
    assert_eq!(rc, 2);
    assert!(
        err.contains("--pilot-script needs --new-group NAME"),
        "{err}"
    );
    let (rc, _, err) = run(&["rollout", "--pilot-script", "--script", "--new-group", "G"]);
    assert_eq!(rc, 2);
    assert!(err.contains("exactly one of"), "{err}");
    // Without break-glass the usual warning, and the help names the flag.
    let (rc, _, err) = run(&["rollout", "--pilot-script", "--new-group", "G"]);
    assert_eq!(rc, 0, "{err}");
    assert!(err.contains("no break-glass account is excluded"), "{err}");
    let (_, help, _) = run(&["rollout", "--help"]);
    assert!(
        help.contains("--pilot-script --new-group NAME [--issue-tap]"),
        "{help}"
    );
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

#[test]
fn rollout_script_adds_the_members_given_and_refuses_one_that_is_no_user() {
    let rollout = |mode: &str, members: &[&str]| {
        let mut args = vec!["rollout", mode, "--pilot-group", PILOT];
        for m in members {
            args.extend(["--member", m]);
        }
        run(&args)
    };
    let (code, script, err) = rollout("--script", &["alice@contoso.com"]);
    assert_eq!(code, 0, "{err}");
    assert!(script.contains("'alice@contoso.com'"), "{script}");
    assert!(script.contains("'User.ReadBasic.All'"), "{script}");
    let (code, out, err) = rollout("--script", &["alice@contoso.com", "alice smith"]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("--member: member 2: \"alice smith\""), "{err}");
    // Members are a step of the script, not of the bundle or the switch-on script.
    let (code, _, err) = rollout("--switch-on-script", &["alice@contoso.com"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--member is a step of --script"), "{err}");
}
