using System.Text.Json.Nodes;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;

namespace FedChat.Tests.Federation;

/// <summary>Replies (inReplyTo) and edits (Update { Note }) between two real servers: Alice on A follows Bob on B.</summary>
public class ReplyAndEditTests
{
    [Fact]
    public async Task Reply_CarriesInReplyTo_AndShowsUnderThePostOnBothServers()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        await FollowAsync(a, alice.Id, b);
        var question = (await b.Get<PostService>().CreatePostAsync(bob.Id, "lunch at noon?")).Post!;
        await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Home, "alice"), t => t.Count == 1, "Bob's post on A");

        // The reply mentions Bob, so it is delivered to him although he does not follow Alice.
        var reply = await a.Get<PostService>().CreatePostAsync(alice.Id, new PostDraft($"@bob@127.0.0.1:{b.Port} yes!", InReplyTo: question.ObjectId));

        Assert.True(reply.Succeeded, reply.Error);
        var onA = await a.Get<PostService>().GetRepliesAsync(question.ObjectId!, null);
        Assert.Equal([reply.Post!.ObjectId], onA.Select(p => p.ObjectId));
        var onB = await Eventually.WaitForAsync(() => b.Get<PostService>().GetRepliesAsync(question.ObjectId!, null), r => r.Count == 1, "the reply on B");
        Assert.Equal((question.ObjectId, true), (onB[0].InReplyTo, onB[0].IsRemote));
        var parent = await b.Get<PostService>().FindByNoteIdAsync(onB[0].InReplyTo!, null);
        Assert.Equal("lunch at noon?", parent?.Content);
        using var client = a.CreateClient();
        var note = JsonNode.Parse(await (await DirectMessageTests.GetActivityJsonAsync(client, $"/users/alice/posts/{reply.Post.Id}")).Content.ReadAsStringAsync())!;
        Assert.Equal(question.ObjectId, (string?)note["inReplyTo"]);
    }

    [Fact]
    public async Task Edit_ReplacesTheTextOnTheFollowersServer_AndOnlyTheAuthorMayEdit()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        var carol = await b.RegisterAsync("carol");
        await FollowAsync(a, alice.Id, b);
        var post = (await b.Get<PostService>().CreatePostAsync(bob.Id, "meet at 12")).Post!;
        await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Home, "alice"), t => t.Count == 1, "Bob's post on A");

        Assert.False((await b.Get<PostService>().EditPostAsync(carol.Id, post.Id, "carol was here")).Succeeded);
        var edited = await b.Get<PostService>().EditPostAsync(bob.Id, post.Id, "meet at 1, sorry");

        Assert.True(edited.Succeeded, edited.Error);
        var home = await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Home, "alice"), t => t.Single().Content == "meet at 1, sorry", "the Update on A");
        Assert.NotNull(home.Single().EditedAt);
        // The Note served by Bob's server carries the new text too, still with a proof that verifies.
        using var client = b.CreateClient();
        var create = JsonNode.Parse(await (await DirectMessageTests.GetActivityJsonAsync(client, $"/users/bob/posts/{post.Id}/activity")).Content.ReadAsStringAsync())!;
        Assert.Equal("<p>meet at 1, sorry</p>", (string?)create["object"]!["content"]);
        Assert.NotNull(create["proof"]);
    }

    private static Task FollowAsync(RunningServer follower, int aliceId, RunningServer b) =>
        Follows.FollowAndWaitAsync(follower, aliceId, "alice", b, "bob");
}
