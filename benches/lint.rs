//! The policy-set lint over 2,000 and 4,000 generated policies (the templates with varied
//! names, groups, states and device filters, plus renamed copies, exact duplicates and blocks
//! next to grants). Target: 2,000 policies in under 1 s.
//!
//! Each run also writes the sets to `target/lint-bench/policies-N.json`, so the CLI's time and
//! peak memory can be measured on the same input:
//! `/usr/bin/time -v target/release/ca-policy lint target/lint-bench/policies-2000.json`.

#[path = "../tests/native/support/policy_set.rs"]
mod policy_set;

use ca_builder::analysis::{lint, LintConfig};
use ca_builder::policy::Policy;
use criterion::{criterion_group, criterion_main, Criterion};

fn write_set(n: usize, policies: &[Policy]) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/lint-bench");
    let json = serde_json::Value::Array(policies.iter().map(Policy::to_value).collect());
    let written = std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(dir.join(format!("policies-{n}.json")), json.to_string()));
    if let Err(e) = written {
        eprintln!("cannot write the generated set to {}: {e}", dir.display());
    }
}

fn bench(c: &mut Criterion) {
    let config = LintConfig {
        break_glass_users: vec![policy_set::guid(1)],
        naming_pattern: Some("CA???? - *".into()),
        ..Default::default()
    };
    let mut g = c.benchmark_group("lint");
    g.sample_size(10);
    for n in [2_000, 4_000] {
        let policies = policy_set::policy_set(n, 0x5eed_0000 + n as u64);
        write_set(n, &policies);
        g.bench_function(format!("lint_{n}"), |b| {
            b.iter(|| lint(std::hint::black_box(&policies), &config))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
