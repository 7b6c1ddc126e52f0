//! The same scenario offline and in the tenant, side by side: the offline engine on the
//! request the page sends (over the draft's ticked steps and the imported tenant policies),
//! the service's `evaluate` answer, and one row per policy (matched by id) saying whether they
//! agree and, where they do not, why. Nothing is dropped: a policy only one side has is a row.

use crate::analysis::whatif::evaluate::{
    evaluate_request, AnalysisReasons, Directory, DirectoryUser, EvaluateRequest, Evaluator,
    NamedLocations, PolicyResult, Prepared, UserType,
};
use crate::graph::flows::PolicyList;
use crate::graph::ops::{self, ServiceAnswer, ServicePolicy};
use crate::graph::{Graph, GraphError, Transport};
use crate::names::{Lookup, Naming};
use crate::policy::edit;

use super::draft::Draft;
use super::whatif::{policy_set, WhatIfForm};

/// Where an offline policy comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A draft step; `updates`: the tenant policy it changes, by id.
    Draft { updates: Option<String> },
    /// One of the tenant's policies as the audit listed it.
    Tenant,
}

/// One policy as the offline engine evaluated the request.
#[derive(Debug, Clone, PartialEq)]
pub struct OfflinePolicy {
    /// The id it is matched by (a tenant policy's id, or the one a step updates).
    pub key: Option<String>,
    pub name: String,
    pub origin: Origin,
    pub result: PolicyResult,
    /// The conditions' verdicts in words.
    pub explanation: Vec<String>,
}

/// The offline side.
#[derive(Debug, Clone, PartialEq)]
pub struct Offline {
    pub policies: Vec<OfflinePolicy>,
    /// What the engine assumed where the documentation is silent.
    pub notes: Vec<String>,
    /// The tenant's policies were part of the offline set.
    pub with_tenant: bool,
}

/// The request evaluated offline over the set the What-If shows: the draft's ticked steps
/// (report-only ones as On when `preview_on`) and the tenant's policies when given. The user's
/// groups, roles and guest status are those of the form (the request carries none); there are
/// no named locations, as the request has no IP address or country.
pub fn offline(
    request: &EvaluateRequest,
    form: &WhatIfForm,
    draft: &Draft,
    excluded: &[usize],
    preview_on: bool,
    tenant: Option<&PolicyList>,
    lookup: Lookup,
) -> Result<Offline, String> {
    let names = Naming::new(&draft.labels, lookup);
    let policies = policy_set(draft, excluded, preview_on, tenant);
    let steps: Vec<usize> = (0..draft.steps.len())
        .filter(|i| !excluded.contains(i))
        .collect();
    let ids = |s: &str| -> Vec<String> {
        s.split([',', '\n', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    };
    let mut directory = Directory::default();
    directory.users.insert(
        form.user_id.trim().to_string(),
        DirectoryUser {
            groups: ids(&form.groups),
            roles: ids(&form.roles),
            user_type: if form.guest {
                UserType::Guest
            } else {
                UserType::Member
            },
        },
    );
    let prepared = Prepared::new(request, &directory, &NamedLocations::default())
        .map_err(|e| format!("The offline engine cannot evaluate the request: {e}"))?;
    let evaluator = Evaluator::new(&policies);
    let evaluated = evaluate_request(&evaluator, &prepared, preview_on);
    let out = evaluated
        .policies
        .into_iter()
        .map(|o| {
            let (key, origin) = match steps.get(o.index) {
                Some(&step) => {
                    let u = draft.steps[step].update_policy_id.trim();
                    let updates = (!u.is_empty()).then(|| u.to_string());
                    (updates.clone(), Origin::Draft { updates })
                }
                None => ((!o.id.is_empty()).then_some(o.id), Origin::Tenant),
            };
            OfflinePolicy {
                key,
                name: if o.name.is_empty() {
                    edit::display_name(&policies[o.index])
                } else {
                    o.name
                },
                origin,
                result: o.result,
                // The engine's words name ids; `names` words them.
                explanation: o.explanation.iter().map(|e| names.name_ids_in(e)).collect(),
            }
        })
        .collect();
    Ok(Offline {
        policies: out,
        notes: evaluated.verdict.notes,
        with_tenant: tenant.is_some(),
    })
}

/// Sends the request body (as shown and downloaded) to the tenant's evaluate and reads the
/// answer.
pub async fn run_in_tenant<T: Transport>(
    g: &Graph<T>,
    body: &str,
) -> Result<ServiceAnswer, GraphError> {
    let r = g.send(&ops::evaluate(g.cloud, body)).await?;
    ops::read_evaluate(&r)
}

/// How the two sides stand on one policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// Same `policyApplies` and the same reasons.
    Same,
    /// One says it applies, the other that it does not.
    Applies,
    /// Both say it does not apply, for different reasons.
    Reasons,
    /// Only the offline set has it.
    OnlyOffline,
    /// Only the tenant's answer has it.
    OnlyService,
}

impl Agreement {
    /// The code the page puts in `data-agreement` and the class.
    pub fn code(self) -> &'static str {
        match self {
            Agreement::Same => "same",
            Agreement::Applies => "applies-differs",
            Agreement::Reasons => "reasons-differ",
            Agreement::OnlyOffline => "only-offline",
            Agreement::OnlyService => "only-service",
        }
    }
}

/// One row of the side-by-side table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub name: String,
    pub id: Option<String>,
    /// The offline verdict in words (`applies`, `does not apply (users,application)`).
    pub offline: Option<String>,
    pub service: Option<String>,
    pub agreement: Agreement,
    /// Why they differ; empty when they agree.
    pub why: Vec<String>,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub rows: Vec<Row>,
    /// Rows that differ.
    pub differences: usize,
    /// Said once above the table: the offline assumptions, an answer with more pages.
    pub notes: Vec<String>,
}

fn words(applies: bool, reasons: &str) -> String {
    if applies {
        "applies".into()
    } else {
        format!("does not apply ({reasons})")
    }
}

/// What a reason flag on one side only usually means.
fn hint(flag: &str) -> Option<&'static str> {
    Some(match flag {
        "users" => "users: the tenant resolves the user's groups, roles and guest status in its directory; offline they are the ids typed in the form",
        "application" => "application: the tenant matches the app id against its own apps (and app groups such as Office 365); offline an app matches by its id or All only",
        "userActions" => "user action: only policies on that user action (or All resources) cover it, on both sides",
        "authenticationContext" => "authentication context: the context id is matched as written",
        "devicePlatform" => "device platform: a policy listing platforms does not cover a sign-in without one",
        "devices" => "device filter: offline evaluates the rule on the deviceInfo sent; the tenant may know more of the device (or read an attribute differently)",
        "clientApps" => "client apps: a policy listing client apps does not cover a sign-in without a clientAppType",
        "location" => "location: the request has no IP address or country; the tenant resolves locations against its named locations, offline none are loaded",
        "signInRisk" | "userRisk" | "insiderRisk" => "risk: a level not supplied is none on both sides",
        "authenticationFlow" => "authentication flow: no transferMethod is an ordinary sign-in",
        "policyNotEnabled" => "state: the two sides evaluate the policy in different states (the draft's, or previewed as On, against the tenant's)",
        "invalidPolicy" | "invalidCondition" => "the service found the policy (or one of its conditions) invalid",
        "emptyPolicy" => "emptyPolicy: Microsoft does not document when the service gives it; offline, a policy whose users or resources include nothing gets users or application (an assumption, stated above)",
        "notEnoughInformation" => "notEnoughInformation: Microsoft does not document when the service gives it; offline, a condition the request leaves out gets that condition's own member (an assumption, stated above when it decided a result)",
        "time" => "time: Microsoft does not document it, and v1.0 policies have no time condition, so the offline engine never gives it",
        _ => return None,
    })
}

/// Compares the offline evaluation with the service's answer, policy by policy (by id, case
/// ignored): every offline policy in its order, then those only the service listed.
pub fn compare(offline: &Offline, service: &ServiceAnswer) -> Comparison {
    let mut notes: Vec<String> = offline
        .notes
        .iter()
        .map(|n| format!("Offline assumption: {n}."))
        .collect();
    if service.more {
        notes.push("The tenant's answer said it has more results (@odata.nextLink), which were not read: policies missing from the service column may be among them.".into());
    }
    let mut used = vec![false; service.policies.len()];
    let mut rows = Vec::new();
    for o in &offline.policies {
        let found = o.key.as_deref().and_then(|k| {
            service
                .policies
                .iter()
                .position(|s| s.id.eq_ignore_ascii_case(k))
        });
        let offline_words = words(o.result.applies, &o.result.reasons.to_string());
        let Some(i) = found else {
            let why = match (&o.origin, &o.key) {
                (Origin::Draft { updates: None }, _) => "a draft policy not in the tenant yet: the service evaluates only the tenant's policies".to_string(),
                (Origin::Draft { updates: Some(id) }, _) => format!("the step updates policy {id}, which the tenant's answer does not list (deleted, or the id is wrong)"),
                (Origin::Tenant, _) => "the tenant's answer does not list it: it may have been deleted since the audit listed it (list again)".to_string(),
            };
            rows.push(Row {
                name: o.name.clone(),
                id: o.key.clone(),
                offline: Some(offline_words),
                service: None,
                agreement: Agreement::OnlyOffline,
                why: vec![why],
            });
            continue;
        };
        used[i] = true;
        let s = &service.policies[i];
        rows.push(pair(o, s, offline_words));
    }
    for (s, _) in service.policies.iter().zip(&used).filter(|(_, u)| !**u) {
        let why = if offline.with_tenant {
            "the offline set lacks it: the audit's list did not have it (v1.0 leaves out policies that use beta-only features: list with beta, or list again), or the draft step that updates it is unticked"
        } else {
            "the offline set lacks it: the tenant's policies are not in the offline set (list them with the Graph panel's audit, and keep them ticked here)"
        };
        rows.push(Row {
            name: s.name.clone(),
            id: Some(s.id.clone()),
            offline: None,
            service: Some(words(s.applies, &s.reasons)),
            agreement: Agreement::OnlyService,
            why: vec![why.to_string()],
        });
    }
    let differences = rows
        .iter()
        .filter(|r| r.agreement != Agreement::Same)
        .count();
    Comparison {
        rows,
        differences,
        notes,
    }
}

/// A policy both sides evaluated.
fn pair(o: &OfflinePolicy, s: &ServicePolicy, offline_words: String) -> Row {
    let (theirs, unknown) = AnalysisReasons::parse(&s.reasons);
    let ours = o.result.reasons;
    let agreement = if o.result.applies != s.applies {
        Agreement::Applies
    } else if !o.result.applies && (ours != theirs || !unknown.is_empty()) {
        Agreement::Reasons
    } else {
        Agreement::Same
    };
    let mut why = Vec::new();
    if agreement != Agreement::Same {
        if let Origin::Draft { updates: Some(_) } = o.origin {
            why.push("offline evaluates the draft's version of this policy (the step updates it); the tenant still has its current one".to_string());
        }
        let only = |a: AnalysisReasons, b: AnalysisReasons| -> Vec<&'static str> {
            a.names()
                .into_iter()
                .filter(|n| *n != "notSet" && !b.names().contains(n))
                .collect()
        };
        let service_only = only(theirs, ours);
        let offline_only = only(ours, theirs);
        if !service_only.is_empty() {
            why.push(format!("only the service says {}", service_only.join(", ")));
        }
        if !offline_only.is_empty() {
            why.push(format!("only offline says {}", offline_only.join(", ")));
        }
        for u in &unknown {
            why.push(format!(
                "the service's reason {u} is one the offline engine does not know"
            ));
        }
        for f in service_only.iter().chain(&offline_only) {
            if let Some(h) = hint(f) {
                let h = h.to_string();
                if !why.contains(&h) {
                    why.push(h);
                }
            }
        }
        for e in o.explanation.iter().filter(|e| e.starts_with("not met")) {
            why.push(format!("offline: {e}"));
        }
        if why.is_empty() {
            why.push(format!(
                "the service says {}; offline says {}",
                words(s.applies, &s.reasons),
                offline_words
            ));
        }
    }
    Row {
        name: if o.name.is_empty() {
            s.name.clone()
        } else {
            o.name.clone()
        },
        id: Some(s.id.clone()),
        offline: Some(offline_words),
        service: Some(words(s.applies, &s.reasons)),
        agreement,
        why,
    }
}
