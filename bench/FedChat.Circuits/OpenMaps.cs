using System.Diagnostics;
using FedChat.Room;
using Microsoft.Playwright;

namespace FedChat.Circuits;

/// <summary>
/// The open /map pages of one run, however they are opened: headless Chromium pages
/// (<see cref="BrowserMaps"/>) or clients that speak the circuit protocol (<see cref="ProtocolMaps"/>).
/// </summary>
internal interface IOpenMaps : IAsyncDisposable
{
    /// <summary>Gets what the maps are, for the printed table.</summary>
    string What { get; }

    /// <summary>Gets what the run measures: where the time stops.</summary>
    string Until { get; }

    /// <summary>Gets how many maps are open.</summary>
    int Count { get; }

    /// <summary>Opens one more /map and returns once it is live (its circuit is up).</summary>
    Task OpenAsync();

    /// <summary>For each entry that arrived at or after <paramref name="since"/> and each map that showed it: arrival → shown in ms, sorted; and how many distinct arrivals any map showed.</summary>
    Task<(List<double> Latencies, int Arrivals)> CollectAsync(DateTimeOffset since);

    /// <summary>The CPU seconds used so far by what shows the maps (the browsers, or this process).</summary>
    double ClientCpuSeconds();
}

/// <summary>Headless Chromium pages in one browser, each timing entries with a MutationObserver (<see cref="FeedTimings"/>).</summary>
internal sealed class BrowserMaps(IPlaywright playwright, IBrowser browser, IBrowserContext context, RoomServer server) : IOpenMaps
{
    private readonly List<IPage> _pages = [];

    public string What => "headless Chromium pages";

    public string Until => "shown in a page (DOM)";

    public int Count => _pages.Count;

    /// <summary>Starts Chromium with the observer script in every page.</summary>
    public static async Task<BrowserMaps> StartAsync(RoomServer server, string actorId)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("FEDCHAT_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseUrl.ToString() });
        context.SetDefaultTimeout(60_000);
        await context.AddInitScriptAsync(FeedTimings.ObserverScript(actorId));
        return new BrowserMaps(playwright, browser, context, server);
    }

    public async Task OpenAsync()
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync("/map");
        await page.Locator("#live-badge").WaitForAsync();
        _pages.Add(page);
    }

    public Task<(List<double> Latencies, int Arrivals)> CollectAsync(DateTimeOffset since) => FeedTimings.CollectAsync(_pages, since);

    // The browsers run on this machine too: the CPU of everything this benchmark started (the Playwright
    // driver and Chromium's processes) but the server.
    public double ClientCpuSeconds() => ProcessTree.CpuSecondsOfDescendants(Environment.ProcessId, except: server.Pid);

    public async ValueTask DisposeAsync()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
    }
}

/// <summary>Circuits opened by <see cref="ProtocolCircuit"/>, all in this process.</summary>
internal sealed class ProtocolMaps(Uri baseUrl, string actorId) : IOpenMaps
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Gets the circuits, in the order they were opened.</summary>
    public List<ProtocolCircuit> Circuits { get; } = [];

    public string What => "protocol circuits (one .NET SignalR client each, no browser)";

    public string Until => "render batch at the client (no DOM, no paint)";

    public int Count => Circuits.Count;

    public async Task OpenAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Circuits.Add(await ProtocolCircuit.OpenAsync(_http, baseUrl, actorId, limit.Token));
    }

    public Task<(List<double> Latencies, int Arrivals)> CollectAsync(DateTimeOffset since)
    {
        var latencies = new List<double>();
        var arrivals = new HashSet<string>(StringComparer.Ordinal);
        foreach (var circuit in Circuits)
        {
            foreach (var (arrivedText, shownAt) in circuit.Seen)
            {
                var arrived = RenderBatchText.UnixMilliseconds(arrivedText);
                if (arrived >= (since - DateTimeOffset.UnixEpoch).TotalMilliseconds)
                {
                    arrivals.Add(arrivedText);
                    latencies.Add(shownAt - arrived);
                }
            }
        }
        latencies.Sort();
        return Task.FromResult((latencies, arrivals.Count));
    }

    // This process also runs the load generator and the remote actor: an upper bound for the clients.
    public double ClientCpuSeconds() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    public async ValueTask DisposeAsync()
    {
        foreach (var circuit in Circuits)
        {
            await circuit.DisposeAsync();
        }
        _http.Dispose();
    }
}
