using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;

namespace FedChat.Tests.Federation;

/// <summary>Three real servers: Alice on A follows Bob on B; Carol on C follows nobody.</summary>
public class FollowAndDeliveryTests
{
    [Fact]
    public async Task Follow_IsAccepted_ThenBobsPostsReachAlicesHomeTimeline_ButNotCarolsServer()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        await using var c = await RunningServer.StartAsync("server-c");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        await c.RegisterAsync("carol");
        var aliceId = a.Get<ActorUrls>().ActorId("alice");
        var bobId = b.Get<ActorUrls>().ActorId("bob");

        var found = await a.Get<RemoteActors>().ResolveHandleAsync($"@bob@127.0.0.1:{b.Port}");
        Assert.Equal(bobId, found.Actor?.ActorId);
        Assert.Null(await a.Get<FollowService>().FollowAsync(alice.Id, "alice", bobId));
        await Eventually.WaitForAsync(() => a.Get<FollowService>().GetStateAsync(aliceId, bobId), s => s == FollowState.Accepted, "Bob's server to accept");
        Assert.Equal([aliceId], await b.Get<FollowService>().GetFollowersAsync(bobId));

        await b.Get<PostService>().CreatePostAsync(bob.Id, "hello from server b");

        var home = await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Home, "alice"), t => t.Count > 0, "Bob's post on A");
        Assert.Equal(("hello from server b", $"@bob@127.0.0.1:{b.Port}", true), (home[0].Content, home[0].AuthorHandle, home[0].IsRemote));
        Assert.Contains(await a.Get<TimelineService>().GetAsync(TimelineKind.Federated, null), p => p.Content == "hello from server b");
        Assert.DoesNotContain(await a.Get<TimelineService>().GetAsync(TimelineKind.Local, null), p => p.Content == "hello from server b");
        Assert.Empty(await c.Get<TimelineService>().GetAsync(TimelineKind.Federated, null));
    }

    [Fact]
    public async Task DeletedPost_DisappearsFromTheFollowersServerToo()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        var bobId = b.Get<ActorUrls>().ActorId("bob");
        await Follows.FollowAndWaitAsync(a, alice.Id, "alice", b, "bob");
        var post = (await b.Get<PostService>().CreatePostAsync(bob.Id, "oops, wrong room")).Post!;
        await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Home, "alice"), t => t.Count == 1, "the post on A");

        var carol = await b.RegisterAsync("carol");
        Assert.False(await b.Get<PostService>().DeletePostAsync(carol.Id, post.Id)); // not Carol's post to delete
        Assert.True(await b.Get<PostService>().DeletePostAsync(bob.Id, post.Id));

        await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Federated, null), t => t.Count == 0, "the Delete on A");
        Assert.Empty(await b.Get<PostService>().GetLocalTimelineAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Follow_OfAUserWhoApprovesByHand_WaitsForTheirAnswer(bool accept)
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        await b.Get<Core.Accounts.AccountService>().UpdateProfileAsync(bob.Id, "Bob", "", manuallyApprovesFollowers: true);
        var aliceId = a.Get<ActorUrls>().ActorId("alice");
        var bobId = b.Get<ActorUrls>().ActorId("bob");

        await a.Get<FollowService>().FollowAsync(alice.Id, "alice", bobId);
        await Eventually.WaitForAsync(() => b.Get<FollowService>().GetPendingRequestsAsync(bobId), r => r.Count == 1, "the request on B");
        Assert.Equal(FollowState.Pending, await a.Get<FollowService>().GetStateAsync(aliceId, bobId));
        Assert.Empty(await b.Get<FollowService>().GetFollowersAsync(bobId));

        Assert.Null(await b.Get<FollowService>().AnswerRequestAsync(bob.Id, "bob", aliceId, accept));

        await Eventually.WaitForAsync(() => a.Get<FollowService>().GetStateAsync(aliceId, bobId),
            s => s == (accept ? FollowState.Accepted : null), accept ? "the Accept on A" : "the Reject on A");
        Assert.Equal(accept ? [aliceId] : [], await b.Get<FollowService>().GetFollowersAsync(bobId));
    }

    [Fact]
    public async Task Unfollow_RemovesTheFollowerOnBothServers()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        await b.RegisterAsync("bob");
        var aliceId = a.Get<ActorUrls>().ActorId("alice");
        var bobId = b.Get<ActorUrls>().ActorId("bob");
        await a.Get<FollowService>().FollowAsync(alice.Id, "alice", bobId);
        await Eventually.WaitForAsync(() => b.Get<FollowService>().GetFollowersAsync(bobId), f => f.Count == 1, "the follow to arrive");

        await a.Get<FollowService>().UnfollowAsync(alice.Id, "alice", bobId);

        await Eventually.WaitForAsync(() => b.Get<FollowService>().GetFollowersAsync(bobId), f => f.Count == 0, "the Undo to arrive");
        Assert.Null(await a.Get<FollowService>().GetStateAsync(aliceId, bobId));
    }

    [Theory]
    [InlineData("bob")]
    [InlineData("@bob")]
    [InlineData("@bob@")]
    [InlineData("bob@server b")]
    public async Task ResolveHandle_Malformed_SaysHowToWriteOne(string handle)
    {
        await using var a = await RunningServer.StartAsync("server-a");

        var result = await a.Get<RemoteActors>().ResolveHandleAsync(handle);

        Assert.Null(result.Actor);
        Assert.Contains("is not a handle: write it as @user@host:port", result.Error);
    }

    [Fact]
    public async Task ResolveHandle_UnknownUser_SaysThereIsNoSuchUser()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");

        var result = await a.Get<RemoteActors>().ResolveHandleAsync($"@nobody@127.0.0.1:{b.Port}");

        Assert.Null(result.Actor);
        Assert.Equal($"There is no user nobody on 127.0.0.1:{b.Port} (WebFinger answered 404).", result.Error);
    }

    [Fact]
    public async Task ResolveHandle_DeadServer_SaysItCannotBeReached()
    {
        await using var a = await RunningServer.StartAsync("server-a");

        var result = await a.Get<RemoteActors>().ResolveHandleAsync($"@bob@127.0.0.1:{RunningServer.FreePort()}");

        Assert.Null(result.Actor);
        Assert.Contains("Could not reach", result.Error);
    }

    [Fact]
    public void HtmlToText_DropsMarkup_KeepsLineBreaks()
    {
        var text = RemoteActors.HtmlToText("<p>Hello <b>room</b> &amp; friends</p><p>second<br>line<script>x</script></p>");

        Assert.Equal("Hello room & friends\nsecond\nlinex", text);
    }
}
