#!/usr/bin/env bash
# The main job: build, start a local hub (Orthanc from Debian with the Relais plugin, embedded
# SQLite, loopback only) and keep it running until Ctrl-C, then stop everything it started.
#   RELAIS_DATA       where the hub keeps its data (default: .relais-hub under the checkout)
#   RELAIS_HTTP_PORT  HTTP port (default 8042), RELAIS_DICOM_PORT DICOM port (default 4242)
#   RELAIS_RULES, RELAIS_USERS  routing rules and accounts (default: config/*.example.json;
#                     example passwords are the account name + "-pass"; make real ones with
#                     build/orthanc-plugin/relais-passwd)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${RELAIS_BUILD_DIR:-$here/build}"
data="${RELAIS_DATA:-$here/.relais-hub}"
http_port="${RELAIS_HTTP_PORT:-8042}"
dicom_port="${RELAIS_DICOM_PORT:-4242}"

bash "$here/scripts/setup.sh"
cmake -S "$here" -B "$build" >/dev/null
cmake --build "$build" -j "$(nproc)"

mkdir -p "$data/storage" "$data/config"
cp "$here/config/orthanc.json" "$data/config/orthanc.json"
cat > "$data/config/local.json" <<JSON
{
  "StorageDirectory": "$data/storage",
  "IndexDirectory": "$data/storage",
  "HttpPort": $http_port,
  "DicomPort": $dicom_port,
  "Plugins": [ "$build/orthanc-plugin/libRelaisPlugin.so", "/usr/share/orthanc/plugins/libOrthancGdcm.so" ],
  "Relais": {
    "RulesFile": "${RELAIS_RULES:-$here/config/rules.example.json}",
    "UsersFile": "${RELAIS_USERS:-$here/config/users.example.json}",
    "TemplatesDirectory": "$here/config/templates"
  }
}
JSON

orthanc_pid=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$orthanc_pid" ] && kill -0 "$orthanc_pid" 2>/dev/null; then
    echo "Stopping the hub (pid $orthanc_pid)..."
    kill -TERM "$orthanc_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$orthanc_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$orthanc_pid" 2>/dev/null || true
    wait "$orthanc_pid" 2>/dev/null || true
  fi
}
trap cleanup INT TERM EXIT

TCP_NODELAY=1 Orthanc "$data/config" >"$data/orthanc.log" 2>&1 &
orthanc_pid=$!
base="http://127.0.0.1:$http_port"
for _ in $(seq 1 300); do
  curl -fsS "$base/relais/version" >/dev/null 2>&1 && break
  kill -0 "$orthanc_pid" 2>/dev/null || { echo "Orthanc failed to start; see $data/orthanc.log" >&2; tail -20 "$data/orthanc.log" >&2; exit 1; }
  sleep 0.1
done
echo "Hub up: $(curl -fsS "$base/relais/version")"
echo "Orthanc log: $data/orthanc.log"
echo "Relais API:  $base/relais/"
echo "Press Ctrl-C to stop."
wait "$orthanc_pid"
