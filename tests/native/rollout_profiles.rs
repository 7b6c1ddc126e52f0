//! The rollout on a tenant with passkey profiles: the script (both flavours) adds the pilot
//! profile, reads its id back by name and targets the pilot group with it, comparing the
//! configuration with the one it was generated over before each PATCH; the bundle writes the
//! same steps as ordered files. Hostile profile names (quotes, `$(`, backticks, non-ASCII,
//! newlines) stay data: every script parses cleanly and its literals decode to the plan.

use crate::support::powershell::{check, Checked, Part};

use ca_builder::builders::methods::{
    self, fill_profile_id, profile_plan, CurrentConfig, Fido2Config, Method, ProfileSettings,
    StepKind, TapSettings, PILOT_GROUP_PLACEHOLDER,
};
use ca_builder::builders::rollout::{PasskeyChange, PilotGroup, ProfileRollout, Rollout};
use ca_builder::builders::strength::StrengthSettings;
use ca_builder::export::bundle::rollout_bundle;
use ca_builder::export::powershell::{self, Flavour};
use ca_builder::policy::templates::{group_body, Template, TemplateParams};
use serde_json::{json, Value};

const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const DEFAULT_ID: &str = "00000000-0000-0000-0000-000000000001";
/// What the read back would give the new profile.
const PROFILE_ID: &str = "84c712c1-8688-4679-8546-a603ff82da46";

fn hostile() -> Vec<String> {
    [
        "Plain",
        "'",
        "O'Brien\u{2019}s \u{201c}Pilot\u{201d}",
        "' + (Remove-Item x) + '",
        "$(Remove-Item x)",
        "`n`$x ``",
        "line1\nline2",
        "\n'@\nRemove-Item x\n'@\n",
        "#> Remove-Item x <#",
        "a|b;c,d",
        "\u{1f510} Passkeys \u{e9}",
        "ls\u{2028}ps\u{85}",
        PILOT_GROUP_PLACEHOLDER,
        "{{profile-id:x}}",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

/// A tenant on profiles whose Default profile carries `name`.
fn tenant(name: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "id": "Fido2", "state": "enabled", "isSelfServiceRegistrationAllowed": true,
        "defaultPasskeyProfile": DEFAULT_ID,
        "passkeyProfiles": [{ "id": DEFAULT_ID, "name": name,
            "passkeyTypes": "deviceBound,synced", "attestationEnforcement": "disabled",
            "keyRestrictions": { "isEnforced": false, "enforcementType": "block", "aaGuids": [] } }],
        "includeTargets": [{ "targetType": "group", "id": "all_users", "isRegistrationRequired": false,
            "allowedPasskeyProfiles": [DEFAULT_ID] }],
        "excludeTargets": []
    })
}

fn plan(name: &str, create: bool) -> Rollout {
    let read = match Fido2Config::parse(&tenant(name).to_string()).unwrap() {
        Fido2Config::Profiles(c) => c,
        Fido2Config::Legacy(_) => panic!("legacy"),
    };
    let (pilot, gid) = if create {
        (
            PilotGroup::Create(group_body("Passkey pilot")),
            PILOT_GROUP_PLACEHOLDER,
        )
    } else {
        (PilotGroup::Existing(PILOT.into()), PILOT)
    };
    let mut settings = ProfileSettings::new(gid);
    settings.name = format!("Pilot {name}");
    let plan = profile_plan(&settings, &read).unwrap();
    let tap = methods::tap_patch(
        &TapSettings::new(gid),
        &CurrentConfig::service_default(Method::TemporaryAccessPass),
    )
    .unwrap();
    let params = TemplateParams {
        pilot_group: Some(PILOT.into()),
        ..Default::default()
    };
    Rollout::build(
        pilot,
        PasskeyChange::Profiles(ProfileRollout { plan, read }),
        tap,
        StrengthSettings::default(),
        vec![("pilot".into(), Template::Pilot.build(&params).unwrap())],
        &[],
    )
    .unwrap()
}

fn profiles(r: &Rollout) -> &ProfileRollout {
    match &r.fido2 {
        PasskeyChange::Profiles(p) => p,
        PasskeyChange::Patch(_) => panic!("a single PATCH"),
    }
}

const ALLOWED: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Get-MgIdentityConditionalAccessPolicy",
    "Get-MgGroup",
    "New-MgGroup",
    "Invoke-MgGraphRequest",
    "Update-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration",
    "New-MgPolicyAuthenticationStrengthPolicy",
    "New-MgIdentityConditionalAccessPolicy",
    "Out-Null",
    "Write-Output",
    "Write-Error",
    "Write-Warning",
    "Get-PasskeyConfigSeen",
    "Assert-PasskeyConfig",
];

fn checked(script: &str, what: &str) -> Checked {
    assert!(script.is_ascii(), "{what}: not ASCII\n{script}");
    check(script, ALLOWED, &["[uri]::EscapeDataString"])
        .unwrap_or_else(|v| panic!("{what}: {v:#?}\n--- script ---\n{script}"))
}

/// The `+` chain assigned to `var`, with the run-time ids filled in.
fn filled(c: &Checked, var: &str, nth: usize) -> String {
    let mut text = String::new();
    for part in c.concat_of(var, nth).unwrap() {
        match part {
            Part::Literal(s) => text.push_str(&s),
            Part::Code(code) if code == "$profileId" => text.push_str(PROFILE_ID),
            Part::Code(code) if code == "$groupId" => text.push_str(PILOT),
            Part::Code(code) => panic!("{var}: unexpected code {code}"),
        }
    }
    text
}

fn resolved(body: &Value, name: &str) -> Value {
    let text = body.to_string().replace(
        &format!("\"{PILOT_GROUP_PLACEHOLDER}\""),
        &format!("\"{PILOT}\""),
    );
    fill_profile_id(&serde_json::from_str(&text).unwrap(), name, PROFILE_ID)
}

#[test]
fn the_rollout_script_adds_reads_back_and_targets_the_profile() {
    for name in hostile() {
        for create in [false, true] {
            let r = plan(&name, create);
            let p = profiles(&r);
            let pname = p.plan.profile_name.clone();
            assert_eq!(p.plan.steps.len(), 2);
            let what = format!("invoke create={create} {name:?}");
            let s = powershell::rollout_script(Flavour::Invoke, &r).unwrap();
            let c = checked(&s, &what);
            for cmd in [
                "Write-Error",
                "Get-PasskeyConfigSeen",
                "Assert-PasskeyConfig",
            ] {
                assert!(c.commands.iter().any(|x| x == cmd), "{what}: {cmd}");
            }
            assert_eq!(
                c.value_of("$profileName", 0).unwrap(),
                json!(pname),
                "{what}"
            );
            // What the script compares with, as the PowerShell function builds it.
            let default = format!("{DEFAULT_ID}|{name}|deviceBound,synced|disabled|False|block|");
            let before = c.value_of("$fido2Before", 0).unwrap();
            assert_eq!(
                before,
                json!({"state": "enabled", "excludeTargets": "", "passkeyProfiles": default,
                    "includeTargets": format!("all_users|group|False|{DEFAULT_ID}")}),
                "{what}"
            );
            assert_eq!(c.value_of("$fido2Added", 0).unwrap(), before, "{what}");
            assert_eq!(
                filled(&c, "$fido2TargetsDone", 0),
                format!("all_users|group|False|{DEFAULT_ID};{PILOT}|group|False|{PROFILE_ID}"),
                "{what}"
            );
            // The bodies in order: step 1 as planned, step 2 with the ids filled in.
            let step1 = p.step(StepKind::Profiles).unwrap();
            let step2 = p.step(StepKind::Targets).unwrap();
            let sent1: Value = serde_json::from_str(&filled(&c, "$body", 0)).unwrap();
            assert_eq!(sent1, *step1, "{what}: step 1");
            assert!(sent1["passkeyProfiles"][1].get("id").is_none());
            assert_eq!(sent1["passkeyProfiles"][0]["name"], json!(name));
            let sent2: Value = serde_json::from_str(&filled(&c, "$body", 1)).unwrap();
            assert_eq!(sent2, resolved(step2, &pname), "{what}: step 2");
            assert_eq!(
                sent2["includeTargets"][1]["allowedPasskeyProfiles"],
                json!([PROFILE_ID])
            );
            assert!(sent2.get("passkeyProfiles").is_none(), "never one PATCH");
            // Order: a read and a comparison before each PATCH, the id found by name between.
            let at = |needle: &str| s.find(needle).unwrap_or_else(|| panic!("{what}: {needle}"));
            let patches: Vec<usize> = s
                .match_indices("-Method PATCH -Uri '/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2'")
                .map(|(i, _)| i)
                .collect();
            assert_eq!(patches.len(), 2, "{what}");
            assert!(at("'before any change'") < patches[0]);
            let before_add = at("'before adding the profile'");
            let id = at("$profileId = [string]$fido2Named[0].id");
            let before_target = at("'before targeting the profile'");
            assert!(before_add < patches[0] && patches[0] < id, "{what}");
            assert!(id < before_target && before_target < patches[1], "{what}");
            assert!(s.contains("if ($fido2Named.Count -ne 1) {"), "{what}");

            let what = format!("sdk create={create} {name:?}");
            let sdk = powershell::rollout_script(Flavour::Sdk, &r).unwrap();
            let c = checked(&sdk, &what);
            assert_eq!(c.value_of("$params", 0).unwrap(), *step1, "{what}: step 1");
            assert_eq!(
                c.value_of("$profileName", 0).unwrap(),
                json!(pname),
                "{what}"
            );
            assert!(
                sdk.contains("@('") && sdk.contains("$profileId"),
                "{what}: step 2 carries the id read back"
            );
        }
    }
}

#[test]
fn a_half_done_rollout_only_targets_and_the_scopes_are_least_privileged() {
    // The profile exists (added by an earlier run): no add step, the id is still read by name.
    let mut v = tenant("Default passkey profile");
    v["passkeyProfiles"].as_array_mut().unwrap().push(json!({
        "id": PROFILE_ID, "name": "Passkeys in Microsoft Authenticator", "passkeyTypes": "deviceBound",
        "attestationEnforcement": "registrationOnly",
        "keyRestrictions": {"isEnforced": true, "enforcementType": "allow",
            "aaGuids": ["90a3ccdf-635c-4729-a248-9b709135078f", "de1e552d-db1d-4423-a619-566b625cdc84"]}}));
    let Fido2Config::Profiles(read) = Fido2Config::parse(&v.to_string()).unwrap() else {
        panic!("legacy")
    };
    let plan = profile_plan(&ProfileSettings::new(PILOT), &read).unwrap();
    assert_eq!(plan.steps.len(), 1);
    let r = Rollout::build(
        PilotGroup::Existing(PILOT.into()),
        PasskeyChange::Profiles(ProfileRollout { plan, read }),
        methods::tap_patch(
            &TapSettings::new(PILOT),
            &CurrentConfig::service_default(Method::TemporaryAccessPass),
        )
        .unwrap(),
        StrengthSettings::default(),
        vec![],
        &[],
    )
    .unwrap();
    for flavour in [Flavour::Invoke, Flavour::Sdk] {
        let s = powershell::rollout_script(flavour, &r).unwrap();
        checked(&s, "half done");
        assert!(!s.contains("'before adding the profile'"));
        assert!(s.contains("was deleted since this script was generated"));
        assert!(s.contains("'before targeting the profile'"));
        assert!(s.contains(
            "Connect-MgGraph -Scopes 'Policy.Read.All','Policy.ReadWrite.ConditionalAccess','Policy.ReadWrite.AuthenticationMethod' -NoWelcome"
        ));
    }
}

#[test]
fn the_bundle_writes_the_profile_steps_in_order_with_the_placeholder() {
    let name = "O'Brien \"x\" $(y)";
    let r = plan(name, true);
    let p = profiles(&r);
    let ph = p.placeholder();
    let files = rollout_bundle(&r);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        &names[..4],
        [
            "00-pilot-group.json",
            "11-passkey-profile-add.json",
            "13-passkey-profile-target.json",
            "20-tap-method.json"
        ]
    );
    assert!(!names.contains(&"10-passkey-method.json"));
    let get = |f: &str| -> Value {
        serde_json::from_str(&files.iter().find(|(n, _)| n == f).unwrap().1).unwrap()
    };
    assert_eq!(
        get("11-passkey-profile-add.json"),
        *p.step(StepKind::Profiles).unwrap()
    );
    let target = get("13-passkey-profile-target.json");
    assert_eq!(
        target["includeTargets"][1]["allowedPasskeyProfiles"],
        json!([ph])
    );
    let manifest = get("manifest.json");
    let steps = manifest["steps"].as_array().unwrap();
    let kinds: Vec<(&str, Option<&str>)> = steps[1..4]
        .iter()
        .map(|s| (s["method"].as_str().unwrap(), s["file"].as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("PATCH", Some("11-passkey-profile-add.json")),
            ("GET", None),
            ("PATCH", Some("13-passkey-profile-target.json"))
        ]
    );
    assert_eq!(steps[2]["provides"], json!(ph));
    assert_eq!(steps[2]["permission"], "Policy.Read.AuthenticationMethod");
    assert_eq!(steps[3]["needs"], json!(ph));
    assert!(manifest["placeholders"][&ph]
        .as_str()
        .unwrap()
        .contains("exactly one"));
    let readme = &files.iter().find(|(f, _)| f == "README.md").unwrap().1;
    assert!(readme.contains(&format!("`{ph}` in `13-passkey-profile-target.json` is filled with the id of the one profile named")), "{readme}");
    assert!(readme.contains("| 3 | (no body) | `GET "), "{readme}");
}
