using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Tests.Support;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Dashboard;

/// <summary>
/// The projected facilitator view at 1920×1080 with a small, a full and a big room: every server's
/// name, status, version and traffic badge is on screen, and no two of them overlap, so the room can
/// read every one from the back.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Speed", "Slow")]
public class FacilitatorLayoutBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumTheory]
    [InlineData(3)]
    [InlineData(30)]
    [InlineData(50)]
    public async Task Facilitator_AtFullHd_NoTwoLabelsOrBadgesOverlap_AndAllAreOnScreen(int servers)
    {
        await using var server = await RunningServer.StartAsync("facilitator");
        var directory = server.Get<PeerDirectory>();
        var feed = server.Get<EventFeed>();
        for (var i = 1; i <= servers; i++)
        {
            // Straight into the directory, as discovery would; nothing ever connects to these addresses.
            var url = new Uri($"http://10.77.{i / 200}.{i % 200 + 1}:5080/");
            directory.ReportSeen(new PeerSighting(url, $"attendee-laptop-{i:00}", PeerSources.Static, "1.0.0", i % 7));
            // Traffic from every server, so each node has its verdict badge as in a busy workshop.
            var actor = new Uri(url, "users/someone").ToString();
            feed.Publish(new ActivityAccepted(DateTimeOffset.UtcNow, $"{actor}/a/{i}", "Create", actor, actor, "Verified"));
        }

        var page = await Browser.NewPageAsync(server.BaseUrl);
        await page.SetViewportSizeAsync(1920, 1080);
        await page.GotoAsync("/facilitator");
        await WaitUntilLiveAsync(page);
        await Expect(page.Locator(".peer-node")).ToHaveCountAsync(servers + 1);
        await Expect(page.Locator(".edge-marker")).ToHaveCountAsync(servers);
        await page.WaitForTimeoutAsync(300); // let the pulses' animation settle; only their position is read

        // Every label and badge, each with the server it belongs to and its box on the screen.
        var boxes = await page.EvaluateAsync<LabelBox[]>("""
            () => [...document.querySelectorAll('.peer-node text, .edge-marker')].map(e => {
                const r = e.getBoundingClientRect();
                const owner = e.closest('[data-peer]');
                return { owner: owner ? owner.getAttribute('data-peer') : '', text: e.textContent.trim(),
                         left: r.left, top: r.top, right: r.right, bottom: r.bottom };
            }).filter(b => b.right > b.left && b.bottom > b.top)
            """);

        Assert.True(boxes.Length >= 3 * (servers + 1), $"expected at least a name, a status and a count per server; found {boxes.Length} labels");
        var offScreen = boxes.Where(b => b.Left < 0 || b.Top < 0 || b.Right > 1920 || b.Bottom > 1080).ToList();
        Assert.True(offScreen.Count == 0, "Off the projected screen: " + string.Join("; ", offScreen.Take(5)));

        var overlaps = new List<string>();
        for (var i = 0; i < boxes.Length; i++)
        {
            for (var j = i + 1; j < boxes.Length; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                if (a.Owner != b.Owner && a.Left < b.Right && b.Left < a.Right && a.Top < b.Bottom && b.Top < a.Bottom)
                {
                    overlaps.Add($"{a} overlaps {b}");
                }
            }
        }
        Assert.True(overlaps.Count == 0, $"{overlaps.Count} overlapping labels with {servers} servers, e.g.:\n" + string.Join("\n", overlaps.Take(5)));

        if (servers == 50)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "facilitator-50-servers.png") });
        }
    }

    // One label or badge on the map, as the page measured it (CSS pixels). Settable properties:
    // Playwright fills it from the page's JSON.
    public sealed class LabelBox
    {
        public string Owner { get; set; } = "";
        public string Text { get; set; } = "";
        public double Left { get; set; }
        public double Top { get; set; }
        public double Right { get; set; }
        public double Bottom { get; set; }

        public override string ToString() => $"'{Text}' of {Owner} at ({Left:0},{Top:0})-({Right:0},{Bottom:0})";
    }
}
