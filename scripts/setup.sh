#!/usr/bin/env bash
# Installs every Debian package Relais needs to build, run and test. Idempotent and
# non-interactive; `apt-get update` runs once per machine (a stamp file remembers it).
set -euo pipefail

PACKAGES=(
  build-essential cmake pkg-config git curl ca-certificates
  orthanc orthanc-dev orthanc-gdcm
  dcmtk libdcmtk-dev dicom3tools
  libturbojpeg0-dev libjpeg-turbo-progs
  libopencv-dev
  libcpprest-dev libssl-dev
  libgtest-dev libgmock-dev
  nlohmann-json3-dev libsqlite3-dev sqlite3 libsodium-dev libcli11-dev libspdlog-dev
  libpq-dev postgresql
  libhpdf-dev poppler-utils
  libtiff-dev
  chromium
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  stamp=/var/lib/apt/relais-updated
  if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
    apt-get update -q
    touch "$stamp"
  fi
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Debian's orthanc package starts a system service on port 8042/4242; Relais runs its own
# instances on free ports and the system one would only hold ports and memory.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet orthanc 2>/dev/null; then
  systemctl stop orthanc || true
  systemctl disable orthanc >/dev/null 2>&1 || true
fi
if [ -x /etc/init.d/orthanc ] && pgrep -x Orthanc >/dev/null 2>&1; then
  /etc/init.d/orthanc stop >/dev/null 2>&1 || true
fi

# Node.js and npm come with the machine image (Debian's own nodejs conflicts with it).
command -v npm >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; apt-get install -y -q nodejs npm; }

# Browser-test tooling (playwright-core drives Debian's chromium; it downloads no browser).
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$here/tests/browser/package.json" ] && [ ! -d "$here/tests/browser/node_modules/playwright-core" ]; then
  (cd "$here/tests/browser" && npm install --no-audit --no-fund --silent)
fi
