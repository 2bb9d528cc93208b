using System.Diagnostics;
using System.Globalization;
using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Dashboard;

/// <summary>
/// A measurement more than a test: 30 servers on the facilitator's map and 20 activities a second for
/// five seconds, as a busy workshop might send. Prints how often the page really redrew and what it
/// cost (and saves the figures to artifacts/dashboard-batching.txt); asserts only that the redraws
/// were batched, never how fast anything was.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Speed", "Slow")]
public class DashboardBatchingBenchmark(ChromiumBrowser browser, ITestOutputHelper output) : BrowserTest(browser)
{
    private const int EventsPerSecond = 20;
    private const int Seconds = 5;

    [ChromiumFact]
    public async Task Facilitator_With30Servers_At20EventsASecond_RedrawsInBatches()
    {
        await using var server = await RunningServer.StartAsync("facilitator");
        var peers = Enumerable.Range(1, 30).Select(i => new Uri($"http://10.77.0.{i}:5080/")).ToList();
        var directory = server.Get<PeerDirectory>();
        foreach (var (url, i) in peers.Select((u, i) => (u, i)))
        {
            // Straight into the directory, as discovery would; nothing ever connects to these addresses.
            directory.ReportSeen(new PeerSighting(url, $"attendee-{i + 1:00}", PeerSources.Static, "1.0.0", (i % 5) + 1));
        }

        var page = await Browser.NewPageAsync(server.BaseUrl);
        await page.SetViewportSizeAsync(1920, 1080);
        await page.GotoAsync("/facilitator");
        await WaitUntilLiveAsync(page);
        await Expect(page.Locator(".peer-node")).ToHaveCountAsync(31);

        // Warm up (the first redraws pay for JIT compilation), then measure.
        var feed = server.Get<EventFeed>();
        for (var n = 0; n < 10; n++)
        {
            feed.Publish(Activity(peers, n));
            await Task.Delay(50);
        }
        await Task.Delay(1000);

        // Every DOM update Blazor applies is one render batch arriving from the server.
        await page.EvaluateAsync("""
            window.__batches = 0;
            new MutationObserver(() => window.__batches++)
                .observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
            """);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        var browserBefore = await BrowserMetricsAsync(cdp);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        var total = EventsPerSecond * Seconds;
        for (var n = 0; n < total; n++)
        {
            feed.Publish(Activity(peers, n));
            if (n == total / 2)
            {
                await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "facilitator-30-servers.png") });
            }
            var due = TimeSpan.FromSeconds((n + 1) / (double)EventsPerSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }
        await Task.Delay(500); // the last batch
        var elapsed = clock.Elapsed;

        var serverCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var browserAfter = await BrowserMetricsAsync(cdp);
        var batches = await page.EvaluateAsync<int>("window.__batches");
        await Expect(page.Locator("#counter-rate")).ToHaveTextAsync((total + 10).ToString(CultureInfo.InvariantCulture));

        var report = string.Join(Environment.NewLine,
            $"Dashboard batching: /facilitator, 31 servers on the map, {total} events in {elapsed.TotalSeconds:0.0} s ({EventsPerSecond}/s)",
            $"  DOM updates (render batches) in the browser: {batches}  ({batches / elapsed.TotalSeconds:0.0}/s; one per event would be {total})",
            $"  test process CPU (server + test + Playwright client): {serverCpu.TotalMilliseconds:0} ms ({serverCpu.TotalMilliseconds / elapsed.TotalMilliseconds * 100:0} % of one core)",
            $"  browser main thread busy: {(browserAfter.Task - browserBefore.Task) * 1000:0} ms, of which script {(browserAfter.Script - browserBefore.Script) * 1000:0} ms, "
                + $"layout {(browserAfter.Layout - browserBefore.Layout) * 1000:0} ms, style {(browserAfter.Style - browserBefore.Style) * 1000:0} ms");
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(ChromiumBrowser.ScreenshotDirectory, "..", "dashboard-batching.txt"), report + Environment.NewLine);

        // Ten redraws a second at most (RenderBatcher's 100 ms) against one per event without batching.
        Assert.True(batches < total * 3 / 4, report);
    }

    // The way the inbox publishes them: accepted with the author's proof, accepted on the server's
    // signature alone, and refused.
    private static FedChatEvent Activity(List<Uri> peers, int n)
    {
        var actor = new Uri(peers[n % peers.Count], "users/someone").ToString();
        return (n % 5) switch
        {
            4 => new ActivityRejected(DateTimeOffset.UtcNow, 401, "The request is not signed.", actor, null),
            3 => new ActivityAccepted(DateTimeOffset.UtcNow, $"{actor}/a/{n}-{Guid.NewGuid():N}", "Create", actor, actor, "Missing"),
            _ => new ActivityAccepted(DateTimeOffset.UtcNow, $"{actor}/a/{n}-{Guid.NewGuid():N}", "Create", actor, actor, "Verified"),
        };
    }

    private static async Task<(double Task, double Script, double Layout, double Style)> BrowserMetricsAsync(ICDPSession cdp)
    {
        var result = await cdp.SendAsync("Performance.getMetrics");
        var metrics = result!.Value.GetProperty("metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("value").GetDouble());
        return (metrics["TaskDuration"], metrics["ScriptDuration"], metrics["LayoutDuration"], metrics["RecalcStyleDuration"]);
    }
}
