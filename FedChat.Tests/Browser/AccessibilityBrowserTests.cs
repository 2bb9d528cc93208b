using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using FedChat.Tests.Support;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Browser;

/// <summary>
/// axe (Deque.AxeCore.Playwright) on every page, in the light and the dark theme: no serious or
/// critical accessibility violations (contrast, names, labels, landmarks...).
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Speed", "Slow")]
public class AccessibilityBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumTheory]
    [InlineData("light")]
    [InlineData("dark")]
    public async Task EveryPage_HasNoSeriousOrCriticalViolations(string theme)
    {
        await using var server = await RunningServer.StartAsync();
        var admin = await Browser.NewPageAsync(server.BaseUrl);
        await admin.Context.AddCookiesAsync([new Cookie { Name = "fedchat-theme", Value = theme, Url = server.BaseUrl.ToString() }]);
        await RegisterAsync(admin, "alice");
        await PostAsync(admin, "Hello, room! A post so the cards are checked too.");
        var postId = await admin.Locator(".post-card").First.GetAttributeAsync("data-post-id");

        string[] livePages = ["/", "/?feed=local", "/map", "/ready", "/search", "/users/alice", "/forge", "/admin", "/facilitator", $"/thread?id={Uri.EscapeDataString($"{server.BaseUrl}users/alice/posts/{postId}")}"];
        string[] plainPages = ["/account/data"];
        var problems = new List<string>();
        foreach (var path in livePages)
        {
            await admin.GotoAsync(path);
            await WaitUntilLiveAsync(admin);
            problems.AddRange(await SeriousViolationsAsync(admin, path));
        }
        foreach (var path in plainPages)
        {
            await admin.GotoAsync(path);
            problems.AddRange(await SeriousViolationsAsync(admin, path));
        }

        // Signed out: the sign-in and registration forms.
        var visitor = await Browser.NewPageAsync(server.BaseUrl);
        await visitor.Context.AddCookiesAsync([new Cookie { Name = "fedchat-theme", Value = theme, Url = server.BaseUrl.ToString() }]);
        foreach (var path in new[] { "/login", "/register", "/not-found" })
        {
            await visitor.GotoAsync(path);
            await Expect(visitor.Locator("h1")).ToBeVisibleAsync();
            problems.AddRange(await SeriousViolationsAsync(visitor, path));
        }

        Assert.True(problems.Count == 0, $"axe found serious or critical problems ({theme} theme):\n" + string.Join("\n", problems));
    }

    private static async Task<IEnumerable<string>> SeriousViolationsAsync(IPage page, string path)
    {
        var result = await page.RunAxe();
        return result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{path}: {v.Id} ({v.Impact}) {v.Help}: {string.Join(" | ", v.Nodes.Take(3).Select(n => n.Html))}");
    }
}
