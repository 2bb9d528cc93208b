using Deque.AxeCore.Playwright;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Browser;

/// <summary>A conversation in real Chromium against two real servers: replies arrive live, and Home says who replied to me.</summary>
[Collection(BrowserCollection.Name)]
public class ThreadBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumFact]
    public async Task RepliesFromHereAndFromAnotherServer_AppearLiveOnTheOpenThread_AndHomeShowsTheReplyToMe()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var bob = await b.RegisterAsync("bob");
        var page = await Browser.NewPageAsync(a.BaseUrl);
        await RegisterAsync(page, "alice");
        await WaitUntilLiveAsync(page);
        await PostAsync(page, "lunch at noon?");
        var post = (await a.Get<PostService>().GetPostsByAsync("alice")).Single();

        // Alice opens the conversation from her post and keeps it open.
        await page.Locator(".post-card").First.GetByRole(AriaRole.Link, new() { Name = "Reply to this post" }).ClickAsync();
        await WaitUntilLiveOnAsync(page, "Conversation");
        await page.EvaluateAsync("window.__notReloaded = true");
        var replies = page.Locator("#thread-replies .post-content");

        // A reply written here shows under the post at once.
        await page.GetByLabel("What's happening").FillAsync("and coffee after");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reply", Exact = true }).ClickAsync();
        await Expect(replies).ToHaveTextAsync(["and coffee after"]);

        // Bob answers from his server; it reaches Alice's open page without a reload.
        var mention = $"@alice@127.0.0.1:{a.Port}";
        var fromBob = await b.Get<PostService>().CreatePostAsync(bob.Id, new PostDraft($"{mention} yes, see you there", InReplyTo: post.ObjectId));
        Assert.True(fromBob.Succeeded, fromBob.Error);
        await Expect(replies).ToHaveTextAsync(["and coffee after", $"{mention} yes, see you there"]);
        Assert.True(await page.EvaluateAsync<bool>("window.__notReloaded === true"));

        // On Home, Alice sees who replied to her (not her own answer), and a new reply arrives live.
        await OpenLiveTimelineAsync(page);
        var notices = page.Locator("#replies-to-you .reply-notice");
        await Expect(notices).ToHaveCountAsync(1);
        await Expect(notices.First).ToContainTextAsync($"@bob@127.0.0.1:{b.Port} replied");
        await Expect(notices.First).ToContainTextAsync("lunch at noon?");
        await b.Get<PostService>().CreatePostAsync(bob.Id, new PostDraft($"{mention} I'll bring cake", InReplyTo: post.ObjectId));
        await Expect(notices).ToHaveCountAsync(2);
        await Expect(page.Locator("#replies-to-you .reply-notice.new")).ToContainTextAsync("I'll bring cake");
        await Expect(page.Locator("#replies-new-count")).ToHaveTextAsync("1 new");
        await page.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "replies-to-you.png"), FullPage = true });

        // The list, with its "new" marks, reads well for everyone (axe, serious and critical problems).
        var problems = (await page.Locator("#replies-to-you").RunAxe()).Violations.Where(v => v.Impact is "serious" or "critical");
        Assert.Empty(problems.Select(v => $"{v.Id}: {v.Help}"));
    }
}
