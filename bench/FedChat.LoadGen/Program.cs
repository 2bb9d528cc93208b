using System.Diagnostics;
using System.Globalization;
using FedChat.LoadGen;

// The inbox load generator (issue #16). It plays a remote actor on loopback, signs N distinct
// Create(Note) activities, posts them to a FedChat inbox at a fixed concurrency after a warm-up, and
// prints throughput, latency percentiles, the server's CPU and memory, and whether every accepted
// activity was stored exactly once. Loopback only; bounded in count and time.
//
//   dotnet run -c Release --project bench/FedChat.LoadGen -- --inbox http://127.0.0.1:5099/inbox \
//       --pid 12345 --db /tmp/bench-data/fedchat.db --count 5000 --warmup 500 --concurrency 16
var options = LoadOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
if (!options.Inbox.IsLoopback)
{
    Console.Error.WriteLine($"Refusing to send load to {options.Inbox.Host}: the load generator only targets loopback.");
    return 2;
}

await using var actor = await RemoteActorServer.StartAsync();
var runTag = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
var signing = Stopwatch.StartNew();
var warmup = SignedActivities.Sign(actor, options.Inbox, runTag, 0, options.Warmup);
var timed = SignedActivities.Sign(actor, options.Inbox, runTag, options.Warmup, options.Count);
var tampered = SignedActivities.SignTampered(actor, options.Inbox, runTag, options.Warmup + options.Count, options.Tampered);
Console.WriteLine($"actor {actor.ActorId}; signed {warmup.Count + timed.Count + tampered.Count} requests in {signing.Elapsed.TotalSeconds:0.0} s; "
    + $"body {timed.FirstOrDefault()?.Request.Body?.Length ?? 0} bytes");

var probe = options.Pid is int pid ? new ServerProbe(pid) : null;
if (probe is { Available: false })
{
    Console.Error.WriteLine($"No process {options.Pid}: CPU and memory are left out.");
    probe = null;
}
var idleRss = probe?.RssMiB();

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
var load = new InboxLoad(client);

var warmClock = Stopwatch.StartNew();
var warmOutcomes = await load.RunAsync(warmup, options.Concurrency, options.TimeLimit);
var warmSeconds = warmClock.Elapsed.TotalSeconds;

// A fixed number in flight (closed loop), or with --rate a fixed number a second (open loop).
Task<List<Outcome>> RunTimedAsync() => options.Rate > 0
    ? load.RunAtRateAsync(timed, options.Rate, options.TimeLimit, maxInFlight: options.Concurrency)
    : load.RunAsync(timed, options.Concurrency, options.TimeLimit);

var cpuBefore = probe?.CpuSeconds() ?? 0;
var ownCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
List<Outcome> outcomes;
(double Median, double Max) rssUnderLoad = (0, 0);
var clock = Stopwatch.StartNew();
if (probe is not null)
{
    await using var sampler = new RssSampler(probe);
    outcomes = await RunTimedAsync();
    rssUnderLoad = sampler.Summary();
}
else
{
    outcomes = await RunTimedAsync();
}
var seconds = clock.Elapsed.TotalSeconds;
var cpu = (probe?.CpuSeconds() ?? 0) - cpuBefore;
// This process shares the machine's cores with the server: what it used is what the server could not.
var ownCpu = (Process.GetCurrentProcess().TotalProcessorTime - ownCpuBefore).TotalSeconds;

var refused = await load.RunAsync(tampered, 1, TimeSpan.FromSeconds(60));

// Report.
var accepted = outcomes.Where(o => o.Status == 202).ToList();
var latencies = outcomes.Select(o => o.Milliseconds).Order().ToList();
var statuses = string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
var warmAccepted = warmOutcomes.Count(o => o.Status == 202);
Console.WriteLine($"{(options.Rate > 0 ? $"rate {options.Rate}/s (at most {options.Concurrency} in flight)" : $"concurrency {options.Concurrency}")}: {outcomes.Count} sent in {seconds:0.00} s after {warmup.Count} warm-up ({warmAccepted / Math.Max(warmSeconds, 0.001):0} /s)");
Console.WriteLine($"  accepted /s        {accepted.Count / seconds:0}");
Console.WriteLine($"  p50 / p95 / p99 ms {InboxLoad.Percentile(latencies, 0.50):0.0} / {InboxLoad.Percentile(latencies, 0.95):0.0} / {InboxLoad.Percentile(latencies, 0.99):0.0}  (max {latencies.LastOrDefault():0})");
Console.WriteLine($"  errors             {outcomes.Count - accepted.Count} (statuses {statuses})");
if (probe is not null)
{
    Console.WriteLine($"  server CPU         {cpu:0.00} s = {100 * cpu / seconds:0} % of one core ({Environment.ProcessorCount} cores here), {1000 * cpu / Math.Max(accepted.Count, 1):0.00} ms per accepted activity");
    Console.WriteLine($"  load generator CPU {ownCpu:0.00} s = {100 * ownCpu / seconds:0} % of one core (on the same cores)");
    Console.WriteLine($"  server RSS MiB     idle {idleRss:0}, under load median {rssUnderLoad.Median:0} max {rssUnderLoad.Max:0}, peak since start {probe.PeakRssMiB():0}");
}
Console.WriteLine($"  actor document fetched {actor.Fetches} time(s)");
var tamperedAccepted = refused.Count(o => o.Status is >= 200 and < 300);
Console.WriteLine($"  tampered           {refused.Count} sent, {refused.Count(o => o.Status == 401)} refused with 401, {tamperedAccepted} accepted (must be 0)");

var failed = tamperedAccepted > 0 || outcomes.Count < timed.Count;
if (options.Database is { } file)
{
    // Every accepted activity: one ReceivedActivities row (before the 202) and, once handled, one RemotePosts row.
    var store = new StoreCheck(file);
    var expected = warmAccepted + accepted.Count;
    var drain = Stopwatch.StartNew();
    var posts = await store.CountAsync("RemotePosts", "ObjectId", actor.ActorId + "/");
    while (posts.Rows < expected && drain.Elapsed < options.DrainLimit)
    {
        await Task.Delay(100);
        posts = await store.CountAsync("RemotePosts", "ObjectId", actor.ActorId + "/");
    }
    var received = await store.CountAsync("ReceivedActivities", "ActivityId", actor.ActorId + "/");
    var strays = await store.CountInAsync("ReceivedActivities", "ActivityId", tampered.Select(t => t.ActivityId))
        + await store.CountInAsync("RemotePosts", "ObjectId", tampered.Select(t => t.ObjectId));
    var once = received.Rows == expected && received.Distinct == expected && posts.Rows == expected && posts.Distinct == expected;
    Console.WriteLine($"  stored             {expected} accepted → {received.Rows} activity rows ({received.Distinct} distinct), {posts.Rows} posts ({posts.Distinct} distinct); "
        + $"all handled {drain.Elapsed.TotalSeconds:0.0} s after the run; tampered rows {strays} → {(once && strays == 0 ? "OK" : "MISMATCH")}");
    failed |= !once || strays > 0;
}
return failed ? 1 : 0;

/// <summary>The command line.</summary>
internal sealed record LoadOptions(Uri Inbox, int? Pid, string? Database, int Count, int Warmup, int Concurrency, int Tampered, TimeSpan TimeLimit, TimeSpan DrainLimit, int Rate)
{
    public const string Usage = "usage: FedChat.LoadGen --inbox URL [--pid PID] [--db FILE] [--count 5000] [--warmup 500] [--concurrency 16] [--tampered 5] [--time-limit-seconds 300] [--drain-seconds 120] [--rate N (per second; default: as fast as --concurrency allows)]";

    public static LoadOptions? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }
        if (!values.TryGetValue("--inbox", out var inbox) || !Uri.TryCreate(inbox, UriKind.Absolute, out var url))
        {
            return null;
        }
        int Number(string name, int fallback, int max) =>
            values.TryGetValue(name, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var n) ? Math.Clamp(n, 0, max) : fallback;
        return new LoadOptions(url,
            values.TryGetValue("--pid", out var pid) && int.TryParse(pid, CultureInfo.InvariantCulture, out var p) ? p : null,
            values.GetValueOrDefault("--db"),
            Number("--count", 5000, 1_000_000), Number("--warmup", 500, 1_000_000), Math.Max(1, Number("--concurrency", 16, 1024)),
            Number("--tampered", 5, 1000),
            TimeSpan.FromSeconds(Math.Max(1, Number("--time-limit-seconds", 300, 3600))),
            TimeSpan.FromSeconds(Number("--drain-seconds", 120, 3600)),
            Number("--rate", 0, 10_000));
    }
}
