//! The set-level lint at scale: the findings are those of the pairwise walk it replaced
//! (written out below as the reference), in the same order, with each policy reported once
//! per kind against the first earlier policy of that kind; a set of copies gives one finding
//! per copy, not one per pair; and no finding carries a raw control character from the input.

use crate::support::analysis;
use crate::support::policy_set;

use ca_builder::analysis::read::State;
use ca_builder::analysis::{lint, Grant, LintConfig, LintFinding};
use ca_builder::policy::model::*;
use ca_builder::policy::Policy;
use serde_json::{json, Value};

/// A set-level finding as (code, later policy, earlier policy, message).
type Pair = (&'static str, usize, usize, String);

/// The pairwise walk the lint used to do (quadratic), kept as the reference: every pair of
/// active policies with equal conditions, in order of the earlier one, then the later one.
fn pairwise(policies: &[Policy]) -> Vec<Pair> {
    let active: Vec<(usize, &Policy, Value)> = policies
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(State::of(p), State::On | State::ReportOnly))
        .map(|(i, p)| (i, p, serde_json::to_value(&p.conditions).unwrap()))
        .collect();
    let mut out = Vec::new();
    for (a, (i, p, cp)) in active.iter().enumerate() {
        for (j, q, cq) in &active[a + 1..] {
            let (i, j, p, q) = (*i, *j, *p, *q);
            if cp != cq {
                continue;
            }
            let (gp, gq) = (Grant::of(p), Grant::of(q));
            let block = |g: &Option<Grant>| g.as_ref().is_some_and(Grant::is_block);
            let code = if block(&gp) != block(&gq) && gp.is_some() && gq.is_some() {
                "contradictory-policies"
            } else if gp == gq && p.session_controls == q.session_controls {
                "duplicate-policy"
            } else {
                "overlapping-policies"
            };
            out.push((code, j, i, String::new()));
        }
    }
    out
}

fn set_level(findings: &[LintFinding]) -> Vec<Pair> {
    findings
        .iter()
        .filter(|f| {
            matches!(
                f.finding.code,
                "contradictory-policies" | "duplicate-policy" | "overlapping-policies"
            )
        })
        .map(|f| {
            (
                f.finding.code,
                f.policy.index,
                f.related.as_ref().unwrap().index,
                f.finding.message.clone(),
            )
        })
        .collect()
}

/// What the lint must report: of the reference pairs, per later policy and kind, the one
/// with the earliest other policy, in the reference's order.
fn first_per_kind(reference: &[Pair]) -> Vec<(&'static str, usize, usize)> {
    let mut seen = std::collections::HashSet::new();
    let mut keep: Vec<(&'static str, usize, usize)> = Vec::new();
    // The reference is ordered by earlier policy, so the first pair seen for (later, kind)
    // has the earliest other policy.
    for (code, j, i, _) in reference {
        if seen.insert((*code, *j)) {
            keep.push((code, *j, *i));
        }
    }
    keep
}

fn config() -> LintConfig {
    LintConfig {
        break_glass_users: vec![policy_set::guid(1)],
        ..Default::default()
    }
}

#[test]
fn set_level_findings_are_the_pairwise_ones_reported_once_per_kind() {
    let mut left_out = 0;
    for (n, seed) in [(300, 1), (600, 2), (1200, 3)] {
        let policies = policy_set::policy_set(n, seed);
        let reference = pairwise(&policies);
        let got = set_level(&lint(&policies, &config()));
        let got_pairs: Vec<_> = got.iter().map(|(c, j, i, _)| (*c, *j, *i)).collect();
        assert_eq!(
            got_pairs,
            first_per_kind(&reference),
            "{n} policies, seed {seed}"
        );
        left_out += reference.len() - got.len();
    }
    // The generated sets have groups of three and more, so the reduction is exercised.
    assert!(left_out > 0);
}

#[test]
fn pairs_alone_give_exactly_the_pairwise_findings() {
    // Each group of equal conditions has two members: the lint reports every pair.
    let mut policies = Vec::new();
    for (k, grant) in ["mfa", "block", "compliantDevice", "mfa"]
        .iter()
        .enumerate()
    {
        for copy in 0..2 {
            let g = if copy == 1 && k == 3 { "block" } else { grant };
            policies.push(analysis::policy(json!({
                "displayName": format!("P{k}-{copy}"),
                "state": "enabled",
                "conditions": {"users": {"includeGroups": [policy_set::guid(k as u64)]},
                               "applications": {"includeApplications": ["All"]}},
                "grantControls": {"operator": "OR", "builtInControls": [g]}
            })));
        }
    }
    let reference = pairwise(&policies);
    let got = set_level(&lint(&policies, &config()));
    assert_eq!(
        got.iter()
            .map(|(c, j, i, _)| (*c, *j, *i))
            .collect::<Vec<_>>(),
        reference
            .iter()
            .map(|(c, j, i, _)| (*c, *j, *i))
            .collect::<Vec<_>>()
    );
    assert_eq!(got.len(), 4);
    assert_eq!(got[3].3, "#7 blocks exactly the sign-ins that #6 grants with controls (same conditions): the block always wins, so the grant never takes effect");
}

#[test]
fn copies_give_one_finding_each_not_one_per_pair() {
    // 3,000 copies were 4.5 million findings (and gigabytes) before.
    let one = analysis::template(
        ca_builder::policy::Template::MfaCompensating,
        ca_builder::policy::RolloutState::ReportOnly,
    );
    let policies: Vec<Policy> = (0..3000)
        .map(|i| {
            let mut p = one.clone();
            p.display_name = Field::Value(format!("Copy {i}"));
            p
        })
        .collect();
    let started = std::time::Instant::now();
    let f = lint(&policies, &config());
    let dups: Vec<_> = f
        .iter()
        .filter(|f| f.finding.code == "duplicate-policy")
        .collect();
    assert_eq!(dups.len(), 2999);
    assert!(dups.iter().all(|f| f.related.as_ref().unwrap().index == 0));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn findings_show_control_and_bidi_characters_escaped() {
    let hostile = "Block \u{1b}[2J\u{202e}lla\u{0}";
    let p = analysis::policy(json!({
        "displayName": hostile,
        "state": "enabled",
        "conditions": {
            "clientAppTypes": "all\u{1b}[31m",
            "users": {"includeUsers": ["All"], "excludeUsers": {"x\u{202e}": 1}},
            "platforms": {"includePlatforms": ["iOS\u{7}"]},
            "devices": {"deviceFilter": {"mode": "exclude", "rule": "device.displayName -eq \"\u{1b}]0;x\u{7}\" -or device.model -eq \u{201c}a\u{201d}"}}
        },
        "grantControls": {"operator": "OR", "builtInControls": ["block"]}
    }));
    let config = LintConfig {
        naming_pattern: Some("CA* \u{202e}".into()),
        ..config()
    };
    let f = lint(&[p.clone(), p], &config);
    assert!(f.len() > 5, "{f:#?}");
    let raw = |s: &str| {
        s.chars().any(|c| {
            c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
    };
    for x in &f {
        assert!(
            !raw(&x.finding.message),
            "{}: {:?}",
            x.finding.code,
            x.finding.message
        );
        assert!(
            !x.finding.fix.as_deref().is_some_and(raw),
            "{}: {:?}",
            x.finding.code,
            x.finding.fix
        );
    }
    // The name is data, kept as it is; only what is shown is escaped.
    assert_eq!(f[0].policy.name, hostile);
}
