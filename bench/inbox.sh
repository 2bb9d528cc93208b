#!/usr/bin/env bash
# The inbox benchmark (issue #16): builds Release, starts a fresh FedChat server (its own data dir,
# a free loopback port, discovery off), prints start → HTTP 200 and idle RSS, runs the load generator
# at each concurrency (5,000 timed after 500 warm-up), then stops the server by its pid.
# Usage: bench/inbox.sh [COUNT] [WARMUP] [CONCURRENCIES...]   (defaults: 5000 500 16 64)
# Loopback only; every wait below is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-5000}" warmup="${2:-500}"
shift $(( $# > 2 ? 2 : $# )) || true
levels=("${@:-16}")
[ $# -eq 0 ] && levels=(16 64)

dotnet build -c Release FedChat.Web/FedChat.Web.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/FedChat.LoadGen/FedChat.LoadGen.csproj -v q -nologo >/dev/null

data=$(mktemp -d /tmp/fedchat-bench-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
log="$data/server.log"
start=$(date +%s%N)
dotnet FedChat.Web/bin/Release/net10.0/FedChat.Web.dll --urls "http://127.0.0.1:$port" \
  --FedChat:DataDirectory="$data" --FedChat:InstanceName=bench --FedChat:Discovery:Enabled=false >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT

# Start → first HTTP 200 from /healthz (polled every 20 ms, at most 60 s).
for _ in $(seq 1 3000); do
  if curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "server exited:"; cat "$log"; exit 1; }
  sleep 0.02
done
ready=$(date +%s%N)
echo "start → HTTP 200: $(( (ready - start) / 1000000 )) ms   (server pid $pid, port $port, data $data)"
sleep 3
echo "idle RSS after start: $(awk '/VmRSS/{printf "%.0f MiB", $2/1024}' /proc/$pid/status)"
echo "machine load (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

status=0
for c in "${levels[@]}"; do
  dotnet bench/FedChat.LoadGen/bin/Release/net10.0/FedChat.LoadGen.dll --inbox "http://127.0.0.1:$port/inbox" \
    --pid "$pid" --db "$data/fedchat.db" --count "$count" --warmup "$warmup" --concurrency "$c" || status=$?
done
echo "idle RSS after the runs: $(awk '/VmRSS/{printf "%.0f MiB", $2/1024}' /proc/$pid/status)"
kill "$pid"; wait "$pid" 2>/dev/null || true
trap - EXIT
rm -rf "$data"
exit "$status"
