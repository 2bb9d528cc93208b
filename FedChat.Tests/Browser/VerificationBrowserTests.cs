using FedChat.Core.Accounts;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Browser;

/// <summary>The verification badge under a post from another server, in real Chromium.</summary>
[Collection(BrowserCollection.Name)]
public class VerificationBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumFact]
    public async Task PostFromAnotherServer_ShowsProofVerified_AndClickingItShowsTheKeyId()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var bob = (await b.Get<AccountManager>().RegisterAsync("bob", Password, null)).User!;
        var bobId = b.Get<ActorUrls>().ActorId("bob");
        var page = await Browser.NewPageAsync(a.BaseUrl);
        await RegisterAsync(page, "alice");
        var alice = (await a.Get<AccountService>().FindByUsernameAsync("alice"))!;
        await a.Get<FollowService>().FollowAsync(alice.Id, "alice", bobId);
        await Eventually.WaitForAsync(() => b.Get<FollowService>().GetFollowersAsync(bobId), f => f.Count == 1, "the follow on B");

        await OpenLiveTimelineAsync(page);
        await b.Get<PostService>().CreatePostAsync(bob.Id, "signed by bob, checked by server a");

        var post = page.Locator(".post-card").First;
        await Expect(post.Locator(".post-content")).ToHaveTextAsync("signed by bob, checked by server a");
        var badge = post.Locator(".verification-badge");
        await Expect(badge.Locator("summary")).ToHaveTextAsync("✓ author proof verified");
        await Expect(badge.Locator(".key-id")).Not.ToBeVisibleAsync();

        await badge.Locator("summary").ClickAsync();

        await Expect(badge.Locator(".key-id")).ToHaveTextAsync(ActorUrls.RsaKeyId(bobId));
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "verified-post.png"), FullPage = true });
    }
}
