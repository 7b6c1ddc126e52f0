//! POST and PATCH bodies, the templates, and the seed errata (b), (d), (e), (g) as far as they
//! concern the JSON the app emits.

use crate::support::corpus;
use ca_builder::policy::model::*;
use ca_builder::policy::templates::{
    COMPLIANT_OR_HYBRID_RULE, DIRECTORY_SYNC_ACCOUNTS_ROLE, MANAGED_DEVICE_RULE,
};
use ca_builder::policy::{
    group_body, import_bytes, mail_nickname, to_patch_body, RolloutState, Template, TemplateParams,
};
use serde_json::{json, Value};
use std::process::Command;

const BG_USER_1: &str = "8a1c3b5e-2f4d-4e6a-9b7c-0d1e2f3a4b5c";
const BG_USER_2: &str = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9";
const BG_GROUP: &str = "0f9e8d7c-6b5a-4948-8372-615f4e3d2c1b";
const PILOT: &str = "5d2e9c41-7a3b-4c8d-9e0f-1a2b3c4d5e6f";

fn params() -> TemplateParams {
    TemplateParams {
        display_name: Some("Always require MFA - compensating control".into()),
        exclude_users: vec![BG_USER_1.into(), BG_USER_2.into()],
        exclude_groups: vec![BG_GROUP.into()],
        pilot_group: Some(PILOT.into()),
        ..Default::default()
    }
}

fn body(t: Template) -> Value {
    t.build(&params()).unwrap().to_post_body()
}

// ---------------------------------------------------------------- POST bodies

/// `(path, leaf value)` of every scalar, empty array and empty object.
fn leaves(v: &Value, path: String, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(o) if !o.is_empty() => o
            .iter()
            .for_each(|(k, c)| leaves(c, format!("{path}/{k}"), out)),
        Value::Array(a) if !a.is_empty() => a
            .iter()
            .enumerate()
            .for_each(|(i, c)| leaves(c, format!("{path}/{i}"), out)),
        _ => out.push((path, v.clone())),
    }
}

fn is_annotation(segment: &str) -> bool {
    segment.starts_with('#') || segment.contains("@odata.")
}

#[test]
fn post_body_drops_exactly_the_read_only_parts_for_every_corpus_policy() {
    let read_only = [
        "id",
        "createdDateTime",
        "modifiedDateTime",
        "deletedDateTime",
        "templateId",
    ];
    let (mut checked, mut ext_tenants, mut strengths, mut annotations) = (0, 0, 0, 0);
    for path in corpus::files() {
        let Ok(policies) = import_bytes(&std::fs::read(&path).unwrap()) else {
            continue;
        };
        for p in policies {
            let input = p.to_value();
            let post = p.to_post_body();
            // What is kept keeps its place: the body's keys are the input's, in the same order.
            let kept: Vec<&String> = input
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| post.get(k.as_str()).is_some())
                .collect();
            assert_eq!(
                post.as_object().unwrap().keys().collect::<Vec<_>>(),
                kept,
                "{}: the POST body reorders the policy's properties",
                path.display()
            );
            for k in read_only {
                assert!(
                    post.get(k).is_none(),
                    "{}: {k} must not be POSTed",
                    path.display()
                );
            }
            let (mut inl, mut outl) = (Vec::new(), Vec::new());
            leaves(&input, String::new(), &mut inl);
            leaves(&post, String::new(), &mut outl);
            for (lp, _) in &outl {
                let segs: Vec<&str> = lp.split('/').collect();
                for (i, s) in segs.iter().enumerate() {
                    if is_annotation(s) {
                        // The one annotation a POST needs: the concrete type of externalTenants.
                        assert!(
                            *s == "@odata.type" && segs[i - 1] == "externalTenants",
                            "{}: {lp} sent",
                            path.display()
                        );
                    }
                }
            }
            for (lp, v) in &inl {
                let segs: Vec<&str> = lp.split('/').collect();
                let dropped = read_only.contains(&segs[1])
                    || segs.iter().enumerate().any(|(i, s)| {
                        is_annotation(s)
                            && !(*s == "@odata.type" && segs[i - 1] == "externalTenants")
                    })
                    || (segs.contains(&"authenticationStrength")
                        && segs.last() != Some(&"id")
                        && segs.last() != Some(&"authenticationStrength"));
                let kept = outl.iter().find(|(op, _)| op == lp).map(|(_, ov)| ov);
                if dropped {
                    assert!(kept.is_none(), "{}: {lp} should be dropped", path.display());
                    annotations += usize::from(segs.iter().any(|s| is_annotation(s)));
                } else {
                    assert_eq!(
                        kept,
                        Some(v),
                        "{}: {lp} must be kept unchanged",
                        path.display()
                    );
                }
                if segs.ends_with(&["externalTenants", "@odata.type"]) {
                    ext_tenants += 1;
                }
            }
            if let Some(s) = post
                .pointer("/grantControls/authenticationStrength")
                .filter(|s| s.is_object())
            {
                assert_eq!(
                    s.as_object().unwrap().keys().collect::<Vec<_>>(),
                    vec!["id"],
                    "{}",
                    path.display()
                );
                strengths += 1;
            }
            checked += 1;
        }
    }
    // 403 policies in the corpus, less the one in the file with a duplicate key.
    assert_eq!(checked, 402);
    // The corpus exercises each rule.
    assert!(
        ext_tenants > 0 && strengths > 0 && annotations > 0,
        "{ext_tenants} {strengths} {annotations}"
    );
}

// ---------------------------------------------------------------- PATCH bodies

#[test]
fn narrowing_to_the_pilot_group_clears_include_users_in_the_same_patch() {
    // Errata (e) 3: sending only includeGroups leaves includeUsers ["All"]; the union still
    // targets everyone. The PATCH must carry both, and nothing about the exclusions.
    let org_wide = Template::MfaCompensating.build(&params()).unwrap();
    let pilot = Template::Pilot.build(&params()).unwrap();
    let patch = to_patch_body(&org_wide, &pilot);
    assert_eq!(
        patch,
        json!({ "conditions": { "users": { "includeUsers": [], "includeGroups": [PILOT] } } })
    );

    // With the templates' default names the rename is part of the change.
    let p = TemplateParams {
        display_name: None,
        ..params()
    };
    let patch = to_patch_body(
        &Template::MfaCompensating.build(&p).unwrap(),
        &Template::Pilot.build(&p).unwrap(),
    );
    assert_eq!(
        patch["displayName"],
        "Always require MFA - compensating control (pilot)"
    );
    assert!(patch["conditions"]["users"].get("excludeUsers").is_none());
}

#[test]
fn patch_of_a_stored_policy_sends_only_writable_changes() {
    // A policy as GET returns it: read-only fields and annotations included.
    let stored = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies/$entity",
      "id": "c1f0e5a2-0000-4000-8000-000000000001", "templateId": null, "displayName": "MFA",
      "createdDateTime": "2024-01-01T00:00:00Z", "modifiedDateTime": null, "state": "enabled",
      "conditions": {"clientAppTypes": ["all"], "platforms": null, "locations": {"includeLocations": ["All"], "excludeLocations": ["AllTrusted"]},
        "applications": {"includeApplications": ["All"], "excludeApplications": []},
        "users": {"includeUsers": ["All"], "excludeUsers": ["8a1c3b5e-2f4d-4e6a-9b7c-0d1e2f3a4b5c"], "includeGroups": [], "excludeGroups": []}},
      "grantControls": {"operator": "OR", "builtInControls": ["mfa"], "authenticationStrength@odata.context": "x", "authenticationStrength": null}}"#;
    let old = import_bytes(stored.as_bytes()).unwrap().remove(0);
    assert_eq!(
        to_patch_body(&old, &old),
        json!({}),
        "no change, empty PATCH"
    );

    let mut new = old.clone();
    let users = new.conditions.get_or_default().users.get_or_default();
    users.include_users = Field::Value(vec![]);
    users.include_groups = Field::Value(vec![PILOT.into()]);
    new.state = Field::Value(PolicyState::EnabledForReportingButNotEnforced);
    assert_eq!(
        to_patch_body(&old, &new),
        json!({ "state": "enabledForReportingButNotEnforced",
                "conditions": { "users": { "includeUsers": [], "includeGroups": [PILOT] } } })
    );

    // Removing things: a list becomes [], an object null; null → absent is no change.
    let mut new = old.clone();
    let c = new.conditions.get_or_default();
    c.locations = Field::Absent;
    c.platforms = Field::Absent;
    c.users.get_or_default().exclude_users = Field::Absent;
    assert_eq!(
        to_patch_body(&old, &new),
        json!({ "conditions": { "locations": null, "users": { "excludeUsers": [] } } })
    );
}

#[test]
fn a_changed_device_filter_is_sent_whole() {
    // Errata (g): the hardening update replaces mode and rule together.
    let patch = to_patch_body(
        &Template::MfaCompensating.build(&params()).unwrap(),
        &Template::Hardening
            .build(&TemplateParams {
                display_name: params().display_name,
                ..params()
            })
            .unwrap(),
    );
    assert_eq!(
        patch,
        json!({ "conditions": { "devices": { "deviceFilter": { "mode": "exclude", "rule": COMPLIANT_OR_HYBRID_RULE } } } })
    );
}

// ---------------------------------------------------------------- templates and errata

fn users(b: &Value) -> &Value {
    &b["conditions"]["users"]
}

#[test]
fn every_template_excludes_the_declared_break_glass_accounts_and_defaults_to_report_only() {
    for t in Template::ALL {
        let b = body(t);
        assert_eq!(
            users(&b)["excludeUsers"],
            json!([BG_USER_1, BG_USER_2]),
            "{}",
            t.name()
        );
        assert_eq!(
            users(&b)["excludeGroups"],
            json!([BG_GROUP]),
            "{}",
            t.name()
        );
        assert_eq!(
            b["state"],
            "enabledForReportingButNotEnforced",
            "{}: errata (b) 2",
            t.name()
        );
        for (state, wire) in [
            (RolloutState::Enabled, "enabled"),
            (RolloutState::Disabled, "disabled"),
        ] {
            let b = t
                .build(&TemplateParams { state, ..params() })
                .unwrap()
                .to_post_body();
            assert_eq!(b["state"], wire);
        }
        // Duplicates collapse (GUIDs compare case-insensitively); order is kept.
        let p = TemplateParams {
            exclude_users: vec![BG_USER_2.into(), BG_USER_1.to_uppercase(), BG_USER_1.into()],
            ..params()
        };
        let b = t.build(&p).unwrap().to_post_body();
        assert_eq!(
            users(&b)["excludeUsers"],
            json!([BG_USER_2, BG_USER_1.to_uppercase()])
        );
    }
}

#[test]
fn errata_b_compensating_control_is_report_only_excluded_and_uses_arrays() {
    let b = body(Template::MfaCompensating);
    assert_eq!(
        b["conditions"]["applications"]["includeApplications"],
        json!(["All"]),
        "(b) 5: arrays, not scalars"
    );
    assert_eq!(users(&b)["includeUsers"], json!(["All"]));
    assert_eq!(
        b["conditions"]["clientAppTypes"],
        json!(["all"]),
        "(b) 6: explicit"
    );
    // (b) 3: the sync role, because this policy reaches every user and resource.
    assert_eq!(
        users(&b)["excludeRoles"],
        json!([DIRECTORY_SYNC_ACCOUNTS_ROLE])
    );
    let filter = &b["conditions"]["devices"]["deviceFilter"];
    assert_eq!(filter["mode"], "exclude");
    // (b) 1: the rule holds ASCII double quotes and no backslash escapes.
    assert_eq!(
        filter["rule"],
        r#"device.trustType -eq "ServerAD" -or device.trustType -eq "AzureAD""#
    );
    assert_eq!(filter["rule"], MANAGED_DEVICE_RULE);
    assert_eq!(
        b["grantControls"],
        json!({ "operator": "OR", "builtInControls": ["mfa"], "customAuthenticationFactors": [], "termsOfUse": [] })
    );
}

#[test]
fn errata_e_pilot_targets_only_the_group_and_keeps_the_exclusions() {
    let b = body(Template::Pilot);
    assert_eq!(users(&b)["includeUsers"], json!([]));
    assert_eq!(
        users(&b)["includeGroups"],
        json!([PILOT]),
        "(e) 4: an array"
    );
    assert_eq!(users(&b)["excludeUsers"], json!([BG_USER_1, BG_USER_2]));
    // Apart from the includes (and name) it is the compensating policy.
    let mut narrowed = body(Template::MfaCompensating);
    narrowed["conditions"]["users"]["includeUsers"] = json!([]);
    narrowed["conditions"]["users"]["includeGroups"] = json!([PILOT]);
    assert_eq!(b, narrowed);

    let err = Template::Pilot
        .build(&TemplateParams {
            pilot_group: None,
            ..params()
        })
        .unwrap_err();
    assert_eq!(err.param, "pilot_group");
}

#[test]
fn errata_g_hardening_rule_uses_capital_true_and_ascii_quotes() {
    let b = body(Template::Hardening);
    assert_eq!(
        b["conditions"]["devices"]["deviceFilter"],
        json!({ "mode": "exclude", "rule": "device.isCompliant -eq True -or device.trustType -eq \"ServerAD\"" })
    );
    assert_eq!(
        users(&b)["excludeRoles"],
        json!([DIRECTORY_SYNC_ACCOUNTS_ROLE])
    );
}

#[test]
fn no_template_emits_typographic_characters_or_backslashes_in_rules() {
    for t in Template::ALL {
        let text = serde_json::to_string(&body(t)).unwrap();
        for bad in ['“', '”', '‘', '’', '–', '—'] {
            assert!(!text.contains(bad), "{}: {bad:?} in {text}", t.name());
        }
        if let Some(rule) = body(t)
            .pointer("/conditions/devices/deviceFilter/rule")
            .and_then(Value::as_str)
        {
            assert!(
                !rule.contains('\\') && rule.is_ascii(),
                "{}: {rule}",
                t.name()
            );
        }
    }
}

#[test]
fn protect_registration_uses_the_user_action_and_mfa_not_a_compliant_device() {
    let b = body(Template::ProtectRegistration);
    assert_eq!(
        b["conditions"]["applications"]["includeUserActions"],
        json!(["urn:user:registersecurityinfo"])
    );
    assert_eq!(
        b["conditions"]["applications"]["includeApplications"],
        json!([])
    );
    assert_eq!(
        b["grantControls"]["builtInControls"],
        json!(["mfa"]),
        "TAP satisfies MFA; a compliant device would be the catch-22"
    );
    // Guests cannot get a TAP (Microsoft's sample policy excludes them).
    assert_eq!(
        users(&b)["excludeGuestsOrExternalUsers"]["externalTenants"]["membershipKind"],
        "all"
    );
    assert_eq!(users(&b)["excludeRoles"], json!([]));
    assert!(b["conditions"].get("locations").is_none());
    let b = Template::ProtectRegistration
        .build(&TemplateParams {
            exclude_trusted_locations: true,
            ..params()
        })
        .unwrap()
        .to_post_body();
    assert_eq!(
        b["conditions"]["locations"],
        json!({ "includeLocations": ["All"], "excludeLocations": ["AllTrusted"] })
    );
}

#[test]
fn user_risk_requires_risk_remediation_as_microsoft_recommends() {
    let b = body(Template::UserRisk);
    // riskRemediation: under AND with an authentication strength, sign-in frequency every time,
    // no passwordChange; All users, All resources, user risk high (Microsoft's template).
    assert_eq!(b["grantControls"]["operator"], "AND");
    assert_eq!(
        b["grantControls"]["builtInControls"],
        json!(["riskRemediation"])
    );
    assert_eq!(
        b["grantControls"]["authenticationStrength"],
        json!({"id": "00000000-0000-0000-0000-000000000002"})
    );
    assert_eq!(
        b["sessionControls"]["signInFrequency"],
        json!({"isEnabled": true, "frequencyInterval": "everyTime",
               "authenticationType": "primaryAndSecondaryAuthentication"})
    );
    let keys: Vec<&String> = b["conditions"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["clientAppTypes", "applications", "users", "userRiskLevels"]
    );
    assert_eq!(b["conditions"]["userRiskLevels"], json!(["high"]));
    assert_eq!(
        b["conditions"]["applications"],
        json!({ "includeApplications": ["All"], "excludeApplications": [] })
    );
}

#[test]
fn parameters_graph_would_refuse_are_rejected_with_the_parameter_named() {
    let cases = [
        (
            TemplateParams {
                exclude_users: vec!["<break-glass-id-1>".into()],
                ..params()
            },
            "exclude_users",
        ),
        (
            TemplateParams {
                exclude_groups: vec!["notSet".into()],
                ..params()
            },
            "exclude_groups",
        ),
        (
            TemplateParams {
                pilot_group: Some("id_of_pilot_group".into()),
                ..params()
            },
            "pilot_group",
        ),
        (
            TemplateParams {
                display_name: Some("  ".into()),
                ..params()
            },
            "display_name",
        ),
    ];
    for (p, param) in cases {
        let e = Template::MfaCompensating.build(&p).unwrap_err();
        assert_eq!(e.param, param, "{e}");
    }
}

#[test]
fn errata_d_group_body_is_a_security_group_with_a_real_nickname() {
    let g = group_body("Pilot-Passkey-Users");
    assert_eq!(g["displayName"], "Pilot-Passkey-Users");
    assert_eq!(g["securityEnabled"], true);
    assert_eq!(g["mailEnabled"], false);
    assert_eq!(g["mailNickname"], "pilot-passkey-users");
    assert_ne!(g["mailNickname"], "notSet");

    assert_eq!(
        mail_nickname("ALWAYS REQUIRE MFA – Compensating Control"),
        "always-require-mfa-compensating-control"
    );
    assert_eq!(mail_nickname("Zürich (HQ) pilot"), "z-rich-hq-pilot");
    assert_eq!(mail_nickname("“”@@@"), "ca-pilot-group");
    assert_eq!(mail_nickname(""), "ca-pilot-group");
    let hostile = [
        "a".repeat(200),
        format!("{}-", "b".repeat(63)),
        "x\"; $(Remove-Item) `n '@ <>[]()\\:,".into(),
        "...dots...".into(),
        "日本語のグループ".into(),
        "\u{0}\u{7f}\n\t".into(),
    ];
    for name in hostile {
        let n = mail_nickname(&name);
        assert!(!n.is_empty() && n.len() <= 64, "{name:?} → {n:?}");
        assert!(
            n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b)),
            "{name:?} → {n:?}"
        );
        assert!(
            !n.starts_with(['-', '.']) && !n.ends_with(['-', '.']),
            "{name:?} → {n:?}"
        );
    }
}

// ---------------------------------------------------------------- CLI

fn ca_policy(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ca-policy"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn cli_template_prints_the_post_body() {
    let (code, out, err) = ca_policy(&[
        "template",
        "pilot",
        "--display-name",
        "Always require MFA - compensating control",
        "--exclude-user",
        BG_USER_1,
        "--exclude-user",
        BG_USER_2,
        "--exclude-group",
        BG_GROUP,
        &format!("--pilot-group={PILOT}"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!(
            "{}\n",
            serde_json::to_string_pretty(&body(Template::Pilot)).unwrap()
        )
    );
    assert!(out.starts_with("{\n  \"displayName\""), "two-space indent");
    assert!(
        err.is_empty(),
        "no warning when break-glass accounts are declared: {err}"
    );

    let (code, out, err) = ca_policy(&["template", "user-risk", "--state", "enabled"]);
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap()["state"],
        "enabled"
    );
    assert!(err.contains("warning: no break-glass account"), "{err}");
}

#[test]
fn cli_template_usage_errors_exit_2() {
    for (args, needle) in [
        (vec!["template"], "expected a template NAME"),
        (vec!["template", "mfa"], "unknown template \"mfa\""),
        (
            vec!["template", "hardening", "--exclude-users", BG_USER_1],
            "unknown option --exclude-users",
        ),
        (
            vec!["template", "hardening", "--state", "on"],
            "--state must be",
        ),
        (
            vec!["template", "hardening", "--exclude-user"],
            "--exclude-user needs a value",
        ),
        (vec!["template", "pilot"], "--pilot-group"),
        (
            vec![
                "template",
                "hardening",
                "--exclude-user",
                "<break-glass-id-1>",
            ],
            "is not an object id",
        ),
        (
            vec!["template", "user-risk", "--outside-trusted-locations"],
            "protect-registration only",
        ),
    ] {
        let (code, out, err) = ca_policy(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(
            err.contains("usage: ca-policy template NAME"),
            "{args:?}: {err}"
        );
    }
}
