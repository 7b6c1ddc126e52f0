//! The bootstrap proof at the tenant maximum: 195 policies (the templates with varied names,
//! groups, states and device filters, and the blocks and copies a tenant has) × 200 personas ×
//! the 6 built-in devices, the grid the page shows. Target: ≤ 50 ms for the grid.
//!
//! `bootstrap/grid_100` and `bootstrap/grid_200` together show the cost is linear in personas;
//! the policies are compiled once, outside the measured loop, as the page and CLI do.

#[path = "../tests/native/support/policy_set.rs"]
mod policy_set;

use ca_builder::analysis::bootstrap::{
    builtin_personas, grid, Holder, MethodRegistered, MethodsPolicy, Proof, Strengths,
};
use ca_builder::analysis::whatif::evaluate::{Directory, NamedLocations};
use ca_builder::policy::Policy;
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::json;

const POLICIES: usize = 195;

/// Passkeys in Authenticator and TAP for all users.
fn methods() -> MethodsPolicy {
    let v = json!({"authenticationMethodConfigurations": [
        {"@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", "id": "Fido2", "state": "enabled",
         "isSelfServiceRegistrationAllowed": true, "defaultPasskeyProfile": "00000000-0000-0000-0000-000000000001",
         "passkeyProfiles": [{"id": "00000000-0000-0000-0000-000000000001", "name": "Default passkey profile",
            "passkeyTypes": "deviceBound", "attestationEnforcement": "registrationOnly",
            "keyRestrictions": {"isEnforced": true, "enforcementType": "allow",
                "aaGuids": ["90a3ccdf-635c-4729-a248-9b709135078f", "de1e552d-db1d-4423-a619-566b625cdc84"]}}],
         "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false,
            "allowedPasskeyProfiles": ["00000000-0000-0000-0000-000000000001"]}], "excludeTargets": []},
        {"@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration", "id": "TemporaryAccessPass",
         "state": "enabled", "includeTargets": [{"targetType": "group", "id": "all_users", "isRegistrationRequired": false}]}]});
    MethodsPolicy::parse(v.to_string().as_bytes()).expect("the benchmark's method policy reads")
}

/// Group ids the policies name, so personas hit includes and excludes.
fn groups_in(policies: &[Policy]) -> Vec<String> {
    let mut out = Vec::new();
    for p in policies {
        if let Some(u) = p.conditions.value().and_then(|c| c.users.value()) {
            for f in [&u.include_groups, &u.exclude_groups] {
                out.extend(f.value().into_iter().flatten().cloned());
            }
        }
    }
    out.push("00000000-0000-0000-0000-00000000abcd".into());
    out
}

/// `n` personas: the built-in sets of methods, members and guests, each in up to three of the
/// policies' groups.
fn holders(n: usize, policies: &[Policy], rng: &mut policy_set::Rng) -> Vec<Holder> {
    let groups = groups_in(policies);
    let base = builtin_personas().holders;
    let extra = [
        vec![MethodRegistered::Password, MethodRegistered::MobilePhone],
        vec![
            MethodRegistered::Password,
            MethodRegistered::SoftwareOneTimePasscode,
            MethodRegistered::TemporaryAccessPass,
        ],
    ];
    (0..n)
        .map(|i| {
            let mut h = base[rng.below(base.len())].clone();
            h.name = format!("persona {i}");
            h.user_id = policy_set::guid(9_000_000 + i as u64);
            h.groups = (0..rng.below(4))
                .map(|_| groups[rng.below(groups.len())].clone())
                .collect();
            if rng.below(4) == 0 {
                h.methods = extra[rng.below(extra.len())].clone();
            }
            h
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let policies = policy_set::policy_set(POLICIES, 0x5eed_b007);
    let proof = Proof::new(
        &policies,
        methods(),
        &Strengths::default(),
        Directory::default(),
        NamedLocations::default(),
        false,
    );
    let devices = builtin_personas().devices;
    let mut rng = policy_set::Rng(0x5eed_0200);
    let all = holders(200, &policies, &mut rng);
    let mut g = c.benchmark_group("bootstrap");
    g.sample_size(20);
    for n in [100, 200] {
        let hs = &all[..n];
        g.bench_function(format!("grid_{n}"), |b| {
            b.iter(|| grid(&proof, std::hint::black_box(hs), &devices).expect("the grid runs"))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
