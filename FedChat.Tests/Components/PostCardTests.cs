using Bunit;
using FedChat.Core.Posts;
using FedChat.Core.Storage.Entities;
using FedChat.Web.Components.Shared;

namespace FedChat.Tests.Components;

/// <summary>One post as a MudBlazor card: what it shows, its buttons, and the delete dialog.</summary>
public class PostCardTests : ComponentTest
{
    private static readonly DateTimeOffset Written = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_ShowsAuthorHandleAndText_InACard()
    {
        var post = new PostView(7, "alice", "Alice", "@alice@192.168.1.23:5080", "Hello, room!", Written);

        var card = Render<PostCard>(p => p.Add(c => c.Post, post).Add(c => c.Now, Written.AddMinutes(5)));

        Assert.Contains("mud-card", card.Find(".post-card").ClassName);
        Assert.Equal("article", card.Find(".post-card").GetAttribute("role"));
        Assert.Equal("Hello, room!", card.Find(".post-content").TextContent);
        Assert.Equal("@alice@192.168.1.23:5080", card.Find(".post-handle").TextContent);
        Assert.Equal("5 min", card.Find("time").TextContent);
        Assert.Equal("/users/alice", card.Find("a.post-author").GetAttribute("href"));
    }

    [Fact]
    public void Render_PostWithHtml_ShowsItAsText_NeverAsMarkup()
    {
        var post = new PostView(8, "mallory", "Mallory", "@mallory@x:1", "<script>alert('hi')</script><b>bold</b>", Written);

        var content = Render<PostCard>(p => p.Add(c => c.Post, post)).Find(".post-content");

        Assert.Null(content.QuerySelector("script"));
        Assert.Null(content.QuerySelector("b"));
        Assert.Equal("<script>alert('hi')</script><b>bold</b>", content.TextContent);
    }

    [Fact]
    public void Render_NamesAndTextFromOtherServers_AreIsolatedFromTheTextAround()
    {
        // U+202E (right-to-left override) in a remote name must not turn the rest of the line around.
        var post = new PostView(8, "eve", "Eve\u202E gnp.exe", "@eve@x:1", "\u202Eevil", Written, IsRemote: true) { BoostedBy = "M\u202Eallory" };

        var card = Render<PostCard>(p => p.Add(c => c.Post, post));

        Assert.Equal("Eve\u202E gnp.exe", card.Find(".post-author bdi").TextContent);
        Assert.Equal("@eve@x:1", card.Find(".post-handle bdi").TextContent);
        Assert.Equal("M\u202Eallory", card.Find(".post-boosted-by bdi").TextContent);
        Assert.Equal("auto", card.Find(".post-content").GetAttribute("dir"));
    }

    [Fact]
    public void Render_DirectReply_ShowsItIsPrivate_AndLinksToTheThread()
    {
        var post = new PostView(9, "alice", "Alice", "@alice@a:1", "psst", Written, ObjectId: "http://a:1/users/alice/posts/9",
            Audience: ["http://b:1/users/bob"], InReplyTo: "http://b:1/users/bob/posts/3");

        var card = Render<PostCard>(p => p.Add(c => c.Post, post));

        Assert.Contains("Only for the people mentioned", card.Find(".post-direct").TextContent);
        Assert.Equal("/thread?id=http%3A%2F%2Fa%3A1%2Fusers%2Falice%2Fposts%2F9", card.Find("a.post-reply").GetAttribute("href"));
    }

    [Theory]
    [InlineData(30, "now")]
    [InlineData(60 * 59, "59 min")]
    [InlineData(60 * 60 * 5, "5 h")]
    [InlineData(60 * 60 * 50, "2 d")]
    public void TimeAgo_IsShortAndFriendly(int seconds, string expected) =>
        Assert.Equal(expected, PostCard.TimeAgo(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Render_Boost_SaysWhoBoostedIt_AndShowsTheCounts()
    {
        var post = new PostView(3, "alice", "Alice", "@alice@a:1", "cake!", Written, IsRemote: true, ObjectId: "http://a:1/users/alice/posts/3")
        {
            Likes = 4,
            Boosts = 2,
            BoostedBy = "Bob",
            BoostedByActorId = "http://b:1/users/bob",
            BoostedAt = Written.AddMinutes(1),
        };

        var card = Render<PostCard>(p => p.Add(c => c.Post, post));

        Assert.Equal("↻ Bob boosted", card.Find(".post-boosted-by").TextContent.Trim());
        Assert.Equal("Post by Alice, boosted by Bob", card.Find(".post-card").GetAttribute("aria-label"));
        Assert.Equal(("4", "2"), (card.Find(".post-like-count").TextContent, card.Find(".post-boost-count").TextContent));
        // Without an OnReact handler (a visitor who is not signed in) there is nothing to click.
        Assert.Empty(card.FindAll("button.post-like"));
    }

    [Fact]
    public void Render_ForASignedInReader_LikeIsPressedWhenTheyLikedIt_AndADirectMessageHasNoBoost()
    {
        var liked = new PostView(3, "alice", "Alice", "@alice@a:1", "cake!", Written, ObjectId: "http://a:1/users/alice/posts/3") { Likes = 1, LikedByViewer = true };
        var direct = liked with { Audience = ["http://b:1/users/bob"], LikedByViewer = false };
        var reacted = new List<ReactionKind>();

        var likedCard = Render<PostCard>(p => p.Add(c => c.Post, liked).Add(c => c.OnReact, r => reacted.Add(r.Kind)));
        var directCard = Render<PostCard>(p => p.Add(c => c.Post, direct).Add(c => c.OnReact, r => reacted.Add(r.Kind)));

        Assert.Equal("true", likedCard.Find("button.post-like").GetAttribute("aria-pressed"));
        Assert.Equal("false", likedCard.Find("button.post-boost").GetAttribute("aria-pressed"));
        Assert.Equal("false", directCard.Find("button.post-like").GetAttribute("aria-pressed"));
        Assert.Empty(directCard.FindAll("button.post-boost"));
        likedCard.Find("button.post-boost").Click();
        Assert.Equal([ReactionKind.Announce], reacted);
    }

    [Fact]
    public void Delete_AsksInADialog_AndKeepingItDeletesNothing()
    {
        var dialogs = RenderDialogProvider();
        var deleted = new List<PostView>();
        var post = new PostView(3, "alice", "Alice", "@alice@a:1", "oops", Written, ObjectId: "http://a:1/users/alice/posts/3");
        var card = Render<PostCard>(p => p.Add(c => c.Post, post).Add(c => c.OnDelete, deleted.Add));

        card.Find("button[aria-label='Delete this post']").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("Delete this post?", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Keep it").Click();
        dialogs.WaitForAssertion(() => Assert.DoesNotContain("Delete this post?", dialogs.Markup));
        Assert.Empty(deleted);
    }

    [Fact]
    public void Delete_ConfirmedInTheDialog_DeletesThePost()
    {
        var dialogs = RenderDialogProvider();
        var deleted = new List<PostView>();
        var post = new PostView(3, "alice", "Alice", "@alice@a:1", "oops", Written, ObjectId: "http://a:1/users/alice/posts/3");
        var card = Render<PostCard>(p => p.Add(c => c.Post, post).Add(c => c.OnDelete, deleted.Add));

        card.Find("button[aria-label='Delete this post']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("cannot be undone", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Delete").Click();

        card.WaitForAssertion(() => Assert.Equal([post], deleted));
    }
}
