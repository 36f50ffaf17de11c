#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors, runs every test
# (unit, integration against a real Orthanc, browser) with ctest and prints its summary.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${RELAIS_BUILD_DIR:-$here/build}"

bash "$here/scripts/setup.sh"
cmake -S "$here" -B "$build" -DRELAIS_WERROR=ON >/dev/null
cmake --build "$build" -j "$(nproc)"
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 900
