#!/usr/bin/env bash
# Installs the test-only npm dependencies (tests/node: @stoqey/ib, a real third-party IB API
# client used as an oracle by the codec capture test and the ibsim conformance test).
# Idempotent: does nothing when tests/node/node_modules/@stoqey/ib is already present.
# Needs node >= 18 and npm with access to the npm registry; exits non-zero otherwise so that the
# tests depending on it fail loudly rather than skip.
set -euo pipefail
cd "$(dirname "$0")/../tests/node"
if [[ -f node_modules/@stoqey/ib/package.json ]]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "npm-test-deps: npm not found; install nodejs/npm (scripts/setup.sh)" >&2
  exit 1
fi
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi
