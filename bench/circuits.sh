#!/usr/bin/env bash
# A room's worth of open dashboards (issue #16): one FedChat server, PAGES (default 100) open /map pages,
# then signed activities from a remote actor at RATE a second (default 20) for SECONDS (default 30).
# Prints arrival → shown p50/p95/max, the server's CPU, RSS/PSS and, with dotnet-gcdump installed, the
# live heap per circuit. Loopback only, bounded; the server is ended by its pid.
#   --client browser   (default) headless Chromium pages: arrival → DOM (MutationObserver)
#   --client protocol  a .NET client per circuit that speaks Blazor's circuit protocol: arrival → render batch
#   --check            (with --client protocol) shows the protocol client's figures are real, then stops
# Usage: bench/circuits.sh [--client browser|protocol] [--check] [PAGES] [RATE] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
options=()
while [[ $# -gt 0 && $1 == --* ]]; do
  options+=("$1")
  [[ $1 == --client ]] && { options+=("$2"); shift; }
  shift
done
dotnet build -c Release FedChat.Web/FedChat.Web.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/FedChat.Circuits/FedChat.Circuits.csproj -v q -nologo >/dev/null
exec dotnet bench/FedChat.Circuits/bin/Release/net10.0/FedChat.Circuits.dll "${options[@]}" FedChat.Web/bin/Release/net10.0/FedChat.Web.dll \
  "${1:-100}" "${2:-20}" "${3:-30}"
