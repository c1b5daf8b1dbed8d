#!/usr/bin/env bash
# Sets up, builds the release binary and runs the main job on the embedded default: bundled
# data in a SQLite bar store, the configuration in config/, then the day's decision (plan) and a
# historical backtest with its tear sheet. Output of the backtest goes to var/demo/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "${AF_JOBS:-$(nproc)}"
BIN=build/release/src/app/abstractfinance

"$BIN" config check >/dev/null && echo "config check: config/settings.yaml and config/instruments.yaml are valid"
# The bar store path is settings data.bar_store_path.
STORE=$(awk '/^data:/{d=1} d && /bar_store_path:/{print $2; exit}' config/settings.yaml)
STORE=${STORE:-state/bars.sqlite}
if [ ! -s "$STORE" ]; then
  "$BIN" data import --bundled
fi
"$BIN" data check
"$BIN" plan
if "$BIN" backtest --help >/dev/null 2>&1; then
  mkdir -p var/demo
  "$BIN" backtest --from 2000-01-03 --to 2012-12-31 --out var/demo
  echo "backtest report: var/demo/report.html"
fi
