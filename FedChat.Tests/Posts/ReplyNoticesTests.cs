using FedChat.Core.Posts;
using FedChat.Tests.Support;

namespace FedChat.Tests.Posts;

/// <summary>Which posts count as replies to a user, on a real server with real SQLite.</summary>
public class ReplyNoticesTests
{
    [Fact]
    public async Task RepliesToAlice_AreNotRepliesToAl_AndADirectReplyReachesOnlyItsPeople()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        var (al, alice, bob) = (await a.RegisterAsync("al"), await a.RegisterAsync("alice"), await a.RegisterAsync("bob"));
        var posts = a.Get<PostService>();
        var alicePost = (await posts.CreatePostAsync(alice.Id, "lunch at noon?")).Post!;
        var alPost = (await posts.CreatePostAsync(al.Id, "al's post")).Post!;
        await posts.CreatePostAsync(bob.Id, new PostDraft("to alice", InReplyTo: alicePost.ObjectId));
        await posts.CreatePostAsync(bob.Id, new PostDraft($"@al@127.0.0.1:{a.Port} only for al", PostVisibility.Direct, alPost.ObjectId));

        var notices = a.Get<ReplyNotices>();
        var toAlice = await notices.GetRepliesToAsync("alice");
        var toAl = await notices.GetRepliesToAsync("al");

        Assert.Equal(["to alice"], toAlice.Select(n => n.Reply.Content));
        Assert.Equal(("lunch at noon?", true), (toAlice[0].RepliedTo, notices.IsReplyTo(toAlice[0].Reply, "alice")));
        Assert.Equal([$"@al@127.0.0.1:{a.Port} only for al"], toAl.Select(n => n.Reply.Content));
        Assert.False(notices.IsReplyTo(toAl[0].Reply, "alice"));
    }
}
