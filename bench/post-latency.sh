#!/usr/bin/env bash
# Post latency A → B (issue #16): two FedChat servers on loopback, a post on A until it shows on the open
# home page of a follower on B in headless Chromium (/usr/bin/chromium or FEDCHAT_CHROMIUM); p50/p95.
# Usage: bench/post-latency.sh [COUNT]   (default 30 posts)
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release FedChat.Web/FedChat.Web.csproj -v q -nologo >/dev/null
dotnet build -c Release bench/FedChat.PostLatency/FedChat.PostLatency.csproj -v q -nologo >/dev/null
exec dotnet bench/FedChat.PostLatency/bin/Release/net10.0/FedChat.PostLatency.dll FedChat.Web/bin/Release/net10.0/FedChat.Web.dll "${1:-30}"
