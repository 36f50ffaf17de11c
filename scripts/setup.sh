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

# Debian's orthanc package starts a system service on 8042/4242 when it is installed, and its
# plugins' packages restart it. Relais runs its own Orthanc processes on free ports and never
# needs that service, so while our apt-get runs, a policy-rc.d refuses every action on
# "orthanc" (any other service goes to the machine's own policy, if it has one). We never
# stop, disable or signal an Orthanc ourselves: Debian's init script stops by executable name
# and would SIGKILL every Orthanc on the machine, a hospital's production one included.
policy=/usr/sbin/policy-rc.d
saved_policy=/usr/sbin/policy-rc.d.relais-saved
marker="Written by Relais's scripts/setup.sh"
restore_policy() {
  if [ -f "$policy" ] && grep -q "$marker" "$policy"; then
    if [ -f "$saved_policy" ]; then mv -f "$saved_policy" "$policy"; else rm -f "$policy"; fi
  fi
}
restore_policy  # a run that was killed may have left ours in place
if [ "${#missing[@]}" -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  trap restore_policy EXIT
  [ -f "$policy" ] && cp -p "$policy" "$saved_policy"
  cat > "$policy.relais-new" <<POLICY
#!/bin/sh
# $marker while it installs packages; the machine's own policy comes back when it ends.
case "\$1" in orthanc) exit 101 ;; esac
if [ -x "$saved_policy" ]; then exec "$saved_policy" "\$@"; fi
exit 0
POLICY
  chmod 755 "$policy.relais-new"
  mv -f "$policy.relais-new" "$policy"
  stamp=/var/lib/apt/relais-updated
  if [ ! -f "$stamp" ] || [ -n "$(find "$stamp" -mmin +1440 2>/dev/null)" ]; then
    apt-get update -q
    touch "$stamp"
  fi
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  restore_policy
  trap - EXIT
fi

# Node.js and npm come with the machine image (Debian's own nodejs conflicts with it).
command -v npm >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; apt-get install -y -q nodejs npm; }

# Browser-test tooling (playwright-core drives Debian's chromium; it downloads no browser).
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$here/tests/browser/package.json" ] && [ ! -d "$here/tests/browser/node_modules/playwright-core" ]; then
  (cd "$here/tests/browser" && npm install --no-audit --no-fund --silent)
fi
