//! `ca-policy passkey-policy` on a configuration with passkey profiles: the ordered PATCHes of
//! the pilot profile (`--format requests`), checked against the v1.0 schema.

use crate::support::cli;
use crate::support::schema::{assert_valid_as, Schema};
use serde_json::{json, Value};

const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const OTHER_GROUP: &str = "aaaaaaaa-1111-2222-3333-444444444444";
const DEFAULT_ID: &str = "00000000-0000-0000-0000-000000000001";
const OURS_ID: &str = "84c712c1-8688-4679-8546-a603ff82da46";
const IOS: &str = "90a3ccdf-635c-4729-a248-9b709135078f";
const ANDROID: &str = "de1e552d-db1d-4423-a619-566b625cdc84";
const NAME: &str = "Passkeys in Microsoft Authenticator";
const PATH: &str = "/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2";
const SERVICE_ID: &str = "032c8781-d687-48d8-ba7d-457518f349b6";

fn migrated() -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authenticationMethodsPolicy/authenticationMethodConfigurations/$entity",
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "id": "Fido2", "state": "enabled", "isSelfServiceRegistrationAllowed": true,
        "isAttestationEnforced": false,
        "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] },
        "defaultPasskeyProfile": DEFAULT_ID,
        "passkeyProfiles": [{ "id": DEFAULT_ID, "name": "Default passkey profile",
            "passkeyTypes": "deviceBound,synced", "attestationEnforcement": "disabled",
            "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] } }],
        "includeTargets": [
            { "targetType": "group", "id": "all_users", "isRegistrationRequired": false,
              "allowedPasskeyProfiles": [DEFAULT_ID] },
            { "targetType": "group", "id": OTHER_GROUP, "isRegistrationRequired": true,
              "allowedPasskeyProfiles": [DEFAULT_ID] }],
        "excludeTargets": []
    })
}

fn ours() -> Value {
    json!({ "id": OURS_ID, "name": NAME, "passkeyTypes": "deviceBound",
        "attestationEnforcement": "registrationOnly",
        "keyRestrictions": { "isEnforced": true, "enforcementType": "allow", "aaGuids": [IOS, ANDROID] } })
}

fn with_profile(v: &mut Value, p: Value) {
    v["passkeyProfiles"].as_array_mut().unwrap().push(p);
}

fn pilot_target(id: &str) -> Value {
    json!({"targetType": "group", "id": PILOT, "isRegistrationRequired": false, "allowedPasskeyProfiles": [id]})
}

/// `passkey-policy --current FILE --pilot-group PILOT --format requests` over `config`.
fn requests(name: &str, config: &Value, extra: &[&str]) -> cli::Run {
    let f = cli::temp_file("passkey_profiles", name, config.to_string().as_bytes());
    let mut args = vec![
        "passkey-policy",
        "--current",
        f.to_str().unwrap(),
        "--pilot-group",
        PILOT,
        "--format",
        "requests",
    ];
    args.extend_from_slice(extra);
    cli::ca_policy(&args, b"")
}

fn plan(name: &str, config: &Value) -> Vec<Value> {
    let r = requests(name, config, &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("a JSON array");
    v.as_array().expect("an array").clone()
}

/// Every request is a PATCH of the FIDO2 configuration whose body (the placeholder replaced by
/// the id the service would give) matches the v1.0 schema.
fn assert_requests_valid(plan: &[Value]) {
    let am = Schema::load_authentication_methods();
    for (i, r) in plan.iter().enumerate() {
        assert_eq!(r["method"], "PATCH");
        assert_eq!(r["path"], PATH);
        let body = serde_json::to_string(&r["body"])
            .unwrap()
            .replace(&format!("{{{{profile-id:{NAME}}}}}"), SERVICE_ID);
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_valid_as(
            &am,
            &body,
            "fido2AuthenticationMethodConfiguration",
            &format!("request {i}"),
        );
    }
}

fn target_ids(body: &Value) -> Vec<&str> {
    body["includeTargets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect()
}

#[test]
fn a_default_only_tenant_gets_the_profile_added_then_targeted() {
    let config = migrated();
    let plan = plan("default-only.json", &config);
    assert_eq!(plan.len(), 2, "{plan:?}");
    assert_requests_valid(&plan);

    let add = &plan[0]["body"];
    assert!(
        add.get("includeTargets").is_none(),
        "no target in the add: {add}"
    );
    let profiles = add["passkeyProfiles"].as_array().unwrap();
    assert_eq!(profiles.len(), 2);
    assert_eq!(
        profiles[0], config["passkeyProfiles"][0],
        "echoed unchanged"
    );
    let new = &profiles[1];
    assert!(new.get("id").is_none(), "the service assigns the id: {new}");
    assert_eq!(new["name"], NAME);
    assert_eq!(new["passkeyTypes"], "deviceBound");
    assert_eq!(new["attestationEnforcement"], "registrationOnly");
    assert_eq!(
        new["keyRestrictions"],
        json!({"isEnforced": true, "enforcementType": "allow", "aaGuids": [IOS, ANDROID]})
    );
    assert!(
        !add.to_string().contains("{{"),
        "the add needs no placeholder: {add}"
    );

    let target = &plan[1]["body"];
    assert!(target.get("passkeyProfiles").is_none());
    assert_eq!(target_ids(target), vec!["all_users", OTHER_GROUP, PILOT]);
    assert_eq!(target["includeTargets"][0], config["includeTargets"][0]);
    assert_eq!(target["includeTargets"][1], config["includeTargets"][1]);
    assert_eq!(
        target["includeTargets"][2],
        pilot_target(&format!("{{{{profile-id:{NAME}}}}}"))
    );
}

#[test]
fn a_finished_rollout_is_an_empty_plan() {
    let mut config = migrated();
    with_profile(&mut config, ours());
    config["includeTargets"]
        .as_array_mut()
        .unwrap()
        .push(pilot_target(OURS_ID));
    assert_eq!(plan("finished.json", &config), Vec::<Value>::new());
}

#[test]
fn a_profile_not_yet_targeted_gets_only_the_target() {
    let mut config = migrated();
    with_profile(&mut config, ours());
    let plan = plan("half-done.json", &config);
    assert_eq!(plan.len(), 1, "{plan:?}");
    assert_requests_valid(&plan);
    let body = &plan[0]["body"];
    assert!(body.get("passkeyProfiles").is_none());
    assert_eq!(target_ids(body), vec!["all_users", OTHER_GROUP, PILOT]);
    assert_eq!(body["includeTargets"][2], pilot_target(OURS_ID));
}

#[test]
fn three_profiles_are_refused_naming_the_limit_unless_one_is_ours() {
    let mut config = migrated();
    for (i, name) in ["Security keys", "Admins"].iter().enumerate() {
        with_profile(
            &mut config,
            json!({"id": format!("c2450bed-0ebd-48ca-9c74-3dedbaada4{i:02}"), "name": name,
                "passkeyTypes": "deviceBound", "attestationEnforcement": "registrationOnly",
                "keyRestrictions": {"isEnforced": true, "enforcementType": "allow", "aaGuids": []}}),
        );
    }
    let r = requests("three.json", &config, &[]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("the limit is 3 profiles"), "{}", r.stderr);
    assert!(r.stderr.contains("\"Admins\""), "{}", r.stderr);

    config["passkeyProfiles"][2] = ours();
    let plan = plan("three-ours.json", &config);
    assert_eq!(plan.len(), 1, "reused, only targeted: {plan:?}");
    assert_requests_valid(&plan);
    assert_eq!(plan[0]["body"]["includeTargets"][2], pilot_target(OURS_ID));
}

#[test]
fn existing_targets_are_never_dropped_and_the_pilot_keeps_its_profiles() {
    let mut config = migrated();
    config["includeTargets"].as_array_mut().unwrap().push(
        json!({"targetType": "group", "id": PILOT, "isRegistrationRequired": true,
            "allowedPasskeyProfiles": [DEFAULT_ID]}),
    );
    let plan = plan("pilot-present.json", &config);
    assert_eq!(plan.len(), 2);
    assert_requests_valid(&plan);
    let targets = plan[1]["body"]["includeTargets"].as_array().unwrap();
    assert_eq!(targets.len(), 3);
    assert_eq!(
        targets[..2],
        config["includeTargets"].as_array().unwrap()[..2]
    );
    assert_eq!(targets[2]["isRegistrationRequired"], true);
    assert_eq!(
        targets[2]["allowedPasskeyProfiles"],
        json!([DEFAULT_ID, format!("{{{{profile-id:{NAME}}}}}")])
    );
}

#[test]
fn options_shape_the_profile_and_are_checked() {
    let config = migrated();
    let r = requests(
        "synced.json",
        &config,
        &["--allow-synced", "--no-attestation"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let plan: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_requests_valid(&plan);
    let new = &plan[0]["body"]["passkeyProfiles"][1];
    assert_eq!(new["passkeyTypes"], "deviceBound,synced");
    assert_eq!(new["attestationEnforcement"], "disabled");
    assert!(
        r.stderr.contains("6.8.37") && r.stderr.contains("6.2507.4749"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("allows synced passkeys with attestation off"),
        "the migrated Default is flagged: {}",
        r.stderr
    );

    let r = requests("synced-attested.json", &config, &["--allow-synced"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("cannot be attested"), "{}", r.stderr);

    let r = requests(
        "block-default.json",
        &config,
        &["--block-authenticator-in-default"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let plan: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_requests_valid(&plan);
    assert_eq!(
        plan[0]["body"]["passkeyProfiles"][0]["keyRestrictions"],
        json!({"isEnforced": true, "enforcementType": "block", "aaGuids": [IOS, ANDROID]})
    );
}

#[test]
fn profiles_are_the_default_path_and_effect_says_it_in_words() {
    let config = migrated();
    let f = cli::temp_file(
        "passkey_profiles",
        "default-format.json",
        config.to_string().as_bytes(),
    );
    let file = f.to_str().unwrap();
    let r = cli::ca_policy(
        &["passkey-policy", "--current", file, "--pilot-group", PILOT],
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let plan: Vec<Value> = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(plan.len(), 2);

    let r = cli::ca_policy(
        &[
            "passkey-policy",
            "--current",
            file,
            "--pilot-group",
            PILOT,
            "--format",
            "effect",
        ],
        b"",
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("profile \"Default passkey profile\" [Default]"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(&format!(
        "reaches all users (all_users), group {OTHER_GROUP}"
    )));
    assert!(r.stdout.contains("without an id (the service assigns it)"));

    let r = cli::ca_policy(
        &[
            "passkey-policy",
            "--current",
            file,
            "--pilot-group",
            PILOT,
            "--format",
            "json",
        ],
        b"",
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--format requests"), "{}", r.stderr);
}

#[test]
fn a_legacy_configuration_keeps_its_single_patch() {
    let legacy = json!({"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "id": "Fido2", "state": "enabled", "isAttestationEnforced": false,
        "includeTargets": [{"targetType": "group", "id": OTHER_GROUP, "isRegistrationRequired": false}],
        "excludeTargets": []});
    let plan = plan("legacy.json", &legacy);
    assert_eq!(plan.len(), 1);
    let am = Schema::load_authentication_methods();
    assert_valid_as(
        &am,
        &plan[0]["body"],
        "fido2AuthenticationMethodConfiguration",
        "legacy",
    );
    assert_eq!(target_ids(&plan[0]["body"]), vec![OTHER_GROUP, PILOT]);
    assert_eq!(plan[0]["body"]["isAttestationEnforced"], true);

    let r = cli::ca_policy(
        &[
            "passkey-policy",
            "--pilot-group",
            PILOT,
            "--format",
            "requests",
        ],
        b"",
    );
    assert_eq!(r.code, 2, "no configuration read, no requests");
    assert!(r.stderr.contains("needs --current FILE"), "{}", r.stderr);

    let r = requests("legacy-synced.json", &legacy, &["--allow-synced"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no passkeyProfiles"), "{}", r.stderr);
}
