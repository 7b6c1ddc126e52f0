//! The offline What-If: Microsoft's documented semantics on Microsoft's sample policies, the
//! passkey rollout with the templates, device filters, report-only, and the matrix; and
//! snapshots of the explanation an admin reads for the default rollout's personas.

use crate::support::analysis;

use analysis::*;
use ca_builder::analysis::whatif::{
    matrix, ClientApp, CompiledPolicySet, Condition, Location, Outcome, Resource, Risk, UserKind,
};
use ca_builder::analysis::{Control, Scenario};
use ca_builder::app::draft::Draft;
use ca_builder::policy::model::{DevicePlatform, GuestOrExternalUserType, PolicyState};
use ca_builder::policy::{Policy, RolloutState, Template};
use serde_json::json;

const GROUP_PILOT: &str = "5e769024-0f21-4be0-af23-dd6045caa1c9";
const GROUP_EXCLUDED: &str = "6f53f0e7-ca6b-4bd5-9da7-d559215cd1fe";
const TRUSTED_LOCATION: &str = "01f87633-7474-41d5-9e7c-b5b09d70a6e0";

fn verdict(
    w: &ca_builder::analysis::WhatIf,
    index: usize,
    c: Condition,
) -> &ca_builder::analysis::whatif::ConditionVerdict {
    w.policies[index]
        .reasons
        .iter()
        .find(|r| r.condition == c)
        .unwrap_or_else(|| panic!("no {c:?} verdict"))
}

/// All users, all resources, the given grant; On.
fn all_users_grant(name: &str, operator: &str, controls: &[&str]) -> Policy {
    policy(json!({
        "displayName": name, "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeUsers": [BREAK_GLASS]},
            "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["all"]
        },
        "grantControls": {"operator": operator, "builtInControls": controls}
    }))
}

// --- the passkey rollout --------------------------------------------------------------------

#[test]
fn unmanaged_phone_registering_a_passkey_before_and_after_the_security_info_policy() {
    let phone = persona("unregistered phone registering a passkey");
    let compensating = template(Template::MfaCompensating, RolloutState::Enabled);

    // Before: only the org-wide MFA policy on All resources. Graph's evaluate API (v1.0,
    // Example 3) returns All-resources policies as applying to registerSecurityInformation, so
    // it gates the user action itself; the sign-in to My Sign-ins before it asks for MFA too
    // (the unregistered phone is not exempted by the managed-device filter).
    let before = CompiledPolicySet::new(std::slice::from_ref(&compensating));
    let w = before.evaluate(&phone);
    assert!(w.policies[0].applies);
    assert_eq!(
        verdict(&w, 0, Condition::Resources).verdict,
        "included: All resources cover user action urn:user:registersecurityinfo (Microsoft's What-If API returns policies on All resources as applying to security-info registration)"
    );
    assert_eq!(w.enforced.requirements.len(), 1);
    assert!(w.notes.iter().any(|n| n
        .starts_with("policies on All resources apply to registering security information")
        && n.contains("Example 3")));
    assert!(w.notes.iter().any(|n| n.contains("My Sign-ins")));
    assert!(
        !w.notes
            .iter()
            .any(|n| n.contains("also apply to the user action itself")),
        "{:?}",
        w.notes
    );
    let pre = before.evaluate(&phone.preceding_sign_in().unwrap());
    assert!(pre.policies[0].applies);
    let filter = verdict(&pre, 0, Condition::DeviceFilter);
    assert!(filter.met);
    assert!(
        filter.verdict.contains("not registered"),
        "{}",
        filter.verdict
    );
    assert_eq!(
        pre.enforced.requirements[0].grant.controls,
        vec![Control::Mfa]
    );

    // After: the protect-registration template gates the user action itself with MFA (a
    // Temporary Access Pass satisfies it).
    let protect = template(Template::ProtectRegistration, RolloutState::Enabled);
    let after = CompiledPolicySet::new(&[compensating.clone(), protect.clone()]);
    let w = after.evaluate(&phone);
    assert!(w.policies[0].applies);
    assert!(w.policies[1].applies, "{:#?}", w.policies[1]);
    assert_eq!(
        verdict(&w, 1, Condition::Resources).verdict,
        "included: the policy targets user action urn:user:registersecurityinfo"
    );
    // Both must be met: the All-resources policy and the user-action policy.
    assert_eq!(w.enforced.requirements.len(), 2);
    assert_eq!(w.enforced.requirements[1].name, protect_name());
    match after.outcome_with_preceding(&phone) {
        Outcome::Challenged(reqs) => {
            assert_eq!(reqs.len(), 2, "{reqs:?}");
            assert!(
                reqs.iter()
                    .all(|r| r.ends_with("multifactor authentication")),
                "{reqs:?}"
            );
        }
        other => panic!("expected a challenge, got {other:?}"),
    }
    // The guest is excluded from protect-registration (Microsoft's sample: TAP can't onboard guests).
    let mut guest_registers = phone.clone();
    guest_registers.user.kind = UserKind::Guest {
        guest_type: GuestOrExternalUserType::B2bCollaborationGuest,
        home_tenant: None,
    };
    let w = after.evaluate(&guest_registers);
    assert_eq!(
        verdict(&w, 1, Condition::Users).verdict,
        "excluded as a guest or external user (exclusions win over inclusions)"
    );
}

fn protect_name() -> String {
    Template::ProtectRegistration
        .default_display_name()
        .to_string()
}

#[test]
fn compliant_device_catch_22_blocks_the_unmanaged_phone_and_an_mfa_alternative_lifts_it() {
    let phone = persona("unregistered phone registering a passkey");
    // All resources + compliant device: the sign-in before registration can never succeed.
    let strict = CompiledPolicySet::new(&[all_users_grant(
        "Require compliant device",
        "AND",
        &["compliantDevice"],
    )]);
    match strict.outcome_with_preceding(&phone) {
        Outcome::Blocked(why) => assert!(
            why[0].contains("a device marked as compliant, which this sign-in cannot provide"),
            "{why:?}"
        ),
        other => panic!("expected blocked, got {other:?}"),
    }
    // The same requirement on the user action itself.
    let on_action = policy(json!({
        "displayName": "Register only from compliant devices", "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeUsers": [BREAK_GLASS]},
            "applications": {"includeUserActions": ["urn:user:registersecurityinfo"]}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["compliantDevice", "domainJoinedDevice"]}
    }));
    assert!(matches!(
        CompiledPolicySet::new(std::slice::from_ref(&on_action)).outcome(&phone),
        Outcome::Blocked(_)
    ));
    // OR with MFA is satisfiable: challenged, not blocked.
    let lenient = CompiledPolicySet::new(&[all_users_grant(
        "Compliant or MFA",
        "OR",
        &["compliantDevice", "mfa"],
    )]);
    assert_eq!(
        lenient.outcome_with_preceding(&phone),
        Outcome::Challenged(vec![
            "Compliant or MFA: a device marked as compliant OR multifactor authentication".into()
        ])
    );
    // The managed laptop satisfies the strict policy.
    assert!(matches!(
        strict.outcome(&persona("managed laptop")),
        Outcome::Challenged(_)
    ));
}

// --- device filters ------------------------------------------------------------------------

#[test]
fn exclude_mode_filter_takes_the_hybrid_joined_desktop_out_and_keeps_the_personal_phone_in() {
    let set = CompiledPolicySet::new(&[template(Template::MfaCompensating, RolloutState::Enabled)]);
    let w = set.evaluate(&persona("hybrid-joined desktop"));
    assert!(!w.policies[0].applies);
    let v = verdict(&w, 0, Condition::DeviceFilter);
    assert!(!v.met);
    assert_eq!(
        v.verdict,
        "excluded by device filter: trustType is ServerAD"
    );
    assert_eq!(
        set.outcome(&persona("hybrid-joined desktop")),
        Outcome::Allowed
    );

    let w = set.evaluate(&persona("personal phone"));
    assert!(w.policies[0].applies);
    assert_eq!(
        verdict(&w, 0, Condition::DeviceFilter).verdict,
        "not excluded by device filter (exclude mode, rule does not match): trustType is Workplace"
    );

    // The hardening rule (compliant or hybrid) names both properties it reads.
    let hardening = CompiledPolicySet::new(&[template(Template::Hardening, RolloutState::Enabled)]);
    let w = hardening.evaluate(&persona("hybrid-joined desktop"));
    assert_eq!(
        verdict(&w, 0, Condition::DeviceFilter).verdict,
        "excluded by device filter: isCompliant is False, trustType is ServerAD"
    );
}

#[test]
fn include_mode_positive_rule_misses_unregistered_devices() {
    // Include mode with a positive operator: a null property (an unregistered device) never
    // matches, so the policy does not apply to it.
    let p = policy(json!({
        "displayName": "Block non-compliant", "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
            "devices": {"deviceFilter": {"mode": "include", "rule": "device.isCompliant -eq False"}}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]}
    }));
    let set = CompiledPolicySet::new(&[p]);
    assert_eq!(
        set.outcome(
            &persona("unregistered phone registering a passkey")
                .preceding_sign_in()
                .unwrap()
        ),
        Outcome::Allowed
    );
    assert!(matches!(
        set.outcome(&persona("personal phone")),
        Outcome::Blocked(_)
    ));
}

#[test]
fn an_invalid_filter_rule_is_reported_not_guessed() {
    let p = policy(json!({
        "displayName": "Seed (b)", "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
            "devices": {"deviceFilter": {"mode": "exclude", "rule": "device.trustType -eq \\\"ServerAD\\\""}}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    }));
    let w = CompiledPolicySet::new(&[p]).evaluate(&persona("hybrid-joined desktop"));
    assert!(!w.policies[0].applies);
    assert!(verdict(&w, 0, Condition::DeviceFilter)
        .verdict
        .starts_with("the device filter rule is invalid: "));
    assert!(w
        .notes
        .iter()
        .any(|n| n.contains("device filter rule has errors")));
}

// --- report-only -----------------------------------------------------------------------------

#[test]
fn report_only_is_reported_apart_and_never_enforced() {
    let block = policy(json!({
        "displayName": "Block everything (report-only)", "state": "enabledForReportingButNotEnforced",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
        "grantControls": {"operator": "OR", "builtInControls": ["block"]}
    }));
    let protect = template(Template::ProtectRegistration, RolloutState::ReportOnly);
    let set = CompiledPolicySet::new(&[block, protect]);
    let phone = persona("unregistered phone registering a passkey");
    let w = set.evaluate(&phone.preceding_sign_in().unwrap());
    assert!(w.policies[0].applies && w.policies[0].report_only);
    assert!(!w.enforced.is_blocked());
    assert_eq!(w.report_only.blocked_by, vec![0]);
    let w = set.evaluate(&phone);
    assert!(w.policies[1].applies && w.policies[1].report_only);
    assert!(w.enforced.requirements.is_empty());
    assert_eq!(w.report_only.requirements[0].policy, 1);
    assert_eq!(set.outcome_with_preceding(&phone), Outcome::Allowed);
}

// --- Microsoft's documented semantics and sample policies ----------------------------------

#[test]
fn exclusion_wins_over_inclusion() {
    let p = policy(json!({
        "displayName": "Pilot MFA", "state": "enabled",
        "conditions": {
            "users": {"includeGroups": [GROUP_PILOT], "excludeGroups": [GROUP_EXCLUDED]},
            "applications": {"includeApplications": ["All"]}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    }));
    let set = CompiledPolicySet::new(&[p]);
    let mut s = persona("managed laptop");
    s.user.groups = vec![GROUP_PILOT.to_uppercase(), GROUP_EXCLUDED.into()];
    let w = set.evaluate(&s);
    assert!(!w.policies[0].applies);
    assert_eq!(
        verdict(&w, 0, Condition::Users).verdict,
        format!("excluded as a member of group {GROUP_EXCLUDED} (exclusions win over inclusions)")
    );
    s.user.groups = vec![GROUP_PILOT.to_uppercase()];
    let w = set.evaluate(&s);
    assert!(w.policies[0].applies, "group ids compare without case");
    assert_eq!(
        verdict(&w, 0, Condition::Users).verdict,
        format!("included as a member of group {GROUP_PILOT}")
    );
    s.user.groups.clear();
    assert!(!set.evaluate(&s).policies[0].applies);
}

#[test]
fn block_unknown_or_unsupported_platforms() {
    // learn.microsoft.com howto-policy-unknown-unsupported-device: include any device, exclude
    // the known platforms, block.
    let p = policy(json!({
        "displayName": "Block unknown platforms", "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
            "platforms": {"includePlatforms": ["all"], "excludePlatforms": ["android", "iOS", "windows", "macOS", "linux"]}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]}
    }));
    let set = CompiledPolicySet::new(&[p]);
    let mut s = persona("managed laptop");
    assert_eq!(set.outcome(&s), Outcome::Allowed);
    s.platform = None;
    let w = set.evaluate(&s);
    assert_eq!(w.enforced.blocked_by, vec![0]);
    assert_eq!(
        verdict(&w, 0, Condition::DevicePlatforms).verdict,
        "the device platform is unknown, and the policy includes any device"
    );
    assert!(w.notes.iter().any(|n| n.contains("platform is unknown")));
    s.platform = Some(DevicePlatform::WindowsPhone);
    assert!(matches!(set.outcome(&s), Outcome::Blocked(_)));
}

#[test]
fn block_legacy_authentication_only_hits_legacy_clients() {
    // Microsoft's "Block legacy authentication": client apps Exchange ActiveSync + other clients.
    let p = policy(json!({
        "displayName": "Block legacy authentication", "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
            "clientAppTypes": ["exchangeActiveSync", "other"]
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]}
    }));
    let set = CompiledPolicySet::new(&[p]);
    let mut s = persona("managed laptop");
    s.client_app = ClientApp::Other;
    assert!(matches!(set.outcome(&s), Outcome::Blocked(_)));
    s.client_app = ClientApp::Browser;
    let w = set.evaluate(&s);
    assert!(!w.policies[0].applies);
    assert_eq!(
        verdict(&w, 0, Condition::ClientApps).verdict,
        "client app Browser is not one of the policy's client apps"
    );
}

#[test]
fn sign_in_risk_policy_applies_only_at_listed_levels() {
    let p = policy(json!({
        "displayName": "MFA for medium or high sign-in risk", "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
            "signInRiskLevels": ["high", "medium"]
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    }));
    let set = CompiledPolicySet::new(&[p]);
    let mut s = persona("managed laptop");
    s.sign_in_risk = Risk::Medium;
    assert!(matches!(set.outcome(&s), Outcome::Challenged(_)));
    s.sign_in_risk = Risk::Low;
    let w = set.evaluate(&s);
    assert!(!w.policies[0].applies);
    assert_eq!(
        verdict(&w, 0, Condition::SignInRisk).verdict,
        "sign-in risk Low is not one of the policy's levels"
    );
    // User risk is not configured: met whatever the level.
    assert_eq!(
        verdict(&w, 0, Condition::UserRisk).verdict,
        "user risk not configured: applies to every sign-in"
    );
}

#[test]
fn security_info_registration_sample_policy_locations_and_targets() {
    // Microsoft's sample (policy-all-users-security-info-registration): all users, guests
    // excluded, user action, any location except trusted ones, MFA.
    let p = template_with_trusted_locations();
    let set = CompiledPolicySet::new(&[p]);
    let mut s = persona("unregistered phone registering a passkey");
    s.location = Location::Known {
        named: vec![TRUSTED_LOCATION.into()],
        trusted: true,
    };
    let w = set.evaluate(&s);
    assert!(!w.policies[0].applies);
    assert_eq!(
        verdict(&w, 0, Condition::Locations).verdict,
        "excluded: the location is trusted and trusted locations are excluded"
    );
    s.location = Location::Known {
        named: vec![],
        trusted: false,
    };
    assert!(set.evaluate(&s).policies[0].applies);
    s.location = Location::Unknown;
    let w = set.evaluate(&s);
    assert!(w.policies[0].applies);
    assert!(w.notes.iter().any(|n| n
        .starts_with("documentation is silent on a sign-in from an address in no named location")));
    // A user-action policy is never matched by an application sign-in.
    let w = set.evaluate(&s.preceding_sign_in().unwrap());
    assert_eq!(
        verdict(&w, 0, Condition::Resources).verdict,
        format!(
            "not applicable: the policy targets user actions, and this sign-in is for app {}",
            ca_builder::analysis::whatif::MY_SIGNINS_APP
        )
    );
}

fn template_with_trusted_locations() -> Policy {
    ca_builder::policy::Template::ProtectRegistration
        .build(&ca_builder::policy::TemplateParams {
            exclude_users: vec![BREAK_GLASS.into()],
            state: RolloutState::Enabled,
            exclude_trusted_locations: true,
            ..Default::default()
        })
        .unwrap()
}

#[test]
fn guests_are_matched_by_type_and_tenant() {
    let p = policy(json!({
        "displayName": "MFA for guests", "state": "enabled",
        "conditions": {
            "users": {"includeGuestsOrExternalUsers": {
                "guestOrExternalUserTypes": "b2bCollaborationGuest,b2bCollaborationMember",
                "externalTenants": {"@odata.type": "#microsoft.graph.conditionalAccessEnumeratedExternalTenants", "membershipKind": "enumerated", "members": [ca_builder::analysis::whatif::PERSONA_GUEST_TENANT]}
            }},
            "applications": {"includeApplications": ["All"]}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    }));
    let set = CompiledPolicySet::new(&[p]);
    let w = set.evaluate(&persona("guest"));
    assert_eq!(
        verdict(&w, 0, Condition::Users).verdict,
        "included as a guest or external user"
    );
    assert!(!set.evaluate(&persona("managed laptop")).policies[0].applies);
    let mut other_tenant = persona("guest");
    other_tenant.user.kind = UserKind::Guest {
        guest_type: GuestOrExternalUserType::B2bCollaborationGuest,
        home_tenant: Some("11111111-2222-3333-4444-555555555555".into()),
    };
    assert!(!set.evaluate(&other_tenant).policies[0].applies);
}

#[test]
fn off_policies_are_not_evaluated_and_requirements_add_up_across_policies() {
    let mut off = all_users_grant("Off", "OR", &["block"]);
    off.state = ca_builder::policy::Field::Value(ca_builder::policy::model::PolicyState::Disabled);
    let mfa = all_users_grant("MFA", "OR", &["mfa"]);
    let device = all_users_grant(
        "Compliant or hybrid",
        "OR",
        &["compliantDevice", "domainJoinedDevice"],
    );
    let set = CompiledPolicySet::new(&[off, mfa, device]);
    let w = set.evaluate(&persona("hybrid-joined desktop"));
    assert_eq!(
        verdict(&w, 0, Condition::State).verdict,
        "the policy is Off: What-If evaluates only On and Report-only policies"
    );
    assert_eq!(
        w.enforced
            .requirements
            .iter()
            .map(|r| r.policy)
            .collect::<Vec<_>>(),
        vec![1, 2]
    );
    assert_eq!(
        set.outcome(&persona("hybrid-joined desktop")),
        Outcome::Challenged(vec![
            "MFA: multifactor authentication".into(),
            "Compliant or hybrid: a device marked as compliant OR a Microsoft Entra hybrid joined device".into()
        ])
    );
    assert!(matches!(
        set.outcome(&persona("personal phone")),
        Outcome::Blocked(_)
    ));
}

#[test]
fn session_controls_are_collected() {
    let p = policy(json!({
        "displayName": "Sign-in frequency", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
        "sessionControls": {"signInFrequency": {"isEnabled": true, "value": 8, "type": "hours"}, "persistentBrowser": {"isEnabled": true, "mode": "never"}}
    }));
    let w = CompiledPolicySet::new(&[p]).evaluate(&persona("personal phone"));
    assert_eq!(
        w.enforced.session[0].controls,
        vec![
            "persistent browser session: never",
            "sign-in frequency: every 8 hours"
        ]
    );
    assert!(w.enforced.requirements.is_empty());
}

// --- matrix, and the fast path against the full one -----------------------------------------

#[test]
fn matrix_over_the_rollout_templates() {
    let set = vec![
        template(Template::MfaCompensating, RolloutState::Enabled),
        template(Template::ProtectRegistration, RolloutState::Enabled),
        all_users_grant("Require compliant device", "AND", &["compliantDevice"]),
    ];
    let m = matrix(&set);
    let get = |n: &str| m.iter().find(|(p, _)| *p == n).unwrap().1.clone();
    assert!(
        matches!(get("managed laptop"), Outcome::Challenged(ref r) if r.len() == 1),
        "{:?}",
        get("managed laptop")
    );
    assert!(
        matches!(get("hybrid-joined desktop"), Outcome::Blocked(_)),
        "not compliant"
    );
    assert!(matches!(get("personal phone"), Outcome::Blocked(_)));
    assert!(matches!(
        get("unregistered phone registering a passkey"),
        Outcome::Blocked(_)
    ));
    assert!(matches!(get("guest"), Outcome::Blocked(_)));
    // Without the compliant-device policy everyone gets through with MFA, nobody is blocked.
    let m = matrix(&set[..2]);
    assert!(
        m.iter().all(|(_, o)| !matches!(o, Outcome::Blocked(_))),
        "{m:?}"
    );
    assert_eq!(
        m.iter().filter(|(_, o)| *o == Outcome::Allowed).count(),
        2,
        "managed laptop and hybrid desktop are exempt: {m:?}"
    );
}

#[test]
fn fast_decision_equals_full_evaluation_on_every_corpus_file() {
    let mut scenarios: Vec<Scenario> = ca_builder::analysis::personas()
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    let extra: Vec<Scenario> = scenarios
        .iter()
        .filter_map(Scenario::preceding_sign_in)
        .collect();
    scenarios.extend(extra);
    let mut other = persona("managed laptop");
    other.resource = Resource::AuthContext("c1".into());
    other.client_app = ClientApp::ExchangeActiveSync;
    scenarios.push(other);
    let mut applied = 0;
    for (file, policies) in all_corpus() {
        let set = CompiledPolicySet::new(&policies);
        for s in &scenarios {
            let full = set.evaluate(s);
            assert_eq!(set.decide(s), full.enforced, "{file}");
            assert_eq!(full.policies.len(), policies.len());
            for v in &full.policies {
                assert_eq!(
                    v.applies,
                    v.reasons.iter().all(|r| r.met),
                    "{file} #{}",
                    v.index
                );
                applied += v.applies as usize;
            }
        }
    }
    assert!(
        applied > 100,
        "the corpus exercises applying policies ({applied})"
    );
}

// --- snapshots of the explanation ------------------------------------------------------------

/// The default rollout's five steps as the What-If screen takes them: each step's policy, its
/// Report-only state previewed as On unless `as_drafted`.
fn default_rollout(as_drafted: bool) -> Vec<Policy> {
    let draft = Draft::new();
    (0..draft.steps.len())
        .map(|i| {
            let mut p = draft.effective_policy(i);
            if !as_drafted {
                p.state = ca_builder::policy::Field::Value(PolicyState::Enabled);
            }
            p
        })
        .collect()
}

/// The explanation as an admin reads it on the What-If screen: the result (with the sign-in
/// before a registration), what must be met, each policy's verdict condition by condition, what
/// report-only policies would add, and the assumptions; then the sign-in before it, if any.
fn explanation(policies: &[Policy], s: &Scenario) -> String {
    let set = CompiledPolicySet::new(policies);
    let mut out = match set.outcome_with_preceding(s) {
        Outcome::Blocked(why) => format!("Blocked: {}\n", why.join("; ")),
        Outcome::Challenged(reqs) => format!("Challenged: {}\n", reqs.join("; AND ")),
        Outcome::Allowed => "Let through with no policy requirement\n".to_string(),
    };
    out += &report(&set.evaluate(s));
    if let Some(pre) = set.evaluate_preceding(s) {
        out += "\n=== The sign-in before it, to My Sign-ins ===\n";
        out += &report(&pre);
    }
    out
}

fn report(w: &ca_builder::analysis::WhatIf) -> String {
    let mut out = String::new();
    let decision = |out: &mut String, title: &str, d: &ca_builder::analysis::whatif::Decision| {
        if d.blocked_by.is_empty() && d.requirements.is_empty() && d.session.is_empty() {
            return;
        }
        *out += &format!("{title}\n");
        for i in &d.blocked_by {
            *out += &format!("  - blocked by {:?}\n", w.policies[*i].name);
        }
        for r in &d.requirements {
            *out += &format!("  - {}: {}\n", r.name, r.grant.describe());
            if let Some(words) = r.first_passkey_words() {
                *out += &format!("    {words}\n");
            }
        }
        for s in &d.session {
            *out += &format!("  - {} (session): {}\n", s.name, s.controls.join(", "));
        }
    };
    decision(&mut out, "Every one of these must be met:", &w.enforced);
    out += "Policy by policy:\n";
    for v in &w.policies {
        let report_only = if v.report_only {
            " (report-only: never enforced)"
        } else {
            ""
        };
        let applies = if v.applies {
            "applies"
        } else {
            "does not apply"
        };
        out += &format!("  {}{report_only} {applies}\n", v.name);
        for r in &v.reasons {
            out += &format!(
                "    [{}] {}\n",
                if r.met { "met" } else { "not met" },
                r.verdict
            );
        }
    }
    decision(
        &mut out,
        "Report-only policies would add (never enforced):",
        &w.report_only,
    );
    if !w.notes.is_empty() {
        out += "Assumptions:\n";
        for n in &w.notes {
            out += &format!("  - {n}\n");
        }
    }
    out
}

#[test]
fn explanation_of_a_passkey_registration_on_an_unregistered_phone() {
    insta::assert_snapshot!(explanation(
        &default_rollout(false),
        &persona("unregistered phone registering a passkey")
    ));
}

#[test]
fn explanation_of_a_compliant_laptop() {
    insta::assert_snapshot!(explanation(
        &default_rollout(false),
        &persona("managed laptop")
    ));
}

#[test]
fn explanation_of_a_guest() {
    insta::assert_snapshot!(explanation(&default_rollout(false), &persona("guest")));
}

#[test]
fn explanation_of_the_rollout_as_drafted_report_only() {
    insta::assert_snapshot!(explanation(
        &default_rollout(true),
        &persona("personal phone")
    ));
}

#[test]
fn explanation_of_a_device_filter_exclusion() {
    insta::assert_snapshot!(explanation(
        &default_rollout(false),
        &persona("hybrid-joined desktop")
    ));
}

// --- Microsoft's documented results that changed the simulation ------------------------------

/// Graph `POST /identity/conditionalAccess/evaluate`, v1.0, Example 3 ("Identify conditional
/// access policies that would apply to a user performing a user action",
/// https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate?view=graph-rest-1.0):
/// the request's sign-in context is `userActionContext` `registerSecurityInformation`, and the
/// documented response lists three applied policies (all report-only, `policyApplies: true`):
/// two on All resources and one on the `urn:user:registersecurityinfo` user action. Their
/// conditions and grants are copied from the response; the request does not say which role the
/// user holds, so the simulated user holds Global Administrator, one of the 14 the second
/// policy lists.
#[test]
fn graph_evaluate_example_3_all_resources_policies_apply_to_security_info_registration() {
    const EXCLUDED: &str = "f7ca74b0-8562-4083-b66c-0476f942cfd0";
    let roles = [
        "62e90394-69f5-4237-9190-012177145e10",
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
        "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
        "29232cdf-9323-42fd-ade2-1d097af3e4de",
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
        "729827e3-9c14-49f7-bb1b-9608f156bbb8",
        "b0f54661-2d74-4c50-afa3-1ec803f12efe",
        "fe930be7-5e62-47db-91af-98c3a49a38b1",
        "c4e39bd9-1100-46d3-8c65-fb160da0071f",
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        "158c047a-c907-4556-b7ef-446551a6b5f7",
        "966707d0-3269-4727-9be2-8c3a10f19b9d",
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
        "e8611ab8-c189-46e8-94e1-60213ab1f814",
    ];
    let apps = |include: &[&str], actions: &[&str]| {
        json!({"includeApplications": include, "excludeApplications": [], "includeUserActions": actions,
               "includeAuthenticationContextClassReferences": [], "applicationFilter": null})
    };
    let policies = [
        policy(json!({
            "id": "37d51c45-8c60-4f82-98e0-6e1451cecf7c",
            "displayName": "All Users except au1_All resources_user risk H_Password change",
            "state": "enabledForReportingButNotEnforced",
            "conditions": {
                "userRiskLevels": ["high"], "signInRiskLevels": [], "clientAppTypes": ["all"],
                "insiderRiskLevels": null, "platforms": null, "locations": null, "devices": null,
                "authenticationFlows": null, "applications": apps(&["All"], &[]),
                "users": {"includeUsers": ["All"], "excludeUsers": [EXCLUDED], "includeGroups": [],
                          "excludeGroups": [], "includeRoles": [], "excludeRoles": []}
            },
            "grantControls": {"operator": "AND", "builtInControls": ["mfa", "passwordChange"]}
        })),
        policy(json!({
            "id": "4aa7d105-d92b-4c07-9834-0e810ddb89ac",
            "displayName": "All admin roles except au1_All resources_No conditions_MFA",
            "state": "enabledForReportingButNotEnforced",
            "conditions": {
                "userRiskLevels": [], "signInRiskLevels": [], "clientAppTypes": ["all"],
                "insiderRiskLevels": null, "platforms": null, "locations": null, "devices": null,
                "authenticationFlows": null, "applications": apps(&["All"], &[]),
                "users": {"includeUsers": [], "excludeUsers": [EXCLUDED], "includeGroups": [],
                          "excludeGroups": [], "includeRoles": roles, "excludeRoles": []}
            },
            "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
        })),
        policy(json!({
            "id": "11083471-5a50-43ad-90c0-23f1af0869e1",
            "displayName": "All users except au1_User action RS info_No conditions_Auth strenfth MFA",
            "state": "enabledForReportingButNotEnforced",
            "conditions": {
                "userRiskLevels": [], "signInRiskLevels": [], "clientAppTypes": ["all"],
                "insiderRiskLevels": null, "platforms": null, "locations": null, "devices": null,
                "authenticationFlows": null,
                "applications": apps(&[], &["urn:user:registersecurityinfo"]),
                "users": {"includeUsers": ["All"], "excludeUsers": [EXCLUDED], "includeGroups": [],
                          "excludeGroups": [], "includeRoles": [], "excludeRoles": []}
            },
            "grantControls": {"operator": "OR", "builtInControls": [],
                              "authenticationStrength": {"id": "00000000-0000-0000-0000-000000000002"}}
        })),
    ];
    // The request: userId, registerSecurityInformation, macOS, browser, sign-in risk low, user
    // risk high, device code flow, country CA (no named location), deviceInfo.trustType EntraID.
    let mut s = persona("unregistered phone registering a passkey");
    s.user.id = "15dc174b-f34c-4588-ac45-61d6e05dce93".into();
    s.user.roles = vec![roles[0].into()];
    s.platform = Some(DevicePlatform::MacOS);
    s.client_app = ClientApp::Browser;
    s.sign_in_risk = Risk::Low;
    s.user_risk = Risk::High;
    s.auth_flow = Some(ca_builder::analysis::whatif::AuthFlow::DeviceCodeFlow);
    s.location = Location::Unknown;
    s.device = ca_builder::filter::Device::default().with(
        "trustType",
        ca_builder::filter::Value::Str("EntraID".into()),
    );

    let w = CompiledPolicySet::new(&policies).evaluate(&s);
    for v in &w.policies {
        assert!(v.applies && v.report_only, "{v:#?}");
    }
    assert_eq!(
        w.report_only
            .requirements
            .iter()
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>(),
        policies
            .iter()
            .map(|p| p.display_name.value().unwrap().as_str())
            .collect::<Vec<_>>(),
        "the documented three applied policies"
    );
    assert_eq!(
        verdict(&w, 0, Condition::Resources).verdict,
        "included: All resources cover user action urn:user:registersecurityinfo (Microsoft's What-If API returns policies on All resources as applying to security-info registration)"
    );
    assert!(
        w.enforced.requirements.is_empty(),
        "report-only: never enforced"
    );
    assert!(
        w.notes.iter().any(|n| n.contains("Example 3")),
        "{:?}",
        w.notes
    );

    // A policy on specific apps is still not taken to reach the registration, and says so.
    let specific = policy(json!({
        "displayName": "MFA for Exchange Online", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]},
                       "applications": {"includeApplications": [ca_builder::analysis::whatif::EXCHANGE_ONLINE_APP]}},
        "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}
    }));
    let w = CompiledPolicySet::new(&[specific]).evaluate(&s);
    assert!(!w.policies[0].applies);
    assert!(w.notes.iter().any(|n| n.contains(
        "assumed a policy on specific apps or app groups does not apply to the registration itself"
    )));
    // Excluded apps leave the registration in (a policy cannot exclude a user action).
    let mut excluding = all_users_grant("MFA except SharePoint", "OR", &["mfa"]);
    excluding
        .conditions
        .value_mut()
        .unwrap()
        .applications
        .value_mut()
        .unwrap()
        .exclude_applications = ca_builder::policy::Field::Value(vec![
        ca_builder::analysis::whatif::SHAREPOINT_ONLINE_APP.into(),
    ]);
    let w = CompiledPolicySet::new(&[excluding]).evaluate(&s);
    assert!(w.policies[0].applies);
    assert!(w
        .notes
        .iter()
        .any(|n| n.contains("a policy cannot exclude a user action")));
}

/// Microsoft Learn, "Migrate approved client app to application protection policy in
/// Conditional Access"
/// (https://learn.microsoft.com/entra/identity/conditional-access/migrate-approved-client-app):
/// *Require approved client app* retired on 30 June 2026; it is no longer enforced, and a
/// policy behaves as if that grant were not selected. How a policy whose only control it was
/// behaves is not spelled out: the What-If assumes it asks for nothing, and says so.
#[test]
fn approved_client_app_is_no_longer_enforced() {
    let set = CompiledPolicySet::new(&[
        all_users_grant(
            "Approved app or app protection",
            "OR",
            &["approvedApplication", "compliantApplication"],
        ),
        all_users_grant(
            "Approved app and MFA",
            "AND",
            &["approvedApplication", "mfa"],
        ),
    ]);
    let w = set.evaluate(&persona("personal phone"));
    assert_eq!(
        w.enforced
            .requirements
            .iter()
            .map(|r| r.grant.describe())
            .collect::<Vec<_>>(),
        ["an app protection policy", "multifactor authentication"]
    );
    assert!(w
        .notes
        .iter()
        .any(|n| n.starts_with("Require approved client app (approvedApplication) was retired on 30 June 2026: Microsoft no longer enforces it, and a policy behaves as if it were not selected")));
    // The Windows laptop could never give an approved client app: it used to be blocked.
    assert_eq!(
        set.outcome(&persona("managed laptop")),
        Outcome::Blocked(vec![
            "\"Approved app or app protection\" requires an app protection policy, which this sign-in cannot provide".into()
        ])
    );

    let only = CompiledPolicySet::new(&[all_users_grant(
        "Approved app only",
        "OR",
        &["approvedApplication"],
    )]);
    let w = only.evaluate(&persona("managed laptop"));
    assert!(w.policies[0].applies);
    assert!(w.enforced.requirements.is_empty());
    assert_eq!(only.outcome(&persona("managed laptop")), Outcome::Allowed);
    assert!(w.notes.iter().any(|n| n.contains(
        "whose only grant control was Require approved client app; assumed it asks for nothing"
    )));
}

/// Microsoft Learn, "Filter for devices"
/// (https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices):
/// extension attributes are available to Conditional Access only for a device that is
/// Intune-managed, compliant or hybrid joined. A "block unless SAW" policy (include mode,
/// `-ne`) therefore blocks a non-compliant Entra-joined device whatever its extensionAttribute1.
#[test]
fn device_filter_does_not_see_extension_attributes_of_an_unmanaged_device() {
    use ca_builder::filter::{Device, Value};
    let p = policy(json!({
        "displayName": "Block unless SAW", "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]},
            "devices": {"deviceFilter": {"mode": "include", "rule": "device.extensionAttribute1 -ne \"SAW\""}}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]}
    }));
    let set = CompiledPolicySet::new(&[p]);
    let mut s = persona("managed laptop");
    s.device = Device::default()
        .with("trustType", Value::Str("AzureAD".into()))
        .with("isCompliant", Value::Bool(false))
        .with("extensionAttribute1", Value::Str("SAW".into()));
    let w = set.evaluate(&s);
    assert_eq!(w.enforced.blocked_by, vec![0]);
    assert_eq!(
        verdict(&w, 0, Condition::DeviceFilter).verdict,
        "included by device filter: extensionAttribute1 is null to Conditional Access (the device gives SAW, but it is neither Intune-managed, compliant nor hybrid joined)"
    );
    assert!(w
        .notes
        .iter()
        .any(|n| n.starts_with("extension attributes are only available to Conditional Access on a device that is Intune-managed, compliant or Microsoft Entra hybrid joined")));
    // Compliant: the attribute is seen, the SAW is let through.
    s.device.set("isCompliant", Value::Bool(true));
    assert_eq!(set.outcome(&s), Outcome::Allowed);
    assert!(set.evaluate(&s).notes.is_empty());
}

// --- the authentication-strength loop in a registration ---------------------------------------

const PHISHING_RESISTANT: &str = "00000000-0000-0000-0000-000000000004";
const MFA_STRENGTH: &str = "00000000-0000-0000-0000-000000000002";

/// All users, the given applications, an authentication strength as the only control; On.
fn strength_policy(name: &str, applications: serde_json::Value, strength: &str) -> Policy {
    policy(json!({
        "displayName": name, "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeUsers": [BREAK_GLASS]},
            "applications": applications
        },
        "grantControls": {"operator": "OR", "authenticationStrength": {"id": strength}}
    }))
}

fn passkeys_everywhere() -> Policy {
    strength_policy(
        "Passkeys for everything",
        json!({"includeApplications": ["All"]}),
        PHISHING_RESISTANT,
    )
}

fn registration_with(strength: &str) -> Policy {
    policy(json!({
        "displayName": "Register security info", "state": "enabled",
        "conditions": {
            "users": {"includeUsers": ["All"], "excludeUsers": [BREAK_GLASS]},
            "applications": {"includeUserActions": ["urn:user:registersecurityinfo"]}
        },
        "grantControls": {"operator": "OR", "authenticationStrength": {"id": strength}},
        "sessionControls": {"signInFrequency": {"isEnabled": true, "frequencyInterval": "everyTime",
                            "authenticationType": "primaryAndSecondaryAuthentication"}}
    }))
}

/// The headline's lines (blocked or challenged), for the sign-in and the one before it.
fn headline(set: &CompiledPolicySet, s: &Scenario) -> (bool, Vec<String>) {
    match set.outcome_with_preceding(s) {
        Outcome::Blocked(why) => (true, why),
        Outcome::Challenged(reqs) => (false, reqs),
        Outcome::Allowed => (false, vec![]),
    }
}

#[test]
fn a_strength_a_first_passkey_registrant_cannot_meet_blocks_the_registration() {
    use ca_builder::builders::strength::{StrengthLoop, CREDENTIAL_REGISTRATION_APP};
    let phone = persona("unregistered phone registering a passkey");
    let custom = policy(json!({
        "displayName": "Passkey in Authenticator for everything", "state": "enabled",
        "conditions": {"users": {"includeUsers": ["All"]}, "applications": {"includeApplications": ["All"]}},
        "grantControls": {"operator": "OR", "authenticationStrength": {
            "id": "7e2b0ec4-5a93-4f7b-a5e3-1c1a3c5b2f10", "displayName": "Passkey in Microsoft Authenticator",
            "allowedCombinations": ["fido2"]}}
    }));
    let cases = [
        (passkeys_everywhere(), StrengthLoop::AllResources),
        (custom, StrengthLoop::AllResources),
        (
            registration_with(PHISHING_RESISTANT),
            StrengthLoop::Registration,
        ),
        // Passwordless MFA: no Temporary Access Pass either.
        (
            registration_with("00000000-0000-0000-0000-000000000003"),
            StrengthLoop::Registration,
        ),
    ];
    for (p, kind) in cases {
        let name = p.display_name.value().unwrap().clone();
        let set = CompiledPolicySet::new(std::slice::from_ref(&p));
        // The headline: blocked, for the reason the per-policy line gives.
        let (blocked, lines) = headline(&set, &phone);
        assert!(blocked, "{name}: {lines:?}");
        assert_eq!(lines.len(), 1, "said once for both steps: {lines:?}");
        let w = set.evaluate(&phone);
        let r = &w.enforced.requirements[0];
        assert_eq!(r.first_passkey, Some(kind), "{name}");
        assert_eq!(
            lines[0],
            format!(
                "{:?} requires {}, which someone registering a first passkey cannot meet (the authentication-strength loop)",
                r.name,
                r.grant.describe()
            )
        );
        let words = r.first_passkey_words().unwrap();
        assert!(words.starts_with("cannot be met by someone registering a first passkey: "));
        assert!(words.contains(kind.why()), "{words}");
        assert!(words.contains(kind.ways_out()), "{words}");
        match kind {
            StrengthLoop::AllResources => {
                assert!(words.contains(CREDENTIAL_REGISTRATION_APP), "{words}");
                assert!(words.contains("split by platform"), "{words}");
            }
            StrengthLoop::Registration => {
                assert!(
                    words.contains("00000000-0000-0000-0000-000000000002"),
                    "{words}"
                )
            }
        }
        assert!(
            w.notes.iter().any(|n| n.contains("first passkey")
                || n.contains("no passkey or other phishing-resistant credential")),
            "{:?}",
            w.notes
        );
        // The fast path decides as the full evaluation does, and the matrix agrees.
        assert_eq!(set.decide(&phone), w.enforced);
        assert!(matches!(set.outcome(&phone), Outcome::Blocked(_)));
        let m = matrix(std::slice::from_ref(&p));
        let (_, o) = m
            .iter()
            .find(|(n, _)| *n == "unregistered phone registering a passkey")
            .unwrap();
        assert!(matches!(o, Outcome::Blocked(_)), "{o:?}");
        // The sign-in before it, as a step of the registration: the All-resources loop
        // stops it too; a policy on the user action does not reach it.
        let pre = set.evaluate_preceding(&phone).unwrap();
        match kind {
            StrengthLoop::AllResources => {
                assert_eq!(pre.enforced.requirements[0].first_passkey, Some(kind))
            }
            StrengthLoop::Registration => assert!(pre.enforced.requirements.is_empty()),
        }
        // Outside a registration the strength is taken as met: a passkey user signs in.
        let mut mail = persona("personal phone");
        mail.resource = Resource::App(ca_builder::analysis::whatif::EXCHANGE_ONLINE_APP.into());
        let w = set.evaluate(&mail);
        assert!(w
            .enforced
            .requirements
            .iter()
            .all(|r| r.first_passkey.is_none()));
        assert!(!matches!(set.outcome(&mail), Outcome::Blocked(_)));
        let pre_alone = set.evaluate(&phone.preceding_sign_in().unwrap());
        assert!(pre_alone
            .enforced
            .requirements
            .iter()
            .all(|r| r.first_passkey.is_none()));
    }
}

#[test]
fn the_loop_on_a_phone_is_not_a_desktop_registration_and_another_control_is_a_way_past_it() {
    let set = CompiledPolicySet::new(&[passkeys_everywhere()]);
    // On a desktop the passkey is required on purpose (Microsoft's platform split); Windows
    // Hello or a certificate may meet it.
    let mut desktop = persona("unregistered phone registering a passkey");
    desktop.platform = Some(DevicePlatform::Windows);
    desktop.client_app = ClientApp::Browser;
    let (blocked, lines) = headline(&set, &desktop);
    assert!(!blocked, "{lines:?}");
    assert_eq!(lines.len(), 1, "{lines:?}");
    // The registration policy without a TAP stops every platform.
    let set = CompiledPolicySet::new(&[registration_with(PHISHING_RESISTANT)]);
    assert!(headline(&set, &desktop).0);

    // The strength OR a compliant device: a compliant phone is a way past it; an unregistered
    // phone has neither.
    let mut either = passkeys_everywhere();
    either.grant_controls.value_mut().unwrap().built_in_controls =
        ca_builder::policy::Field::Value(vec![
            ca_builder::policy::model::GrantControl::CompliantDevice,
        ]);
    let set = CompiledPolicySet::new(std::slice::from_ref(&either));
    let phone = persona("unregistered phone registering a passkey");
    let (blocked, lines) = headline(&set, &phone);
    assert!(blocked, "{lines:?}");
    assert!(lines[0].contains("someone registering a first passkey cannot meet"));
    let mut compliant = phone.clone();
    compliant.device = ca_builder::filter::Device::default()
        .with(
            "trustType",
            ca_builder::filter::Value::Str("AzureAD".into()),
        )
        .with("isCompliant", ca_builder::filter::Value::Bool(true));
    assert!(!headline(&set, &compliant).0);
    assert!(set.evaluate(&compliant).enforced.requirements[0]
        .first_passkey
        .is_none());

    // Report-only: marked in what it would add, never enforced.
    let mut report_only = passkeys_everywhere();
    report_only.state =
        ca_builder::policy::Field::Value(PolicyState::EnabledForReportingButNotEnforced);
    let set = CompiledPolicySet::new(&[report_only]);
    assert_eq!(set.outcome_with_preceding(&phone), Outcome::Allowed);
    assert!(set.evaluate(&phone).report_only.requirements[0]
        .first_passkey
        .is_some());
}

/// Microsoft's documented patterns, which a user registering a first passkey can meet: the
/// registration policy requiring the built-in Multifactor authentication strength, which a
/// Temporary Access Pass satisfies (What-If Example 3's third policy; "Require MFA to register
/// security info"); a passkey strength on All resources with Microsoft Authenticator Credential
/// Registration excluded; a passkey strength on desktop platforms only
/// (https://learn.microsoft.com/entra/identity/authentication/how-to-enable-authenticator-passkey).
#[test]
fn microsofts_documented_ways_out_leave_the_registration_challenged() {
    use ca_builder::builders::strength::CREDENTIAL_REGISTRATION_APP;
    let excluded = strength_policy(
        "Passkeys except Authenticator registration",
        json!({"includeApplications": ["All"], "excludeApplications": [CREDENTIAL_REGISTRATION_APP]}),
        PHISHING_RESISTANT,
    );
    let mut desktop = passkeys_everywhere();
    desktop.conditions.value_mut().unwrap().platforms = ca_builder::policy::Field::Value(
        serde_json::from_value(json!({"includePlatforms": ["windows", "macOS", "linux"]})).unwrap(),
    );
    let mut mobile = strength_policy(
        "Mobile: MFA strength",
        json!({"includeApplications": ["All"]}),
        MFA_STRENGTH,
    );
    mobile.conditions.value_mut().unwrap().platforms = ca_builder::policy::Field::Value(
        serde_json::from_value(json!({"includePlatforms": ["android", "iOS"]})).unwrap(),
    );
    let phone = persona("unregistered phone registering a passkey");
    for set in [
        vec![registration_with(MFA_STRENGTH)],
        vec![template(
            Template::ProtectRegistration,
            RolloutState::Enabled,
        )],
        vec![excluded],
        vec![desktop, mobile, registration_with(MFA_STRENGTH)],
    ] {
        let names: Vec<_> = set
            .iter()
            .map(|p| p.display_name.value().cloned().unwrap_or_default())
            .collect();
        let compiled = CompiledPolicySet::new(&set);
        let (blocked, lines) = headline(&compiled, &phone);
        assert!(!blocked, "{names:?}: {lines:?}");
        assert!(!lines.is_empty(), "{names:?}: challenged, not let through");
        let w = compiled.evaluate(&phone);
        assert!(
            w.enforced
                .requirements
                .iter()
                .all(|r| r.first_passkey.is_none() && r.first_passkey_words().is_none()),
            "{names:?}"
        );
        assert!(
            !w.notes
                .iter()
                .any(|n| n.contains("no passkey or other phishing-resistant credential")),
            "{names:?}"
        );
        let pre = compiled.evaluate_preceding(&phone).unwrap();
        assert!(pre
            .enforced
            .requirements
            .iter()
            .all(|r| r.first_passkey.is_none()));
    }
}

#[test]
fn explanation_of_the_strength_loop_in_a_registration() {
    let mut policies = default_rollout(false);
    policies.push(passkeys_everywhere());
    insta::assert_snapshot!(explanation(
        &policies,
        &persona("unregistered phone registering a passkey")
    ));
}
