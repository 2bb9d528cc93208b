#!/usr/bin/env bash
# Memory per Blazor circuit (issue #16): one FedChat server, PAGES (default 100) headless Chromium pages
# on /map; prints the server's RSS/PSS before and after per circuit and its CPU meanwhile.
# Usage: bench/circuits.sh [PAGES]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release FedChat.Web/FedChat.Web.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/FedChat.Circuits/FedChat.Circuits.csproj -v q -nologo >/dev/null
exec dotnet bench/FedChat.Circuits/bin/Release/net10.0/FedChat.Circuits.dll FedChat.Web/bin/Release/net10.0/FedChat.Web.dll "${1:-100}"
