#!/usr/bin/env bash
# Counts the instructions quorum binaries execute to build a generated site, under
# valgrind's callgrind. Unlike wall time, the count does not move with whatever else the
# machine is doing (wall times here drift by a third within an hour), so one run of each
# binary tells whether a change does less work, and where the work goes. Wall time
# still decides: fewer instructions can take as long (see docs/benchmarks.md).
#
#   bench/instructions.sh BINARY...          # 1,000 items
#   N=200 TOP=20 bench/instructions.sh OLD NEW
#
# Each binary builds the site on one thread (RAYON_NUM_THREADS=1): with two, the
# threads' waiting for each other changes the count by a few tenths of a percent from
# run to run; with one, by a few thousandths. Printed for each binary: the total, and
# the quorum functions with the most instructions, callees included, when the binary
# has symbols, e.g. one built with
#   CARGO_PROFILE_RELEASE_DEBUG=line-tables-only CARGO_PROFILE_RELEASE_STRIP=none \
#     cargo build --release --target-dir target/prof
# With two binaries or more, each output is compared with the first one's.
# Sites come from bench/run.sh (run it once for N first); a build of 1,000 items takes
# about a minute under callgrind.
set -euo pipefail

[[ $# -ge 1 ]] || { sed -n 2,19p "$0" >&2; exit 2; }
command -v valgrind > /dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }
n=${N:-1000}
top=${TOP:-12}
site=${BENCH_DIR:-/tmp/quorum-bench}/$n/quorum
[[ -f $site/quorum.toml ]] || { echo "no site at $site: run bench/run.sh $n first" >&2; exit 1; }
work=$(mktemp -d /dev/shm/quorum-instructions.XXXXXX)
trap 'rm -rf "$work"' EXIT
export QUORUM_TODAY=2026-01-01 RAYON_NUM_THREADS=1

i=0
for binary in "$@"; do
  i=$((i + 1))
  binary=$(realpath "$binary")
  valgrind --tool=callgrind --callgrind-out-file="$work/$i.out" \
    "$binary" build --root "$site" --output "$work/$i" > /dev/null 2> "$work/$i.log" ||
    { cat "$work/$i.log" >&2; echo "$binary: the build failed" >&2; exit 1; }
  total=$(grep -o 'refs: *[0-9,]*' "$work/$i.log" | grep -o '[0-9,]*$')
  echo "$binary: $total instructions ($n items)"
  callgrind_annotate --inclusive=yes "$work/$i.out" 2> /dev/null |
    grep -E '^ *[0-9,]+ +\( *[0-9.]+%\) +[^ ]*:quorum::' |
    sed -E 's/^ *([0-9,]+) +\( *([0-9.]+%)\) +[^ ]*:(quorum::[^ ]*).*/  \1  \2  \3/' |
    awk '!seen[$3]++' | head -n "$top" || true
  if ((i > 1)); then
    if diff -rq "$work/1" "$work/$i" > /dev/null; then
      echo "  output identical to the first binary's"
    else
      echo "  output DIFFERS from the first binary's (diff -r shows where)"
    fi
  fi
done
