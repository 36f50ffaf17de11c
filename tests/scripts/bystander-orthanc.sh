#!/usr/bin/env bash
# A bystander: a plain Orthanc (no plugin) that stands for a hospital's own Orthanc on the same
# machine. Relais's scripts and tests must leave it running.
#   bystander-orthanc.sh start DIR [HTTP_PORT]   starts it, data and pid in DIR, prints its port
#   bystander-orthanc.sh check DIR               exit 0 if the same process still answers HTTP
#   bystander-orthanc.sh stop DIR                stops it (by its own pid only)
set -euo pipefail
action=$1 dir=$2

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( (RANDOM % 20000) + 30000 ))
    port_in_use "$p" || { echo "$p"; return; }
  done
  echo "no free port" >&2; exit 1
}

case "$action" in
  start)
    mkdir -p "$dir/storage"
    http=${3:-$(free_port)}
    dicom=$(free_port)
    cat > "$dir/orthanc.json" <<JSON
{ "Name": "bystander", "StorageDirectory": "$dir/storage", "IndexDirectory": "$dir/storage",
  "HttpPort": $http, "DicomPort": $dicom, "RemoteAccessAllowed": false, "Plugins": [] }
JSON
    Orthanc "$dir/orthanc.json" >"$dir/orthanc.log" 2>&1 &
    echo $! > "$dir/pid"
    echo "$http" > "$dir/port"
    for _ in $(seq 1 100); do
      curl -fsS "http://127.0.0.1:$http/system" >/dev/null 2>&1 && { echo "$http"; exit 0; }
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || { echo "bystander Orthanc did not start:" >&2; tail "$dir/orthanc.log" >&2; exit 1; }
      sleep 0.1
    done
    echo "bystander Orthanc does not answer on $http" >&2; exit 1 ;;
  check)
    pid=$(cat "$dir/pid") http=$(cat "$dir/port")
    kill -0 "$pid" 2>/dev/null || { echo "the bystander Orthanc (pid $pid) was killed" >&2; exit 1; }
    curl -fsS "http://127.0.0.1:$http/system" >/dev/null || { echo "the bystander Orthanc does not answer on $http" >&2; exit 1; }
    echo "the bystander Orthanc (pid $pid, port $http) is still running" ;;
  stop)
    pid=$(cat "$dir/pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$pid" 2>/dev/null || true
    fi ;;
  *) echo "usage: $0 start|check|stop DIR [HTTP_PORT]" >&2; exit 2 ;;
esac
