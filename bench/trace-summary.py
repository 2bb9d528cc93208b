#!/usr/bin/env python3
"""Where the running time goes in a dotnet-trace sampled-thread-time trace (issue #16).

Reads the speedscope file `dotnet-trace convert --format speedscope` writes, replays each thread's
stack, and leaves out the time a thread sat in a wait (its top frame is a wait, a sleep, an idle
socket or file read): what is left is time spent running. Prints the top frames by self time and by
total time (inclusive), as a share of all running time. Usage: trace-summary.py FILE.speedscope.json [TOP]
"""
import collections, json, re, sys

WAIT = re.compile(r"Wait|Sleep|SpinWait|Monitor\.Enter|EventLoop|ConsoleLoggerProcessor\.TryDequeue|Interop\+Sys\.(Read|Poll|WaitForSocketEvents)|TimerQueue\.TimerThread|Heartbeat\.TimerLoop|"
                  r"GateThreadStart|PollForValues|CollectWorker|OnEventCommand|RunFinalizers|Thread\.StartCallback$")

PSEUDO = {"CPU_TIME", "UNMANAGED_CODE_TIME"}
data = json.load(open(sys.argv[1]))
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
names = [f["name"] for f in data["shared"]["frames"]]
self_time, total_time = collections.Counter(), collections.Counter()
running = waiting = 0.0
for profile in data["profiles"]:
    stack, last = [], None
    for event in profile["events"]:
        at = event["at"]
        if last is not None and stack and at > last:
            span = at - last
            # The converter ends each stack with a pseudo-frame, CPU_TIME (running managed code) or
            # UNMANAGED_CODE_TIME (in native code: a wait, or real work such as SQLite or OpenSSL);
            # the frame below it is the one that counts.
            frames = [f for f in stack if names[f] not in PSEUDO]
            leaf = names[frames[-1]] if frames else names[stack[-1]]
            # Native frames without a name ("?!?") under the socket engine's loop are its epoll wait.
            if WAIT.search(leaf) or (leaf == "?!?" and any("EventLoop" in names[f] for f in frames)):
                waiting += span
            else:
                running += span
                self_time[leaf] += span
                for frame in set(frames):
                    total_time[names[frame]] += span
        last = at
        if event["type"] == "O":
            stack.append(event["frame"])
        elif stack:
            stack.pop()
print(f"running {running / 1000:.1f} s, waiting {waiting / 1000:.1f} s (thread-seconds, all threads)")
print(f"top {top} by self time (share of running time):")
for name, span in self_time.most_common(top):
    print(f"  {100 * span / running:5.1f} %  {name[:150]}")
print(f"top {top} by total time (inclusive), framework plumbing left out:")
plumbing = re.compile(r"^(Process64|Thread \(|Threads|\(Non-Activities\)|Thread\.|ExecutionContext|AsyncMethodBuilderCore|AsyncTaskMethodBuilder|AsyncStateMachineBox|"
                      r"Task\.|TaskAwaiter|ThreadPoolWorkQueue|PortableThreadPool|AwaitTaskContinuation|ValueTask|ManagedThreadPool|WorkerThread)")
shown = 0
for name, span in total_time.most_common():
    if plumbing.search(name):
        continue
    print(f"  {100 * span / running:5.1f} %  {name[:150]}")
    shown += 1
    if shown == top:
        break
