#!/usr/bin/env bash
# The What-If in the browser: 195 policies x 10 000 evaluate requests and x 10 000 scenarios'
# outcomes on the decision path, the native bench's batch (benches/support/whatif_inputs.rs),
# timed in headless Chromium by tests/web/web_measure.rs. Built in the release profile, the one
# the page ships with. Writes the test's JSON line ({"whatif_wasm_195x10000_ms": [runs],
# "p50": .., "min": .., "whatif_wasm_outcome_195x10000_ms": [runs], "outcome_p50": ..,
# "outcome_min": ..}, milliseconds) to target/measurements/whatif-wasm.json and prints it.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
out=target/measurements/whatif-wasm.json
log=target/measurements/whatif-wasm.log
mkdir -p target/measurements
# --nocapture: the runner prints a passing test's console output only with it.
if ! cargo test --release --target wasm32-unknown-unknown --test web web_measure:: \
  -- --include-ignored --nocapture 2>&1 | tee "$log"; then
  echo "measure-wasm: the test failed; its output is in $log" >&2
  exit 1
fi
line=$(grep -o '{"whatif_wasm_195x10000_ms":.*}' "$log" | tail -n 1 || true)
if [ -z "$line" ]; then
  echo "measure-wasm: no measurement in the test's output ($log)" >&2
  exit 1
fi
printf '%s\n' "$line" > "$out"
echo "measure-wasm: $line -> $out"
