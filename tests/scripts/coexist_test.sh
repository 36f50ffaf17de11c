#!/usr/bin/env bash
# The README's main command beside another Orthanc: with a bystander Orthanc already running
# (on 8042 when that port is free, so the hub must move aside), scripts/setup.sh and
# scripts/run-hub.sh start a hub on other ports, and stopping the hub leaves the bystander
# running. Usage: coexist_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$1 build=$2
work=$(mktemp -d)
hub_pid=""
bystander="$src/tests/scripts/bystander-orthanc.sh"
finish() {
  [ -n "$hub_pid" ] && kill -TERM "$hub_pid" 2>/dev/null || true
  bash "$bystander" stop "$work/bystander" || true
  rm -rf "$work"
}
trap finish EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_in_use 8042; then by_port=""; else by_port=8042; fi
by_port=$(bash "$bystander" start "$work/bystander" $by_port)
by_pid=$(cat "$work/bystander/pid")
echo "bystander Orthanc: pid $by_pid on port $by_port"

bash "$src/scripts/setup.sh" >/dev/null
bash "$bystander" check "$work/bystander"

# run-hub.sh in its own process group, so the test can stop it as Ctrl-C would.
RELAIS_NO_DEMO=1 RELAIS_BUILD_DIR="$build" RELAIS_DATA="$work/hub" setsid bash "$src/scripts/run-hub.sh" >"$work/run-hub.log" 2>&1 &
hub_pid=$!
for _ in $(seq 1 600); do
  grep -q '^Viewer:' "$work/run-hub.log" && break
  kill -0 "$hub_pid" 2>/dev/null || { echo "run-hub.sh ended early:"; cat "$work/run-hub.log"; exit 1; }
  sleep 0.2
done
grep -q '^Viewer:' "$work/run-hub.log" || { echo "run-hub.sh did not come up:"; cat "$work/run-hub.log"; exit 1; }
hub_url=$(sed -n 's/^Relais API: *\(http[^ ]*\)\/relais\/$/\1/p' "$work/run-hub.log")
echo "hub: $hub_url"
[ "$hub_url" != "http://127.0.0.1:$by_port" ] || { echo "the hub reports the bystander's port"; exit 1; }
curl -fsS "$hub_url/relais/version" | grep -q '"relais"' || { echo "the hub does not answer at $hub_url"; exit 1; }
if [ "$by_port" = 8042 ]; then
  grep -q 'Port 8042 is taken' "$work/run-hub.log" || { echo "run-hub.sh did not say it moved off 8042"; cat "$work/run-hub.log"; exit 1; }
fi
bash "$bystander" check "$work/bystander"

kill -INT -- "-$hub_pid"
for _ in $(seq 1 150); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$hub_pid" 2>/dev/null && { echo "run-hub.sh did not stop on Ctrl-C"; exit 1; }
hub_pid=""
curl -fsS "$hub_url/relais/version" >/dev/null 2>&1 && { echo "the hub still answers after Ctrl-C"; exit 1; }
bash "$bystander" check "$work/bystander"
echo "1 passed, 0 failed"
