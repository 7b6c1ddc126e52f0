//! The What-If's speed in the browser: the native bench's batch (195 policies × 10 000 Graph
//! evaluate requests, `benches/support/whatif_inputs.rs`) through the same decision-path sweep,
//! timed with `performance.now()` in headless Chromium. Ignored in the ordinary run (it is a
//! measurement, and meaningful only in the release profile the page ships with);
//! `scripts/measure-wasm.sh` runs it with `--include-ignored` and keeps the JSON line it prints.
//! It asserts correctness only: the figure is read against its target, not checked here.

use ca_builder::analysis::evaluate as explained_what_if;
use ca_builder::analysis::whatif::evaluate::{Evaluator, NamedLocations, Prepared};
use wasm_bindgen_test::*;

// The web crate uses the batch and the sweep, not the scenarios' helpers the bench also uses.
#[allow(dead_code)]
#[path = "../../benches/support/whatif_inputs.rs"]
mod whatif_inputs;
use whatif_inputs::{batch, sweep, POLICIES, SCENARIOS};

/// Timed runs after the warm-up one (which compiles and tiers up the wasm).
const RUNS: usize = 7;
/// Every this many requests, the result is recomputed the straightforward way.
const SAMPLE_EVERY: usize = 250;

#[wasm_bindgen_test]
#[ignore = "a measurement: scripts/measure-wasm.sh runs it in the release profile"]
fn whatif_195_policies_x_10000_requests_in_the_browser() {
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
    }
    // A sample where nothing applies would check nothing.
    assert!(applying > 0, "no policy applies to any sampled request");

    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .expect("performance.now() in the browser");
    let warm = sweep(&evaluator, &batch.requests, &batch.directory, &locations);
    assert_eq!(warm.decisions, SCENARIOS);
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let start = performance.now();
        let s = sweep(&evaluator, &batch.requests, &batch.directory, &locations);
        runs.push(performance.now() - start);
        // Every run decides every request, and the same way.
        assert_eq!(s, warm);
    }
    let mut sorted = runs.clone();
    sorted.sort_by(f64::total_cmp);
    let round = |ms: f64| (ms * 100.0).round() / 100.0;
    let line = serde_json::json!({
        "whatif_wasm_195x10000_ms": runs.iter().map(|&ms| round(ms)).collect::<Vec<_>>(),
        "p50": round(sorted[RUNS / 2]),
        "min": round(sorted[0]),
    });
    console_log!("{line}");
}
