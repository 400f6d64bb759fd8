#!/bin/sh
# Runs the browser tests in headless Chromium: live reload of `quorum serve`, and the
# accessibility and HTML checks of the example site.
# Expects a built binary (cargo build), Chromium at /usr/bin/chromium (or $CHROMIUM),
# java (for vnu.jar) and `npm ci` done in tests/browser; installs nothing itself.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
export QUORUM_BIN="${QUORUM_BIN:-$repo/target/debug/quorum}"
cd "$here"
exec node --test
