#!/bin/sh
# Runs the browser tests of `quorum serve` in headless Chromium.
# Expects a built binary (cargo build), Chromium at /usr/bin/chromium (or $CHROMIUM)
# and `npm ci` done in tests/browser; installs nothing itself.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export QUORUM_BIN="${QUORUM_BIN:-$repo/target/debug/quorum}"
cd "$here"
exec node --test
