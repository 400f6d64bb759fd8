#!/usr/bin/env bash
# Builds quorum with profile-guided optimisation: an instrumented binary builds a
# training site, and the compiler then lays out and inlines the code by what ran most.
# On the 10,000-item benchmark site it takes about 5% off a build (docs/benchmarks.md).
#
#   bench/pgo.sh            # writes target/pgo/quorum
#   QUORUM=target/pgo/quorum bench/run.sh 10000
#
# The training site is a 3,000-item one from bench/gen_site.py (its seed follows from
# its size, so it is none of the sites measured) and the example site in content/. Being
# from the same generator, it is like the sites measured; real councils' content is
# less uniform, so expect a smaller gain there.
# Needs llvm-profdata of the compiler's own LLVM version: `rustup component add
# llvm-tools`. Takes two release builds, about five minutes on two cores; the
# instrumented one is kept in target/pgo-generate, so a second run without changes to
# the code skips it.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
host=$(rustc -vV | sed -n 's/^host: //p')
profdata=$(rustc --print sysroot)/lib/rustlib/$host/bin/llvm-profdata
if [[ ! -x $profdata ]]; then
  echo "no llvm-profdata for this compiler at $profdata: run 'rustup component add llvm-tools'" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QUORUM_TODAY=2026-01-01

echo "1/3 instrumented build" >&2
# A fixed place for the profiles, so that cargo sees the same flags and can reuse the
# build.
raw=$repo/target/pgo-generate/profiles
RUSTFLAGS="-Cprofile-generate=$raw" cargo build --release --quiet \
  --manifest-path "$repo/Cargo.toml" --target-dir "$repo/target/pgo-generate"
instrumented=$repo/target/pgo-generate/release/quorum
# The build scripts compiled above were instrumented too and left profiles of their own;
# so did an earlier training.
rm -rf "$raw"

echo "2/3 training" >&2
python3 "$repo/bench/gen_site.py" 3000 "$work/site" > /dev/null
"$instrumented" build --root "$work/site/quorum" --output "$work/out" > /dev/null
"$instrumented" build --root "$work/site/quorum" --output "$work/out" > /dev/null
"$instrumented" check --root "$work/site/quorum" > /dev/null
"$instrumented" build --root "$repo" --output "$work/example" > /dev/null
"$profdata" merge -o "$work/quorum.profdata" "$raw"

echo "3/3 optimised build" >&2
RUSTFLAGS="-Cprofile-use=$work/quorum.profdata" cargo build --release --quiet \
  --manifest-path "$repo/Cargo.toml" --target-dir "$repo/target/pgo-use"
mkdir -p "$repo/target/pgo"
cp "$repo/target/pgo-use/release/quorum" "$repo/target/pgo/quorum"
echo "target/pgo/quorum" >&2
