#!/usr/bin/env bash
# Browser tests: installs playwright-core (no browser download) and runs node's test
# runner here. Needs /usr/bin/chromium (apt-get install chromium) and a built quorum:
# QUORUM_BIN, default target/debug/quorum relative to the repository root.
set -euo pipefail
cd "$(dirname "$0")"
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
node --test
