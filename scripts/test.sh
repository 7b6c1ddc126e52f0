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

# Gates first: they fail in seconds, before the long builds.
phase "cargo fmt --check"
cargo fmt --check
phase "cargo clippy (native, all targets; wasm32 lib and browser tests)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --test web -- -D warnings

phase "trunk build --release"
trunk build --release
phase "size report"
./scripts/size-report.sh

# No -q for the wasm run: cargo would pass --quiet to wasm-bindgen-test-runner,
# which rejects it. --lib --test web keeps doc-tests and the native test crates out of the wasm run.
phase "wasm tests (headless chromium)"
cargo test --target wasm32-unknown-unknown --lib --test web 2>&1 | tee -a "$log"

phase "native tests (unit, integration, CLI, end-to-end in chromium)"
cargo test --lib --bins --test native --test e2e 2>&1 | tee -a "$log"

phase done
# One closing line over every runner above, so a summary is never a
# doc-test's "0 passed".
awk '/^test result: /{for(i=1;i<=NF;i++){if($i=="passed;")p+=$(i-1); if($i=="failed;")f+=$(i-1)}} END{printf "tests: %d passed, %d failed\n", p, f}' "$log"
