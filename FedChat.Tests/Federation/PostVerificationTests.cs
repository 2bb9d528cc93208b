using System.Collections.Concurrent;
using FedChat.Core.Dashboard;
using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;

namespace FedChat.Tests.Federation;

/// <summary>Two real servers: Alice on A follows Bob on B; what A's timeline says about how Bob's post was verified.</summary>
public class PostVerificationTests
{
    [Fact]
    public async Task BobsPost_OnAlicesTimeline_CarriesProofVerified_SignedByBob_WithRfc9421()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        var aliceId = a.Get<ActorUrls>().ActorId("alice");
        var bobId = b.Get<ActorUrls>().ActorId("bob");
        await Follows.FollowAndWaitAsync(a, alice.Id, "alice", b, "bob");
        var live = new ConcurrentQueue<PostView>();
        using var subscription = a.Get<EventFeed>().Subscribe(e =>
        {
            if (e is RemotePostReceived received)
            {
                live.Enqueue(received.Post);
            }
        });

        await b.Get<PostService>().CreatePostAsync(bob.Id, "hello from server b");

        var home = await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Home, "alice"), t => t.Count > 0, "Bob's post on A");
        var verification = home[0].Verification!;
        Assert.True(verification.ProofVerified);
        Assert.Equal("Verified", verification.ProofStatus);
        Assert.Equal("RFC 9421", verification.SignatureScheme); // FedChat knocks with RFC 9421 first, and FedChat accepts it
        Assert.Equal(bobId, verification.TransportSigner);
        Assert.Equal(ActorUrls.RsaKeyId(bobId), verification.KeyId);
        Assert.StartsWith(bobId, verification.ProofMethod, StringComparison.Ordinal);
        Assert.Null(verification.ProofFailureReason);
        Assert.Empty(verification.RelayPath);
        // The live event carries the record too, so a post that appears live shows its badge at once.
        await Eventually.WaitForAsync(() => Task.FromResult(live.Count), n => n == 1, "the live event");
        Assert.True(Assert.Single(live).Verification!.ProofVerified);
    }

    [Fact]
    public async Task BobsPost_SeenInItsThread_AsAReply_AndAsABoost_CarriesItsVerificationRecord()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        await Follows.FollowAndWaitAsync(a, alice.Id, "alice", b, "bob");
        var first = (await b.Get<PostService>().CreatePostAsync(bob.Id, "the thread starts")).Post!;
        var firstId = b.Get<ActorUrls>().NoteId("bob", first.Id);
        await b.Get<PostService>().CreatePostAsync(bob.Id, new PostDraft("and goes on", InReplyTo: firstId));
        await Eventually.WaitForAsync(() => a.Get<PostService>().GetRepliesAsync(firstId, null), r => r.Count == 1, "Bob's reply on A");
        // The two posts are delivered side by side: the reply may be stored on A before the post it answers.
        var thread = await Eventually.WaitForAsync(() => a.Get<PostService>().FindByNoteIdAsync(firstId, null), t => t is not null, "Bob's first post on A");
        var replies = await a.Get<PostService>().GetRepliesAsync(firstId, null);
        Assert.Null(await a.Get<ReactionService>().ReactAsync(alice.Id, firstId, ReactionKind.Announce));
        var boosts = await a.Get<ReactionService>().GetBoostsByAsync(new HashSet<string> { a.Get<ActorUrls>().ActorId("alice") }, null, 10);

        Assert.True(thread!.Verification is { ProofVerified: true }, "the thread's post has no verification record");
        Assert.True(replies.Single().Verification is { ProofVerified: true }, "the reply has no verification record");
        Assert.True(boosts.Single().Verification is { ProofVerified: true }, "the boost has no verification record");
    }

    [Fact]
    public async Task DeliveryWorker_PublishesDeliveryAttempted_AndTheLogShowsTheSend()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        var bobId = b.Get<ActorUrls>().ActorId("bob");
        await a.Get<FollowService>().FollowAsync(alice.Id, "alice", bobId);
        await Eventually.WaitForAsync(() => b.Get<FollowService>().GetFollowersAsync(bobId), f => f.Count == 1, "the follow on B");
        var attempts = new ConcurrentQueue<DeliveryAttempted>();
        using var subscription = b.Get<EventFeed>().Subscribe(e =>
        {
            if (e is DeliveryAttempted attempted)
            {
                attempts.Enqueue(attempted);
            }
        });

        var post = (await b.Get<PostService>().CreatePostAsync(bob.Id, "sent to A")).Post!;

        var createId = b.Get<ActorUrls>().CreateActivityId("bob", post.Id);
        var sent = await Eventually.WaitForAsync(() => Task.FromResult(attempts.FirstOrDefault(x => x.ActivityId == createId)), x => x is not null, "the DeliveryAttempted event");
        Assert.True(sent!.Succeeded);
        Assert.Equal(PeerDirectory.KeyOf(a.BaseUrl), sent.Destination);
        var entry = b.Get<FederationActivityLog>().Recent.First(e => e.Kind == FederationLogKind.ActivitySent && e.Summary.Contains(createId, StringComparison.Ordinal));
        Assert.Equal(PeerDirectory.KeyOf(a.BaseUrl), entry.PeerKey);
        // And B's map draws a follow line to A: someone there follows Bob.
        var links = await b.Get<FollowLinkReader>().ReadAsync();
        Assert.Equal(new FollowLink(PeerDirectory.KeyOf(a.BaseUrl), WeFollow: 0, FollowUs: 1), Assert.Single(links));
    }
}
