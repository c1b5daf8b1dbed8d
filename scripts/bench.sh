#!/usr/bin/env bash
# Macro benchmark: times abstractfinance commands as whole processes (start-up included) and
# prints wall time (min and median of N runs) and peak resident memory (max over the runs).
#
#   scripts/bench.sh [--runs N] [--bin PATH] [--strategy-paths P]
#
# Defaults: 5 runs, the release binary build/release/src/app/abstractfinance (built with the
# release preset if missing). Peak RSS comes from GNU time (`/usr/bin/time -f %M`, Debian
# package `time`); wall time from the shell clock around each run.
# Targets (issue 4): spread MC 1000 paths ≤ 50 ms; 10 000 paths ≤ 300 ms and < 50 MB;
# strategy MC 1000 paths × 10 years on 2 threads ≤ 5 s (extrapolated from --strategy-paths P
# unless P = 1000); full historical backtest ≤ 200 ms.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=5
BIN=build/release/src/app/abstractfinance
# The full-strategy Monte Carlo runs the whole decision code per simulated day: by default it is
# timed once with P paths and the 1000-path time is extrapolated linearly (stated as such);
# --strategy-paths 1000 times the real thing.
STRATEGY_PATHS=10
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --bin) BIN="$2"; shift 2 ;;
    --strategy-paths) STRATEGY_PATHS="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

if [ ! -x "$BIN" ]; then
  echo "bench: $BIN not found; building the release preset" >&2
  cmake --preset release >/dev/null
  cmake --build --preset release --target abstractfinance
fi
if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time not found (Debian package 'time'; scripts/setup.sh installs it)" >&2
  exit 1
fi

OUT_DIR=$(mktemp -d)
trap 'rm -rf "$OUT_DIR"' EXIT

printf '%-44s %10s %10s %10s  %s\n' "command" "min ms" "median ms" "peak MB" "target"
# bench NAME TARGET ARGS... : runs the binary RUNS times with ARGS.
bench() {
  local name="$1" target="$2"; shift 2
  local walls=() rss_max=0
  for ((i = 0; i < RUNS; i++)); do
    local t0 t1 rss
    t0=$(date +%s%N)
    if ! /usr/bin/time -o "$OUT_DIR/rss" -f '%M' "$BIN" "$@" >"$OUT_DIR/stdout" 2>"$OUT_DIR/stderr"; then
      printf '%-44s skipped: %s\n' "$name" "$(grep -v '^Command exited' "$OUT_DIR/stderr" | head -1)"
      LAST_MIN_US=
      return 0
    fi
    t1=$(date +%s%N)
    walls+=($(( (t1 - t0) / 1000 )))
    rss=$(tail -1 "$OUT_DIR/rss")
    (( rss > rss_max )) && rss_max=$rss
  done
  local sorted min median
  sorted=$(printf '%s\n' "${walls[@]}" | sort -n)
  min=$(echo "$sorted" | head -1)
  LAST_MIN_US=$min
  median=$(echo "$sorted" | sed -n "$(( (RUNS + 1) / 2 ))p")
  awk -v n="$name" -v a="$min" -v b="$median" -v c="$rss_max" -v t="$target" \
    'BEGIN { printf "%-44s %10.1f %10.1f %10.1f  %s\n", n, a / 1000, b / 1000, c / 1024, t }'
}

# A subcommand exists when the top-level help lists it.
has_command() { "$BIN" --help 2>/dev/null | grep -Eq "^  $1( |$)"; }

bench "montecarlo spread numpy-legacy 1000x10y" "<= 50 ms" \
  --json montecarlo --model spread --rng numpy-legacy --paths 1000 --years 10 --seed 42
bench "montecarlo spread numpy-legacy 10000x10y" "<= 300 ms, < 50 MB" \
  --json montecarlo --model spread --rng numpy-legacy --paths 10000 --years 10 --seed 42
bench "montecarlo spread fast 1000x10y" "-" \
  --json montecarlo --model spread --rng fast --paths 1000 --years 10 --seed 42
bench "montecarlo spread fast 10000x10y" "-" \
  --json montecarlo --model spread --rng fast --paths 10000 --years 10 --seed 42
# One run: the per-path cost dominates and does not vary much between runs.
SAVED_RUNS=$RUNS
RUNS=1
bench "montecarlo strategy ${STRATEGY_PATHS}x10y, 2 threads" "-" \
  montecarlo --model strategy --paths "$STRATEGY_PATHS" --years 10 --threads 2 --seed 42 --out "$OUT_DIR/mc-strategy"
RUNS=$SAVED_RUNS
if [ "$STRATEGY_PATHS" != 1000 ] && [ -n "${LAST_MIN_US:-}" ]; then
  awk -v p="$STRATEGY_PATHS" -v us="$LAST_MIN_US" \
    'BEGIN { printf "%-44s %10.1f %10s %10s  %s\n", "  -> 1000x10y extrapolated (x 1000/" p ")", us / 1000 * 1000 / p, "", "", "<= 5 s" }'
fi
if has_command backtest; then
  bench "backtest (all bundled days)" "<= 200 ms" backtest --from 2000-01-03 --out "$OUT_DIR/backtest"
else
  printf '%-44s skipped: no backtest command in this build yet\n' "backtest (all bundled days)"
fi
