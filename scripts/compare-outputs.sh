#!/usr/bin/env bash
# Exactness check for speed work: runs two abstractfinance binaries (e.g. a build of main and a
# build of your branch) on the same commands and diffs every output byte for byte.
#
#   scripts/compare-outputs.sh OLD_BIN NEW_BIN [--store PATH]
#
# Commands: the full backtest with each fill model (stdout and every file of --out), two
# full-strategy Monte Carlo runs (bootstrap on 2 threads, gaussian on 1) and `plan --json` on
# three days (2008-10-13, 2012-06-29, 2020-03-16). Prints "IDENTICAL" and exits 0, or names
# each output that differs and exits 1. A pure speed change must leave every output identical,
# to the last digit.
# Both binaries read the same bar store (default: settings data.bar_store_path); a
# binary may add derived tables to it on open (docs/DATA.md §2), which never changes outputs.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ]; then sed -n '2,13p' "$0"; exit 2; fi
OLD="$1"; NEW="$2"; shift 2
STORE=()
if [ "${1:-}" = "--store" ]; then STORE=(--store "$2"); fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

run_all() {  # run_all BIN DIR
  local bin="$1" dir="$2" rc=0
  mkdir -p "$dir"
  "$bin" backtest --from 2000-01-03 "${STORE[@]}" --out "$dir/bt" >"$dir/bt.stdout" 2>&1 || rc=1
  "$bin" backtest --from 2000-01-03 --fill-model same_close "${STORE[@]}" --out "$dir/btc" >"$dir/btc.stdout" 2>&1 || rc=1
  "$bin" --json montecarlo --model strategy --paths 4 --years 3 --threads 2 --seed 7 "${STORE[@]}" \
    --out "$dir/mc" >"$dir/mc.stdout" 2>&1 || rc=1
  "$bin" --json montecarlo --model strategy --path-model gaussian --paths 3 --years 2 --threads 1 --seed 11 \
    "${STORE[@]}" --out "$dir/mcg" >"$dir/mcg.stdout" 2>&1 || rc=1
  for d in 2008-10-13 2012-06-29 2020-03-16; do
    "$bin" --json plan --as-of "$d" "${STORE[@]}" >"$dir/plan-$d.json" 2>&1 || rc=1
  done
  # The output directory appears in stdout: make it the same for both runs.
  sed -i "s#$dir#OUT#g" "$dir"/*.stdout
  return $rc
}

run_all "$OLD" "$TMP/old" || echo "compare-outputs: a command failed with $OLD (its output is compared anyway)"
run_all "$NEW" "$TMP/new" || echo "compare-outputs: a command failed with $NEW (its output is compared anyway)"
status=0
for f in bt.stdout btc.stdout mc.stdout mcg.stdout plan-2008-10-13.json plan-2012-06-29.json plan-2020-03-16.json bt btc mc mcg; do
  if ! diff -rq "$TMP/old/$f" "$TMP/new/$f" >/dev/null; then
    echo "DIFFERS: $f"
    diff -r "$TMP/old/$f" "$TMP/new/$f" | head -5
    status=1
  fi
done
[ $status = 0 ] && echo "IDENTICAL"
exit $status
