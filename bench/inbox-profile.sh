#!/usr/bin/env bash
# Where the inbox's time goes (issue #16): a fresh Release server under the inbox load generator at one
# concurrency, profiled while the timed run goes on:
#   - dotnet-trace's sampled thread time (every managed thread's stack ~100 times a second; the time
#     threads spend waiting is left out by bench/trace-summary.py, what is left is time spent running),
#   - dotnet-counters (GC pause time, thread pool queue length and threads, lock contention).
# Prints the top frames and the counters' peaks. Loopback only; bounded; ends what it started by pid.
# Needs the .NET tools in TOOLS (default /tmp/tools):
#   dotnet tool install --tool-path /tmp/tools dotnet-trace --version 10.0.750501   (and dotnet-counters)
# Usage: bench/inbox-profile.sh [COUNT] [CONCURRENCY] [OUT]   (defaults: 5000 16 /tmp/fedchat-profile)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-5000}" concurrency="${2:-16}" out="${3:-/tmp/fedchat-profile}"
tools="${TOOLS:-/tmp/tools}"
mkdir -p "$out"

dotnet build -c Release FedChat.Web/FedChat.Web.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/FedChat.LoadGen/FedChat.LoadGen.csproj -v q -nologo >/dev/null

data=$(mktemp -d /tmp/fedchat-profile-data-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dotnet FedChat.Web/bin/Release/net10.0/FedChat.Web.dll --urls "http://127.0.0.1:$port" \
  --FedChat:DataDirectory="$data" --FedChat:InstanceName=bench --FedChat:Discovery:Enabled=false >"$out/server.log" 2>&1 &
pid=$!
helpers=()
cleanup() {
  for h in "${helpers[@]}"; do kill "$h" 2>/dev/null || true; done
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT
for _ in $(seq 1 600); do curl -fs -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done

loadgen() {
  dotnet bench/FedChat.LoadGen/bin/Release/net10.0/FedChat.LoadGen.dll --inbox "http://127.0.0.1:$port/inbox" \
    --pid "$pid" --db "$data/fedchat.db" --concurrency "$concurrency" --time-limit-seconds 300 --drain-seconds 60 "$@"
}
echo "== warm-up (not profiled)"
loadgen --count 1000 --warmup 500 | grep -E "accepted /s|p50"

echo "== profiled run: $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
# Both tools stop by themselves: a trace of the first TRACE_SECONDS of the run, counters a little longer.
trace_seconds="${TRACE_SECONDS:-15}"
"$tools/dotnet-counters" collect -p "$pid" --refresh-interval 1 --format csv -o "$out/counters.csv" \
  --counters System.Runtime --duration "00:00:00:$((trace_seconds + 10))" >/dev/null 2>&1 &
helpers+=($!)
"$tools/dotnet-trace" collect -p "$pid" --profile dotnet-sampled-thread-time -o "$out/trace.nettrace" \
  --duration "00:00:00:$trace_seconds" >/dev/null 2>&1 &
helpers+=($!)
sleep 2 # let both attach
loadgen --count "$count" --warmup 0 --tampered 0
for h in "${helpers[@]}"; do wait "$h" 2>/dev/null || true; done
helpers=()

echo "== where the running time goes (dotnet-trace sampled thread time, waits left out)"
"$tools/dotnet-trace" convert --format speedscope -o "$out/trace" "$out/trace.nettrace" >/dev/null
python3 bench/trace-summary.py "$out/trace.speedscope.json" 25
echo "== counters (dotnet-counters, per second): peaks"
python3 - "$out/counters.csv" <<'EOF'
import csv, sys, collections
peak, total = collections.defaultdict(float), collections.defaultdict(float)
for row in csv.DictReader(open(sys.argv[1])):
    name = row.get("Counter Name", "")
    try:
        value = float(row.get("Mean/Increment", "nan"))
    except ValueError:
        continue
    peak[name] = max(peak[name], value)
    total[name] += value
for name in sorted(peak):
    print(f"  {name:70s} peak {peak[name]:12.3f}   sum {total[name]:14.3f}")
EOF
