#!/usr/bin/env bash
# Installs exactly the Debian 12 packages that the build, the product and the tests use.
# Idempotent; safe to re-run. Needs root (or sudo). Test-only npm packages are installed by
# scripts/test.sh into tests/node (never at run time of the product).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git ca-certificates
  # libraries (SYSTEM.md / DEVELOPERS.md dependency list)
  libyaml-cpp-dev libssl-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libcli11-dev libboost1.74-dev
  libsqlite3-dev sqlite3 libeigen3-dev libhowardhinnant-date-dev tzdata libquantlib0-dev
  libcurl4-openssl-dev libpqxx-dev libpq-dev libcpp-httplib-dev prometheus-cpp-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev time  # time: peak RSS in scripts/bench.sh
  # report charts (embedded in the HTML tear sheet) and the headless-browser report test
  libjs-chart.js chromium
  # real servers and checkers for integration tests
  postgresql prometheus prometheus-alertmanager
  # fuzzing (libFuzzer via clang) and the npm conformance client
  clang
)

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js with npm (test tools only). Debian's nodejs/npm, unless a nodejs with npm is present.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
