using System.Diagnostics;
using System.Globalization;
using FedChat.Room;
using Microsoft.Playwright;

// Post latency A → B (issue #16). Two FedChat servers on loopback (B finds A through A as its
// rendezvous; mDNS off). "author" on A; "reader" on B follows the author and has B's home timeline
// open in headless Chromium. A MutationObserver in the page stamps (Date.now()) the moment a post's
// text appears in the DOM; the benchmark stamps the moment before POST /api/posts on A, on the same
// machine clock. Prints p50/p95 over COUNT posts. Bounded: 30 s per post at most.
//
//   dotnet bench/FedChat.PostLatency/bin/Release/net10.0/FedChat.PostLatency.dll PATH/FedChat.Web.dll [COUNT=30]
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: FedChat.PostLatency PATH/FedChat.Web.dll [COUNT=30]");
    return 2;
}
var dll = Path.GetFullPath(args[0]);
var count = Math.Clamp(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30, 1, 500);
var chromium = Environment.GetEnvironmentVariable("FEDCHAT_CHROMIUM") ?? "/usr/bin/chromium";
string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
var root = Directory.CreateTempSubdirectory("fedchat-latency-").FullName;
RoomServer? a = null, b = null;
try
{
    a = RoomServer.Start(dll, 0, root, rendezvous: null);
    b = RoomServer.Start(dll, 1, root, a.BaseUrl);
    foreach (var server in new[] { a, b })
    {
        if (!await RoomClient.WaitHealthyAsync(server, TimeSpan.FromSeconds(120)))
        {
            throw new InvalidOperationException($"Server {server.Index} did not start:\n{server.Tail()}");
        }
    }
    var authorToken = await RoomClient.RegisterAsync(a.BaseUrl, "author");
    await RoomClient.RegisterAsync(b.BaseUrl, "admin"); // the first user is the admin; the reader is an ordinary user
    var readerToken = await RoomClient.RegisterAsync(b.BaseUrl, "reader");
    await RoomClient.FollowAsync(b.BaseUrl, readerToken, $"@author@127.0.0.1:{a.Port}");
    var accepted = Stopwatch.StartNew();
    while (await RoomClient.FollowerCountAsync(a.BaseUrl, "author") < 1)
    {
        if (accepted.Elapsed > TimeSpan.FromSeconds(60))
        {
            throw new TimeoutException("The follow was not accepted within 60 s.");
        }
        await Task.Delay(200);
    }

    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = b.BaseUrl.ToString() });
    context.SetDefaultTimeout(60_000);
    var page = await context.NewPageAsync();
    await page.GotoAsync("/login");
    await page.GetByLabel("Username").FillAsync("reader");
    await page.GetByLabel("Password").FillAsync(RoomClient.Password);
    await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    await page.GotoAsync("/?feed=home");
    await page.Locator("#live-badge").WaitForAsync();
    // Stamp the first time each "lat-RUN-I" marker is seen anywhere in the page.
    await page.EvaluateAsync(@"() => {
        window.__seen = {};
        const scan = () => {
            for (const m of document.body.innerText.matchAll(/lat-\w+-\d+/g)) {
                if (!(m[0] in window.__seen)) window.__seen[m[0]] = Date.now();
            }
        };
        new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
    }");

    var run = Guid.NewGuid().ToString("N")[..8];
    var latencies = new List<double>();
    var answered = new List<double>();
    var loadAtStart = Load();
    for (var i = 0; i < count; i++)
    {
        var marker = $"lat-{run}-{i}";
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        await RoomClient.PostAsync(a.BaseUrl, authorToken, $"Latency probe {marker}");
        answered.Add(clock.Elapsed.TotalMilliseconds);
        var seen = await page.WaitForFunctionAsync("m => window.__seen[m]", marker, new() { Timeout = 30_000 });
        latencies.Add(await seen.JsonValueAsync<double>() - before);
        await Task.Delay(200); // one post at a time, as a person writes
    }

    latencies.Sort();
    answered.Sort();
    double Pct(List<double> xs, double p) => xs[Math.Clamp((int)Math.Ceiling(p / 100 * xs.Count) - 1, 0, xs.Count - 1)];
    Console.WriteLine($"| figure | {count} posts, A → B's open home page |");
    Console.WriteLine("| --- | --- |");
    Console.WriteLine($"| load average (1 min) at start / end | {loadAtStart} / {Load()} on {Environment.ProcessorCount} cores |");
    Console.WriteLine($"| post → in B's DOM, p50 / p95 / max | {Pct(latencies, 50):0} / {Pct(latencies, 95):0} / {latencies[^1]:0} ms |");
    Console.WriteLine($"| of which POST /api/posts on A answered, p50 / p95 | {Pct(answered, 50):0} / {Pct(answered, 95):0} ms |");
    Console.WriteLine($"| RSS A / B after the run | {a.RssMiB():0} / {b.RssMiB():0} MiB |");
    return 0;
}
finally
{
    b?.Dispose();
    a?.Dispose();
    Directory.Delete(root, recursive: true);
}
