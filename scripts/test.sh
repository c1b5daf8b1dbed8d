#!/usr/bin/env bash
# Sets up and runs every test: installs dependencies, builds the debug preset (AddressSanitizer
# + UBSan) and the release preset, then runs the whole ctest suite under the sanitizers and the
# release-only checks (benchmarks smoke, main job smoke).
#   scripts/test.sh            the default suite (what CI runs)
#   AF_SOAK=1 scripts/test.sh  also the long soak/fuzz runs (see docs/TESTING.md)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/npm-test-deps.sh   # tests/node: @stoqey/ib for the TWS conformance tests
JOBS="${AF_JOBS:-$(nproc)}"

cmake --preset debug-asan >/dev/null
cmake --build --preset debug-asan -j "$JOBS"
cmake --preset release >/dev/null
cmake --build --preset release -j "$JOBS"

ctest --preset debug-asan -j "$JOBS" --timeout 900
bash scripts/fuzz-smoke.sh      # TWS decoder under libFuzzer for ~30 s (docs/TESTING.md)
