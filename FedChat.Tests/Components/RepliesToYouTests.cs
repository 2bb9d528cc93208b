using Bunit;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Tests.Components;

/// <summary>"Replies to you" on Home, against a real server: who answered my posts, and new answers as they come.</summary>
public class RepliesToYouTests : ComponentTest
{
    private RunningServer _a = null!;

    protected override void AddServices(IServiceCollection services) =>
        Services.AddFallbackServiceProvider(new LazyServices(() => _a?.Services));

    protected override async Task StartAsync() => _a = await RunningServer.StartAsync("server-a");

    protected override Task StopAsync() => _a.DisposeAsync().AsTask();

    [Fact]
    public async Task ListsRepliesToMyPosts_NotMyOwnAnswersNorRepliesToOthers_AndAddsANewOneLive()
    {
        var (alice, bob, carol) = (await _a.RegisterAsync("alice"), await _a.RegisterAsync("bob"), await _a.RegisterAsync("carol"));
        var posts = _a.Get<PostService>();
        var mine = (await posts.CreatePostAsync(alice.Id, "lunch at noon?")).Post!;
        var carols = (await posts.CreatePostAsync(carol.Id, "carol's own post")).Post!;
        await posts.CreatePostAsync(bob.Id, new PostDraft("yes!", InReplyTo: mine.ObjectId));
        await posts.CreatePostAsync(alice.Id, new PostDraft("I answer myself", InReplyTo: mine.ObjectId));
        await posts.CreatePostAsync(bob.Id, new PostDraft("not for alice", InReplyTo: carols.ObjectId));

        var list = Render<RepliesToYou>(p => p.Add(c => c.Username, "alice"));

        list.WaitForAssertion(() => Assert.Single(list.FindAll(".reply-notice")), TimeSpan.FromSeconds(15));
        var notice = list.Find(".reply-notice");
        Assert.Contains("@bob@", notice.TextContent, StringComparison.Ordinal);
        Assert.Contains("replied to “lunch at noon?”", Squash(notice.TextContent), StringComparison.Ordinal);
        Assert.Equal("yes!", notice.QuerySelector(".reply-notice-text")!.TextContent);
        Assert.Equal(mine.ThreadLink, notice.QuerySelector("a")!.GetAttribute("href"));
        Assert.Empty(list.FindAll(".reply-notice.new"));

        await posts.CreatePostAsync(carol.Id, new PostDraft("count me in", InReplyTo: mine.ObjectId));

        list.WaitForAssertion(() => Assert.Equal(2, list.FindAll(".reply-notice").Count), TimeSpan.FromSeconds(15));
        var newest = list.FindAll(".reply-notice")[0];
        Assert.Contains("new", newest.ClassList);
        Assert.Equal("count me in", newest.QuerySelector(".reply-notice-text")!.TextContent);
        Assert.Equal("1 new", list.Find("#replies-new-count").TextContent.Trim());
    }

    [Fact]
    public async Task NoRepliesYet_SaysSo()
    {
        await _a.RegisterAsync("alice");

        var list = Render<RepliesToYou>(p => p.Add(c => c.Username, "alice"));

        list.WaitForAssertion(() => Assert.Contains("Nobody has replied to your posts yet", list.Markup, StringComparison.Ordinal));
    }

    private static string Squash(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
