using Deque.AxeCore.Playwright;
using FedChat.Tests.Support;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Dashboard;

/// <summary>A forgery from a sender nobody discovered, seen on the receiver's map in real Chromium.</summary>
[Collection(BrowserCollection.Name)]
public class StrangersBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumFact]
    public async Task AnUnsignedForgeryFromAServerNotOnTheMap_GetsItsCross_OnTheStrangersNode()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await a.RegisterAsync("alice"); // the forgery goes to her inbox
        var page = await Browser.NewPageAsync(a.BaseUrl);
        await page.SetViewportSizeAsync(1400, 900);
        await page.GotoAsync("/map");
        await WaitUntilLiveAsync(page);
        await Expect(page.Locator(".strangers-node")).ToHaveCountAsync(0);

        // It claims an author on a server that is not on the map (loopback port 9: nothing is sent there,
        // the missing signature is refused first).
        using (var response = await DashboardBrowserTests.PostForgedCreateAsync(a, claimedActor: new Uri("http://127.0.0.1:9/users/mallory")))
        {
            Assert.Equal(401, (int)response.StatusCode);
        }

        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Strangers, senders not on the map: 1 activity from them rejected" })).ToBeVisibleAsync();
        await Expect(page.Locator(".edge-marker[data-peer='strangers']")).ToHaveTextAsync("✗1");
        await Expect(page.Locator(".pulse.verdict-rejected")).ToHaveCountAsync(1);
        await Expect(page.Locator("#rejected-off-map")).ToContainTextAsync("“strangers” node");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "map-strangers.png"), FullPage = true });

        // The node tells what it is in words, for everyone (axe, serious and critical problems).
        var problems = (await page.Locator(".strangers-node").RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical");
        Assert.Empty(problems.Select(v => $"{v.Id}: {v.Help}"));
    }
}
