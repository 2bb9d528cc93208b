using System.Net.Http.Headers;
using System.Net.Http.Json;
using FedChat.Tests.Api;
using FedChat.Tests.Support;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Browser;

/// <summary>Register, sign in, post, and watch posts arrive live, in real Chromium against a real server.</summary>
[Collection(BrowserCollection.Name)]
public class TimelineBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumFact]
    public async Task Post_AppearsAtTheTop_AndLiveInASecondBrowser()
    {
        await using var server = await RunningServer.StartAsync();
        var alice = await Browser.NewPageAsync(server.BaseUrl);
        var bob = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(alice, "alice");
        await OpenLiveTimelineAsync(bob);
        // A marker that a reload would wipe: the post must arrive without one.
        await bob.EvaluateAsync("window.__notReloaded = true");

        await WaitUntilLiveAsync(alice);
        await alice.GetByLabel("What's happening").FillAsync("Hello, room!");
        await Expect(alice.Locator("#composer .mud-input-helper-text")).ToContainTextAsync("12 / 500");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Post", Exact = true }).ClickAsync();

        await Expect(alice.Locator(".post-card").First.Locator(".post-content")).ToHaveTextAsync("Hello, room!");
        await Expect(bob.Locator(".post-card").First.Locator(".post-content")).ToHaveTextAsync("Hello, room!");
        await Expect(bob.Locator(".post-card").First.Locator(".post-handle")).ToHaveTextAsync($"@alice@127.0.0.1:{server.Port}");
        Assert.True(await bob.EvaluateAsync<bool>("window.__notReloaded === true"));
        await alice.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "timeline.png"), FullPage = true });
    }

    [ChromiumFact]
    public async Task Composer_DisablesPostForEmptyText_AndClearsAfterPosting()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(page, "alice");
        await WaitUntilLiveAsync(page);
        var postButton = page.GetByRole(AriaRole.Button, new() { Name = "Post", Exact = true });

        await Expect(postButton).ToBeDisabledAsync();
        await page.GetByLabel("What's happening").FillAsync("   ");
        await Expect(postButton).ToBeDisabledAsync();
        await PostAsync(page, "first post");

        await Expect(page.GetByLabel("What's happening")).ToHaveValueAsync("");
        await Expect(page.Locator("#composer .mud-input-helper-text")).ToContainTextAsync("0 / 500");
    }

    [ChromiumFact]
    public async Task EditingOwnPost_ShowsTheNewTextMarkedEdited_AndOthersCannotEditIt()
    {
        await using var server = await RunningServer.StartAsync();
        var alice = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(alice, "alice");
        await WaitUntilLiveAsync(alice);
        await PostAsync(alice, "meet at 12");
        var bob = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(bob, "bob");
        await bob.GotoAsync("/?feed=local");
        await WaitUntilLiveAsync(bob);

        await alice.GetByRole(AriaRole.Button, new() { Name = "Edit this post" }).ClickAsync();
        await alice.GetByLabel("New text").FillAsync("meet at 1, sorry");
        await alice.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

        var post = alice.Locator(".post-card").First;
        await Expect(post.Locator(".post-content")).ToHaveTextAsync("meet at 1, sorry");
        await Expect(post.Locator(".post-edited")).ToHaveTextAsync("edited");
        await Expect(bob.Locator(".post-card").First.Locator(".post-content")).ToHaveTextAsync("meet at 1, sorry");
        await Expect(bob.GetByRole(AriaRole.Button, new() { Name = "Edit this post" })).ToHaveCountAsync(0);
    }

    [ChromiumFact]
    public async Task LikeAndBoost_CountLiveForTheAuthor_AndClickingAgainTakesThemBack()
    {
        await using var server = await RunningServer.StartAsync();
        var alice = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(alice, "alice");
        await WaitUntilLiveAsync(alice);
        await PostAsync(alice, "cake in the kitchen");
        var bob = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(bob, "bob");
        await bob.GotoAsync("/?feed=local");
        await WaitUntilLiveOnAsync(bob, "Local timeline");

        var bobsCard = bob.Locator(".post-card").First;
        await bobsCard.Locator("button.post-like").ClickAsync();
        await bobsCard.Locator("button.post-boost").ClickAsync();

        await Expect(bobsCard.Locator("button.post-like")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(bobsCard.Locator("button.post-boost")).ToHaveAttributeAsync("aria-pressed", "true");
        // Alice's page was open all along: the counts change there without a reload.
        var alicesCard = alice.Locator(".post-card").Filter(new() { HasNotText = "boosted" }).First;
        await Expect(alicesCard.Locator(".post-like-count")).ToHaveTextAsync("1");
        await Expect(alicesCard.Locator(".post-boost-count")).ToHaveTextAsync("1");
        await Expect(alicesCard.Locator("button.post-like")).ToHaveAttributeAsync("aria-pressed", "false");
        // Animations disabled: the buttons' colour change is a CSS transition, finished for the picture.
        await bob.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "likes-and-boosts.png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });

        await bobsCard.Locator("button.post-like").ClickAsync();
        await Expect(alicesCard.Locator(".post-like-count")).ToHaveTextAsync("0");
        await Expect(bobsCard.Locator("button.post-like")).ToHaveAttributeAsync("aria-pressed", "false");
    }

    [ChromiumFact]
    public async Task PostFromTheApi_AppearsLiveInAnOpenPage()
    {
        await using var server = await RunningServer.StartAsync();
        await ApiTests.RegisterAsync(server, "bot", Password);
        var page = await Browser.NewPageAsync(server.BaseUrl);
        await OpenLiveTimelineAsync(page);
        using var client = server.CreateClient();
        var token = await ApiTests.GetTokenAsync(client, "bot", Password);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/posts") { Content = JsonContent.Create(new { content = "beep boop, I am a bot" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        (await client.SendAsync(request)).EnsureSuccessStatusCode();

        await Expect(page.Locator(".post-card").First.Locator(".post-content")).ToHaveTextAsync("beep boop, I am a bot");
    }

    [ChromiumFact]
    public async Task SignIn_WithWrongPassword_SaysSo_ThenWorksWithTheRightOne()
    {
        await using var server = await RunningServer.StartAsync();
        await ApiTests.RegisterAsync(server, "alice", Password);
        var page = await Browser.NewPageAsync(server.BaseUrl);

        await page.GotoAsync("/login");
        await page.GetByLabel("Username").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync("not my password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("Wrong username or password.");

        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByLabel("What's happening")).ToBeVisibleAsync();
    }

    [ChromiumFact]
    public async Task Register_WithATakenOrBadUsername_ShowsWhy()
    {
        await using var server = await RunningServer.StartAsync();
        await ApiTests.RegisterAsync(server, "alice", Password);
        var page = await Browser.NewPageAsync(server.BaseUrl);

        await page.GotoAsync("/register");
        await page.GetByLabel("Username").FillAsync("alice");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.Locator("#register-error")).ToContainTextAsync("already taken");

        await page.GetByLabel("Username").FillAsync("bad name");
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.Locator("#register-error")).ToContainTextAsync("only contain");
    }

    [ChromiumFact]
    public async Task ThemeToggle_SwitchesToDark_AndKeepsItAfterReload()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await Browser.NewPageAsync(server.BaseUrl);
        await OpenLiveTimelineAsync(page);
        var lightBackground = await BackgroundOf(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to the dark theme" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to the light theme" })).ToBeVisibleAsync();
        Assert.NotEqual(lightBackground, await BackgroundOf(page));
        await page.ReloadAsync();

        // The server read the cookie: dark from the first paint.
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        Assert.NotEqual(lightBackground, await BackgroundOf(page));
    }

    [ChromiumFact]
    public async Task ThemeToggle_WorksOnThePlainSignInPage_Too()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await Browser.NewPageAsync(server.BaseUrl);
        await page.GotoAsync("/login");

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch to the dark theme" }).ClickAsync();

        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Switch to the light theme" })).ToBeVisibleAsync();
    }

    private static Task<string> BackgroundOf(IPage page) =>
        page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
}
