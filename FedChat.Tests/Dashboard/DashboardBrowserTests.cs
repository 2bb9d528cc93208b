using System.Text;
using System.Text.Json;
using FedChat.Core.Discovery;
using FedChat.Tests.Api;
using FedChat.Tests.Support;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Dashboard;

/// <summary>The map and the facilitator view in real Chromium, against several real servers on loopback.</summary>
[Collection(BrowserCollection.Name)]
public class DashboardBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumFact]
    public async Task Map_ShowsPeers_ARejectedForgery_AndANewServer_WithoutReload()
    {
        await using var b = await RunningServer.StartAsync("server-b");
        await using var a = await RunningServer.StartAsync("server-a", PeerDiscovery(staticPeer: b.BaseUrl));
        await ApiTests.RegisterAsync(a, "alice", Password);
        var bKey = PeerDirectory.KeyOf(b.BaseUrl);
        var page = await Browser.NewPageAsync(a.BaseUrl);
        await page.SetViewportSizeAsync(1400, 900);
        await page.GotoAsync("/map");
        await WaitUntilLiveAsync(page);
        await page.EvaluateAsync("window.__notReloaded = true");

        // B appears: A checks its static peer every second.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "server-b: online" })).ToBeVisibleAsync();

        // An unsigned Create that claims to be from bob on B: A refuses it, and the page shows it at once.
        using (var response = await PostForgedCreateAsync(a, claimedActor: new Uri(b.BaseUrl, "users/bob")))
        {
            Assert.Equal(401, (int)response.StatusCode);
        }
        var rejection = page.Locator("#what-happened .activity-entry.verdict-rejected").First;
        await Expect(rejection).ToContainTextAsync("Refused (401)");
        await Expect(rejection.Locator(".activity-icon")).ToHaveTextAsync("✗");
        await Expect(page.Locator($".edge-marker[data-peer='{bKey}']")).ToHaveTextAsync("✗1");
        await Expect(page.Locator(".pulse.verdict-rejected")).ToHaveCountAsync(1);
        await Expect(page.Locator("#map-counters")).ToContainTextAsync("✗ 1 rejected");

        // The details of B, opened from the keyboard, list the refusal.
        await page.Locator($".peer-node[data-peer='{bKey}']").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var details = page.Locator("#peer-details");
        await Expect(details).ToContainTextAsync(b.BaseUrl.ToString());
        await Expect(details.Locator(".activity-entry.verdict-rejected")).ToContainTextAsync("Refused (401)");

        // A third server starts during the test and checks in with A (A is its rendezvous server).
        await using var c = await RunningServer.StartAsync("server-c", PeerDiscovery(rendezvous: a.BaseUrl));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "server-c: online" })).ToBeVisibleAsync();
        await Expect(page.Locator("#what-happened .activity-entry").First).ToContainTextAsync("server-c joined");

        Assert.True(await page.EvaluateAsync<bool>("window.__notReloaded === true"));
        await page.WaitForTimeoutAsync(700); // let the newest node fade in for the picture
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "map.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Close details" }).ClickAsync();
        await Expect(details).ToHaveCountAsync(0);
    }

    [ChromiumFact]
    public async Task Facilitator_ShowsTheJoinQrCode_AndLiveCounters_InDarkTheme()
    {
        await using var b = await RunningServer.StartAsync("server-b");
        await using var a = await RunningServer.StartAsync("server-a", PeerDiscovery(staticPeer: b.BaseUrl));
        await ApiTests.RegisterAsync(a, "alice", Password);
        await ApiTests.RegisterAsync(b, "bob", Password);
        var page = await Browser.NewPageAsync(a.BaseUrl);
        await page.SetViewportSizeAsync(1600, 900);
        await page.GotoAsync("/facilitator");
        await WaitUntilLiveAsync(page);

        var joinUrl = new Uri(a.BaseUrl, "register").ToString();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = $"QR code: {joinUrl}" })).ToBeVisibleAsync();
        await Expect(page.Locator("#join-url")).ToHaveTextAsync(joinUrl);
        // Dark for the projector: MudBlazor's dark palette paints the page background near-black.
        var background = await page.EvaluateAsync<double[]>(
            "() => getComputedStyle(document.body).backgroundColor.match(/[0-9.]+/g).slice(0, 3).map(Number)");
        Assert.True(background.Average() < 80, $"The facilitator view should be dark; its background is rgb({string.Join(", ", background)}).");
        Assert.Equal(0, await page.Locator("nav").CountAsync()); // no menu on the projector

        await Expect(page.Locator("#counter-servers")).ToHaveTextAsync("2");
        await Expect(page.Locator("#counter-users")).ToHaveTextAsync("2"); // alice here + bob on B
        using (await PostForgedCreateAsync(a, claimedActor: new Uri(b.BaseUrl, "users/bob")))
        {
        }
        await Expect(page.Locator("#counter-rejected")).ToHaveTextAsync("1");
        await Expect(page.Locator("#counter-rate")).ToHaveTextAsync("1");

        // A click on a node opens its details beside the map.
        await page.GetByRole(AriaRole.Button, new() { Name = "server-b: online" }).ClickAsync();
        await Expect(page.Locator("#peer-details")).ToContainTextAsync(b.BaseUrl.ToString());

        await page.WaitForTimeoutAsync(500);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "facilitator.png") });
    }

    [ChromiumFact]
    public async Task NavMenu_LinksToTheMapAndTheFacilitatorView()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        var page = await Browser.NewPageAsync(a.BaseUrl);
        await page.GotoAsync("/");
        // Once live, as a person would see it (a click in the page's first moments was lost once, see ForgeBrowserTests).
        await WaitUntilLiveAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Map", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Servers in the room" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Facilitator view" }).ClickAsync();
        await Expect(page.Locator("#join-url")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Switches on the HTTP side of discovery (static peers, rendezvous) with a one-second check, and
    /// points mDNS at an interface that does not exist, so nothing leaves loopback.
    /// </summary>
    internal static string[] PeerDiscovery(Uri? staticPeer = null, Uri? rendezvous = null) =>
    [
        "--FedChat:Discovery:Enabled=true",
        "--FedChat:Discovery:Interfaces:0=fedchat-test-none",
        "--FedChat:Discovery:CheckInterval=00:00:01",
        .. staticPeer is null ? Array.Empty<string>() : [$"--FedChat:Discovery:StaticPeers:0={staticPeer}"],
        .. rendezvous is null ? Array.Empty<string>() : [$"--FedChat:Discovery:RendezvousUrl={rendezvous}"],
    ];

    /// <summary>A forgery at its plainest: a Create that claims an author, with no signature at all.</summary>
    internal static async Task<HttpResponseMessage> PostForgedCreateAsync(RunningServer target, Uri claimedActor)
    {
        var id = $"{claimedActor}/activities/{Guid.NewGuid():N}";
        var activity = new Dictionary<string, object>
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = id,
            ["type"] = "Create",
            ["actor"] = claimedActor.ToString(),
            ["object"] = new Dictionary<string, object>
            {
                ["id"] = id + "/note",
                ["type"] = "Note",
                ["attributedTo"] = claimedActor.ToString(),
                ["content"] = "Free pizza in room 2! (not really: this is a forgery)",
            },
        };
        using var client = target.CreateClient();
        using var content = new StringContent(JsonSerializer.Serialize(activity), Encoding.UTF8, "application/activity+json");
        return await client.PostAsync("/users/alice/inbox", content);
    }
}
