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
    public async Task AFollowerOnTheSameServer_SeesThePostLiveOnHome_AsDoesOneOnAnotherServer()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        var page = await Browser.NewPageAsync(a.BaseUrl);
        await RegisterAsync(page, "ann");
        var ann = await a.Get<Core.Accounts.AccountService>().FindByUsernameAsync("ann");
        await Follows.FollowAndWaitAsync(a, ann!.Id, "ann", a, "alice");
        await Follows.FollowAndWaitAsync(b, bob.Id, "bob", a, "alice");

        await OpenLiveTimelineAsync(page);
        await a.Get<PostService>().CreatePostAsync(alice.Id, "hello from next door");

        // Ann's Home reads A's own database: no delivery to A's inbox is needed (LocalFollowerTests).
        await Expect(page.Locator(".post-card").First.Locator(".post-content")).ToHaveTextAsync("hello from next door");
        await Eventually.WaitForAsync(() => b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob"),
            home => home.Any(p => p.Content == "hello from next door"), "Alice's post in Bob's home on B");
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
