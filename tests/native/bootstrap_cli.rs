//! `ca-policy bootstrap`: the contract's JSON (steps in order, `ok` null after a failure,
//! `blockedBy` policy ids or `authenticationMethodsPolicy`), the journey in words, exit 0
//! whatever the verdicts, 1 with FILE:LINE:COLUMN for a bad input, 2 for usage.

use crate::support::cli;

use cli::Run;
use serde_json::{json, Value};

const CRED_REG: &str = "6aa00308-ea33-4caa-90d6-ae905d8cb51b";
const COMPLIANT_ID: &str = "11111111-1111-4111-8111-111111111111";

fn run(args: &[&str]) -> Run {
    cli::ca_policy(&[&["bootstrap"], args].concat(), b"")
}

fn file(name: &str, v: &Value) -> String {
    cli::temp_file("bootstrap_cli", name, v.to_string().as_bytes())
        .display()
        .to_string()
}

/// Learn, "Enable passkeys in Microsoft Authenticator", troubleshooting: a compliant-device
/// grant on All resources stops an unmanaged phone from registering unless Microsoft
/// Authenticator Credential Registration is excluded.
fn compliant_on_all(exclude: &[&str]) -> Value {
    json!([{"id": COMPLIANT_ID, "displayName": "All resources: compliant device or passkey", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]},
            "applications": {"includeApplications": ["All"], "excludeApplications": exclude},
            "clientAppTypes": ["all"]},
        "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice"],
            "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000004"}}}])
}

fn methods() -> Value {
    json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy",
      "id": "authenticationMethodsPolicy", "authenticationMethodConfigurations": [
        {"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
         "isSelfServiceRegistrationAllowed": true, "defaultPasskeyProfile": "00000000-0000-0000-0000-000000000001",
         "passkeyProfiles": [{"id": "00000000-0000-0000-0000-000000000001", "name": "Default passkey profile",
            "passkeyTypes": "deviceBound,synced", "attestationEnforcement": "disabled",
            "keyRestrictions": {"isEnforced": false, "enforcementType": "block", "aaGuids": []}}],
         "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false,
            "allowedPasskeyProfiles": ["00000000-0000-0000-0000-000000000001"]}], "excludeTargets": []},
        {"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", "id": "TemporaryAccessPass",
         "state": "enabled", "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}]}]})
}

fn personas() -> Value {
    json!([
        {"name": "pilot user, personal iPhone, password + Authenticator push",
         "userId": "aaaaaaaa-0000-4000-8000-000000000001",
         "methodsRegistered": ["password", "microsoftAuthenticatorPush"],
         "signInConditions": {"devicePlatform": "iOS", "clientAppType": "mobileAppsAndDesktopClients", "deviceInfo": {}}},
        {"name": "new hire, compliant laptop, password only",
         "userId": "aaaaaaaa-0000-4000-8000-000000000002",
         "methodsRegistered": ["password"],
         "signInConditions": {"devicePlatform": "windows", "clientAppType": "browser",
                              "deviceInfo": {"trustType": "AzureAD", "isCompliant": true}}}
    ])
}

#[test]
fn the_json_follows_the_contract_and_exits_0_whatever_the_verdicts() {
    let pol = file("compliant.json", &compliant_on_all(&[]));
    let m = file("methods.json", &methods());
    let per = file("personas.json", &personas());
    let r = run(&["--json", "--policies", &pol, "--methods", &m, &per]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let ps = v["personas"].as_array().unwrap();
    assert_eq!(ps.len(), 2);
    let steps = |p: &Value| -> Vec<String> {
        p["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["step"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        steps(&ps[0]),
        [
            "reach-registration",
            "register-passkey",
            "sign-in-with-passkey"
        ]
    );
    assert_eq!(ps[0]["name"], personas()[0]["name"]);
    assert_eq!(ps[0]["ready"], false);
    assert_eq!(ps[0]["steps"][0]["ok"], false);
    assert_eq!(ps[0]["steps"][0]["blockedBy"], json!([COMPLIANT_ID]));
    assert!(ps[0]["steps"][0]["fix"]
        .as_str()
        .unwrap()
        .contains(CRED_REG));
    assert_eq!(ps[0]["steps"][1]["ok"], Value::Null);
    assert_eq!(ps[0]["steps"][2]["ok"], Value::Null);
    // Password only: no MFA for the five-minute rule, and no policy to blame.
    assert_eq!(ps[1]["steps"][0]["ok"], false);
    assert_eq!(ps[1]["steps"][0]["blockedBy"], json!([]));

    // The documented exclusion makes the phone persona ready.
    let fixed = file("compliant_fixed.json", &compliant_on_all(&[CRED_REG]));
    let r = run(&["--json", "--policies", &fixed, "--methods", &m, &per]);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["personas"][0]["ready"], true, "{}", r.stdout);
    assert!(v["personas"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["ok"] == true));
}

#[test]
fn without_methods_the_defaults_are_assumed_and_the_method_policy_blocks() {
    let pol = file("none.json", &json!([]));
    let per = file("personas_default.json", &personas());
    let r = run(&["--json", "--policies", &pol, &per]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["notes"][0]
        .as_str()
        .unwrap()
        .contains("Microsoft's defaults for a new tenant"));
    assert_eq!(v["personas"][0]["steps"][1]["ok"], false);
    assert_eq!(
        v["personas"][0]["steps"][1]["blockedBy"],
        json!(["authenticationMethodsPolicy"])
    );
}

#[test]
fn the_text_is_a_journey_per_persona() {
    let pol = file("compliant_text.json", &compliant_on_all(&[]));
    let m = file("methods_text.json", &methods());
    let per = file("personas_text.json", &personas());
    let r = run(&["--policies", &pol, "--methods", &m, &per]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "persona 1: pilot user, personal iPhone, password + Authenticator push — BLOCKED at reach-registration"
        ),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(&format!("     blocked by: {COMPLIANT_ID}\n")),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains("     fix: exclude Microsoft Authenticator Credential Registration"));
    assert!(
        r.stdout.contains("2 persona(s): 0 ready, 2 blocked\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn report_only_policies_are_enforced_only_with_report_only_as_on() {
    let mut p = compliant_on_all(&[]);
    p[0]["state"] = json!("enabledForReportingButNotEnforced");
    let pol = file("report_only.json", &p);
    let m = file("methods_ro.json", &methods());
    let per = file("personas_ro.json", &personas());
    let first_ok = |args: &[&str]| -> Value {
        let r = run(args);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        v["personas"][0]["steps"][0]["ok"].clone()
    };
    assert_eq!(
        first_ok(&["--json", "--policies", &pol, "--methods", &m, &per]),
        true
    );
    assert_eq!(
        first_ok(&[
            "--json",
            "--report-only-as-on",
            "--policies",
            &pol,
            "--methods",
            &m,
            &per
        ]),
        false
    );
}

#[test]
fn bad_inputs_exit_1_with_file_line_column() {
    let pol = file("ok.json", &json!([]));
    let bad = cli::temp_file(
        "bootstrap_cli",
        "bad_personas.json",
        b"[\n  {\"name\": \"a\", \"userId\": \"u\",\n   \"methodsRegistered\": \"password\", \"signInConditions\": {}}\n]",
    )
    .display()
    .to_string();
    let r = run(&["--policies", &pol, &bad]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with(&format!("error: {bad}:3:")),
        "{}",
        r.stderr
    );

    let bad_methods = cli::temp_file("bootstrap_cli", "bad_methods.json", b"{\"value\": [1]}")
        .display()
        .to_string();
    let per = file("personas_bad.json", &personas());
    let r = run(&["--policies", &pol, "--methods", &bad_methods, &per]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with(&format!("error: {bad_methods}:1:")),
        "{}",
        r.stderr
    );

    let bad_policy = cli::temp_file(
        "bootstrap_cli",
        "bad_policy.json",
        b"[{\"conditions\": {}},\n 7]",
    )
    .display()
    .to_string();
    let r = run(&["--policies", &bad_policy, &per]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with(&format!("error: {bad_policy}:2:2:")),
        "{}",
        r.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let per = file("personas_usage.json", &personas());
    let r = run(&[&per]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("expected at least one --policies FILE"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("usage: ca-policy bootstrap"),
        "{}",
        r.stderr
    );
    let pol = file("usage_pol.json", &json!([]));
    let r = run(&["--policies", &pol]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("expected PERSONAS.json"), "{}", r.stderr);
    let r = run(&["--policies", "/nonexistent/p.json", &per]);
    assert_eq!(r.code, 2);
    let r = run(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.starts_with("usage: ca-policy bootstrap"),
        "{}",
        r.stdout
    );
}

/// `--registrations`: the tenant's registration report (Learn, "List userRegistrationDetails")
/// gives what a persona holds when PERSONAS.json does not say: the same verdicts as the methods
/// written out (a password included); a persona the report does not hold is an input error at
/// its position, and without the report a missing `methodsRegistered` says what to give.
#[test]
fn a_persona_without_methods_takes_its_users_from_the_registration_report() {
    let pol = file("compliant.json", &compliant_on_all(&[CRED_REG]));
    let m = file("methods.json", &methods());
    let written = file("personas.json", &personas());
    let mut bare = personas();
    for p in bare.as_array_mut().unwrap() {
        p.as_object_mut().unwrap().remove("methodsRegistered");
    }
    let bare = file("bare.json", &bare);
    let report = file(
        "report.json",
        &json!({"value": [
            {"id": "AAAAAAAA-0000-4000-8000-000000000001", "userPrincipalName": "pilot@contoso.com",
             "userType": "member", "methodsRegistered": ["microsoftAuthenticatorPush"]},
            {"id": "aaaaaaaa-0000-4000-8000-000000000002", "methodsRegistered": []}]}),
    );
    let a = run(&["--json", "--policies", &pol, "--methods", &m, &written]);
    let b = run(&[
        "--json",
        "--policies",
        &pol,
        "--methods",
        &m,
        "--registrations",
        &report,
        &bare,
    ]);
    assert_eq!((a.code, b.code), (0, 0), "{}", b.stderr);
    assert_eq!(a.stdout, b.stdout);

    let one = file(
        "one.json",
        &json!({"value": [{"id": "aaaaaaaa-0000-4000-8000-000000000001", "methodsRegistered": []}]}),
    );
    let r = run(&["--policies", &pol, "--registrations", &one, &bare]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("bare.json:"), "{}", r.stderr);
    assert!(
        r.stderr.contains("persona 1") && r.stderr.contains("no entry for its userId"),
        "{}",
        r.stderr
    );
    let r = run(&["--policies", &pol, &bare]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("--registrations"), "{}", r.stderr);
}
