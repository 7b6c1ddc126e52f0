//! What-If at the tenant maximum: 195 policies (the templates and the real policy files the
//! integration tests read, varied) × 10 000 scenarios. Target: ≤ 200 ms for the whole batch.
//!
//! `whatif/outcome` is the matrix's path (enforced decision, blocked/challenged/allowed);
//! `whatif/decide` the enforced decision alone; `whatif/evaluate_100` the full report with every
//! verdict in words, for 100 scenarios (what a What-If screen shows one at a time);
//! `whatif/evaluate_requests_195x10000` 10 000 Graph evaluate requests (each read onto a
//! scenario, every policy's policyApplies and analysisReasons, the combined decision) on the
//! decision path, as `ca-policy whatif` and the bootstrap proof run them.

use std::path::{Path, PathBuf};

use ca_builder::analysis::whatif::evaluate::{
    DeviceInfo, Directory, DirectoryUser, EvaluateRequest, Evaluator, NamedLocations, Prepared,
    SignInConditions, SignInContext, SignInIdentity, UserAction, UserType,
};
use ca_builder::analysis::whatif::{AuthFlow, ClientApp, Location, Resource, Risk, User, UserKind};
use ca_builder::analysis::{personas, CompiledPolicySet, Scenario};
use ca_builder::filter::{Device, Value as DeviceValue};
use ca_builder::policy::model::{ClientAppType, RiskLevel};
use ca_builder::policy::model::{DevicePlatform, GuestOrExternalUserType};
use ca_builder::policy::{import_bytes, Field, Policy, RolloutState, Template, TemplateParams};
use criterion::{criterion_group, criterion_main, Criterion};

const POLICIES: usize = 195;
const SCENARIOS: usize = 10_000;

/// A small deterministic generator (xorshift), so every run measures the same batch.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn corpus() -> Vec<Policy> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out)
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p)
            }
        }
    }
    let mut files = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/policies"),
        &mut files,
    );
    files.sort();
    files
        .iter()
        .filter_map(|f| import_bytes(&std::fs::read(f).ok()?).ok())
        .flatten()
        .collect()
}

/// 195 policies: the five templates in each state, then corpus policies, every one switched On
/// or Report-only (a disabled policy costs nothing) and some renamed, in a shuffled order.
fn policy_set(rng: &mut Rng) -> Vec<Policy> {
    let bg = "9a3f1e55-0c41-4d57-9c7e-1f2a3b4c5d6e".to_string();
    let mut out = Vec::new();
    for t in Template::ALL {
        for state in [RolloutState::Enabled, RolloutState::ReportOnly] {
            out.push(
                t.build(&TemplateParams {
                    exclude_users: vec![bg.clone()],
                    pilot_group: Some("5e769024-0f21-4be0-af23-dd6045caa1c9".into()),
                    state,
                    ..Default::default()
                })
                .unwrap(),
            );
        }
    }
    let corpus = corpus();
    let mut i = 0;
    while out.len() < POLICIES {
        let mut p = corpus[(rng.next() as usize) % corpus.len()].clone();
        p.state = Field::Value(if i % 3 == 0 {
            ca_builder::policy::model::PolicyState::EnabledForReportingButNotEnforced
        } else {
            ca_builder::policy::model::PolicyState::Enabled
        });
        i += 1;
        out.push(p);
    }
    out
}

/// Group, user and location ids that occur in the policies, so scenarios hit includes and
/// excludes, not only misses.
fn ids_in(policies: &[Policy]) -> (Vec<String>, Vec<String>, Vec<String>) {
    let (mut groups, mut users, mut locations) = (Vec::new(), Vec::new(), Vec::new());
    for p in policies {
        let Some(c) = p.conditions.value() else {
            continue;
        };
        if let Some(u) = c.users.value() {
            for f in [&u.include_groups, &u.exclude_groups] {
                groups.extend(f.value().into_iter().flatten().cloned());
            }
            for f in [&u.include_users, &u.exclude_users] {
                users.extend(
                    f.value()
                        .into_iter()
                        .flatten()
                        .filter(|s| s.contains('-'))
                        .cloned(),
                );
            }
        }
        if let Some(l) = c.locations.value() {
            for f in [&l.include_locations, &l.exclude_locations] {
                locations.extend(
                    f.value()
                        .into_iter()
                        .flatten()
                        .filter(|s| s.contains('-'))
                        .cloned(),
                );
            }
        }
    }
    groups.push("00000000-0000-0000-0000-00000000abcd".into());
    users.push("00000000-0000-0000-0000-00000000beef".into());
    locations.push("00000000-0000-0000-0000-00000000cafe".into());
    (groups, users, locations)
}

fn scenarios(policies: &[Policy], rng: &mut Rng) -> Vec<Scenario> {
    let (groups, users, locations) = ids_in(policies);
    let base: Vec<Scenario> = personas().into_iter().map(|(_, s)| s).collect();
    let platforms = [
        Some(DevicePlatform::Windows),
        Some(DevicePlatform::IOS),
        Some(DevicePlatform::Android),
        Some(DevicePlatform::MacOS),
        Some(DevicePlatform::Linux),
        None,
    ];
    let clients = [
        ClientApp::Browser,
        ClientApp::MobileAppsAndDesktopClients,
        ClientApp::ExchangeActiveSync,
        ClientApp::Other,
    ];
    let risks = [Risk::None, Risk::None, Risk::Low, Risk::Medium, Risk::High];
    let resources = [
        Resource::App("00000002-0000-0ff1-ce00-000000000000".into()),
        Resource::App("00000003-0000-0ff1-ce00-000000000000".into()),
        Resource::App("797f4846-ba00-4fd7-ba43-dac1f8f63013".into()),
        Resource::UserAction("urn:user:registersecurityinfo".into()),
        Resource::UserAction("urn:user:registerdevice".into()),
        Resource::AuthContext("c1".into()),
    ];
    let trust = ["AzureAD", "ServerAD", "Workplace"];
    (0..SCENARIOS)
        .map(|_| {
            let mut s = rng.pick(&base).clone();
            s.user = User {
                id: rng.pick(&users).clone(),
                groups: (0..(rng.next() % 4))
                    .map(|_| rng.pick(&groups).clone())
                    .collect(),
                roles: if rng.next() % 5 == 0 {
                    vec!["62e90394-69f5-4237-9190-012177145e10".into()]
                } else {
                    vec![]
                },
                kind: if rng.next() % 6 == 0 {
                    UserKind::Guest {
                        guest_type: GuestOrExternalUserType::B2bCollaborationGuest,
                        home_tenant: None,
                    }
                } else {
                    UserKind::Member
                },
            };
            s.resource = rng.pick(&resources).clone();
            s.client_app = *rng.pick(&clients);
            s.platform = rng.pick(&platforms).clone();
            s.location = if rng.next() % 3 == 0 {
                Location::Unknown
            } else {
                Location::Known {
                    named: vec![rng.pick(&locations).clone()],
                    trusted: rng.next() % 2 == 0,
                }
            };
            s.sign_in_risk = *rng.pick(&risks);
            s.user_risk = *rng.pick(&risks);
            s.auth_flow = if rng.next() % 10 == 0 {
                Some(AuthFlow::DeviceCodeFlow)
            } else {
                None
            };
            s.device = if rng.next() % 3 == 0 {
                Device::unregistered()
            } else {
                Device::default()
                    .with("trustType", DeviceValue::Str(rng.pick(&trust).to_string()))
                    .with("isCompliant", DeviceValue::Bool(rng.next() % 2 == 0))
                    .with("deviceOwnership", DeviceValue::Str("Company".into()))
            };
            s
        })
        .collect()
}

/// 10 000 evaluate requests over the same ids as the scenarios, and the directory that gives
/// their users groups and roles.
fn requests(policies: &[Policy], rng: &mut Rng) -> (Vec<EvaluateRequest>, Directory) {
    let (groups, users, _) = ids_in(policies);
    let mut directory = Directory::default();
    for u in &users {
        directory.users.insert(
            u.to_ascii_lowercase(),
            DirectoryUser {
                groups: (0..(rng.next() % 4))
                    .map(|_| rng.pick(&groups).clone())
                    .collect(),
                roles: if rng.next() % 5 == 0 {
                    vec!["62e90394-69f5-4237-9190-012177145e10".into()]
                } else {
                    vec![]
                },
                user_type: if rng.next() % 6 == 0 {
                    UserType::Guest
                } else {
                    UserType::Member
                },
            },
        );
    }
    let contexts = [
        SignInContext::Application {
            include_applications: vec!["00000002-0000-0ff1-ce00-000000000000".into()],
        },
        SignInContext::Application {
            include_applications: vec!["00000003-0000-0ff1-ce00-000000000000".into()],
        },
        SignInContext::UserAction {
            user_action: UserAction::RegisterSecurityInformation,
        },
        SignInContext::AuthContext {
            authentication_context_value: "c1".into(),
        },
    ];
    let platforms = [
        Some(DevicePlatform::Windows),
        Some(DevicePlatform::IOS),
        Some(DevicePlatform::Android),
        Some(DevicePlatform::MacOS),
        None,
    ];
    let clients = [
        Some(ClientAppType::Browser),
        Some(ClientAppType::MobileAppsAndDesktopClients),
        Some(ClientAppType::Other),
        None,
    ];
    let risks = [
        None,
        Some(RiskLevel::Low),
        Some(RiskLevel::Medium),
        Some(RiskLevel::High),
    ];
    let trust = ["AzureAD", "ServerAD", "Workplace"];
    let requests = (0..SCENARIOS)
        .map(|_| EvaluateRequest {
            sign_in_identity: SignInIdentity::User {
                user_id: rng.pick(&users).clone(),
                external_tenant_id: None,
                external_user_type: None,
            },
            sign_in_context: rng.pick(&contexts).clone(),
            sign_in_conditions: SignInConditions {
                client_app_type: rng.pick(&clients).clone(),
                device_platform: rng.pick(&platforms).clone(),
                sign_in_risk_level: rng.pick(&risks).clone(),
                user_risk_level: rng.pick(&risks).clone(),
                device_info: Some(if rng.next() % 3 == 0 {
                    DeviceInfo::default()
                } else {
                    DeviceInfo {
                        trust_type: Some(rng.pick(&trust).to_string()),
                        is_compliant: Some(rng.next() % 2 == 0),
                        ..DeviceInfo::default()
                    }
                }),
                ..SignInConditions::default()
            },
            applied_policies_only: false,
        })
        .collect();
    (requests, directory)
}

fn whatif(c: &mut Criterion) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let policies = policy_set(&mut rng);
    assert_eq!(policies.len(), POLICIES);
    let scenarios = scenarios(&policies, &mut rng);
    let set = CompiledPolicySet::new(&policies);
    let (requests, directory) = requests(&policies, &mut rng);
    let evaluator = Evaluator::new(&policies);
    let locations = NamedLocations::default();

    // Print what the batch exercises, so the figure is read against real work.
    let applying: usize = scenarios
        .iter()
        .map(|s| set.decide(s).requirements.len() + set.decide(s).blocked_by.len())
        .sum();
    eprintln!(
        "whatif batch: {} policies x {} scenarios, {} applying enforced policy hits",
        POLICIES, SCENARIOS, applying
    );

    let mut g = c.benchmark_group("whatif");
    g.sample_size(10);
    g.bench_function("compile_195", |b| {
        b.iter(|| CompiledPolicySet::new(std::hint::black_box(&policies)))
    });
    g.bench_function("outcome_195x10000", |b| {
        b.iter(|| {
            scenarios
                .iter()
                .map(|s| set.outcome(std::hint::black_box(s)))
                .filter(|o| matches!(o, ca_builder::analysis::Outcome::Blocked(_)))
                .count()
        })
    });
    g.bench_function("decide_195x10000", |b| {
        b.iter(|| {
            scenarios
                .iter()
                .map(|s| set.decide(std::hint::black_box(s)).requirements.len())
                .sum::<usize>()
        })
    });
    g.bench_function("evaluate_requests_195x10000", |b| {
        b.iter(|| {
            requests
                .iter()
                .map(|r| {
                    let p = Prepared::new(std::hint::black_box(r), &directory, &locations)
                        .expect("the generated requests are valid");
                    let results = evaluator.results(&p);
                    let (enforced, _) = evaluator.decide(&p.scenarios[0], &results, false);
                    results.iter().filter(|r| r.applies).count() + enforced.requirements.len()
                })
                .sum::<usize>()
        })
    });
    g.bench_function("evaluate_195x100", |b| {
        b.iter(|| {
            scenarios[..100]
                .iter()
                .map(|s| set.evaluate(std::hint::black_box(s)).policies.len())
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, whatif);
criterion_main!(benches);
