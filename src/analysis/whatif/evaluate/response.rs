//! The evaluate result: each policy's `policyApplies` and `analysisReasons` (the decision path:
//! the engine's conditions checked with integer comparisons, no words), the combined verdict,
//! and the response document in Graph's shape with the tool's own members apart (`verdict`,
//! and a per-policy `explanation` written by the engine's explained path only for the output).

use serde::Serialize;
use serde_json::{Map, Value};

use super::super::compile::{CompiledPolicy, CompiledPolicySet, CompiledResources};
use super::super::conditions::{Condition, Reason};
use super::super::decide::{outcome_of, Decision, Outcome};
use super::super::scenario::{Resource, Scenario};
use super::reasons::AnalysisReasons;
use super::request::{EvaluateRequest, SignInIdentity};
use super::{resources, scenario, Directory, EvaluateError, NamedLocations, Notes};
use crate::analysis::read::{self, State};
use crate::policy::model::{GuestOrExternalUserType, InsiderRiskLevel, Policy, RiskLevel};

/// Policies compiled once for many evaluate requests.
#[derive(Debug, Clone)]
pub struct Evaluator {
    set: CompiledPolicySet,
    extra: Vec<Extra>,
    ids: Vec<String>,
}

/// What the engine does not model and evaluate adds: insider risk levels, and the
/// workload-identity conditions a service principal sign-in is checked against.
#[derive(Debug, Clone, Default)]
struct Extra {
    insider: Vec<InsiderRiskLevel>,
    workload: Option<Workload>,
    service_principal_risk: Vec<RiskLevel>,
}

#[derive(Debug, Clone, Default)]
struct Workload {
    all_in_tenant: bool,
    include: Vec<String>,
    exclude: Vec<String>,
}

/// A request made ready for the engine: one scenario per resource it names, with what the
/// engine's scenario does not hold.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub scenarios: Vec<Scenario>,
    pub insider_risk: Option<InsiderRiskLevel>,
    /// A service principal sign-in: its `appId` and risk.
    pub service_principal: Option<(String, Option<RiskLevel>)>,
    pub applied_policies_only: bool,
    /// What was assumed in reading the request.
    pub notes: Vec<String>,
    /// The `signInConditions` members the request leaves out, with the `analysisReasons`
    /// member of the condition each one feeds (for [`NOT_ENOUGH_INFORMATION`]).
    pub not_supplied: Vec<(AnalysisReasons, &'static str)>,
}

impl Prepared {
    pub fn new(
        request: &EvaluateRequest,
        directory: &Directory,
        locations: &NamedLocations,
    ) -> Result<Prepared, EvaluateError> {
        let mut notes = Notes::default();
        let c = &request.sign_in_conditions;
        let (who, service_principal) = match &request.sign_in_identity {
            SignInIdentity::User { user_id, .. } => (user_id.clone(), None),
            SignInIdentity::ServicePrincipal {
                service_principal_id,
            } => {
                notes.add("a service principal sign-in is checked against the policies on workload identities (clientApplications: the service principal included and not excluded, locations, service principal risk); a service principal filter is assumed not to match");
                (
                    service_principal_id.clone(),
                    Some((
                        service_principal_id.clone(),
                        c.service_principal_risk_level.clone(),
                    )),
                )
            }
        };
        let mut scenarios = Vec::new();
        for r in resources(&request.sign_in_context, &mut notes)? {
            let mut s = scenario(&who, r, c, directory, locations, &mut notes)?;
            if let SignInIdentity::User {
                external_tenant_id,
                external_user_type: Some(t),
                ..
            } = &request.sign_in_identity
            {
                if *t != GuestOrExternalUserType::None {
                    s.user.kind = super::super::scenario::UserKind::Guest {
                        guest_type: t.clone(),
                        home_tenant: external_tenant_id.clone(),
                    };
                }
            }
            scenarios.push(s);
        }
        if scenarios.len() > 1 {
            notes.add("the request names several applications: a policy applies if it applies to any of them; the combined verdict is for the first");
        }
        if let Some(InsiderRiskLevel::UnknownFutureValue) = &c.insider_risk_level {
            notes.add("insiderRiskLevel unknownFutureValue names no level; assumed none");
        }
        // Risk levels and the authentication flow have a value a missing one is documented to
        // mean (risk `none`, an ordinary sign-in), so a request without them is complete.
        let not_supplied = [
            (
                AnalysisReasons::CLIENT_APPS,
                "clientAppType",
                c.client_app_type.is_none(),
            ),
            (
                AnalysisReasons::DEVICE_PLATFORM,
                "devicePlatform",
                c.device_platform.is_none(),
            ),
            (
                AnalysisReasons::DEVICES,
                "deviceInfo",
                c.device_info.is_none(),
            ),
            (
                AnalysisReasons::LOCATION,
                "ipAddress and country",
                c.ip_address.is_none() && c.country.is_none(),
            ),
            (
                AnalysisReasons::INSIDER_RISK,
                "insiderRiskLevel",
                c.insider_risk_level.is_none(),
            ),
        ]
        .into_iter()
        .filter(|(_, _, missing)| *missing)
        .map(|(flag, member, _)| (flag, member))
        .collect();
        Ok(Prepared {
            not_supplied,
            scenarios,
            insider_risk: c
                .insider_risk_level
                .clone()
                .filter(|l| *l != InsiderRiskLevel::UnknownFutureValue),
            service_principal,
            applied_policies_only: request.applied_policies_only,
            notes: notes.0,
        })
    }
}

/// One policy's result, without words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PolicyResult {
    pub applies: bool,
    pub reasons: AnalysisReasons,
}

impl Evaluator {
    pub fn new(policies: &[Policy]) -> Evaluator {
        let extra = policies.iter().map(extra).collect();
        let ids = policies
            .iter()
            .map(|p| p.id.value().cloned().unwrap_or_default())
            .collect();
        Evaluator {
            set: CompiledPolicySet::new(policies),
            extra,
            ids,
        }
    }

    pub fn compiled(&self) -> &CompiledPolicySet {
        &self.set
    }

    pub fn len(&self) -> usize {
        self.set.policies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.set.policies.is_empty()
    }

    /// Every policy's `policyApplies` and `analysisReasons`, in input order: the decision
    /// path, no words written.
    pub fn results(&self, p: &Prepared) -> Vec<PolicyResult> {
        self.results_by_scenario(p)
            .into_iter()
            .map(|(r, _)| r)
            .collect()
    }

    /// Each policy's result with the scenario it was decided on: the first it applies to,
    /// else the first.
    fn results_by_scenario(&self, p: &Prepared) -> Vec<(PolicyResult, usize)> {
        let interned: Vec<_> = p.scenarios.iter().map(|s| self.set.intern(s)).collect();
        self.set
            .policies
            .iter()
            .zip(&self.extra)
            .map(|(policy, extra)| {
                let mut first: Option<PolicyResult> = None;
                for (j, (s, r)) in p.scenarios.iter().zip(&interned).enumerate() {
                    let result = self.check(policy, extra, p, s, r);
                    if result.applies {
                        return (result, j);
                    }
                    first.get_or_insert(result);
                }
                let none = PolicyResult {
                    applies: false,
                    reasons: AnalysisReasons::APPLICATION,
                };
                (first.unwrap_or(none), 0)
            })
            .collect()
    }

    fn check(
        &self,
        policy: &CompiledPolicy,
        extra: &Extra,
        p: &Prepared,
        s: &Scenario,
        r: &super::super::conditions::InternedScenario,
    ) -> PolicyResult {
        let mut reasons = AnalysisReasons::NOT_SET;
        let mut not_enabled = None;
        policy.check(r, s, false, &mut |cond, met, reason| {
            let met = match cond {
                Condition::Users if p.service_principal.is_some() => true,
                Condition::InsiderRisk if !extra.insider.is_empty() => p
                    .insider_risk
                    .as_ref()
                    .is_some_and(|l| extra.insider.contains(l)),
                _ => met,
            };
            if met {
                return;
            }
            match reason {
                Reason::StateOff => not_enabled = Some(AnalysisReasons::POLICY_NOT_ENABLED),
                Reason::StateInvalid => not_enabled = Some(AnalysisReasons::INVALID_POLICY),
                Reason::DeviceFilterInvalid => reasons.insert(AnalysisReasons::INVALID_CONDITION),
                _ => reasons.insert(flag(cond, &s.resource)),
            }
        });
        if let Some((app_id, risk)) = &p.service_principal {
            match &extra.workload {
                Some(w) => {
                    let listed = |xs: &[String]| xs.iter().any(|x| x.eq_ignore_ascii_case(app_id));
                    if listed(&w.exclude) || !(w.all_in_tenant || listed(&w.include)) {
                        reasons.insert(AnalysisReasons::WORKLOAD_IDENTITIES);
                    }
                    if !extra.service_principal_risk.is_empty() {
                        let level = risk.clone().unwrap_or(RiskLevel::None);
                        if !extra.service_principal_risk.contains(&level) {
                            reasons.insert(AnalysisReasons::WORKLOAD_IDENTITIES);
                        }
                    }
                }
                None => reasons.insert(AnalysisReasons::USERS),
            }
        }
        // A policy that is not enabled is not evaluated further: its one reason is that.
        if let Some(n) = not_enabled {
            reasons = n;
        }
        PolicyResult {
            applies: reasons.is_not_set(),
            reasons,
        }
    }

    /// The combined decision of the applying policies: (enforced, report-only). With
    /// `report_only_as_on`, report-only policies are enforced (a preview of switching them on).
    pub fn decide(
        &self,
        s: &Scenario,
        results: &[PolicyResult],
        report_only_as_on: bool,
    ) -> (Decision, Decision) {
        let mut enforced = Decision::default();
        let mut report_only = Decision::default();
        let registering = s.is_registration();
        for (policy, r) in self.set.policies.iter().zip(results) {
            if !r.applies {
                continue;
            }
            match policy.state {
                State::On => policy.add_to(&mut enforced, s, registering),
                State::ReportOnly if report_only_as_on => {
                    policy.add_to(&mut enforced, s, registering)
                }
                State::ReportOnly => policy.add_to(&mut report_only, s, registering),
                _ => {}
            }
        }
        (enforced, report_only)
    }
}

/// The flag for a condition not met; the resource condition's flag follows what the request
/// is for (an app, a user action, an authentication context).
fn flag(cond: Condition, resource: &Resource) -> AnalysisReasons {
    match cond {
        Condition::State => AnalysisReasons::POLICY_NOT_ENABLED,
        Condition::Users => AnalysisReasons::USERS,
        Condition::Resources => match resource {
            Resource::UserAction(_) => AnalysisReasons::USER_ACTIONS,
            Resource::AuthContext(_) => AnalysisReasons::AUTHENTICATION_CONTEXT,
            _ => AnalysisReasons::APPLICATION,
        },
        Condition::ClientApps => AnalysisReasons::CLIENT_APPS,
        Condition::DevicePlatforms => AnalysisReasons::DEVICE_PLATFORM,
        Condition::Locations => AnalysisReasons::LOCATION,
        Condition::SignInRisk => AnalysisReasons::SIGN_IN_RISK,
        Condition::UserRisk => AnalysisReasons::USER_RISK,
        Condition::InsiderRisk => AnalysisReasons::INSIDER_RISK,
        Condition::AuthenticationFlows => AnalysisReasons::AUTHENTICATION_FLOW,
        Condition::DeviceFilter => AnalysisReasons::DEVICES,
    }
}

fn extra(p: &Policy) -> Extra {
    let Some(c) = read::conditions(p) else {
        return Extra::default();
    };
    let insider = c
        .insider_risk_levels
        .value()
        .map(|f| f.0.clone())
        .unwrap_or_default();
    let workload = c.client_applications.value().map(|a| {
        let include = read::strings(&a.include_service_principals);
        Workload {
            all_in_tenant: read::has(&include, "ServicePrincipalsInMyTenant"),
            include: include.iter().map(|s| s.to_string()).collect(),
            exclude: read::strings(&a.exclude_service_principals)
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    });
    Extra {
        insider,
        workload,
        service_principal_risk: read::members(&c.service_principal_risk_levels),
    }
}

/// Graph's evaluate takes the user action alone; the engine's note on the sign-in before it
/// is put in evaluate's terms.
const PRECEDING_SIGN_IN: &str = "like Graph's evaluate, this evaluates the user action alone; registering security information starts with a sign-in to My Sign-ins or Microsoft Authenticator, which is a request of its own (an applicationContext)";

/// The assumption where a condition the request leaves out decided a result.
pub const NOT_ENOUGH_INFORMATION: &str = "Microsoft documents that a condition the request does not supply does not match, but not which analysisReasons member the service then returns; assumed the condition's own member (clientApps, devicePlatform, location…) for a policy conditioned on a member the request leaves out, where the service may return notEnoughInformation, which this tool never gives";

/// The assumption for a policy whose users or target resources include nothing.
pub const EMPTY_POLICY: &str = "Microsoft lists emptyPolicy among the analysisReasons values without saying when the service returns it; a policy whose users or target resources include nothing was given the member of the empty condition (users, application), where the service may return emptyPolicy, which this tool never gives";

impl CompiledPolicy {
    /// The policy's users condition includes nobody, or its target resources include nothing
    /// (a workload-identity policy, with no users condition, is not one).
    fn targets_nothing(&self) -> bool {
        let nobody = self.users.as_ref().is_some_and(|u| {
            !u.all
                && u.include_users.is_empty()
                && u.include_groups.is_empty()
                && u.include_roles.is_empty()
                && u.include_guests.is_none()
        });
        nobody || matches!(self.resources, CompiledResources::Nothing)
    }
}

/// The combined verdict, the tool's own member of the response.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    /// `blocked`, `challenged` or `allowed`, for the enforced policies.
    pub outcome: &'static str,
    /// The blocking policies, the requirements, or what this sign-in cannot provide.
    pub details: Vec<String>,
    /// Ids of the applying policies that are enforced (On, and Report-only when previewed as On).
    pub enforced: Vec<String>,
    /// Ids of the applying Report-only policies that are not enforced.
    pub report_only: Vec<String>,
    pub report_only_as_on: bool,
    /// What was assumed where the documentation is silent.
    pub notes: Vec<String>,
}

/// One policy's full result, for the report and the response.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicyOutcome {
    pub index: usize,
    pub id: String,
    pub name: String,
    pub state: State,
    pub result: PolicyResult,
    /// Each condition's verdict in words (`users: included: All users`).
    pub explanation: Vec<String>,
}

/// The evaluation of one request over a policy set.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluated {
    pub policies: Vec<PolicyOutcome>,
    pub verdict: Verdict,
}

/// Evaluates a prepared request: the results by the decision path, then words for every policy
/// by the engine's explained path (for the first scenario, or the one the policy applies to).
pub fn evaluate_request(
    evaluator: &Evaluator,
    prepared: &Prepared,
    report_only_as_on: bool,
) -> Evaluated {
    let by_scenario = evaluator.results_by_scenario(prepared);
    let results: Vec<PolicyResult> = by_scenario.iter().map(|(r, _)| *r).collect();
    let mut notes = Notes::default();
    for n in &prepared.notes {
        notes.add(n.clone());
    }
    let explained: Vec<_> = prepared
        .scenarios
        .iter()
        .map(|s| evaluator.set.evaluate(s))
        .collect();
    for w in &explained {
        for n in &w.notes {
            // The engine's own notes, except those evaluate's semantics replace.
            if n.starts_with("registering security information starts with") {
                notes.add(PRECEDING_SIGN_IN);
            } else if !n.starts_with("insider risk is not simulated") {
                notes.add(n.clone());
            }
        }
    }
    let mut policies = Vec::with_capacity(results.len());
    for (i, (policy, result)) in evaluator.set.policies.iter().zip(&results).enumerate() {
        let extra = &evaluator.extra[i];
        let which = by_scenario[i].1;
        let mut explanation: Vec<String> = explained
            .get(which)
            .and_then(|w| w.policies.get(i))
            .map(|v| {
                v.reasons
                    .iter()
                    // Insider risk and a service principal's users condition are worded below.
                    .filter(|c| {
                        let replaced = (c.condition == Condition::InsiderRisk
                            && !extra.insider.is_empty())
                            || (c.condition == Condition::Users
                                && prepared.service_principal.is_some());
                        !replaced
                    })
                    .map(|c| format!("{}: {}", if c.met { "met" } else { "not met" }, c.verdict))
                    .collect()
            })
            .unwrap_or_default();
        if report_only_as_on && policy.state == State::ReportOnly {
            // The engine's words for the state say "never enforced"; this run enforces it.
            if let Some(first) = explanation.first_mut() {
                *first =
                    "met: the policy is Report-only, previewed as On (--report-only-as-on)".into();
            }
        }
        if !extra.insider.is_empty() {
            let levels: Vec<&str> = extra.insider.iter().map(|l| l.as_str()).collect();
            let met = prepared
                .insider_risk
                .as_ref()
                .is_some_and(|l| extra.insider.contains(l));
            explanation.push(format!(
                "{}: the policy is scoped to insider risk {}; the request gives {}",
                if met { "met" } else { "not met" },
                levels.join(", "),
                prepared
                    .insider_risk
                    .as_ref()
                    .map_or("none", |l| l.as_str())
            ));
        }
        if let Some((app_id, _)) = &prepared.service_principal {
            explanation.push(match &extra.workload {
                Some(_) if result.reasons.contains(AnalysisReasons::WORKLOAD_IDENTITIES) => {
                    format!("not met: service principal {app_id} is not among the policy's workload identities (or its risk is not listed)")
                }
                Some(_) => format!("met: service principal {app_id} is among the policy's workload identities"),
                None => "not met: the policy is for users, and this is a service principal sign-in".to_string(),
            });
        }
        policies.push(PolicyOutcome {
            index: i,
            id: evaluator.ids[i].clone(),
            name: policy.name.clone(),
            state: policy.state.clone(),
            result: *result,
            explanation,
        });
    }
    // notEnoughInformation, emptyPolicy and time: whatIfAnalysisResult (v1.0) lists them among
    // the values of analysisReasons without saying when the service returns them
    // (https://learn.microsoft.com/graph/api/resources/whatifanalysisresult?view=graph-rest-1.0).
    // - time: the v1.0 conditionalAccessConditionSet has no time or schedule condition
    //   (https://learn.microsoft.com/graph/api/resources/conditionalaccessconditionset?view=graph-rest-1.0;
    //   tests/native/whatif_reasons.rs reads the v1.0 schema), so no v1.0 policy can fail one:
    //   the tool never owes `time`, and says nothing about it.
    // - notEnoughInformation and emptyPolicy are undocumented: where a result could have been
    //   one of them, the tool gives the condition's own member and says what it assumed.
    let missing: Vec<&str> = prepared
        .not_supplied
        .iter()
        .filter(|(flag, _)| results.iter().any(|r| r.reasons.contains(*flag)))
        .map(|(_, member)| *member)
        .collect();
    if !missing.is_empty() {
        notes.add(format!(
            "{NOT_ENOUGH_INFORMATION} (here: {})",
            missing.join(", ")
        ));
    }
    let empty = evaluator
        .set
        .policies
        .iter()
        .zip(&results)
        .any(|(p, r)| !r.applies && p.targets_nothing());
    if empty {
        notes.add(EMPTY_POLICY);
    }
    if results.iter().any(|r| r.reasons.names().len() > 1) {
        notes.add("analysisReasons names every condition that is not met (whatIfAnalysisReasons is a flags enum); Microsoft's What If page describes the first one only");
    }
    let (outcome, enforced, report_only) = match prepared.scenarios.first() {
        Some(s) => {
            let (enforced, report_only) = evaluator.decide(s, &results, report_only_as_on);
            (
                outcome_of(&enforced, s, &evaluator.set.policies),
                enforced,
                report_only,
            )
        }
        None => (Outcome::Allowed, Decision::default(), Decision::default()),
    };
    let (word, details) = match outcome {
        Outcome::Blocked(d) => ("blocked", d),
        Outcome::Challenged(d) => ("challenged", d),
        Outcome::Allowed => ("allowed", Vec::new()),
    };
    let ids_of = |d: &Decision| -> Vec<String> {
        let mut idx: Vec<usize> = d
            .blocked_by
            .iter()
            .copied()
            .chain(d.requirements.iter().map(|r| r.policy))
            .chain(d.session.iter().map(|r| r.policy))
            .collect();
        idx.sort_unstable();
        idx.dedup();
        idx.into_iter().map(|i| evaluator.ids[i].clone()).collect()
    };
    let mut report_only_ids = ids_of(&report_only);
    // A report-only policy that applies but asks for nothing is still reported.
    for (i, (policy, r)) in evaluator.set.policies.iter().zip(&results).enumerate() {
        if r.applies
            && policy.state == State::ReportOnly
            && !report_only_as_on
            && !report_only_ids.contains(&evaluator.ids[i])
        {
            report_only_ids.push(evaluator.ids[i].clone());
        }
    }
    let mut enforced_ids = ids_of(&enforced);
    for (i, (policy, r)) in evaluator.set.policies.iter().zip(&results).enumerate() {
        let on =
            policy.state == State::On || (report_only_as_on && policy.state == State::ReportOnly);
        if r.applies && on && !enforced_ids.contains(&evaluator.ids[i]) {
            enforced_ids.push(evaluator.ids[i].clone());
        }
    }
    Evaluated {
        policies,
        verdict: Verdict {
            outcome: word,
            details,
            enforced: enforced_ids,
            report_only: report_only_ids,
            report_only_as_on,
            notes: notes.0,
        },
    }
}

/// The response document: `{"value": [each policy as given, plus policyApplies,
/// analysisReasons and explanation], "verdict": {...}}`; only the applying policies when the
/// request asked for `appliedPoliciesOnly`.
pub fn respond(policies: &[Policy], evaluated: &Evaluated, applied_only: bool) -> Value {
    let value: Vec<Value> = policies
        .iter()
        .zip(&evaluated.policies)
        .filter(|(_, o)| !applied_only || o.result.applies)
        .map(|(p, o)| {
            let mut obj = match p.to_value() {
                Value::Object(m) => m,
                other => {
                    let mut m = Map::new();
                    m.insert("policy".into(), other);
                    m
                }
            };
            obj.insert("policyApplies".into(), Value::Bool(o.result.applies));
            obj.insert(
                "analysisReasons".into(),
                Value::String(o.result.reasons.to_string()),
            );
            obj.insert(
                "explanation".into(),
                Value::Array(o.explanation.iter().cloned().map(Value::String).collect()),
            );
            Value::Object(obj)
        })
        .collect();
    let mut out = Map::new();
    out.insert("value".into(), Value::Array(value));
    out.insert(
        "verdict".into(),
        serde_json::to_value(&evaluated.verdict).unwrap_or(Value::Null),
    );
    Value::Object(out)
}
