#!/usr/bin/env bash
# What each page feature costs in the gzipped bundle: builds the page as shipped, then once
# per GROUP with the named component functions rendering nothing (`return html! {}` as their
# first statement, so the linker drops every view, hook and core path only they reach), and
# prints the gzip -9 size of the wasm after wasm-bindgen and wasm-opt -Oz, as trunk ships it.
#
#   scripts/feature-cost.sh GROUP...    GROUP: component functions joined by commas,
#                                       e.g. whatif_panel or whatif_panel,report_button
#
# Works on a copy of the work tree in target/feature-cost (its own cargo target dir, so the
# first run also builds the dependencies); the work tree itself is never edited. Other dist/
# files (JS glue, CSS, HTML: about 12 KB gzip) do not change, so a group's saving in the wasm
# is its saving in dist/.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
root=$PWD
work=$root/target/feature-cost
mkdir -p "$work"
export CARGO_TARGET_DIR=$work/target
opt=$root/node_modules/binaryen/bin/wasm-opt
[ -x "$opt" ] || { echo "feature-cost: $opt missing; run scripts/setup.sh" >&2; exit 1; }

# Builds the tree in $work/tree with the components in $1 (comma-separated) stubbed; prints
# "raw gzip" of the optimised wasm.
size_with_stubs() {
  # Extracted with fresh times (-m): with the work tree's older ones, cargo would take a build
  # from the last group, whose stubs are gone, for up to date.
  rm -rf "$work/tree" && mkdir -p "$work/tree"
  git ls-files -z --cached --others --exclude-standard | tar -c --null -T - | tar -x -m -C "$work/tree"
  local c f
  for c in ${1//,/ }; do
    f=$(grep -rlE "fn $c\(" "$work/tree/src/ui") || { echo "feature-cost: no component fn $c in src/ui" >&2; return 1; }
    perl -0pi -e "s/(fn $c\([^{]*?->\s*Html\s*\{)/\$1 return yew::html! {};/s" $f
    perl -0ne "exit(!/fn $c\([^{]*?\{ return yew::html/s)" $f \
      || { echo "feature-cost: could not stub $c in $f" >&2; return 1; }
  done
  (cd "$work/tree" && . scripts/env.sh \
    && cargo build -q --release --target wasm32-unknown-unknown --bin ca-builder 2>"$work/build.log") \
    || { echo "feature-cost: build failed, see $work/build.log" >&2; return 1; }
  rm -rf "$work/wb"
  wasm-bindgen --target web --out-dir "$work/wb" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/ca-builder.wasm"
  "$opt" -Oz "$work/wb/ca-builder_bg.wasm" -o "$work/opt.wasm"
  echo "$(stat -c %s "$work/opt.wasm") $(gzip -9 -c "$work/opt.wasm" | wc -c)"
}

. scripts/env.sh
read -r base_raw base_gz < <(size_with_stubs "")
printf '%-72s %10s %10s %10s\n' "without" "wasm raw" "wasm gzip" "saves gzip"
printf '%-72s %10d %10d %10s\n' "(nothing: the page as shipped)" "$base_raw" "$base_gz" "-"
for group in "$@"; do
  read -r raw gz < <(size_with_stubs "$group")
  printf '%-72s %10d %10d %10d\n' "$group" "$raw" "$gz" $((base_gz - gz))
done
