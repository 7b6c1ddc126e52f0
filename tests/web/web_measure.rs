//! The What-If's speed in the browser: the native bench's batch (195 policies, 10 000 scenarios
//! and 10 000 Graph evaluate requests, `benches/support/whatif_inputs.rs`) through the bench's
//! two sweeps, timed with `performance.now()` in headless Chromium: the outcome of every scenario
//! (`whatif/outcome_195x10000`, the matrix's decision path) and every request's evaluation
//! (`whatif/evaluate_requests_195x10000`). Ignored in the ordinary run (it is a measurement, and
//! meaningful only in the release profile the page ships with); `scripts/measure-wasm.sh` runs it
//! with `--include-ignored` and keeps the JSON line it prints. It asserts correctness only: the
//! figures are read against their target, not checked here.

use ca_builder::analysis::evaluate as explained_what_if;
use ca_builder::analysis::whatif::evaluate::{Evaluator, NamedLocations, Prepared};
use ca_builder::analysis::{CompiledPolicySet, Outcome};
use wasm_bindgen_test::*;

// The web crate uses the batch and the sweeps, not the scenarios' helpers the bench also uses.
#[allow(dead_code)]
#[path = "../../benches/support/whatif_inputs.rs"]
mod whatif_inputs;
use whatif_inputs::{batch, outcomes, sweep, POLICIES, SCENARIOS};

use crate::support::tick;

/// Timed runs after the warm-up one (which compiles and tiers up the wasm).
const RUNS: usize = 7;
/// Every this many requests, the result is recomputed the straightforward way.
const SAMPLE_EVERY: usize = 250;

#[wasm_bindgen_test]
#[ignore = "a measurement: scripts/measure-wasm.sh runs it in the release profile"]
async fn whatif_195_policies_x_10000_requests_in_the_browser() {
    let batch = batch();
    assert_eq!(batch.policies.len(), POLICIES);
    assert_eq!(batch.requests.len(), SCENARIOS);
    let evaluator = Evaluator::new(&batch.policies);
    let locations = NamedLocations::default();

    // Correctness on a sample: each policy's policyApplies and the combined decisions equal
    // the explained path's, evaluated from the policies themselves (no compiled set shared).
    let mut applying = 0;
    for r in batch.requests.iter().step_by(SAMPLE_EVERY) {
        let p = Prepared::new(r, &batch.directory, &locations).expect("a valid request");
        assert_eq!(
            p.scenarios.len(),
            1,
            "a request with no address is one sign-in"
        );
        let results = evaluator.results(&p);
        let w = explained_what_if(&batch.policies, &p.scenarios[0]);
        assert_eq!(results.len(), w.policies.len());
        for (i, (fast, slow)) in results.iter().zip(&w.policies).enumerate() {
            assert_eq!(fast.applies, slow.applies, "policy {i}");
        }
        applying += results.iter().filter(|r| r.applies).count();
        let (enforced, report_only) = evaluator.decide(&p.scenarios[0], &results, false);
        assert_eq!(enforced, w.enforced);
        assert_eq!(report_only, w.report_only);
        tick().await;
    }
    // A sample where nothing applies would check nothing.
    assert!(applying > 0, "no policy applies to any sampled request");

    // The outcome on a sample: its enforced decision equals the explained path's, and its
    // kind follows from that decision (blocked by a blocking policy, allowed with nothing to
    // meet, otherwise one line per requirement or blocked by one this sign-in cannot meet).
    let set = CompiledPolicySet::new(&batch.policies);
    let mut kinds = [0; 3];
    for s in batch.scenarios.iter().step_by(SAMPLE_EVERY) {
        let enforced = explained_what_if(&batch.policies, s).enforced;
        assert_eq!(set.decide(s), enforced);
        match set.outcome(s) {
            Outcome::Blocked(why) => {
                assert!(enforced.is_blocked() || !enforced.requirements.is_empty());
                assert!(!why.is_empty());
                kinds[0] += 1;
            }
            Outcome::Challenged(lines) => {
                assert!(!enforced.is_blocked());
                assert_eq!(lines.len(), enforced.requirements.len());
                kinds[1] += 1;
            }
            Outcome::Allowed => {
                assert!(!enforced.is_blocked() && enforced.requirements.is_empty());
                kinds[2] += 1;
            }
        }
        tick().await;
    }
    // A sample of a single kind would leave the other branches unchecked.
    assert!(
        kinds.iter().filter(|&&n| n > 0).count() > 1,
        "the sampled outcomes are all of one kind: {kinds:?}"
    );

    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance.now() in the browser");
    let warm = sweep(&evaluator, &batch.requests, &batch.directory, &locations);
    assert_eq!(warm.decisions, SCENARIOS);
    tick().await;
    // Every run decides every request, and the same way.
    let runs = timed(&performance, &warm, || {
        sweep(&evaluator, &batch.requests, &batch.directory, &locations)
    })
    .await;
    let warm = outcomes(&set, &batch.scenarios);
    assert_eq!(warm.decisions, SCENARIOS);
    tick().await;
    // Every run decides every scenario, and the same way.
    let outcome_runs = timed(&performance, &warm, || outcomes(&set, &batch.scenarios)).await;
    let line = serde_json::json!({
        "whatif_wasm_195x10000_ms": runs.ms,
        "p50": runs.p50,
        "min": runs.min,
        "whatif_wasm_outcome_195x10000_ms": outcome_runs.ms,
        "outcome_p50": outcome_runs.p50,
        "outcome_min": outcome_runs.min,
    });
    console_log!("{line}");
}

/// [`RUNS`] timings of one sweep, in milliseconds rounded to hundredths, in run order.
struct Runs {
    ms: Vec<f64>,
    p50: f64,
    min: f64,
}

/// Times `run` [`RUNS`] times (after the caller's warm-up run, which gave `warm`), checking
/// after each, with the clock stopped, that it found what the warm-up did. The page gets a turn
/// between runs, so the browser stays responsive to the test driver in slow (dev) builds.
async fn timed<T: PartialEq + std::fmt::Debug>(
    performance: &web_sys::Performance,
    warm: &T,
    mut run: impl FnMut() -> T,
) -> Runs {
    let round = |ms: f64| (ms * 100.0).round() / 100.0;
    let mut ms = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = performance.now();
        let found = run();
        ms.push(round(performance.now() - start));
        assert_eq!(&found, warm);
        tick().await;
    }
    let mut sorted = ms.clone();
    sorted.sort_by(f64::total_cmp);
    Runs {
        p50: sorted[RUNS / 2],
        min: sorted[0],
        ms,
    }
}
