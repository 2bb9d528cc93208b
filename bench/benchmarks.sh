#!/usr/bin/env bash
# BenchmarkDotNet micro-benchmarks of the inbox's hot paths (issue #16): parse, draft-cavage and
# RFC 9421 verify, JCS, proof verify. Short job; results copied to bench/FedChat.Benchmarks/results.
set -euo pipefail
cd "$(dirname "$0")/.."
artifacts=$(mktemp -d /tmp/fedchat-bdn-XXXXXX)
echo "machine load (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
dotnet run -c Release --project bench/FedChat.Benchmarks -- --filter '*' --artifacts "$artifacts" "$@"
mkdir -p bench/FedChat.Benchmarks/results
cp "$artifacts"/results/*-report-github.md bench/FedChat.Benchmarks/results/
rm -rf "$artifacts"
