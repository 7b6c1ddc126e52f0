#!/usr/bin/env bash
# Installs what is missing, then runs every test: the release build and its
# size report, wasm component tests in headless Chromium, native unit and
# integration tests, and the WebDriver end-to-end tests against dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
phase() { echo "== [$((SECONDS - t0))s] $*"; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

phase setup
./scripts/setup.sh
. scripts/env.sh

# Gates first: rustfmt fails in seconds. Clippy does not run as its own
# `cargo clippy` pass: that would compile every dependency a second time in
# check mode (about half of a fresh clone's run). clippy-driver instead wraps
# rustc for this workspace's crates only while they are built for the tests,
# with the same lints and -D warnings, so a lint still fails the run before
# any test starts; dependencies are compiled once.
phase "cargo fmt --check"
cargo fmt --check
clippy_driver=$(rustup which clippy-driver)
with_clippy() {
  RUSTC_WORKSPACE_WRAPPER="$clippy_driver" CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" "$@"
}
# No --bins: the binaries have no tests of their own (they are built, and linted, for the
# integration tests that run them). No --lib on wasm32: the runner only runs
# #[wasm_bindgen_test]s, and the library has none; its #[test]s run natively.
native=(--lib --test native --test e2e)
wasm=(--target wasm32-unknown-unknown --test web)

phase "native build with clippy -D warnings (lib, binaries, test crates, benches)"
with_clippy cargo test --no-run --benches "${native[@]}"
phase "wasm32 build with clippy -D warnings (browser tests and the library they use)"
with_clippy cargo test --no-run "${wasm[@]}"

phase "trunk build --release"
trunk build --release
phase "size report"
./scripts/size-report.sh

# No -q for the wasm run: cargo would pass --quiet to wasm-bindgen-test-runner,
# which rejects it. --test web keeps doc-tests and the native test crates out of the wasm run.
phase "wasm tests (headless chromium)"
with_clippy cargo test "${wasm[@]}" 2>&1 | tee -a "$log"

phase "native tests (unit, integration, CLI, end-to-end in chromium)"
with_clippy cargo test "${native[@]}" 2>&1 | tee -a "$log"

phase done
# One closing line over every runner above, so a summary is never a
# doc-test's "0 passed".
awk '/^test result: /{for(i=1;i<=NF;i++){if($i=="passed;")p+=$(i-1); if($i=="failed;")f+=$(i-1)}} END{printf "tests: %d passed, %d failed\n", p, f}' "$log"
