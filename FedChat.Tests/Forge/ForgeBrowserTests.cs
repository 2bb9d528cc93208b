using System.Text.RegularExpressions;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Forge;

/// <summary>The forge lab page in real Chromium: Alice on server-a sends to Guilherme on server-b.</summary>
[Collection(BrowserCollection.Name)]
public class ForgeBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumFact]
    public async Task ForgeLab_UnsignedIsRefusedWithTheReason_HonestIsAccepted()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        await b.Get<AccountManager>().RegisterAsync("guilherme", Password, null);
        var page = await Browser.NewPageAsync(a.BaseUrl);
        await RegisterAsync(page, "alice");

        await page.GetByRole(AriaRole.Link, new() { Name = "Forge lab" }).ClickAsync();
        await WaitUntilLiveOnAsync(page, "Forge lab: who is guilherme?");
        await page.Locator("#forge-handle").FillAsync($"@guilherme@127.0.0.1:{b.Port}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(page.Locator("#forge-target-status")).ToContainTextAsync("Found @guilherme@");
        await Expect(page.GetByLabel("Target inbox")).ToHaveValueAsync(new Uri(b.BaseUrl, "users/guilherme/inbox").ToString());
        await Expect(page.GetByLabel("Activity JSON")).ToHaveValueAsync(new Regex($"127\\.0\\.0\\.1:{b.Port}/users/guilherme"));

        await page.GetByLabel("Unsigned", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("#forge-status")).ToHaveTextAsync("401");
        await Expect(page.Locator("#forge-reason")).ToContainTextAsync("The request is not signed");
        await page.GetByText("The request exactly as sent").ClickAsync();
        await Expect(page.Locator("#forge-request")).Not.ToContainTextAsync("Signature:");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "forge.png"), FullPage = true });

        await page.GetByLabel("Honest: signed by me, as me").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Pre-fill an honest post" }).ClickAsync();
        await Expect(page.GetByLabel("Activity JSON")).ToHaveValueAsync(new Regex("\"proof\""));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("#forge-status")).ToHaveTextAsync("202");
        await Expect(page.Locator("#forge-reason")).ToHaveTextAsync("Accepted");
        await Expect(page.Locator("#forge-request")).ToContainTextAsync($"Signature: keyId=\"{a.BaseUrl}users/alice#main-key\"");
    }

    [ChromiumFact]
    public async Task ForgeryFromTheLab_ShowsAsRejectedLiveOnTheTargetsTimelineAndMap()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        await b.Get<AccountManager>().RegisterAsync("guilherme", Password, null);
        // The target's screens, open before the forgery is sent: its timeline and its map.
        var targetTimeline = await Browser.NewPageAsync(b.BaseUrl);
        await OpenLiveTimelineAsync(targetTimeline);
        var targetMap = await Browser.NewPageAsync(b.BaseUrl);
        await targetMap.GotoAsync("/map");
        await WaitUntilLiveAsync(targetMap);
        var lab = await Browser.NewPageAsync(a.BaseUrl);
        await RegisterAsync(lab, "alice");
        await lab.GotoAsync("/forge");
        await WaitUntilLiveAsync(lab);
        await lab.Locator("#forge-handle").FillAsync($"@guilherme@127.0.0.1:{b.Port}");
        await lab.GetByRole(AriaRole.Button, new() { Name = "Find" }).ClickAsync();
        await Expect(lab.GetByLabel("Target inbox")).ToHaveValueAsync(new Uri(b.BaseUrl, "users/guilherme/inbox").ToString());

        await lab.GetByLabel("Signed by me, claiming to be someone else", new() { Exact = true }).CheckAsync();
        await lab.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(lab.Locator("#forge-status")).ToHaveTextAsync("401");
        var onTimeline = targetTimeline.Locator(".activity-entry.verdict-rejected").First;
        await Expect(onTimeline).ToContainTextAsync("claims to be from");
        await Expect(targetMap.Locator("#map-counters")).ToContainTextAsync("✗ 1 rejected");
        await Expect(targetMap.Locator(".activity-entry.verdict-rejected").First).ToContainTextAsync("claims to be from");
        Assert.Empty(await b.Get<Core.Posts.TimelineService>().GetAsync(Core.Posts.TimelineKind.Federated, null));
    }
}
