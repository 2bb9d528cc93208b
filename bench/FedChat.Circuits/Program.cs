using System.Diagnostics;
using System.Globalization;
using FedChat.Room;
using Microsoft.Playwright;

// Memory per Blazor circuit (issue #16): one FedChat server on loopback, PAGES headless Chromium pages
// (one browser) on its /map, each waited for until live (its circuit is up). Prints the server's RSS
// and PSS before and after, their difference per circuit, and the CPU the server used meanwhile.
// Bounded: 60 s per page, 8 minutes of opening pages, and at most 200 pages.
//
//   dotnet bench/FedChat.Circuits/bin/Release/net10.0/FedChat.Circuits.dll PATH/FedChat.Web.dll [PAGES=100]
if (args.Length < 1 || !File.Exists(args[0]))
{
    Console.Error.WriteLine("usage: FedChat.Circuits PATH/FedChat.Web.dll [PAGES=100]");
    return 2;
}
var dll = Path.GetFullPath(args[0]);
var pages = Math.Clamp(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100, 1, 200);
var chromium = Environment.GetEnvironmentVariable("FEDCHAT_CHROMIUM") ?? "/usr/bin/chromium";
string Load() => File.ReadAllText("/proc/loadavg").Split(' ')[0];
double CpuSeconds(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
}
var root = Directory.CreateTempSubdirectory("fedchat-circuits-").FullName;
RoomServer? server = null;
try
{
    server = RoomServer.Start(dll, 0, root, rendezvous: null);
    if (!await RoomClient.WaitHealthyAsync(server, TimeSpan.FromSeconds(120)))
    {
        throw new InvalidOperationException($"The server did not start:\n{server.Tail()}");
    }
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl.ToString() });
    context.SetDefaultTimeout(60_000);

    // One page first, so the figures after it are circuits, not the first render's JIT and caches.
    var first = await context.NewPageAsync();
    await first.GotoAsync("/map");
    await first.Locator("#live-badge").WaitForAsync();
    await Task.Delay(5000);
    var rssBefore = server.RssMiB();
    var pssBefore = server.PssMiB();
    var cpuBefore = CpuSeconds(server.Pid);
    var loadBefore = Load();
    var clock = Stopwatch.StartNew();
    var openedPages = 0;
    for (var i = 0; i < pages && clock.Elapsed < TimeSpan.FromMinutes(8); i++)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/map");
        await page.Locator("#live-badge").WaitForAsync();
        openedPages++;
    }
    pages = openedPages; // fewer when the 8-minute bound was reached
    var opened = clock.Elapsed.TotalSeconds;
    await Task.Delay(10_000); // let the circuits settle: the map redraws every 2 s
    var rssAfter = server.RssMiB();
    var pssAfter = server.PssMiB();
    var cpu = CpuSeconds(server.Pid) - cpuBefore;
    Console.WriteLine($"| figure | {pages} more circuits on /map |");
    Console.WriteLine("| --- | --- |");
    Console.WriteLine($"| load average (1 min) before / after | {loadBefore} / {Load()} on {Environment.ProcessorCount} cores |");
    Console.WriteLine($"| pages opened and live in | {opened:0.0} s |");
    Console.WriteLine($"| server RSS before / after | {rssBefore:0} / {rssAfter:0} MiB → {(rssAfter - rssBefore) * 1024 / pages:0} KiB per circuit |");
    Console.WriteLine($"| server PSS before / after | {pssBefore:0} / {pssAfter:0} MiB → {(pssAfter - pssBefore) * 1024 / pages:0} KiB per circuit |");
    Console.WriteLine($"| server CPU while opening and 10 s after | {cpu:0.0} s over {clock.Elapsed.TotalSeconds:0} s |");
    return 0;
}
finally
{
    server?.Dispose();
    Directory.Delete(root, recursive: true);
}
