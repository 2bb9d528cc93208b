#!/usr/bin/env bash
# Start-up and idle memory (issue #16): starts a fresh FedChat server RUNS times (own data dir, free
# loopback port, discovery off), prints start → first HTTP 200 from /healthz, the RSS 5 s after that,
# the CPU time the server used until then, and where the RSS is (from /proc/PID/smaps: JIT'd code in the double-mapped memfd, other anonymous
# memory incl. the GC heap, mapped files), then stops it by its pid.
# Usage: bench/startup.sh [RUNS] [DLL]   (defaults: 3, the Release build's FedChat.Web.dll)
# Environment variables pass through to the server, e.g. DOTNET_TieredPGO=0 bench/startup.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-3}"
dll="${2:-}"
if [ -z "$dll" ]; then
  dotnet build -c Release FedChat.Web/FedChat.Web.csproj -v q -nologo >/dev/null
  dll=FedChat.Web/bin/Release/net10.0/FedChat.Web.dll
fi
echo "server: $dll; load average (1/5/15 min) $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for run in $(seq 1 "$runs"); do
  data=$(mktemp -d /tmp/fedchat-start-XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  start=$(date +%s%N)
  dotnet "$dll" --urls "http://127.0.0.1:$port" --FedChat:DataDirectory="$data" \
    --FedChat:InstanceName=start --FedChat:Discovery:Enabled=false >"$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do   # every 20 ms, at most 60 s
    if curl -fs -o /dev/null "http://127.0.0.1:$port/healthz"; then break; fi
    kill -0 "$pid" 2>/dev/null || { echo "server exited:"; cat "$data/server.log"; exit 1; }
    sleep 0.02
  done
  ready=$(date +%s%N)
  # CPU time (user + system, clock ticks of 1/100 s; proc(5) stat fields 14 and 15) spent until then:
  # on a busy machine the wall time mostly measures the wait for a core, this does not.
  cpu=$(awk '{sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / 100}' /proc/$pid/stat)
  sleep 5
  breakdown=$(awk '/^[0-9a-f]+-[0-9a-f]+ /{n=$6; k=(n ~ /doublemapper/) ? "jit" : (n=="" || n ~ /^\[/) ? "anon" : "file"}
                   /^Rss:/{r[k]+=$2} END{printf "code (doublemapper) %.0f, anon+heap %.0f, files %.0f MiB", r["jit"]/1024, r["anon"]/1024, r["file"]/1024}' /proc/$pid/smaps)
  echo "run $run: start → HTTP 200 $(( (ready - start) / 1000000 )) ms, CPU ${cpu} s; idle RSS $(awk '/VmRSS/{printf "%.0f MiB", $2/1024}' /proc/$pid/status) ($breakdown); load $(cut -d' ' -f1 /proc/loadavg)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
done
