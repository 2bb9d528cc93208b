#!/usr/bin/env bash
# How long the test suite takes, and how much CPU it needs (issue #15). Runs `dotnet test` with the
# arguments given (none: the whole suite, as README's test command) and prints the wall time and, when
# it can count it, the CPU time of everything the run started (test host, servers, Chromium, the
# workshop builds): a Linux control group collects it, which needs root. CPU time divided by the number
# of cores is the least wall time this machine can reach for the same work, whatever runs in parallel.
# Usage: bench/test-suite.sh [dotnet test arguments...]   e.g. bench/test-suite.sh --filter "Speed!=Slow"
set -euo pipefail
cd "$(dirname "$0")/.."
echo "load average (1/5/15 min) $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; building first"
dotnet build FedChat.sln -v q -nologo >/dev/null

group=""
if [ "$(id -u)" -eq 0 ] && [ -d /sys/fs/cgroup/cpuacct ]; then
  group=/sys/fs/cgroup/cpuacct/fedchat-suite-$$          # cgroup v1: cpuacct.usage in ns
  mkdir "$group"; usage() { cat "$group/cpuacct.usage"; }; scale=1000000000
elif [ "$(id -u)" -eq 0 ] && [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  group=/sys/fs/cgroup/fedchat-suite-$$                  # cgroup v2: cpu.stat usage_usec
  mkdir "$group"; usage() { awk '/^usage_usec/{print $2}' "$group/cpu.stat"; }; scale=1000000
fi

start=$(date +%s%N)
status=0
if [ -n "$group" ]; then
  bash -c 'echo $$ > "$1/cgroup.procs"; shift; exec dotnet test --no-build "$@"' _ "$group" "$@" || status=$?
else
  dotnet test --no-build "$@" || status=$?
fi
wall=$(( ($(date +%s%N) - start) / 1000000000 ))

if [ -n "$group" ]; then
  cpu=$(( $(usage) / scale ))
  echo "suite: wall ${wall} s, CPU ${cpu} s (${cpu} / $(nproc) cores = at least $(( cpu / $(nproc) )) s of wall time), exit ${status}; load $(cut -d' ' -f1 /proc/loadavg)"
  rmdir "$group" 2>/dev/null || true   # only empty once every process of the run has ended
else
  echo "suite: wall ${wall} s, exit ${status} (CPU not counted: needs root for a control group); load $(cut -d' ' -f1 /proc/loadavg)"
fi
exit "$status"
