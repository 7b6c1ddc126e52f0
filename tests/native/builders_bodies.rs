//! The builders' request bodies are Graph v1.0 schema-valid (Authentication methods slice and
//! Conditional Access slice), and a PATCH built from a tenant's current configuration keeps
//! what is there: the preview names every addition and removal.

use crate::support::schema;

use ca_builder::builders::methods::{
    self, CurrentConfig, ListEffect, Method, MethodPatch, PasskeySettings, TapSettings,
    PILOT_GROUP_PLACEHOLDER,
};
use ca_builder::builders::rollout::{PasskeyChange, PilotGroup, Rollout};
use ca_builder::builders::strength::{self, StrengthSettings};
use ca_builder::builders::{parse_aaguid_list, risk};
use ca_builder::guid::{Guid, GuidKind};
use ca_builder::policy::templates::{group_body, Template, TemplateParams};
use schema::{assert_valid, assert_valid_as, Schema};
use serde_json::{json, Value};

const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const OTHER_GROUP: &str = "aaaaaaaa-1111-2222-3333-444444444444";
const YUBIKEY: &str = "ee882879-721c-4913-9775-3dfcce97072a";
const IOS: &str = "90a3ccdf-635c-4729-a248-9b709135078f";
const ANDROID: &str = "de1e552d-db1d-4423-a619-566b625cdc84";
const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";

/// The effect on one of the patch's lists, by its JSON path.
fn list<'a>(p: &'a MethodPatch, property: &str) -> &'a ListEffect {
    p.effect
        .lists
        .iter()
        .find(|l| l.property == property)
        .unwrap_or_else(|| panic!("no {property} in the effect"))
}

fn fido2_current(
    state: &str,
    enforcement: &str,
    aaguids: &[&str],
    targets: &[&str],
) -> CurrentConfig {
    let v = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#authenticationMethodConfigurations/$entity",
        "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration",
        "id": "Fido2",
        "state": state,
        "isSelfServiceRegistrationAllowed": true,
        "isAttestationEnforced": false,
        "keyRestrictions": { "isEnforced": true, "enforcementType": enforcement, "aaGuids": aaguids },
        "includeTargets": targets.iter().map(|t| json!({
            "targetType": "group", "id": t, "isRegistrationRequired": false,
            "@odata.type": "#microsoft.graph.passkeyAuthenticationMethodTarget"
        })).collect::<Vec<_>>(),
        "excludeTargets": []
    });
    CurrentConfig::parse(Method::Fido2, &v.to_string()).expect("a GET response parses")
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn target_ids(body: &Value) -> Vec<String> {
    body["includeTargets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn fido2_patch_is_schema_valid_and_says_what_the_reference_says() {
    let am = Schema::load_authentication_methods();
    let mut s = PasskeySettings::new(PILOT);
    s.extra_aaguids = vec![Guid::parse(YUBIKEY, GuidKind::Aaguid).unwrap()];
    for current in [
        CurrentConfig::service_default(Method::Fido2),
        fido2_current("enabled", "allow", &[YUBIKEY], &["all_users"]),
    ] {
        let p = methods::fido2_patch(&s, &current).unwrap();
        assert_valid_as(
            &am,
            &p.body,
            "fido2AuthenticationMethodConfiguration",
            "FIDO2 PATCH",
        );
        let b = &p.body;
        assert_eq!(
            b["@odata.type"],
            "#microsoft.graph.fido2AuthenticationMethodConfiguration"
        );
        assert_eq!(b["state"], "enabled");
        assert_eq!(
            b["isAttestationEnforced"], true,
            "a JSON boolean, not the erratum's string"
        );
        assert_eq!(b["isSelfServiceRegistrationAllowed"], true);
        assert_eq!(b["keyRestrictions"]["isEnforced"], true);
        assert_eq!(b["keyRestrictions"]["enforcementType"], "allow");
        let aaguids = strs(&b["keyRestrictions"]["aaGuids"]);
        for a in [IOS, ANDROID, YUBIKEY] {
            assert_eq!(
                aaguids.iter().filter(|x| *x == a).count(),
                1,
                "{a} once in {aaguids:?}"
            );
        }
        assert!(target_ids(b).contains(&PILOT.to_string()));
    }
}

#[test]
fn patch_keeps_current_lists_and_reports_every_change() {
    let current = fido2_current("enabled", "allow", &[YUBIKEY, IOS], &[OTHER_GROUP]);
    let p = methods::fido2_patch(&PasskeySettings::new(PILOT), &current).unwrap();
    assert_eq!(
        target_ids(&p.body),
        vec![OTHER_GROUP.to_string(), PILOT.to_string()],
        "existing target kept, pilot added"
    );
    assert_eq!(
        strs(&p.body["keyRestrictions"]["aaGuids"]),
        vec![YUBIKEY, IOS, ANDROID],
        "allowed AAGUIDs kept, Android added once"
    );
    let targets = &p.effect.lists[0];
    assert_eq!(targets.property, "includeTargets");
    assert_eq!(targets.kept, vec![format!("group {OTHER_GROUP}")]);
    assert_eq!(targets.added, vec![format!("group {PILOT}")]);
    assert!(targets.removed.is_empty());
    let aa = list(&p, "keyRestrictions.aaGuids");
    assert_eq!(aa.kept, vec![YUBIKEY, IOS]);
    assert_eq!(aa.added.len(), 1);
    assert!(aa.added[0].starts_with(ANDROID));
    let excl = list(&p, "excludeTargets");
    assert!(
        !excl.sent,
        "excludeTargets are not sent, so the stored ones stay"
    );
    assert!(p.body.get("excludeTargets").is_none());
    let text = p.effect.to_string();
    assert!(
        text.contains("replaces each list it sends as a whole"),
        "{text}"
    );
}

#[test]
fn a_block_list_is_not_carried_into_the_allow_list() {
    let current = fido2_current("enabled", "block", &[YUBIKEY], &["all_users"]);
    let p = methods::fido2_patch(&PasskeySettings::new(PILOT), &current).unwrap();
    assert_eq!(
        strs(&p.body["keyRestrictions"]["aaGuids"]),
        vec![IOS, ANDROID]
    );
    let aa = list(&p, "keyRestrictions.aaGuids");
    assert_eq!(aa.removed.len(), 1);
    assert_eq!(aa.removed[0].0, YUBIKEY);
    assert!(aa.removed[0].1.contains("block"), "{:?}", aa.removed);
    assert!(p
        .effect
        .notes
        .iter()
        .any(|n| n.warning && n.text.contains("whole method")));
}

#[test]
fn targets_of_a_disabled_method_are_dropped_with_the_reason() {
    // The default configuration: disabled, all_users. Keeping all_users while enabling would
    // turn passkeys on for everyone instead of the pilot.
    let p = methods::fido2_patch(
        &PasskeySettings::new(PILOT),
        &CurrentConfig::service_default(Method::Fido2),
    )
    .unwrap();
    assert_eq!(target_ids(&p.body), vec![PILOT.to_string()]);
    assert!(p.effect.assumed_default);
    let removed = &p.effect.lists[0].removed;
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].0, "group all_users");
    assert!(removed[0].1.contains("disabled"));
    assert!(p.effect.to_string().contains("assumes the service default"));
}

#[test]
fn fingerprint_is_the_state_the_patch_was_merged_with() {
    let current = fido2_current("enabled", "allow", &[YUBIKEY], &[OTHER_GROUP, "all_users"]);
    let p = methods::fido2_patch(&PasskeySettings::new(PILOT), &current).unwrap();
    assert_eq!(
        p.expected_current,
        format!("state=enabled; includeTargets={OTHER_GROUP},all_users; excludeTargets=; aaGuids={YUBIKEY}; passkeyProfiles=")
    );
    assert_eq!(
        CurrentConfig::service_default(Method::Fido2).fingerprint(),
        "state=disabled; includeTargets=all_users; excludeTargets=; aaGuids=; passkeyProfiles="
    );
}

#[test]
fn pilot_in_exclusions_and_profile_tenants_are_called_out() {
    let text = json!({"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "state": "enabled",
        "includeTargets": [], "excludeTargets": [{"id": PILOT, "targetType": "group"}]}).to_string();
    let current = CurrentConfig::parse(Method::Fido2, &text).unwrap();
    let p = methods::fido2_patch(&PasskeySettings::new(PILOT), &current).unwrap();
    assert!(p
        .effect
        .notes
        .iter()
        .any(|n| n.warning && n.text.contains("excludeTargets")));

    let text = json!({"id": "Fido2", "state": "enabled", "includeTargets": [],
        "passkeyProfiles": [{"id": "00000000-0000-0000-0000-000000000001"}]})
    .to_string();
    let current = CurrentConfig::parse(Method::Fido2, &text).unwrap();
    let e = methods::fido2_patch(&PasskeySettings::new(PILOT), &current).unwrap_err();
    assert_eq!(e.field, "current");
    assert!(e.message.contains("passkey profiles"), "{e}");
}

#[test]
fn pasted_configurations_fail_with_where_and_why() {
    let e = CurrentConfig::parse(
        Method::Fido2,
        "{\n  \"state\": \"enabled\",\n  \"includeTargets\": [\n",
    )
    .unwrap_err();
    assert_eq!(e.line, 4, "{e}");
    let e = CurrentConfig::parse(Method::Fido2, r##"{"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", "includeTargets": []}"##).unwrap_err();
    assert!(e.message.contains("Passkey (FIDO2)"), "{e}");
    let e =
        CurrentConfig::parse(Method::Fido2, r#"{"id": "Fido2", "state": "enabled"}"#).unwrap_err();
    assert!(e.message.contains("includeTargets is missing"), "{e}");
    let e = CurrentConfig::parse(
        Method::Fido2,
        r#"{"id": "Fido2", "includeTargets": [{"targetType": "group"}]}"#,
    )
    .unwrap_err();
    assert!(e.message.contains("includeTargets[0].id"), "{e}");
}

#[test]
fn aaguid_lists_report_line_and_column() {
    let errs = parse_aaguid_list(&format!("{IOS}\n{ANDROID}, {}Z", &YUBIKEY[..35])).unwrap_err();
    assert_eq!(errs.len(), 1);
    assert_eq!((errs[0].line, errs[0].column), (2, ANDROID.len() + 2 + 36));
    for hostile in [
        "'; Remove-Item x; '",
        "90a3ccdf-635c-4729-a248-9b709135078f'",
        "90a3ccdf‐635c‐4729‐a248‐9b709135078f",
        "$(x)",
    ] {
        assert!(
            Guid::parse(hostile, GuidKind::Aaguid).is_err(),
            "{hostile:?} accepted"
        );
    }
}

#[test]
fn tap_patch_is_schema_valid_and_checks_its_limits() {
    let am = Schema::load_authentication_methods();
    let p = methods::tap_patch(
        &TapSettings::new(PILOT),
        &CurrentConfig::service_default(Method::TemporaryAccessPass),
    )
    .unwrap();
    assert_valid_as(
        &am,
        &p.body,
        "temporaryAccessPassAuthenticationMethodConfiguration",
        "TAP PATCH",
    );
    assert_eq!(p.body["isUsableOnce"], true);
    assert_eq!(p.body["defaultLifetimeInMinutes"], 60);
    assert_eq!(target_ids(&p.body), vec![PILOT.to_string()]);
    for (edit, field) in [
        (
            Box::new(|t: &mut TapSettings| t.length = 7) as Box<dyn Fn(&mut TapSettings)>,
            "length",
        ),
        (
            Box::new(|t: &mut TapSettings| t.lifetime_minutes = 500),
            "lifetime_minutes",
        ),
        (
            Box::new(|t: &mut TapSettings| t.maximum_lifetime_minutes = 50_000),
            "maximum_lifetime_minutes",
        ),
        (
            Box::new(|t: &mut TapSettings| t.pilot_group = "x".into()),
            "pilot_group",
        ),
    ] {
        let mut t = TapSettings::new(PILOT);
        edit(&mut t);
        let e = methods::tap_patch(
            &t,
            &CurrentConfig::service_default(Method::TemporaryAccessPass),
        )
        .unwrap_err();
        assert_eq!(e.field, field, "{e}");
    }
}

#[test]
fn strength_bodies_are_schema_valid_and_restrict_aaguids() {
    let am = Schema::load_authentication_methods();
    let s = StrengthSettings::default();
    let body = strength::strength_body(&s).unwrap();
    assert_valid_as(&am, &body, "authenticationStrengthPolicy", "strength POST");
    assert_eq!(body["allowedCombinations"], json!(["fido2"]));
    let combo = strength::combination_body(&s).unwrap();
    assert_valid_as(
        &am,
        &combo,
        "fido2CombinationConfiguration",
        "combination configuration",
    );
    assert_eq!(strs(&combo["allowedAAGUIDs"]), vec![IOS, ANDROID]);
    let inline = strength::strength_body_inline(&s).unwrap();
    assert_valid_as(
        &am,
        &inline,
        "authenticationStrengthPolicy",
        "inline strength POST",
    );
    let mut empty = s.clone();
    empty.aaguids.clear();
    assert_eq!(
        strength::strength_body(&empty).unwrap_err().field,
        "aaguids"
    );
}

#[test]
fn require_strength_keeps_the_policy_valid_and_drops_mfa() {
    let ca = Schema::load();
    let params = TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        pilot_group: Some(PILOT.into()),
        ..Default::default()
    };
    let id = "11111111-2222-3333-4444-555555555555";
    for t in [
        Template::Pilot,
        Template::ProtectRegistration,
        Template::Hardening,
    ] {
        let mut p = t.build(&params).unwrap();
        let notes = strength::require_strength(&mut p, id).unwrap();
        let body = p.to_post_body();
        assert_valid(&ca, &body, t.name());
        assert_eq!(
            body["grantControls"]["authenticationStrength"],
            json!({"id": id})
        );
        assert!(!strs(&body["grantControls"]["builtInControls"]).contains(&"mfa".to_string()));
        assert!(notes.iter().any(|n| n.contains("mfa")));
    }
    // The risk-remediation grant keeps riskRemediation under AND; only the strength changes.
    let mut risky = Template::UserRisk.build(&params).unwrap();
    strength::require_strength(&mut risky, id).unwrap();
    let body = risky.to_post_body();
    assert_valid(&ca, &body, "user-risk");
    assert_eq!(body["grantControls"]["operator"], "AND");
    assert_eq!(
        body["grantControls"]["builtInControls"],
        json!(["riskRemediation"])
    );
    assert_eq!(
        body["grantControls"]["authenticationStrength"],
        json!({"id": id})
    );
    // A block still refuses a strength.
    let mut block = Template::Pilot.build(&params).unwrap();
    block.grant_controls.value_mut().unwrap().built_in_controls =
        ca_builder::policy::Field::Value(vec![ca_builder::policy::model::GrantControl::Block]);
    assert!(strength::require_strength(&mut block, id).is_err());
    let mut p = Template::Pilot.build(&params).unwrap();
    assert!(strength::require_strength(&mut p, "not-a-guid").is_err());
}

#[test]
fn sign_in_risk_policy_is_valid_and_targets_sign_in_risk() {
    let ca = Schema::load();
    let params = TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        ..Default::default()
    };
    let body = risk::sign_in_risk_policy(&params).unwrap().to_post_body();
    assert_valid(&ca, &body, "sign-in risk");
    assert_eq!(
        body["conditions"]["signInRiskLevels"],
        json!(["high", "medium"])
    );
    assert!(body["conditions"].get("userRiskLevels").is_none());
    // Microsoft's recommended policy: the built-in MFA strength, sign-in frequency every time.
    assert_eq!(body["grantControls"]["builtInControls"], json!([]));
    assert_eq!(
        body["grantControls"]["authenticationStrength"],
        json!({"id": "00000000-0000-0000-0000-000000000002"})
    );
    assert_eq!(
        body["sessionControls"]["signInFrequency"],
        json!({"isEnabled": true, "frequencyInterval": "everyTime",
               "authenticationType": "primaryAndSecondaryAuthentication"})
    );
    assert_eq!(
        body["conditions"]["users"]["excludeUsers"],
        json!([BREAK_GLASS])
    );
    assert_eq!(body["state"], "enabledForReportingButNotEnforced");
    assert!(risk::licence_notes()[0].contains("P2"));
}

#[test]
fn rollout_bundle_is_ordered_valid_and_report_only() {
    let am = Schema::load_authentication_methods();
    let ca = Schema::load();
    let params = TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        pilot_group: Some(PILOT.into()),
        state: ca_builder::policy::RolloutState::Enabled,
        ..Default::default()
    };
    let policies = vec![
        ("pilot".to_string(), Template::Pilot.build(&params).unwrap()),
        (
            "protect-registration".to_string(),
            Template::ProtectRegistration.build(&params).unwrap(),
        ),
        (
            "sign-in-risk".to_string(),
            risk::sign_in_risk_policy(&params).unwrap(),
        ),
    ];
    let fido2 = methods::fido2_patch(
        &PasskeySettings::new(PILOT_GROUP_PLACEHOLDER),
        &CurrentConfig::service_default(Method::Fido2),
    )
    .unwrap();
    let tap = methods::tap_patch(
        &TapSettings::new(PILOT_GROUP_PLACEHOLDER),
        &CurrentConfig::service_default(Method::TemporaryAccessPass),
    )
    .unwrap();
    let plan = Rollout::build(
        PilotGroup::Create(group_body("Pilot passkeys")),
        PasskeyChange::Patch(fido2),
        tap,
        StrengthSettings::default(),
        policies,
        &["pilot".into()],
    )
    .unwrap();
    let files = ca_builder::export::bundle::rollout_bundle(&plan);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "00-pilot-group.json",
            "10-passkey-method.json",
            "20-tap-method.json",
            "30-auth-strength.json",
            "31-auth-strength-aaguids.json",
            "40-ca-pilot.json",
            "41-ca-protect-registration.json",
            "42-ca-sign-in-risk.json",
            "90-switch-on.json",
            "README.md",
            "manifest.json",
        ]
    );
    let get = |n: &str| -> Value {
        serde_json::from_str(&files.iter().find(|(f, _)| f == n).unwrap().1).unwrap()
    };
    assert_valid_as(
        &am,
        &get("10-passkey-method.json"),
        "fido2AuthenticationMethodConfiguration",
        "bundle fido2",
    );
    assert_valid_as(
        &am,
        &get("20-tap-method.json"),
        "temporaryAccessPassAuthenticationMethodConfiguration",
        "bundle tap",
    );
    assert_valid_as(
        &am,
        &get("30-auth-strength.json"),
        "authenticationStrengthPolicy",
        "bundle strength",
    );
    assert_valid_as(
        &am,
        &get("31-auth-strength-aaguids.json"),
        "fido2CombinationConfiguration",
        "bundle combination",
    );
    for f in [
        "40-ca-pilot.json",
        "41-ca-protect-registration.json",
        "42-ca-sign-in-risk.json",
    ] {
        let b = get(f);
        assert_valid(&ca, &b, f);
        assert_eq!(
            b["state"], "enabledForReportingButNotEnforced",
            "{f} must start Report-only"
        );
    }
    let pilot = get("40-ca-pilot.json");
    assert_eq!(
        pilot["conditions"]["users"]["includeGroups"],
        json!([PILOT_GROUP_PLACEHOLDER]),
        "created group's id goes here"
    );
    assert_eq!(
        pilot["grantControls"]["authenticationStrength"],
        json!({"id": "STRENGTH_ID"})
    );
    let manifest = get("manifest.json");
    let steps = manifest["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 9);
    assert_eq!(
        steps[1]["permission"],
        "Policy.ReadWrite.AuthenticationMethod"
    );
    assert_eq!(steps[3]["permission"], "Policy.ReadWrite.ConditionalAccess");
    assert_eq!(
        steps[1]["expectCurrent"],
        plan.fido2.patch().unwrap().expected_current
    );
    assert_eq!(steps[8]["later"], true);
    let readme = &files.iter().find(|(f, _)| f == "README.md").unwrap().1;
    assert!(readme.contains("not an Intune protected app"));
    assert!(readme.contains("Entra ID P2"));
    assert!(
        plan.notes.iter().any(|n| n.contains("Report-only")),
        "forcing Report-only is reported: {:?}",
        plan.notes
    );
}
