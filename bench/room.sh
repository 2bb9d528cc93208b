#!/usr/bin/env bash
# The room benchmark (issue #16): N FedChat servers (default 50) from one Release build on loopback,
# 2 users each, all following a facilitator on server 0; one public post from the facilitator; prints
# how long until every server has it, how many inbox POSTs it cost (relay bound 2N) and the room's RSS.
# Usage: bench/room.sh [SERVERS] [TIME_LIMIT_SECONDS]   (defaults: 50 1800)
# Loopback only; the console ends the servers it started, by pid, and deletes their data.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release FedChat.Web/FedChat.Web.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/FedChat.Room/FedChat.Room.csproj -v q -nologo >/dev/null
exec dotnet bench/FedChat.Room/bin/Release/net10.0/FedChat.Room.dll FedChat.Web/bin/Release/net10.0/FedChat.Web.dll "${1:-50}" "${2:-1800}"
