#!/usr/bin/env bash
# Soak test of the preview server, for a person to run (it takes a few minutes; the
# fast versions of these checks are in tests/testsuite/serve_attack.rs):
#   wrk with 50 connections for 30 s while files are edited, 1,000 rapid saves,
#   deletes and folder renames, and the memory (VmRSS) over 1,000 rebuilds.
# Installs Debian's wrk when it is missing, builds the release binary, then runs
# bench/serve-soak.mjs. SOAK_SECONDS, SOAK_CHURN and SOAK_REBUILDS change the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --locked
node bench/serve-soak.mjs
