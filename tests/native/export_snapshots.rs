//! Snapshots of every exporter's output, one reviewed snapshot per case: each template in each
//! format (Graph JSON, PowerShell SDK, PowerShell Invoke), the single-operation scripts (update,
//! group, pilot) and the method builders' scripts (passkey and TAP PATCH, authentication
//! strength, whole rollout, switch-on). A change to any of them shows as a diff to review;
//! `INSTA_UPDATE=always cargo test --test native export_snapshots::` rewrites tests/native/snapshots/.

use ca_builder::builders::methods::{
    self, CurrentConfig, Method, MethodPatch, PasskeySettings, TapSettings,
};
use ca_builder::builders::risk;
use ca_builder::builders::rollout::{PasskeyChange, PilotGroup, Rollout};
use ca_builder::builders::strength::StrengthSettings;
use ca_builder::export::powershell::{self, Flavour};
use ca_builder::export::{render, Format, Operation};
use ca_builder::guid::{Guid, GuidKind};
use ca_builder::policy::patch::to_patch_body;
use ca_builder::policy::templates::{group_body, RolloutState, Template, TemplateParams};

const PILOT: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";
const BREAK_GLASS: &str = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e";
const BREAK_GLASS_GROUP: &str = "5d0c7a1b-2e3f-4a5b-8c6d-7e8f9a0b1c2d";
const POLICY_ID: &str = "3b1f6c2e-8d4a-4f7e-9c21-5a6b7c8d9e0f";
/// A YubiKey 5 AAGUID, allowed next to Authenticator's.
const SECURITY_KEY: &str = "cb69481e-8ff7-4039-93ec-0a2729a154a8";

const FLAVOURS: [(Flavour, &str); 2] = [(Flavour::Sdk, "sdk"), (Flavour::Invoke, "invoke")];

/// The parameters an admin gives `ca-policy template NAME --exclude-user ID [--pilot-group ID]`.
fn params(t: Template) -> TemplateParams {
    TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        pilot_group: (t == Template::Pilot).then(|| PILOT.to_string()),
        ..Default::default()
    }
}

fn post_body(t: Template) -> serde_json::Value {
    t.build(&params(t)).unwrap().to_post_body()
}

#[test]
fn every_template_in_every_format() {
    for t in Template::ALL {
        let body = post_body(t);
        for format in Format::ALL {
            let out = render(format, &Operation::Create, std::slice::from_ref(&body)).unwrap();
            insta::assert_snapshot!(format!("template_{}_{}", t.name(), format.name()), out);
        }
    }
}

#[test]
fn update_group_and_pilot_scripts() {
    let update = Operation::Update {
        policy_id: Guid::parse(POLICY_ID, GuidKind::Policy).unwrap(),
    };
    // The org-wide policy switched On with a break-glass group excluded too, as
    // `ca-policy export --update ID` sends it: only what changed.
    let stored = Template::MfaCompensating
        .build(&params(Template::MfaCompensating))
        .unwrap();
    let mut wanted = params(Template::MfaCompensating);
    wanted.exclude_groups = vec![BREAK_GLASS_GROUP.into()];
    wanted.state = RolloutState::Enabled;
    let wanted = Template::MfaCompensating.build(&wanted).unwrap();
    let patch = to_patch_body(&stored, &wanted);
    let group = group_body("Passkey pilot");
    let pilot = post_body(Template::MfaCompensating);
    for (flavour, name) in FLAVOURS {
        insta::assert_snapshot!(
            format!("update_{name}"),
            powershell::script(flavour, &update, &patch).unwrap()
        );
        insta::assert_snapshot!(
            format!("group_{name}"),
            powershell::script(flavour, &Operation::CreateGroup, &group).unwrap()
        );
        insta::assert_snapshot!(
            format!("pilot_{name}"),
            powershell::pilot_script(flavour, &group, &pilot).unwrap()
        );
    }
}

#[test]
fn pilot_scripts_with_the_opt_in_passes() {
    let group = group_body("Passkey pilot");
    let pilot = post_body(Template::MfaCompensating);
    let on = powershell::PilotScriptOptions { issue_taps: true };
    for (flavour, name) in FLAVOURS {
        insta::assert_snapshot!(
            format!("pilot_tap_{name}"),
            powershell::pilot_script_with(flavour, &group, &pilot, on).unwrap()
        );
    }
}

fn passkey_patch() -> MethodPatch {
    let mut settings = PasskeySettings::new(PILOT);
    settings.extra_aaguids = vec![Guid::parse(SECURITY_KEY, GuidKind::Aaguid).unwrap()];
    methods::fido2_patch(&settings, &CurrentConfig::service_default(Method::Fido2)).unwrap()
}

fn tap_patch(group: &str) -> MethodPatch {
    methods::tap_patch(
        &TapSettings::new(group),
        &CurrentConfig::service_default(Method::TemporaryAccessPass),
    )
    .unwrap()
}

fn strength() -> StrengthSettings {
    StrengthSettings {
        display_name: "Passkeys in Microsoft Authenticator".into(),
        ..Default::default()
    }
}

/// The rollout `ca-policy rollout --new-group "Passkey pilot" --exclude-user ID --strength-for
/// pilot --script` would plan: the default templates, the group found or created by the script,
/// the passkey strength on the pilot. Here the pilot also excludes Microsoft Authenticator
/// Credential Registration, a documented way out of the authentication-strength loop; the CLI,
/// which cannot add that exclusion, refuses `--strength-for pilot`.
fn rollout() -> Rollout {
    let gid = methods::PILOT_GROUP_PLACEHOLDER;
    let params = TemplateParams {
        exclude_users: vec![BREAK_GLASS.into()],
        // As the CLI: a GUID for the pilot template, which the plan replaces with the placeholder.
        pilot_group: Some("00000000-0000-0000-0000-000000000000".into()),
        ..Default::default()
    };
    let policies = ["pilot", "protect-registration", "user-risk"]
        .into_iter()
        .map(|n| {
            let t = Template::from_name(n).unwrap();
            let mut p = t.build(&params).unwrap();
            if n == "pilot" {
                let apps = p
                    .conditions
                    .value_mut()
                    .unwrap()
                    .applications
                    .value_mut()
                    .unwrap();
                apps.exclude_applications = ca_builder::policy::Field::Value(vec![
                    ca_builder::builders::strength::CREDENTIAL_REGISTRATION_APP.to_string(),
                ]);
            }
            assert_eq!(ca_builder::builders::strength::strength_loop(&p), None);
            (n.to_string(), p)
        })
        .chain([(
            "sign-in-risk".to_string(),
            risk::sign_in_risk_policy(&params).unwrap(),
        )])
        .collect();
    let fido2 = methods::fido2_patch(
        &PasskeySettings::new(gid),
        &CurrentConfig::service_default(Method::Fido2),
    )
    .unwrap();
    Rollout::build(
        PilotGroup::Create(group_body("Passkey pilot")),
        PasskeyChange::Patch(fido2),
        tap_patch(gid),
        StrengthSettings::default(),
        policies,
        &["pilot".into()],
    )
    .unwrap()
}

#[test]
fn method_builder_scripts() {
    let plan = rollout();
    for (flavour, name) in FLAVOURS {
        insta::assert_snapshot!(
            format!("passkey_patch_{name}"),
            powershell::method_patch_script(flavour, &passkey_patch()).unwrap()
        );
        insta::assert_snapshot!(
            format!("tap_patch_{name}"),
            powershell::method_patch_script(flavour, &tap_patch(PILOT)).unwrap()
        );
        insta::assert_snapshot!(
            format!("strength_{name}"),
            powershell::strength_script(flavour, &strength()).unwrap()
        );
        insta::assert_snapshot!(
            format!("rollout_{name}"),
            powershell::rollout_script(flavour, &plan).unwrap()
        );
        insta::assert_snapshot!(
            format!("switch_on_{name}"),
            powershell::switch_on_script(flavour, &plan.policy_names()).unwrap()
        );
    }
}
