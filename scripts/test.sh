#!/usr/bin/env bash
# Sets up and runs every test: installs dependencies (Debian packages; npm test tools), builds the
# debug preset (AddressSanitizer + UBSan), runs the whole ctest suite under the sanitizers, then a
# short libFuzzer run of the TWS decoder.
#   scripts/test.sh            the default suite (what CI runs)
#   FUZZ_SECONDS=3600 scripts/fuzz-smoke.sh   a long fuzz run (docs/TESTING.md)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/npm-test-deps.sh   # tests/node: @stoqey/ib for the TWS conformance tests
JOBS="${AF_JOBS:-$(nproc)}"

cmake --preset debug-asan >/dev/null
cmake --build --preset debug-asan -j "$JOBS"

ctest --preset debug-asan -j "$JOBS" --timeout 900
bash scripts/fuzz-smoke.sh      # TWS decoder under libFuzzer for ~30 s (docs/TESTING.md)
