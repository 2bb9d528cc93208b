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
}
