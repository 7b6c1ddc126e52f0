#!/usr/bin/env bash
# Installs whatever is missing to build and test ca-builder, idempotently and
# from package registries only (crates.io, npm, Debian apt): nothing is
# downloaded from GitHub. A no-op run takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

TRUNK_VERSION=0.21.14 # trunk 0.22.x needs rustc >= 1.96.1
# wasm-bindgen-cli must equal the wasm-bindgen version in Cargo.lock exactly.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/"/,"",$3); print $3; exit}' Cargo.lock)
WASM_OPT_VERSION="wasm-opt version 132 (version_132)"
ESBUILD_VERSION=0.24.2 # as package.json pins it

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
# tests/e2e/e2e_hosting.rs serves dist/ with hosting/nginx/ca-builder.conf.
[ -x /usr/sbin/nginx ] || need_apt+=(nginx)
command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
command -v cc >/dev/null 2>&1 || need_apt+=(gcc)
if [ ${#need_apt[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "setup: apt-get install ${need_apt[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "${need_apt[@]}"
fi

rustup target list --installed | grep -qx wasm32-unknown-unknown ||
  rustup target add wasm32-unknown-unknown
# test.sh's gates: rustfmt and clippy (clippy-driver lints while the tests build).
for c in rustfmt clippy; do
  rustup component list --installed | grep -q "^$c" || rustup component add "$c"
done

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  echo "setup: cargo install trunk $TRUNK_VERSION (about 5 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$WB_VERSION" ]; then
  echo "setup: cargo install wasm-bindgen-cli $WB_VERSION"
  # --locked can fail when the crate's own lockfile names a dependency version
  # this registry does not have; fall back to a fresh resolution.
  cargo install wasm-bindgen-cli --version "$WB_VERSION" --locked ||
    cargo install wasm-bindgen-cli --version "$WB_VERSION"
fi
if [ "$(node_modules/.bin/wasm-opt --version 2>/dev/null)" != "$WASM_OPT_VERSION" ] ||
  [ "$(node_modules/.bin/esbuild --version 2>/dev/null)" != "$ESBUILD_VERSION" ]; then
  echo "setup: npm ci (binaryen for wasm-opt, esbuild for the JS glue)"
  npm ci --no-audit --no-fund
fi
