//! What-If at the tenant maximum: 195 policies (the templates and the real policy files the
//! integration tests read, varied) × 10 000 scenarios. Target: ≤ 200 ms for the whole batch.
//!
//! `whatif/outcome` is the matrix's path (enforced decision, blocked/challenged/allowed);
//! `whatif/decide` the enforced decision alone; `whatif/evaluate_100` the full report with every
//! verdict in words, for 100 scenarios (what a What-If screen shows one at a time);
//! `whatif/evaluate_requests_195x10000` 10 000 Graph evaluate requests (each read onto a
//! scenario, every policy's policyApplies and analysisReasons, the combined decision) on the
//! decision path, as `ca-policy whatif` and the bootstrap proof run them;
//! `whatif/evaluate_requests_195x5000` the first half of the same requests, so the two read
//! together show whether the sweep is linear in requests (about half the time).
//! The batch and both sweeps (`outcome` and `evaluate_requests`) are in
//! `support/whatif_inputs.rs`, which the browser measurement (`tests/web/web_measure.rs`,
//! `scripts/measure-wasm.sh`) shares.

use std::path::{Path, PathBuf};

use ca_builder::analysis::whatif::evaluate::{Evaluator, NamedLocations};
use ca_builder::analysis::CompiledPolicySet;
use criterion::{criterion_group, criterion_main, Criterion};

#[path = "support/whatif_inputs.rs"]
mod whatif_inputs;
use whatif_inputs::{batch, outcomes, sweep, Batch, CORPUS_FILES, POLICIES, SCENARIOS};

/// The embedded corpus list is the corpus directory's `.json` files in sorted path order: a file
/// added or renamed there fails here rather than quietly changing the batch.
fn check_corpus_list() {
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/policies");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let on_disk: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let embedded: Vec<&str> = CORPUS_FILES.iter().map(|(name, _)| *name).collect();
    assert_eq!(embedded, on_disk, "support/whatif_inputs.rs CORPUS_FILES");
}

fn whatif(c: &mut Criterion) {
    check_corpus_list();
    let Batch {
        policies,
        scenarios,
        requests,
        directory,
    } = batch();
    let set = CompiledPolicySet::new(&policies);
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
        b.iter(|| outcomes(&set, &scenarios))
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
        b.iter(|| sweep(&evaluator, &requests, &directory, &locations))
    });
    g.bench_function("evaluate_requests_195x5000", |b| {
        b.iter(|| {
            sweep(
                &evaluator,
                &requests[..SCENARIOS / 2],
                &directory,
                &locations,
            )
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
