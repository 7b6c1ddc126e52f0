//! The decision without words: which applying policies block, which grants and session controls
//! the sign-in must then satisfy, and whether it is blocked, challenged or allowed.

use serde::{Serialize, Serializer};

use super::compile::{CompiledPolicy, CompiledPolicySet};
use super::first_passkey::blocks_first_passkey;
use super::scenario::Scenario;
use crate::analysis::grant::Grant;
use crate::analysis::read::State;
use crate::builders::strength::StrengthLoop;

/// A grant the sign-in must satisfy, and which policy asks for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    pub policy: usize,
    pub name: String,
    pub grant: Grant,
    /// Set in a registration when the sign-in could meet the grant, but not someone
    /// registering a first passkey: the grant's authentication strength makes the
    /// authentication-strength loop of this kind.
    #[serde(
        rename = "firstPasskey",
        skip_serializing_if = "Option::is_none",
        serialize_with = "loop_code"
    )]
    pub first_passkey: Option<StrengthLoop>,
}

/// The loop as a camel-case code (`allResources`, `registration`).
fn loop_code<S: Serializer>(k: &Option<StrengthLoop>, s: S) -> Result<S::Ok, S::Error> {
    match k {
        Some(StrengthLoop::AllResources) => s.serialize_str("allResources"),
        Some(StrengthLoop::Registration) => s.serialize_str("registration"),
        None => s.serialize_none(),
    }
}

/// Session controls one applying policy adds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionRequirement {
    pub policy: usize,
    pub name: String,
    pub controls: Vec<String>,
}

/// What a group of applying policies (enforced, or report-only) asks of the sign-in.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    /// Indexes of the applying policies that block. Non-empty means blocked.
    pub blocked_by: Vec<usize>,
    /// Every one must be met (each by its own AND/OR).
    pub requirements: Vec<Requirement>,
    pub session: Vec<SessionRequirement>,
}

impl Decision {
    pub fn is_blocked(&self) -> bool {
        !self.blocked_by.is_empty()
    }
}

/// A persona's result in the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "outcome", content = "details")]
pub enum Outcome {
    /// Why: the blocking policies, or the requirement this sign-in cannot meet.
    Blocked(Vec<String>),
    /// The requirements, one line per applying policy ("MFA OR a compliant device").
    Challenged(Vec<String>),
    Allowed,
}

impl CompiledPolicySet {
    /// The enforced decision only, with no words: what the matrix and the benchmark use.
    pub fn decide(&self, s: &Scenario) -> Decision {
        self.decide_in(s, s.is_registration())
    }

    /// [`Self::decide`] for a sign-in that is a step of a registration when `registering` (the
    /// user action, or the sign-in before it).
    pub(super) fn decide_in(&self, s: &Scenario, registering: bool) -> Decision {
        let r = self.intern(s);
        let mut d = Decision::default();
        for p in &self.policies {
            if p.state != State::On {
                continue;
            }
            if p.check(&r, s, true, &mut |_, _, _| {}) {
                p.add_to(&mut d, s, registering);
            }
        }
        d
    }

    /// Blocked, challenged or allowed, for the enforced policies. A grant this sign-in cannot
    /// satisfy (a compliant device on an unregistered phone), or in a registration one that
    /// someone registering a first passkey cannot (`Requirement::first_passkey`), counts as
    /// blocked.
    pub fn outcome(&self, s: &Scenario) -> Outcome {
        outcome_of(&self.decide(s), s, &self.policies)
    }
}

impl CompiledPolicy {
    /// Adds what this applying policy asks of `s` (`registering`: see
    /// [`CompiledPolicySet::decide_in`]).
    pub(super) fn add_to(&self, d: &mut Decision, s: &Scenario, registering: bool) {
        if let Some(g) = &self.grant {
            if g.is_block() {
                d.blocked_by.push(self.index);
            } else {
                let first_passkey = self
                    .first_passkey_loop(s, registering)
                    .filter(|_| blocks_first_passkey(g, s));
                d.requirements.push(Requirement {
                    policy: self.index,
                    name: self.name.clone(),
                    grant: g.clone(),
                    first_passkey,
                });
            }
        }
        if !self.session.is_empty() {
            d.session.push(SessionRequirement {
                policy: self.index,
                name: self.name.clone(),
                controls: self.session.clone(),
            });
        }
    }
}

pub(super) fn outcome_of(d: &Decision, s: &Scenario, policies: &[CompiledPolicy]) -> Outcome {
    outcome_named(d, s, |i| {
        policies
            .iter()
            .find(|p| p.index == i)
            .map_or_else(String::new, |p| p.name.clone())
    })
}

/// Why `s` cannot meet requirement `r`, or `None` when it can.
fn unmet(r: &Requirement, s: &Scenario) -> Option<&'static str> {
    if r.first_passkey.is_some() {
        Some("someone registering a first passkey cannot meet (the authentication-strength loop)")
    } else if !r.grant.satisfiable_by(|c| s.can_satisfy(c)) {
        Some("this sign-in cannot provide")
    } else {
        None
    }
}

/// Blocked, challenged or allowed for `d` (see [`CompiledPolicySet::outcome`]); `name` gives a
/// policy's name by its position in the input.
pub(super) fn outcome_named(d: &Decision, s: &Scenario, name: impl Fn(usize) -> String) -> Outcome {
    if d.is_blocked() {
        return Outcome::Blocked(
            d.blocked_by
                .iter()
                .map(|&i| format!("blocked by {:?}", name(i)))
                .collect(),
        );
    }
    let unmet: Vec<String> = d
        .requirements
        .iter()
        .filter_map(|r| {
            let who = unmet(r, s)?;
            Some(format!(
                "{:?} requires {}, which {who}",
                r.name,
                r.grant.describe()
            ))
        })
        .collect();
    if !unmet.is_empty() {
        return Outcome::Blocked(unmet);
    }
    if d.requirements.is_empty() {
        Outcome::Allowed
    } else {
        Outcome::Challenged(
            d.requirements
                .iter()
                .map(|r| format!("{}: {}", r.name, r.grant.describe()))
                .collect(),
        )
    }
}

impl Decision {
    /// The positions of the policies the outcome's words cite ([`outcome_named`]), in the
    /// same order: the blocking policies, else the requirements `s` cannot meet, else every
    /// requirement; none when nothing is asked.
    pub fn cited(&self, s: &Scenario) -> Vec<usize> {
        if self.is_blocked() {
            return self.blocked_by.clone();
        }
        let unmet: Vec<usize> = self
            .requirements
            .iter()
            .filter(|r| unmet(r, s).is_some())
            .map(|r| r.policy)
            .collect();
        if !unmet.is_empty() {
            return unmet;
        }
        self.requirements.iter().map(|r| r.policy).collect()
    }
}

impl CompiledPolicySet {
    /// A scenario's outcome including the sign-in that precedes it (for a security-info
    /// registration, the sign-in to My Sign-ins): blocked if either step is blocked, otherwise
    /// every step's requirements.
    pub fn outcome_with_preceding(&self, s: &Scenario) -> Outcome {
        let mut steps = Vec::new();
        if let Some(pre) = s.preceding_sign_in() {
            steps.push(outcome_of(
                &self.decide_in(&pre, true),
                &pre,
                &self.policies,
            ));
        }
        steps.push(self.outcome(s));
        let mut blocked = Vec::new();
        let mut challenged = Vec::new();
        for o in steps {
            match o {
                Outcome::Blocked(why) => blocked.extend(why),
                Outcome::Challenged(reqs) => challenged.extend(reqs),
                Outcome::Allowed => {}
            }
        }
        // A policy on All resources applies to both steps of a registration: say it once.
        dedup_in_order(&mut blocked);
        dedup_in_order(&mut challenged);
        if !blocked.is_empty() {
            Outcome::Blocked(blocked)
        } else if !challenged.is_empty() {
            Outcome::Challenged(challenged)
        } else {
            Outcome::Allowed
        }
    }
}

/// Drops every repeat, keeping the first of each (the lists are a few lines long).
fn dedup_in_order(xs: &mut Vec<String>) {
    let mut i = 0;
    while i < xs.len() {
        if xs[..i].contains(&xs[i]) {
            xs.remove(i);
        } else {
            i += 1;
        }
    }
}
