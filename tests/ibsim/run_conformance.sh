#!/usr/bin/env bash
# Conformance: start ibsim on a free loopback port with a fresh state directory and drive it with
# @stoqey/ib (tests/node/ibsim_conformance.js). Fails (never skips) when node or the npm test
# dependencies are missing: install them with scripts/npm-test-deps.sh.
#   run_conformance.sh <ibsim binary> <repo root>
set -euo pipefail
ibsim="$1"
root="$2"
if ! command -v node >/dev/null; then
  echo "FAIL: node is not installed (needed for the @stoqey/ib conformance test)" >&2
  exit 1
fi
if [ ! -d "$root/tests/node/node_modules/@stoqey/ib" ]; then
  echo "FAIL: tests/node/node_modules/@stoqey/ib missing: run scripts/npm-test-deps.sh" >&2
  exit 1
fi
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
"$ibsim" --port 0 --port-file "$work/port" --state "$work/state" --config "$root/config" \
  >"$work/ibsim.out" 2>"$work/ibsim.err" &
pid=$!
for _ in $(seq 1 300); do
  [ -s "$work/port" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "FAIL: ibsim exited before listening:" >&2
    cat "$work/ibsim.err" >&2
    exit 1
  fi
  sleep 0.1
done
if [ ! -s "$work/port" ]; then
  echo "FAIL: ibsim did not start listening within 30 s" >&2
  cat "$work/ibsim.err" >&2
  exit 1
fi
port="$(cat "$work/port")"
set +e
(cd "$root/tests/node" && timeout 120 node ibsim_conformance.js "$port")
rc=$?
set -e
if [ $rc -ne 0 ]; then
  echo "--- ibsim log ---" >&2
  cat "$work/ibsim.err" >&2
fi
exit $rc
