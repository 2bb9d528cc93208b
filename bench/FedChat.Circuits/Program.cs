using System.Diagnostics;
using System.Globalization;
using FedChat.Circuits;
using FedChat.LoadGen;
using FedChat.Room;

// A room's worth of open dashboards (issue #16): one FedChat server on loopback, PAGES open /map pages,
// each waited for until live (its circuit is up). Then a remote actor posts signed Create(Note)
// activities to the server's inbox at RATE a second for SECONDS, and every page times each one from its
// arrival on the server to its entry in the page's "what happened" panel. The pages are headless
// Chromium pages (--client browser, the default: arrival → DOM, FeedTimings) or clients in this process
// that speak Blazor's circuit protocol (--client protocol: arrival → render batch, ProtocolCircuit).
// Prints those latencies, the server's CPU while the activities arrive, its RSS and PSS before and after
// the pages, the difference per circuit, and the live managed heap per circuit when dotnet-gcdump is
// installed (GcDump). --check (protocol only) instead shows that the protocol client's figures are real
// (ProtocolCheck). Bounded: 60 s per page, 8 minutes of opening pages, at most 200 pages, RATE ≤ 100,
// SECONDS ≤ 120, and 15 s of waiting for the last entries.
//
//   dotnet FedChat.Circuits.dll [--client browser|protocol] [--check] PATH/FedChat.Web.dll [PAGES=100] [RATE=20] [SECONDS=30]
const string Usage = "usage: FedChat.Circuits [--client browser|protocol] [--check] PATH/FedChat.Web.dll [PAGES=100] [RATE=20] [SECONDS=30]";
var clientKind = "browser";
var check = false;
var positional = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--client" when i + 1 < args.Length:
            clientKind = args[++i];
            break;
        case "--check":
            check = true;
            break;
        default:
            positional.Add(args[i]);
            break;
    }
}
if (positional.Count < 1 || !File.Exists(positional[0]) || clientKind is not ("browser" or "protocol") || (check && clientKind != "protocol"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}
int Arg(int index, int fallback, int max) => Math.Clamp(positional.Count > index ? int.Parse(positional[index], CultureInfo.InvariantCulture) : fallback, 0, max);
var dll = Path.GetFullPath(positional[0]);
var pageCount = Math.Max(1, Arg(1, 100, 200));
var rate = Arg(2, 20, 100);
var seconds = Arg(3, 30, 120);
string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
var root = Directory.CreateTempSubdirectory("fedchat-circuits-").FullName;
RoomServer? server = null;
try
{
    server = RoomServer.Start(dll, 0, root, rendezvous: null);
    if (!await RoomClient.WaitHealthyAsync(server, TimeSpan.FromSeconds(120)))
    {
        throw new InvalidOperationException($"The server did not start:\n{server.Tail()}");
    }
    var probe = new ServerProbe(server.Pid);
    await using var actor = await RemoteActorServer.StartAsync();
    var inbox = new Uri(server.BaseUrl, "inbox");
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
    using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    var load = new InboxLoad(client);
    var runTag = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    if (check)
    {
        return await ProtocolCheck.RunAsync(server.BaseUrl, actor, inbox, load, runTag);
    }
    await using IOpenMaps pages = clientKind == "protocol"
        ? new ProtocolMaps(server.BaseUrl, actor.ActorId)
        : await BrowserMaps.StartAsync(server, actor.ActorId);

    // One page and a few activities first, so the figures after them are circuits and steady state,
    // not the first render's JIT, the first key fetch and caches.
    await pages.OpenAsync();
    await load.RunAtRateAsync(SignedActivities.Sign(actor, inbox, runTag, 0, 5), 5, TimeSpan.FromSeconds(60));
    await Task.Delay(5000);
    var heapBefore = await GcDump.LiveHeapAsync(server.Pid, root);
    var rssBefore = server.RssMiB();
    var pssBefore = server.PssMiB();
    var cpuBefore = probe.CpuSeconds();
    var loadBefore = Load();
    var clock = Stopwatch.StartNew();
    while (pages.Count <= pageCount && clock.Elapsed < TimeSpan.FromMinutes(8))
    {
        await pages.OpenAsync();
    }
    var circuits = pages.Count - 1; // fewer than asked when the 8-minute bound was reached
    var opened = clock.Elapsed.TotalSeconds;
    await Task.Delay(10_000); // let the circuits settle: the map redraws every 2 s
    var cpuOpening = probe.CpuSeconds() - cpuBefore;
    var rssAfter = server.RssMiB();
    var pssAfter = server.PssMiB();
    var heapAfter = await GcDump.LiveHeapAsync(server.Pid, root);

    // The timed part: RATE activities a second for SECONDS, signed beforehand, as they arrive from a busy room.
    var activities = SignedActivities.Sign(actor, inbox, runTag, 5, rate * seconds);
    await Task.Delay(2000);
    var loadAtRun = Load();
    var since = DateTimeOffset.UtcNow;
    var cpuAtRun = probe.CpuSeconds();
    var clientCpuAtRun = pages.ClientCpuSeconds();
    var run = Stopwatch.StartNew();
    List<Outcome> outcomes;
    (double Median, double Max) rssUnderLoad;
    await using (var sampler = new RssSampler(probe))
    {
        outcomes = rate == 0 ? [] : await load.RunAtRateAsync(activities, rate, TimeSpan.FromSeconds(seconds + 30));
        rssUnderLoad = sampler.Summary();
    }
    var runSeconds = run.Elapsed.TotalSeconds;
    var cpuRun = probe.CpuSeconds() - cpuAtRun;
    var clientCpuRun = pages.ClientCpuSeconds() - clientCpuAtRun;
    var accepted = outcomes.Count(o => o.Status == 202);
    var expected = accepted * pages.Count;
    var (latencies, arrivals) = await pages.CollectAsync(since);
    for (var wait = Stopwatch.StartNew(); latencies.Count < expected && wait.Elapsed < TimeSpan.FromSeconds(15);)
    {
        await Task.Delay(1000);
        (latencies, arrivals) = await pages.CollectAsync(since);
    }
    var answers = outcomes.Select(o => o.Milliseconds).Order().ToList();

    Console.WriteLine($"| figure | {circuits} circuits on /map (+1 warm-up), {pages.What}, {rate} activities/s for {seconds} s |");
    Console.WriteLine("| --- | --- |");
    Console.WriteLine($"| load average (1 min) before pages / at the run / after | {loadBefore} / {loadAtRun} / {Load()} on {Environment.ProcessorCount} cores |");
    Console.WriteLine($"| pages opened and live in | {opened:0.0} s, server CPU {cpuOpening:0.0} s (with 10 s settling) |");
    Console.WriteLine($"| server RSS before / after the pages | {rssBefore:0} / {rssAfter:0} MiB → {(rssAfter - rssBefore) * 1024 / circuits:0} KiB per circuit |");
    Console.WriteLine($"| server PSS before / after the pages | {pssBefore:0} / {pssAfter:0} MiB → {(pssAfter - pssBefore) * 1024 / circuits:0} KiB per circuit |");
    Console.WriteLine(heapBefore is { } hb && heapAfter is { } ha
        ? $"| live managed heap before / after the pages (dotnet-gcdump; circuits in it) | {hb.HeapMiB:0.0} / {ha.HeapMiB:0.0} MiB ({hb.Circuits} / {ha.Circuits}) → {(ha.HeapMiB - hb.HeapMiB) * 1024 / circuits:0} KiB per circuit |"
        : "| live managed heap (dotnet-gcdump) | not measured: dotnet-gcdump not found |");
    Console.WriteLine($"| activities sent / accepted (202) | {outcomes.Count} / {accepted} in {runSeconds:0.0} s; 202 answered p50 / p95 {FeedTimings.Percentile(answers, 0.5):0} / {FeedTimings.Percentile(answers, 0.95):0} ms |");
    Console.WriteLine($"| entries shown (activity × page) | {latencies.Count} of {expected} ({arrivals} distinct activities) |");
    Console.WriteLine($"| arrival on the server → {pages.Until}, p50 / p95 / max | {FeedTimings.Percentile(latencies, 0.5):0} / {FeedTimings.Percentile(latencies, 0.95):0} / {(latencies.Count > 0 ? latencies[^1] : double.NaN):0} ms |");
    Console.WriteLine($"| server CPU while the activities arrived | {cpuRun:0.0} s over {runSeconds:0.0} s = {100 * cpuRun / runSeconds:0} % of one core |");
    Console.WriteLine(clientKind == "protocol"
        ? $"| this process (the {pages.Count} clients, the load generator, the remote actor) CPU meanwhile | {clientCpuRun:0.0} s = {100 * clientCpuRun / runSeconds:0} % of one core |"
        : $"| the {pages.Count} pages' browser (Chromium, same machine) CPU meanwhile | {clientCpuRun:0.0} s = {100 * clientCpuRun / runSeconds:0} % of one core |");
    Console.WriteLine($"| server RSS while the activities arrived, median / max | {rssUnderLoad.Median:0} / {rssUnderLoad.Max:0} MiB |");
    if (pages is ProtocolMaps protocol)
    {
        ProtocolCheck.PrintHealth(protocol.Circuits);
    }
    return accepted == outcomes.Count ? 0 : 1;
}
finally
{
    server?.Dispose();
    Directory.Delete(root, recursive: true);
}
