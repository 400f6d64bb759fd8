#!/usr/bin/env bash
# Compares two quorum binaries on one generated site, taking turns: A, B, A, B, … so
# that whatever else the machine does falls on both alike. On a shared machine the
# same build varies by a third from one minute to the next; "best of 3" of one binary
# and then of the other can tell a change that is not there.
#
#   bench/compare.sh OLD NEW            # 10,000 items, 5 rounds
#   ROUNDS=8 bench/compare.sh OLD NEW 1000
#
# OLD and NEW are quorum binaries (copy target/release/quorum aside before a change).
# Each round builds into tmpfs (fresh output) and runs `check` (no writing) with each
# binary; printed are the medians and ranges of wall, user and system time, and peak
# memory. Sites come from bench/run.sh (run it once for N first).
set -euo pipefail

[[ $# -ge 2 ]] || { sed -n 2,13p "$0" >&2; exit 2; }
old=$(realpath "$1")
new=$(realpath "$2")
n=${3:-10000}
rounds=${ROUNDS:-5}
site=${BENCH_DIR:-/tmp/quorum-bench}/$n/quorum
[[ -f $site/quorum.toml ]] || { echo "no site at $site: run bench/run.sh $n first" >&2; exit 1; }
out=$(mktemp -d /dev/shm/quorum-compare.XXXXXX)
log=$(mktemp)
trap 'rm -rf "$out" "$log"' EXIT
export QUORUM_TODAY=2026-01-01

# One timed run: "<label> <what> <wall> <user> <system> <peak KiB>" appended to the log.
run() {
  local label=$1 binary=$2 what=$3
  shift 3
  rm -rf "$out/public"
  /usr/bin/time -f "$label $what %e %U %S %M" -a -o "$log" \
    "$binary" "$what" --root "$site" "$@" > /dev/null 2>&1 ||
    { echo "$label: quorum $what failed" >&2; exit 1; }
}

for ((i = 1; i <= rounds; i++)); do
  for side in old new; do
    binary=$old
    [[ $side == new ]] && binary=$new
    run "$side" "$binary" build --output "$out/public"
    run "$side" "$binary" check
  done
done

# Median and range of column $3 of the log's lines for one binary and command, over $4.
stats() {
  awk -v side="$1" -v what="$2" -v col="$3" -v scale="$4" \
    '$1 == side && $2 == what { print $col / scale }' "$log" | sort -n |
    awk '{ v[NR] = $1 }
      END {
        m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%8.2f (%.2f-%.2f)", m, v[1], v[NR]
      }'
}

echo "$n items, $rounds rounds taking turns; medians (range)"
printf '%-6s %-6s %22s %22s %22s %22s\n' "" "" "wall s" "user s" "system s" "peak MiB"
for what in build check; do
  for side in old new; do
    printf '%-6s %-6s %22s %22s %22s %22s\n' "$what" "$side" \
      "$(stats $side $what 3 1)" "$(stats $side $what 4 1)" \
      "$(stats $side $what 5 1)" "$(stats $side $what 6 1024)"
  done
done
echo "load average now: $(cut -d' ' -f1-3 /proc/loadavg)"
