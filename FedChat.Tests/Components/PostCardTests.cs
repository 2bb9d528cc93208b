using FedChat.Core.Posts;
using FedChat.Web.Components.Shared;

namespace FedChat.Tests.Components;

public class PostCardTests
{
    private static readonly DateTimeOffset Written = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Render_ShowsAuthorHandleAndText()
    {
        var post = new PostView(7, "alice", "Alice", "@alice@192.168.1.23:5080", "Hello, room!", Written);

        var document = await ComponentRenderer.RenderAsync<PostCard>(new() { ["Post"] = post, ["Now"] = Written.AddMinutes(5) });

        Assert.Equal("Hello, room!", document.QuerySelector(".post-content")!.TextContent);
        Assert.Equal("@alice@192.168.1.23:5080", document.QuerySelector(".post-handle")!.TextContent);
        Assert.Equal("5 min", document.QuerySelector("time")!.TextContent);
        Assert.Equal("/users/alice", document.QuerySelector("a.fw-semibold")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Render_PostWithHtml_ShowsItAsText_NeverAsMarkup()
    {
        var post = new PostView(8, "mallory", "Mallory", "@mallory@x:1", "<script>alert('hi')</script><b>bold</b>", Written);

        var document = await ComponentRenderer.RenderAsync<PostCard>(new() { ["Post"] = post });

        var content = document.QuerySelector(".post-content")!;
        Assert.Null(content.QuerySelector("script"));
        Assert.Null(content.QuerySelector("b"));
        Assert.Equal("<script>alert('hi')</script><b>bold</b>", content.TextContent);
    }

    [Fact]
    public async Task Render_DirectReply_ShowsItIsPrivate_AndLinksToTheThread()
    {
        var post = new PostView(9, "alice", "Alice", "@alice@a:1", "psst", Written, ObjectId: "http://a:1/users/alice/posts/9",
            Audience: ["http://b:1/users/bob"], InReplyTo: "http://b:1/users/bob/posts/3");

        var document = await ComponentRenderer.RenderAsync<PostCard>(new() { ["Post"] = post });

        Assert.NotNull(document.QuerySelector(".post-direct"));
        Assert.Equal("/thread?id=http%3A%2F%2Fa%3A1%2Fusers%2Falice%2Fposts%2F9", document.QuerySelector("a.post-reply")!.GetAttribute("href"));
    }

    [Theory]
    [InlineData(30, "now")]
    [InlineData(60 * 59, "59 min")]
    [InlineData(60 * 60 * 5, "5 h")]
    [InlineData(60 * 60 * 50, "2 d")]
    public void TimeAgo_IsShortAndFriendly(int seconds, string expected) =>
        Assert.Equal(expected, PostCard.TimeAgo(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public async Task Render_Boost_SaysWhoBoostedIt_AndShowsTheCounts()
    {
        var post = new PostView(3, "alice", "Alice", "@alice@a:1", "cake!", Written, IsRemote: true, ObjectId: "http://a:1/users/alice/posts/3")
        {
            Likes = 4,
            Boosts = 2,
            BoostedBy = "Bob",
            BoostedByActorId = "http://b:1/users/bob",
            BoostedAt = Written.AddMinutes(1),
        };

        var document = await ComponentRenderer.RenderAsync<PostCard>(new() { ["Post"] = post });

        Assert.Equal("↻ Bob boosted", document.QuerySelector(".post-boosted-by")!.TextContent.Trim());
        Assert.Equal("Post by Alice, boosted by Bob", document.QuerySelector("article")!.GetAttribute("aria-label"));
        Assert.Equal(("4", "2"), (document.QuerySelector(".post-like-count")!.TextContent, document.QuerySelector(".post-boost-count")!.TextContent));
        // Without an OnReact handler (a visitor who is not signed in) there is nothing to click.
        Assert.Null(document.QuerySelector("button.post-like"));
    }

    [Fact]
    public async Task Render_ForASignedInReader_LikeIsPressedWhenTheyLikedIt_AndADirectMessageHasNoBoost()
    {
        var liked = new PostView(3, "alice", "Alice", "@alice@a:1", "cake!", Written, ObjectId: "http://a:1/users/alice/posts/3") { Likes = 1, LikedByViewer = true };
        var direct = liked with { Audience = ["http://b:1/users/bob"], LikedByViewer = false };
        var onReact = Microsoft.AspNetCore.Components.EventCallback.Factory.Create<(PostView, Core.Storage.Entities.ReactionKind)>(new object(), () => { });

        var likedCard = await ComponentRenderer.RenderAsync<PostCard>(new() { ["Post"] = liked, ["OnReact"] = onReact });
        var directCard = await ComponentRenderer.RenderAsync<PostCard>(new() { ["Post"] = direct, ["OnReact"] = onReact });

        Assert.Equal("true", likedCard.QuerySelector("button.post-like")!.GetAttribute("aria-pressed"));
        Assert.Equal("false", likedCard.QuerySelector("button.post-boost")!.GetAttribute("aria-pressed"));
        Assert.Equal("false", directCard.QuerySelector("button.post-like")!.GetAttribute("aria-pressed"));
        Assert.Null(directCard.QuerySelector("button.post-boost"));
    }
}
