#!/usr/bin/env bash
# Sets up, builds the release binary and runs the main job on the embedded default
# (simulated gateway, SQLite, bundled data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "${AF_JOBS:-$(nproc)}"
BIN=build/release/src/app/abstractfinance
"$BIN" config check
"$BIN" data check
