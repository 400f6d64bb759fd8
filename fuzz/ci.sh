#!/usr/bin/env bash
# A short fuzzing run for CI: each target fuzzes for 25 s (50 s in all, after the
# build), seeded with the example site and the test fixtures. A crash fails the run and
# leaves the input in fuzz/artifacts/<target>/; replay it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run -s none <target> fuzz/artifacts/<target>/<file>
# Long runs and their figures: docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")"

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
# cargo-fuzz passes nightly-only flags to rustc; the stable toolchain accepts them so.
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none
for target in front_matter markdown; do
  mkdir -p "corpus/$target" artifacts
  log="artifacts/$target-ci.log"
  if ! cargo fuzz run -s none "$target" "corpus/$target" ../content ../tests/fixtures -- \
    -max_len=2048 -max_total_time=25 -print_final_stats=1 >"$log" 2>&1; then
    tail -n 60 "$log"
    exit 1
  fi
  echo "$target: $(grep -E '^stat::number_of_executed_units' "$log") in 25 s, no crash"
done
