using FedChat.Core.Dashboard;
using FedChat.Core.Events;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>
/// Followers on the author's own server: Alice and Ann on A, Bob on B; Ann and Bob follow Alice. Ann
/// reads A's database, so a post of Alice's reaches her without any HTTP; only Bob's server gets a POST.
/// </summary>
public class LocalFollowerTests
{
    [Fact]
    public async Task Post_ReachesTheLocalFollowerWithoutHttp_AndTheRemoteFollowerByDelivery()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var ann = await a.RegisterAsync("ann");
        var bob = await b.RegisterAsync("bob");
        await Follows.FollowAndWaitAsync(a, ann.Id, "ann", a, "alice");
        await Follows.FollowAndWaitAsync(b, bob.Id, "bob", a, "alice");
        // Following sends Follow and Accept activities; let them all finish before counting.
        await Eventually.WaitForAsync(() => a.Get<DeliveryQueue>().CountPendingAsync(), n => n == 0, "A's follow traffic to be sent");
        await a.InboxHandledAsync();
        var acceptedBefore = a.Get<FederationActivityLog>().GetCounters().Accepted;
        // What an open Home page of Ann's hears: the event feed, filtered as the page filters it.
        var annActorId = a.Get<ActorUrls>().ActorId("ann");
        var annFollows = await a.Get<TimelineService>().FollowingAsync("ann");
        var liveForAnn = new List<PostView>();
        using var subscription = a.Get<EventFeed>().Subscribe(e =>
        {
            if (e is PostCreated created && TimelineService.Belongs(TimelineKind.Home, created.Post, annFollows, annActorId))
            {
                lock (liveForAnn)
                {
                    liveForAnn.Add(created.Post);
                }
            }
        });

        var post = (await a.Get<PostService>().CreatePostAsync(alice.Id, "hello, followers near and far")).Post!;

        await Eventually.WaitForAsync(() => b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob"),
            home => home.Any(p => p.Content == "hello, followers near and far"), "Alice's post in Bob's home on B");
        await Eventually.WaitForAsync(() => a.Get<DeliveryQueue>().CountPendingAsync(), n => n == 0, "A's deliveries to finish");
        var annsHome = await a.Get<TimelineService>().GetAsync(TimelineKind.Home, "ann");
        Assert.Equal("hello, followers near and far", annsHome[0].Content);
        lock (liveForAnn)
        {
            Assert.Equal([post.ObjectId], liveForAnn.Select(p => p.ObjectId));
        }
        // One delivery, to Bob's server; none to A's own inbox, which therefore never saw the Create.
        var createId = a.Get<ActorUrls>().CreateActivityId("alice", post.Id);
        var deliveries = await a.Get<DeliveryQueue>().GetStatusAsync(createId);
        Assert.Equal([DeliveryQueue.DestinationOf(b.BaseUrl)], deliveries.Select(d => DeliveryQueue.DestinationOf(new Uri(d.InboxUrl))));
        await using (var db = await a.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync())
        {
            Assert.False(await db.ReceivedActivities.AnyAsync(r => r.ActivityId == createId));
        }
        // The map counts the post as written here, not as an activity A received from itself.
        Assert.Equal(acceptedBefore, a.Get<FederationActivityLog>().GetCounters().Accepted);
    }
}
