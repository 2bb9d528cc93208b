using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Browser;

/// <summary>Following someone on another server, in real Chromium against two real servers.</summary>
[Collection(BrowserCollection.Name)]
public class FederationBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumFact]
    public async Task FindBobOnAnotherServer_Follow_AndHisNewPostAppearsLiveOnHome()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var bob = (await b.Get<AccountManager>().RegisterAsync("bob", Password, null)).User!;
        var page = await Browser.NewPageAsync(a.BaseUrl);
        await RegisterAsync(page, "alice");

        await page.GetByLabel("Find someone by handle").FillAsync($"@bob@127.0.0.1:{b.Port}");
        await page.GetByLabel("Find someone by handle").PressAsync("Enter");
        await WaitUntilLiveOnAsync(page, "Find someone");
        await Expect(page.Locator("#result-handle")).ToHaveTextAsync($"@bob@127.0.0.1:{b.Port}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Follow", Exact = true }).ClickAsync();
        await Expect(page.Locator("#follow-state")).ToHaveTextAsync("Following");

        await OpenLiveTimelineAsync(page);
        await b.Get<PostService>().CreatePostAsync(bob.Id, "a post from the other server");

        await Expect(page.Locator(".post-card").First.Locator(".post-content")).ToHaveTextAsync("a post from the other server");
        await Expect(page.Locator(".post-card").First.Locator(".post-handle")).ToHaveTextAsync($"@bob@127.0.0.1:{b.Port}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "home-federated.png"), FullPage = true });
    }

    [ChromiumFact]
    public async Task Search_ForSomeoneWhoDoesNotExist_SaysSo()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        var page = await Browser.NewPageAsync(a.BaseUrl);

        await page.GotoAsync($"/search?q=@nobody@127.0.0.1:{a.Port}");

        await Expect(page.Locator("#search-error")).ToHaveTextAsync($"There is no user nobody on 127.0.0.1:{a.Port} (WebFinger answered 404).");
    }
}
