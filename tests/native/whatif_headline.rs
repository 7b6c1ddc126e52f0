//! The page's What-If never contradicts itself (issue 14): the headline is derived from exactly
//! the evaluations listed below it, one line per sign-in, each line citing only policies that
//! line's evaluation lists as applying and enforced.

use ca_builder::analysis::{personas, CompiledPolicySet};
use ca_builder::app::draft::Draft;
use ca_builder::app::whatif::{policy_set, SignInStep, WhatIfForm, WhatIfRun};
use ca_builder::names::Naming;
use ca_builder::policy::import::import_bytes;
use ca_builder::policy::model::Policy;

/// A policy an admin adds to protect registration by its app: MFA for My Sign-ins
/// (mysignins.microsoft.com). It reaches the sign-in a registration starts with, not the
/// Register security information user action itself, so a headline over both sign-ins cites
/// it while the user action's breakdown says it does not apply: the contradiction of issue 14.
pub(crate) fn my_sign_ins_policy() -> Vec<Policy> {
    import_bytes(
        br#"{"displayName": "Require MFA for My Sign-ins", "state": "enabled",
             "conditions": {"users": {"includeUsers": ["All"]},
                            "applications": {"includeApplications": ["19db86c3-b2b9-44cc-b339-36da233a3be2"]},
                            "clientAppTypes": ["all"]},
             "grantControls": {"operator": "OR", "builtInControls": ["mfa"]}}"#,
    )
    .unwrap()
}

/// Whether the policy asks anything of a sign-in it applies to (a grant control or strength).
fn has_grant(p: &Policy) -> bool {
    let v = p.to_value();
    let g = &v["grantControls"];
    g["builtInControls"]
        .as_array()
        .is_some_and(|c| !c.is_empty())
        || !g["authenticationStrength"].is_null()
}

/// Every line of `run`'s headline against the evaluation it is about.
fn check(run: &WhatIfRun, policies: &[Policy], what: &str) {
    let headline = run.headline();
    assert_eq!(
        headline.lines.len(),
        run.evaluations().len(),
        "{what}: one headline line per listed evaluation"
    );
    for (line, e) in headline.lines.iter().zip(run.evaluations()) {
        assert_eq!(line.step, e.step, "{what}");
        assert_eq!(
            line.sign_in, e.sign_in,
            "{what}: the line says which sign-in"
        );
        let listed: Vec<usize> = e
            .report
            .policies
            .iter()
            .filter(|v| v.applies && !v.report_only)
            .map(|v| v.index)
            .collect();
        for i in &line.policies {
            assert!(
                listed.contains(i),
                "{what}, {}: the headline cites #{i} ({:?}), which the breakdown below does not list as applying and enforced: {}",
                e.sign_in,
                policies[*i].to_value()["displayName"],
                line.words
            );
        }
        if line.code != "blocked" {
            // Challenged or allowed: every applying enforced policy that asks something is cited.
            let asking: Vec<usize> = listed
                .iter()
                .copied()
                .filter(|&i| has_grant(&policies[i]))
                .collect();
            let mut cited = line.policies.clone();
            cited.sort_unstable();
            assert_eq!(cited, asking, "{what}, {}: {}", e.sign_in, line.words);
        } else {
            assert!(!line.policies.is_empty(), "{what}: a block names its cause");
        }
        // The words name no policy the breakdown says does not apply (or is not enforced).
        for v in &e.report.policies {
            if !v.applies || v.report_only {
                assert!(
                    !line.words.contains(&format!("{}:", v.name))
                        && !line.words.contains(&format!("{:?}", v.name)),
                    "{what}, {}: the headline names {:?}, listed below as applies={} report_only={}: {}",
                    e.sign_in,
                    v.name,
                    v.applies,
                    v.report_only,
                    line.words
                );
            }
        }
    }
    let worst = ["blocked", "challenged", "allowed"]
        .into_iter()
        .find(|c| headline.lines.iter().any(|l| l.code == *c))
        .unwrap_or("allowed");
    assert_eq!(headline.code, worst, "{what}");
}

#[test]
fn every_persona_over_the_draft_templates_gets_a_headline_of_its_listed_evaluations() {
    let draft = Draft::new();
    for (preview_on, with_app_policy) in [(true, false), (false, false), (true, true)] {
        let mut policies = policy_set(&draft, &[], preview_on, None);
        if with_app_policy {
            policies.extend(my_sign_ins_policy());
        }
        let set = CompiledPolicySet::new(&policies);
        for (persona, s) in personas() {
            let run = WhatIfRun::new(&set, &s, Naming::offline(&draft.labels));
            check(
                &run,
                &policies,
                &format!("{persona} (report-only as On: {preview_on}, with the My Sign-ins policy: {with_app_policy})"),
            );
            // A registration lists the sign-in before it, then the user action, and says so.
            let steps: Vec<SignInStep> = run.evaluations().iter().map(|e| e.step).collect();
            if s.is_registration() {
                assert_eq!(
                    steps,
                    [SignInStep::BeforeRegistration, SignInStep::Asked],
                    "{persona}"
                );
                let h = run.headline();
                assert!(
                    h.lines[0]
                        .sign_in
                        .contains("My Sign-ins (19db86c3-b2b9-44cc-b339-36da233a3be2)"),
                    "{}",
                    h.lines[0].sign_in
                );
                assert!(
                    h.lines[1]
                        .sign_in
                        .contains("Register security information (urn:user:registersecurityinfo)"),
                    "{}",
                    h.lines[1].sign_in
                );
            } else {
                assert_eq!(steps, [SignInStep::Asked], "{persona}");
                assert!(
                    run.asked().sign_in.starts_with("the sign-in to "),
                    "{}",
                    run.asked().sign_in
                );
            }
        }
    }
}

#[test]
fn the_form_default_registration_headline_matches_its_breakdown_step_by_step() {
    let draft = Draft::new();
    for preview_on in [true, false] {
        for excluded in [vec![], vec![0], vec![1, 2]] {
            let policies = policy_set(&draft, &excluded, preview_on, None);
            let set = CompiledPolicySet::new(&policies);
            for resource in ["registersecurityinfo", "app", "registerdevice"] {
                let form = WhatIfForm {
                    resource: resource.into(),
                    ..WhatIfForm::default()
                };
                let (s, _) = form.scenario();
                let run = WhatIfRun::new(&set, &s, Naming::offline(&draft.labels));
                check(
                    &run,
                    &policies,
                    &format!("{resource}, excluded {excluded:?}, on {preview_on}"),
                );
            }
        }
    }
}

#[test]
fn a_large_realistic_set_keeps_every_headline_to_its_breakdown() {
    // 195 policies (templates in varied states, groups and device filters, duplicates, a block
    // beside a grant): blocked, challenged and allowed lines all occur.
    let draft = Draft::new();
    let mut codes = std::collections::BTreeSet::new();
    for seed in [1, 7, 42] {
        let policies = crate::support::policy_set::policy_set(195, seed);
        let set = CompiledPolicySet::new(&policies);
        let (form, _) = WhatIfForm::default().scenario();
        for (persona, s) in personas().into_iter().chain([("form", form)]) {
            let run = WhatIfRun::new(&set, &s, Naming::offline(&draft.labels));
            check(&run, &policies, &format!("{persona}, seed {seed}"));
            codes.extend(run.headline().lines.iter().map(|l| l.code));
        }
    }
    assert!(
        codes.contains("blocked") && codes.contains("challenged"),
        "{codes:?}"
    );
}
