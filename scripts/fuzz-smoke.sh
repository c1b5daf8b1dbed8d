#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined; the libraries
# with fuzzer-no-link coverage) and runs the TWS decoder fuzzer briefly from the seed corpus.
#   scripts/fuzz-smoke.sh            ~30 s run (what scripts/test.sh does)
#   FUZZ_SECONDS=3600 scripts/fuzz-smoke.sh   a longer run (see docs/TESTING.md)
# Exits non-zero on a crash, a sanitizer report or a build failure; the crashing input is left
# in build/fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${FUZZ_SECONDS:-30}"
JOBS="${AF_JOBS:-2}"
BUILD=build/fuzz
SAN="-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_CXX_FLAGS="$SAN" -DAF_BUILD_FUZZERS=ON -DAF_BUILD_TESTS=OFF -DAF_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target tws_decoder_fuzz
# The checked-in seeds stay read-only; new corpus entries go to the build tree.
mkdir -p "$BUILD/corpus/tws_decoder" "$BUILD/artifacts"
"$BUILD/fuzz/tws_decoder_fuzz" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 \
  -artifact_prefix="$BUILD/artifacts/" -print_final_stats=1 \
  "$BUILD/corpus/tws_decoder" fuzz/corpus/tws_decoder
