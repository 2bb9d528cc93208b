using System.Diagnostics;
using System.Globalization;
using FedChat.Room;

// The room benchmark (issue #16): N FedChat servers as processes on loopback (one Release build, own
// ports and data dirs, mDNS off, found through server 0 as the rendezvous), 2 users on each, all
// following one facilitator account on server 0. Then one public post from the facilitator: how long
// until every server's home timeline shows it, how many inbox POSTs the room answered for it, and the
// room's total memory. Bounded in time; ends only the processes it started, by pid.
//
//   dotnet bench/FedChat.Room/bin/Release/net10.0/FedChat.Room.dll FedChat.Web/bin/Release/net10.0/FedChat.Web.dll [N] [LIMIT_SECONDS]
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: FedChat.Room PATH/FedChat.Web.dll [SERVERS=50] [TIME_LIMIT_SECONDS=1800]");
    return 2;
}
var dll = Path.GetFullPath(args[0]);
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var limit = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1800);
if (count is < 2 or > 60)
{
    Console.Error.WriteLine("SERVERS must be 2..60.");
    return 2;
}
using var overall = new CancellationTokenSource(limit);
var root = Directory.CreateTempSubdirectory("fedchat-room-").FullName;
var servers = new List<RoomServer>();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; overall.Cancel(); };
string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
var total = Stopwatch.StartNew();
try
{
    Console.WriteLine($"room of {count} servers, data under {root}; load average (1 min) {Load()} on {Environment.ProcessorCount} cores");

    // 1. Start: the rendezvous first, then the rest a few at a time (2 cores: starting 50 at once only queues them).
    var startClock = Stopwatch.StartNew();
    servers.Add(RoomServer.Start(dll, 0, root, rendezvous: null));
    await RequireHealthyAsync(servers[0]);
    const int StartBatch = 4;
    for (var first = 1; first < count; first += StartBatch)
    {
        var batch = Enumerable.Range(first, Math.Min(StartBatch, count - first))
            .Select(i => RoomServer.Start(dll, i, root, servers[0].BaseUrl)).ToList();
        servers.AddRange(batch);
        await Task.WhenAll(batch.Select(RequireHealthyAsync));
        overall.Token.ThrowIfCancellationRequested();
    }
    Console.WriteLine($"started {count} servers in {startClock.Elapsed.TotalSeconds:0.0} s (pids {string.Join(',', servers.Select(s => s.Pid))})");

    // 2. Accounts: the facilitator on server 0, two users on every server, all following the facilitator.
    var setupClock = Stopwatch.StartNew();
    var facilitatorToken = await RoomClient.RegisterAsync(servers[0].BaseUrl, "facilitator");
    var facilitator = $"@facilitator@127.0.0.1:{servers[0].Port}";
    var users = new (RoomServer Server, string Name, string Token)[count * 2];
    await Parallel.ForEachAsync(Enumerable.Range(0, count * 2), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = overall.Token }, async (i, _) =>
    {
        var server = servers[i / 2];
        var name = $"user{i % 2 + 1}";
        users[i] = (server, name, await RoomClient.RegisterAsync(server.BaseUrl, name));
        await RoomClient.FollowAsync(server.BaseUrl, users[i].Token, facilitator);
    });
    await WaitUntilAsync("every follow accepted", async () => await RoomClient.FollowerCountAsync(servers[0].BaseUrl, "facilitator") >= count * 2);
    await WaitUntilAsync("the rendezvous lists every server", async () => await RoomClient.OnlinePeersAsync(servers[0].BaseUrl) >= count - 1);
    Console.WriteLine($"{count * 2} users registered and following {facilitator}, rendezvous complete, in {setupClock.Elapsed.TotalSeconds:0.0} s");

    // Let deliveries of the Accepts and the first NodeInfo polls settle before measuring.
    await Task.Delay(TimeSpan.FromSeconds(5), overall.Token);
    var idleRss = servers.Sum(s => s.RssMiB());
    var idlePss = servers.Sum(s => s.PssMiB());
    var inboxBefore = servers.Select(s => s.InboxPosts).ToList();

    // 3. One public post; poll the first user's home timeline on every server until it shows.
    var marker = $"room-bench-{Guid.NewGuid():N}";
    var loadAtPost = Load();
    var arrival = new double?[count];
    var clock = Stopwatch.StartNew();
    await RoomClient.PostAsync(servers[0].BaseUrl, facilitatorToken, $"Hello room {marker}");
    var postAnswered = clock.Elapsed.TotalMilliseconds;
    var deadline = TimeSpan.FromSeconds(120);
    while (arrival.Any(a => a is null) && clock.Elapsed < deadline)
    {
        var pending = Enumerable.Range(0, count).Where(i => arrival[i] is null).ToList();
        await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            if (await RoomClient.HomeHasAsync(servers[i].BaseUrl, users[i * 2].Token, marker))
            {
                arrival[i] = clock.Elapsed.TotalMilliseconds;
            }
        });
        await Task.Delay(10);
    }
    var reached = arrival.Count(a => a is not null);
    // Stragglers (a relay forwarding late, a retry) would show up here: wait a little, then count.
    await Task.Delay(TimeSpan.FromSeconds(5));
    var inboxPerServer = servers.Select(s => s.InboxPosts - inboxBefore[s.Index]).ToList();
    var inboxPosts = inboxPerServer.Sum();
    var secondUsers = 0;
    foreach (var i in Enumerable.Range(0, count))
    {
        secondUsers += await RoomClient.HomeHasAsync(servers[i].BaseUrl, users[i * 2 + 1].Token, marker) ? 1 : 0;
    }
    var busyRss = servers.Sum(s => s.RssMiB());

    var times = arrival.Where(a => a is not null).Select(a => a!.Value).Order().ToList();
    double Pct(double p) => times.Count == 0 ? double.NaN : times[Math.Clamp((int)Math.Ceiling(p / 100 * times.Count) - 1, 0, times.Count - 1)];
    Console.WriteLine();
    Console.WriteLine($"| figure | room of {count} |");
    Console.WriteLine("| --- | --- |");
    Console.WriteLine($"| load average (1 min) at the post / now | {loadAtPost} / {Load()} |");
    Console.WriteLine($"| POST /api/posts answered | {postAnswered:0} ms |");
    Console.WriteLine($"| servers whose home timeline shows it | {reached} of {count} (second user: {secondUsers} of {count}) |");
    Console.WriteLine($"| post → on all {count} (polled, ±1 poll round) | {(reached == count ? $"{times[^1]:0} ms" : "not all within 120 s")} |");
    Console.WriteLine($"| post → on half / 95 % of the servers | {Pct(50):0} / {Pct(95):0} ms |");
    Console.WriteLine($"| inbox POSTs the room answered for it | {inboxPosts} (N−1 = {count - 1}; relay bound 2N = {2 * count}) |");
    Console.WriteLine($"| room RSS, idle before the post / after | {idleRss / 1024:0.00} / {busyRss / 1024:0.00} GiB ({idleRss / count:0} MiB per server) |");
    Console.WriteLine($"| room PSS, idle before the post (shared DLL pages counted once) | {idlePss / 1024:0.00} GiB ({idlePss / count:0} MiB per server) |");
    Console.WriteLine($"| inbox POSTs per server (index:count, where not 1) | {string.Join(' ', inboxPerServer.Select((n, i) => (n, i)).Where(x => x.n != 1).Select(x => $"{x.i}:{x.n}"))} |");
    Console.WriteLine($"| whole run | {total.Elapsed.TotalSeconds:0} s |");
    return reached == count && inboxPosts <= 2 * count ? 0 : 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine($"Stopped after {total.Elapsed.TotalSeconds:0} s (time limit {limit.TotalSeconds:0} s or Ctrl-C).");
    return 1;
}
finally
{
    foreach (var server in servers)
    {
        server.Dispose();
    }
    Directory.Delete(root, recursive: true);
}

async Task RequireHealthyAsync(RoomServer server)
{
    if (!await RoomClient.WaitHealthyAsync(server, TimeSpan.FromSeconds(120)))
    {
        throw new InvalidOperationException($"Server {server.Index} (pid {server.Pid}) did not answer /healthz:\n{server.Tail()}");
    }
}

async Task WaitUntilAsync(string what, Func<Task<bool>> condition)
{
    var until = Stopwatch.StartNew();
    while (!await condition())
    {
        if (until.Elapsed > TimeSpan.FromSeconds(180))
        {
            throw new TimeoutException($"Gave up waiting for: {what}.");
        }
        await Task.Delay(500, overall.Token);
    }
}
