#!/usr/bin/env bash
# The full hostile-input suite: 10,000 seeded forged, tampered, replayed, malformed and oversized
# requests against one FedChat server (started as its own process on loopback), then the report:
# requests per class, status histogram, accepted forgeries, 5xx, stray rows, server RSS before/after.
# Usage: scripts/hostile-suite.sh [REQUESTS] [SEED]     (defaults: 10000, 12)
set -euo pipefail
cd "$(dirname "$0")/.."
export FEDCHAT_HOSTILE_REQUESTS="${1:-10000}" FEDCHAT_HOSTILE_SEED="${2:-12}"
log=$(mktemp)
dotnet test FedChat.Tests --filter "FullyQualifiedName~HostileSuiteTests" --logger "console;verbosity=detailed" >"$log" 2>&1 || status=$?
# Print the report once (xunit echoes the test output several times).
awk '/^Hostile suite:/{on=1} on{print} /^an honest post after the run/{exit}' "$log"
grep -E "^\s*(Passed|Failed) FedChat" "$log" || true
rm -f "$log"
exit "${status:-0}"
