#!/usr/bin/env bash
# The main job: build, start a local hub (Orthanc from Debian with the Relais plugin, embedded
# SQLite, loopback only) and keep it running until Ctrl-C, then stop everything it started.
#   RELAIS_DATA       where the hub keeps its data (default: .relais-hub under the checkout)
#   RELAIS_NO_DEMO=1  skip capturing and forwarding the sample studies of unit VAN-07
#   RELAIS_HTTP_PORT  HTTP port (default 8042, or the next free one), RELAIS_DICOM_PORT DICOM
#                     port (default 4242, or the next free one)
#   RELAIS_RULES, RELAIS_USERS  routing rules and accounts (default: config/*.example.json;
#                     example passwords are the account name + "-pass"; make real ones with
#                     build/orthanc-plugin/relais-passwd)
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${RELAIS_BUILD_DIR:-$here/build}"
data="${RELAIS_DATA:-$here/.relais-hub}"

# Another Orthanc (Debian's service, a hospital's own) may hold the default ports: then the hub
# takes the next free ones instead, and says so. A port asked for explicitly must be free.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port_from() {
  local p=$1
  while port_in_use "$p"; do p=$((p + 1)); done
  echo "$p"
}
pick_port() {  # name, explicit value, default
  if [ -n "$2" ]; then
    if port_in_use "$2"; then echo "$1=$2 is already in use on 127.0.0.1; choose another port" >&2; exit 1; fi
    echo "$2"
  else
    local p; p=$(free_port_from "$3")
    [ "$p" = "$3" ] || echo "Port $3 is taken (another Orthanc?): the hub uses $p instead" >&2
    echo "$p"
  fi
}
http_port=$(pick_port RELAIS_HTTP_PORT "${RELAIS_HTTP_PORT:-}" 8042)
dicom_port=$(pick_port RELAIS_DICOM_PORT "${RELAIS_DICOM_PORT:-}" 4242)

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
# A unit's day, on this machine: capture sample studies without devices, put them in a unit
# outbox, forward them to the hub, and wait until the hub has routed them to their queues.
if [ "${RELAIS_NO_DEMO:-0}" != "1" ]; then
  unit="$data/unit-VAN-07"
  mkdir -p "$unit"
  echo "Capturing sample studies (dermatology, obstetric ultrasound, X-ray)..."
  RELAIS_BUILD_DIR="$build" RELAIS_HTTP_PORT="$http_port" bash "$here/scripts/make-samples.sh" "$unit/samples" | sed 's/^/  /'
  printf 'unit07-pass\n' > "$unit/password"
  cat > "$unit/relais-forward.json" <<JSON
{
  "outbox": "$unit/outbox",
  "transport": "http",
  "hub": { "url": "$base", "user": "unit07", "passwordFile": "$unit/password", "manifest": true },
  "retry": { "initialSeconds": 1, "maxSeconds": 10, "multiplier": 2, "jitter": 0.5, "giveUpAfter": 5 }
}
JSON
  forward="$build/capture/forward/relais-forward"
  for kind in derm us xray; do
    "$forward" --config "$unit/relais-forward.json" enqueue "$unit/samples/dicom/$kind" | sed 's/^/  /'
  done
  echo "Forwarding the outbox to the hub..."
  "$forward" --config "$unit/relais-forward.json" --once 2>&1 | tail -5 | sed 's/^/  /'
  for _ in $(seq 1 150); do
    routed=$(curl -fsS -u coord:coord-pass "$base/relais/v1/cases?unit=VAN-07" | grep -o '"queue":"[a-z-]*"' | sort | uniq -c | tr -s ' ' || true)
    [ "$(printf '%s\n' "$routed" | grep -c queue)" -ge 3 ] && break
    sleep 0.2
  done
  echo "Routed cases of unit VAN-07:"
  printf '%s\n' "$routed" | sed 's/^/  /'
fi

echo
echo "Viewer:      $base/relais/app/   (dermatologist derm1 / derm1-pass, obstetrician obgyn1 / obgyn1-pass,"
echo "             radiologist rad1 / rad1-pass, coordinator coord / coord-pass)"
echo "Press Ctrl-C to stop."
wait "$orthanc_pid"
