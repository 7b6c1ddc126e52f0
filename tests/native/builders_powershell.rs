//! The builders' scripts (method PATCH, authentication strength, whole rollout, switch-on):
//! with hostile names and hostile values in a pasted configuration, every script parses
//! without ERROR/MISSING nodes, invokes only the intended commands, and its literals decode
//! (by PowerShell's rules) to exactly the bodies the builders produced.

use crate::support::powershell as powershell_check;

use ca_builder::builders::methods::{
    self, CurrentConfig, Method, MethodPatch, PasskeySettings, TapSettings, PILOT_GROUP_PLACEHOLDER,
};
use ca_builder::builders::risk;
use ca_builder::builders::rollout::{check_member, PasskeyChange, PilotGroup, Rollout};
use ca_builder::builders::strength::{self, StrengthSettings, STRENGTH_PLACEHOLDER};
use ca_builder::export::powershell::{self, Flavour};
use ca_builder::policy::templates::{group_body, Template, TemplateParams};
use powershell_check::{check, Checked, Part};
use serde_json::{json, Value};
use std::collections::BTreeSet;

const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";
/// What `$strength.id` would return, spliced in where the script uses `$strengthId`.
const STRENGTH_ID: &str = "5c5c5c5c-1111-2222-3333-444444444444";

fn hostile() -> Vec<String> {
    [
        "'",
        "’",
        "‘) ; Remove-Item x ; (‘",
        "O'Brien’s “Pilot”",
        "' + (Remove-Item x) + '",
        "$(Remove-Item x)",
        "`n`$x ``",
        "line1\nline2",
        "\n'@\nRemove-Item x\n'@\n",
        "#> Remove-Item x <#",
        "a; Remove-Item x",
        "–WhatIf —Confirm",
        "🔐 Passkeys",
        "ls\u{2028}ps\u{85}",
        PILOT_GROUP_PLACEHOLDER,
        STRENGTH_PLACEHOLDER,
        "ca-builder-pilot-group-id",
        "\"ca-builder-pilot-group-id\"",
        "state=enabled; includeTargets=",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

fn checked(script: &str, commands: &[&str], what: &str) -> Checked {
    // ASCII: every PowerShell reads it the same, with or without BOM (see ps_literal).
    assert!(script.is_ascii(), "{what}: not ASCII\n{script}");
    let c = check(script, commands, &["[uri]::EscapeDataString"])
        .unwrap_or_else(|v| panic!("{what}: {v:#?}\n--- script ---\n{script}"));
    let got: BTreeSet<&str> = c.commands.iter().map(String::as_str).collect();
    let want: BTreeSet<&str> = commands.iter().copied().collect();
    assert_eq!(got, want, "{what}: commands");
    c
}

/// A pasted FIDO2 configuration whose stored values are hostile: the tenant holds what it holds,
/// and the merge carries it into the body and the expected fingerprint.
fn hostile_current(name: &str) -> CurrentConfig {
    let text = json!({
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "state": "enabled",
        "keyRestrictions": {"isEnforced": true, "enforcementType": "allow", "aaGuids": [name]},
        "includeTargets": [{"targetType": "group", "id": name, "isRegistrationRequired": false}],
        "excludeTargets": [{"targetType": "group", "id": name}]
    })
    .to_string();
    CurrentConfig::parse(Method::Fido2, &text).unwrap()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

fn single_literal(c: &Checked, var: &str, nth: usize) -> String {
    match c.concat_of(var, nth).unwrap().as_slice() {
        [Part::Literal(s)] => s.clone(),
        other => panic!("{var} #{nth} is not one literal: {other:?}"),
    }
}

const METHOD_SDK: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Invoke-MgGraphRequest",
    "Update-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration",
    "Write-Output",
];
const INVOKE: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Invoke-MgGraphRequest",
    "Write-Output",
];
/// Invoke-flavour scripts that discard a response they do not print.
const INVOKE_PIPED: &[&str] = &[
    "Import-Module",
    "Connect-MgGraph",
    "Invoke-MgGraphRequest",
    "Out-Null",
    "Write-Output",
];

fn assert_guard(c: &Checked, var: &str, patch: &MethodPatch, what: &str) {
    assert_eq!(
        single_literal(c, &format!("{var}Expected"), 0),
        patch.expected_current,
        "{what}: expected fingerprint"
    );
    let seen = c.assignments(&format!("{var}Seen"));
    let text = &c.source[seen[0].byte_range()];
    for label in [
        "state=",
        "; includeTargets=",
        "; excludeTargets=",
        "; aaGuids=",
        "; passkeyProfiles=",
    ] {
        assert!(
            text.contains(&format!("'{label}'")),
            "{what}: the guard builds {label} like the fingerprint: {text}"
        );
    }
}

#[test]
fn method_patch_scripts_carry_hostile_stored_values_as_inert_literals() {
    for name in hostile() {
        let patch =
            methods::fido2_patch(&PasskeySettings::new(PILOT), &hostile_current(&name)).unwrap();
        if name == PILOT_GROUP_PLACEHOLDER {
            // A stored target id that reads like the placeholder is ambiguous: refused, not guessed.
            assert!(powershell::method_patch_script(Flavour::Sdk, &patch).is_err());
            continue;
        }
        let what = format!("fido2 sdk {name:?}");
        let s = powershell::method_patch_script(Flavour::Sdk, &patch).unwrap();
        let c = checked(&s, METHOD_SDK, &what);
        assert_eq!(c.value_of("$params", 0).unwrap(), patch.body, "{what}");
        assert!(
            c.literals.iter().any(|l| l == "Fido2"),
            "{what}: -AuthenticationMethodConfigurationId"
        );
        assert_guard(&c, "$current", &patch, &what);
        // The write permission covers the read: nothing broader is asked for.
        assert!(s.contains("Connect-MgGraph -Scopes 'Policy.ReadWrite.AuthenticationMethod' "));
        assert!(!s.contains("Policy.Read.All"), "{what}");

        let what = format!("fido2 invoke {name:?}");
        let s = powershell::method_patch_script(Flavour::Invoke, &patch).unwrap();
        let c = checked(&s, INVOKE, &what);
        assert_eq!(
            single_literal(&c, "$body", 0),
            pretty(&patch.body),
            "{what}"
        );
        assert!(c.literals.iter().any(|l| l == "/v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/fido2"));
        assert_guard(&c, "$current", &patch, &what);
        // The guard comes before the PATCH.
        assert!(
            s.find("throw").unwrap() < s.find("-Method PATCH").unwrap(),
            "{what}"
        );
    }
}

#[test]
fn a_body_with_the_placeholder_group_gets_no_standalone_script() {
    let patch = methods::tap_patch(
        &TapSettings::new(PILOT_GROUP_PLACEHOLDER),
        &CurrentConfig::service_default(Method::TemporaryAccessPass),
    )
    .unwrap();
    let e = powershell::method_patch_script(Flavour::Invoke, &patch).unwrap_err();
    assert!(e.to_string().contains(PILOT_GROUP_PLACEHOLDER), "{e}");
}

#[test]
fn strength_scripts_decode_to_the_strength_bodies() {
    for name in hostile() {
        let s = StrengthSettings {
            display_name: format!("x{name}"),
            description: name.clone(),
            ..Default::default()
        };
        let what = format!("strength {name:?}");
        let sdk = powershell::strength_script(Flavour::Sdk, &s).unwrap();
        let c = checked(
            &sdk,
            &[
                "Import-Module",
                "Connect-MgGraph",
                "New-MgPolicyAuthenticationStrengthPolicy",
                "Write-Output",
            ],
            &what,
        );
        assert_eq!(
            c.value_of("$params", 0).unwrap(),
            strength::strength_body_inline(&s).unwrap(),
            "{what}"
        );
        let inv = powershell::strength_script(Flavour::Invoke, &s).unwrap();
        let c = checked(&inv, INVOKE_PIPED, &what);
        assert_eq!(
            single_literal(&c, "$body", 0),
            pretty(&strength::strength_body(&s).unwrap())
        );
        assert_eq!(
            single_literal(&c, "$body", 1),
            pretty(&strength::combination_body(&s).unwrap())
        );
        assert!(inv.contains("-Uri ('/v1.0/identity/conditionalAccess/authenticationStrength/policies/' + $strengthId + '/combinationConfigurations')"));
    }
}

fn plan(name: &str, create: bool) -> Rollout {
    let params = TemplateParams {
        display_name: Some(
            if name == PILOT_GROUP_PLACEHOLDER || name == STRENGTH_PLACEHOLDER {
                name.to_string()
            } else {
                format!("P {name}")
            },
        ),
        exclude_users: vec![BREAK_GLASS.into()],
        pilot_group: Some(PILOT.into()),
        ..Default::default()
    };
    let mut reg = params.clone();
    reg.display_name = Some(format!("R {name}"));
    let mut sir = params.clone();
    sir.display_name = Some(format!("S {name}"));
    let policies = vec![
        ("pilot".to_string(), Template::Pilot.build(&params).unwrap()),
        (
            "protect-registration".to_string(),
            Template::ProtectRegistration.build(&reg).unwrap(),
        ),
        (
            "sign-in-risk".to_string(),
            risk::sign_in_risk_policy(&sir).unwrap(),
        ),
    ];
    let (pilot, gid) = if create {
        (
            PilotGroup::Create(group_body(&format!("G {name}"))),
            PILOT_GROUP_PLACEHOLDER,
        )
    } else {
        (PilotGroup::Existing(PILOT.into()), PILOT)
    };
    let fido2 = methods::fido2_patch(
        &PasskeySettings::new(gid),
        &CurrentConfig::service_default(Method::Fido2),
    )
    .unwrap();
    let tap = methods::tap_patch(
        &TapSettings::new(gid),
        &CurrentConfig::service_default(Method::TemporaryAccessPass),
    )
    .unwrap();
    let strength = StrengthSettings {
        display_name: format!("St {name}"),
        ..Default::default()
    };
    Rollout::build(
        pilot,
        PasskeyChange::Patch(fido2),
        tap,
        strength,
        policies,
        &["pilot".into()],
    )
    .unwrap()
}

/// What the script must send: placeholders in id slots (`…id`, `includeGroups[]`) replaced by
/// the ids it obtains at run time; a display name that reads like a placeholder stays as is.
fn resolved(body: &Value) -> Value {
    fn walk(v: &Value, key: Option<&str>) -> Value {
        let id_slot = matches!(key, Some("id" | "includeGroups"));
        match v {
            Value::String(s) if id_slot && s == PILOT_GROUP_PLACEHOLDER => json!(PILOT),
            Value::String(s) if id_slot && s == STRENGTH_PLACEHOLDER => json!(STRENGTH_ID),
            Value::Array(a) => Value::Array(a.iter().map(|x| walk(x, key)).collect()),
            Value::Object(o) => Value::Object(
                o.iter()
                    .map(|(k, x)| (k.clone(), walk(x, Some(k))))
                    .collect(),
            ),
            v => v.clone(),
        }
    }
    walk(body, None)
}

/// The JSON the script sends for the `nth` `$body`, with `$groupId`/`$strengthId` filled in.
fn sent_body(c: &Checked, nth: usize) -> Value {
    let mut text = String::new();
    for part in c.concat_of("$body", nth).unwrap() {
        match part {
            Part::Literal(s) => text.push_str(&s),
            Part::Code(code) if code == "$groupId" => text.push_str(PILOT),
            Part::Code(code) if code == "$strengthId" => text.push_str(STRENGTH_ID),
            Part::Code(code) => panic!("unexpected code {code} in a body"),
        }
    }
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("body #{nth} is not JSON ({e}): {text}"))
}

#[test]
fn rollout_scripts_are_ordered_clean_and_send_the_plan() {
    for name in hostile() {
        for create in [true, false] {
            let plan = plan(&name, create);
            let what = format!("rollout invoke create={create} {name:?}");
            let s = powershell::rollout_script(Flavour::Invoke, &plan).unwrap();
            // The name checks warn when beta's list cannot be read.
            let c = checked(&s, &[INVOKE_PIPED, &["Write-Warning"]].concat(), &what);
            // Bodies in order: [group], fido2, tap, strength, combination, policies.
            let mut n = 0;
            if create {
                assert_eq!(
                    single_literal(&c, "$groupBody", 0),
                    pretty(&group_body(&format!("G {name}"))),
                    "{what}"
                );
            }
            assert_eq!(
                sent_body(&c, n),
                resolved(&plan.fido2.patch().unwrap().body),
                "{what}: fido2"
            );
            n += 1;
            assert_eq!(sent_body(&c, n), resolved(&plan.tap.body), "{what}: tap");
            n += 3; // strength and its combination configuration (checked in the strength test)
            for p in &plan.policies {
                let sent = sent_body(&c, n);
                assert_eq!(sent, resolved(&p.body), "{what}: {}", p.slug);
                assert_eq!(sent["state"], "enabledForReportingButNotEnforced");
                n += 1;
            }
            assert_eq!(
                sent_body(&c, 4)["conditions"]["users"]["includeGroups"],
                json!([PILOT]),
                "{what}: pilot narrowed to the group"
            );
            // Every check (names, configurations) comes before the first change.
            let first_change = ["-Method POST", "-Method PATCH"]
                .iter()
                .filter_map(|m| s.find(m))
                .min()
                .unwrap();
            for check in ["already exists", "previewed against"] {
                assert!(
                    s.rfind(check).unwrap() < first_change,
                    "{what}: {check} after a change"
                );
            }
            assert!(
                !s.contains("'enabled'"),
                "{what}: the rollout never switches a policy On"
            );

            let sdk = powershell::rollout_script(Flavour::Sdk, &plan).unwrap();
            let mut cmds = SDK_ROLLOUT.to_vec();
            if create {
                cmds.extend(["Get-MgGroup", "New-MgGroup"]);
            }
            checked(
                &sdk,
                &cmds,
                &format!("rollout sdk create={create} {name:?}"),
            );
        }
    }
}

/// Members a script adds to the pilot group: hostile text that is still a user principal name.
fn hostile_members() -> Vec<String> {
    [
        "o'brien\u{2019}s+$(Remove-Item;x)@contoso.com",
        "\u{2018});Remove-Item@x.example",
        "#>`n<#@x.example",
        "9A3F1E55-0C41-4D57-9C7E-1F2A3B4C5D6E",
        // The first again in other case: Entra compares user principal names without case.
        "O'BRIEN\u{2019}S+$(REMOVE-ITEM;X)@CONTOSO.COM",
    ]
    .into_iter()
    .map(String::from)
    .collect()
}

#[test]
fn rollout_scripts_look_up_then_add_each_pilot_member_once() {
    let kept = json!([
        "o'brien\u{2019}s+$(Remove-Item;x)@contoso.com",
        "\u{2018});Remove-Item@x.example",
        "#>`n<#@x.example",
        "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e",
    ]);
    for create in [true, false] {
        let plan = plan("Pilot", create)
            .with_members(&hostile_members())
            .unwrap();
        let what = format!("members create={create}");
        let inv = powershell::rollout_script(Flavour::Invoke, &plan).unwrap();
        let c = checked(
            &inv,
            &[INVOKE_PIPED, &["Write-Warning", "ConvertTo-Json"]].concat(),
            &what,
        );
        assert_eq!(c.value_of("$members", 0).unwrap(), kept, "{what}");
        let sdk = powershell::rollout_script(Flavour::Sdk, &plan).unwrap();
        let mut cmds = SDK_ROLLOUT.to_vec();
        cmds.extend([
            "Get-MgGroup",
            "New-MgGroup",
            "Get-MgUser",
            "Get-MgGroupMember",
            "New-MgGroupMember",
        ]);
        let s = check(&sdk, &cmds, &["[uri]::EscapeDataString"])
            .unwrap_or_else(|v| panic!("{what} sdk: {v:#?}"));
        assert_eq!(s.value_of("$members", 0).unwrap(), kept, "{what} sdk");
        for (script, add) in [(&inv, "/members/$ref"), (&sdk, "New-MgGroupMember")] {
            let at = |needle: &str| {
                script
                    .find(needle)
                    .unwrap_or_else(|| panic!("{what}: no {needle}"))
            };
            // Every member is looked up with the checks, before anything is written; they are
            // added once the group is known, and before the method configurations change.
            let first_write = ["-Method POST", "-Method PATCH", "New-Mg", "Update-Mg"]
                .iter()
                .filter_map(|w| script.find(w))
                .min();
            assert!(Some(at("foreach ($m in $members)")) < first_write, "{what}");
            assert!(at("$groupId = ") < at(add), "{what}");
            let first_patch = script
                .find("-Method PATCH")
                .or(script.find("Update-MgPolicy"));
            assert!(Some(at(add)) < first_patch, "{what}: members after a PATCH");
            assert!(
                script.contains("'User.ReadBasic.All'"),
                "{what}: lookup scope"
            );
            // Least privilege: an existing group's members need GroupMember.ReadWrite.All only.
            assert_eq!(
                script.contains("'GroupMember.ReadWrite.All'"),
                !create,
                "{what}: member scope"
            );
            assert_eq!(script.contains("'Group.ReadWrite.All'"), create, "{what}");
        }
    }
    // Without members nothing of this is in the script.
    let plain = powershell::rollout_script(Flavour::Invoke, &plan("Pilot", false)).unwrap();
    assert!(!plain.contains("$members") && !plain.contains("User.ReadBasic.All"));
}

/// Commands of the SDK rollout script with an existing group and no members.
const SDK_ROLLOUT: [&str; 9] = [
    "Import-Module",
    "Connect-MgGraph",
    "Get-MgIdentityConditionalAccessPolicy",
    "Invoke-MgGraphRequest",
    "Update-MgPolicyAuthenticationMethodPolicyAuthenticationMethodConfiguration",
    "New-MgPolicyAuthenticationStrengthPolicy",
    "New-MgIdentityConditionalAccessPolicy",
    "Write-Output",
    "Write-Warning",
];

#[test]
fn a_member_that_is_neither_an_id_nor_a_upn_is_refused_by_its_place() {
    let plan = || plan("Pilot", false);
    for (members, item, says) in [
        (
            vec!["alice@contoso.com", "alice smith@contoso.com"],
            "member 2",
            "a space",
        ),
        (vec!["nobody"], "member 1", "neither an object id"),
        (vec!["", "bob@contoso.com"], "member 1", "empty"),
        (vec!["$adele@contoso.com"], "member 1", "starts with $"),
        (vec!["a@b@c"], "member 1", "neither an object id"),
        (
            vec!["bell\u{7}@contoso.com"],
            "member 1",
            "control character",
        ),
    ] {
        let members: Vec<String> = members.into_iter().map(String::from).collect();
        let e = plan().with_members(&members).unwrap_err();
        assert_eq!(e.item, item, "{members:?}");
        assert!(e.message.contains(says), "{members:?}: {e}");
        assert!(
            !e.message.chars().any(char::is_control),
            "{members:?}: raw control character in {e:?}"
        );
    }
    assert_eq!(
        check_member("  Alice@Contoso.com "),
        Ok("Alice@Contoso.com".to_string())
    );
}

#[test]
fn switch_on_scripts_find_each_policy_by_exact_name() {
    for name in hostile() {
        let names = vec![format!("A {name}"), name.clone()];
        for (flavour, cmds) in [
            (
                Flavour::Sdk,
                &[
                    "Import-Module",
                    "Connect-MgGraph",
                    "Get-MgIdentityConditionalAccessPolicy",
                    "Update-MgIdentityConditionalAccessPolicy",
                    "Write-Output",
                ][..],
            ),
            (Flavour::Invoke, INVOKE),
        ] {
            let s = powershell::switch_on_script(flavour, &names).unwrap();
            let c = checked(&s, cmds, &format!("switch-on {flavour:?} {name:?}"));
            for n in &names {
                let filter = format!("displayName eq '{}'", n.replace('\'', "''"));
                assert!(
                    c.literals.contains(&filter),
                    "{flavour:?} {name:?}: filter for {n:?}"
                );
            }
            assert!(s.rfind("Expected exactly one").unwrap() < s.find("Switched on").unwrap());
        }
    }
}
