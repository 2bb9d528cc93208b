using System.Text.RegularExpressions;
using FedChat.Tests.Support;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Browser;

/// <summary>Admin, invites, profiles and reconnection, in real Chromium against a real server.</summary>
[Collection(BrowserCollection.Name)]
public class AccountBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumFact]
    public async Task InviteOnly_NewcomersNeedALink_AndASingleUseLinkWorksOnce()
    {
        await using var server = await RunningServer.StartAsync();
        var admin = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(admin, "admin");

        await admin.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
        await WaitUntilLiveOnAsync(admin, "Administer server-a");
        await admin.GetByLabel("Only people with an invite link").CheckAsync();
        await Expect(admin.Locator("#mode-status")).ToHaveTextAsync("Registration is invite-only.");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create invite link" }).ClickAsync();
        var linkBox = admin.GetByLabel("Invite link", new() { Exact = true }).First;
        await Expect(linkBox).ToHaveValueAsync(new Regex("/register\\?invite="));
        var link = await linkBox.InputValueAsync();
        var invite = new Uri(link).Query.Split('=')[1];

        var stranger = await Browser.NewPageAsync(server.BaseUrl);
        await stranger.GotoAsync("/register");
        await Expect(stranger.Locator("#invite-problem")).ToContainTextAsync("invite-only");
        await Expect(stranger.GetByLabel("Username")).ToHaveCountAsync(0);

        var bob = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(bob, "bob", invite);

        var carol = await Browser.NewPageAsync(server.BaseUrl);
        await carol.GotoAsync($"/register?invite={invite}");
        await Expect(carol.Locator("#invite-problem")).ToContainTextAsync("already been used");

        await carol.GotoAsync("/register?invite=not-a-real-code");
        await Expect(carol.Locator("#invite-problem")).ToContainTextAsync("not valid");
    }

    [ChromiumFact]
    public async Task Profile_ShowsAvatarAndPosts_AndTheOwnerCanEditNameAndBio()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(page, "ada");
        await WaitUntilLiveAsync(page);
        await PostAsync(page, "Notes on the analytical engine");

        await page.GotoAsync("/users/ada");
        await WaitUntilLiveAsync(page);
        await page.GetByText("Edit your profile").ClickAsync();
        await page.GetByLabel("Display name").FillAsync("Ada Lovelace");
        await page.GetByLabel("Bio").FillAsync("First programmer.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save profile" }).ClickAsync();

        await Expect(page.Locator("#profile-name")).ToHaveTextAsync("Ada Lovelace");
        await Expect(page.Locator("#profile-bio")).ToHaveTextAsync("First programmer.");
        await Expect(page.Locator("#profile-handle")).ToHaveTextAsync($"@ada@127.0.0.1:{server.Port}");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Avatar of Ada Lovelace" }).First).ToContainTextAsync("AL");
        await Expect(page.Locator(".post-card .post-content")).ToHaveTextAsync("Notes on the analytical engine");

        var visitor = await Browser.NewPageAsync(server.BaseUrl);
        await visitor.GotoAsync("/users/ada");
        await Expect(visitor.Locator("#profile-bio")).ToHaveTextAsync("First programmer.");
        await Expect(visitor.GetByText("Edit your profile")).ToHaveCountAsync(0);
    }

    [ChromiumFact]
    public async Task AdminPage_IsClosedToOrdinaryUsers()
    {
        await using var server = await RunningServer.StartAsync();
        await Api.ApiTests.RegisterAsync(server, "admin", Password);
        var page = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(page, "bob");

        await page.GotoAsync("/admin");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Who may register?")).ToHaveCountAsync(0);
    }

    [ChromiumFact]
    public async Task ServerRestart_ShowsReconnecting_ThenThePageWorksAgain()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(page, "alice");
        await WaitUntilLiveAsync(page);
        await PostAsync(page, "before the restart");

        await server.StopAsync();
        await Expect(page.GetByText("Lost the connection to the server")).ToBeVisibleAsync();
        await server.StartAgainAsync();

        // The restarted server no longer knows this page's session: the page reloads by itself,
        // still signed in (the cookie key ring is kept in the data directory), and is live again.
        await Expect(page.GetByText("Lost the connection to the server")).ToBeHiddenAsync(new() { Timeout = 30_000 });
        await WaitUntilLiveAsync(page);
        await PostAsync(page, "after the restart");
        await Expect(page.Locator(".post-card .post-content")).ToHaveTextAsync(["after the restart", "before the restart"]);
    }
}
