using System.Net;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Tests.Federation;
using FedChat.Tests.Support;

namespace FedChat.Tests.Posts;

/// <summary>Posts written within one second come out newest first: by full-precision time, then by arrival.</summary>
public class TimelineOrderTests
{
    [Fact]
    public async Task PostsFromAnotherServer_InOneSecond_AreOrderedByTheirMilliseconds_NotByArrival()
    {
        await using var rig = await FederationRig.StartAsync();
        var second = WholeSecond(DateTimeOffset.UtcNow);

        // Written at .100, .200 and .300 of the same second, delivered out of order.
        foreach (var (text, id, ms) in new[] { ("third", 3L, 300), ("first", 1L, 100), ("second", 2L, 200) })
        {
            await DeliverAsync(rig, text, id, second.AddMilliseconds(ms));
        }
        await rig.A.InboxHandledAsync(); // the inbox answers 202 first and stores the post just after
        var federated = await rig.A.Get<TimelineService>().GetAsync(TimelineKind.Federated, null);

        Assert.Equal(["third", "second", "first"], federated.Select(p => p.Content));
        Assert.Equal(second.AddMilliseconds(300), federated[0].CreatedAt);
    }

    [Fact]
    public async Task PostsWithTheSameWholeSecond_AsMastodonSendsThem_ComeNewestArrivalFirst()
    {
        await using var rig = await FederationRig.StartAsync();
        var second = WholeSecond(DateTimeOffset.UtcNow);

        foreach (var (text, id) in new[] { ("one", 1L), ("two", 2L), ("three", 3L) })
        {
            var note = NoteActivities.ToSignedCreateActivity("bob", id, text, second, await rig.BobKeysAsync(), rig.B.Get<ActorUrls>());
            Assert.Equal(HttpStatusCode.Accepted, (await SignedSender.PostAsync(rig.AliceInbox, note, (await rig.BobKeysAsync()).Rsa, rig.BobKeyId)).StatusCode);
        }
        await rig.A.InboxHandledAsync(); // the inbox answers 202 first and stores the post just after
        var federated = await rig.A.Get<TimelineService>().GetAsync(TimelineKind.Federated, null);

        Assert.Equal(["three", "two", "one"], federated.Select(p => p.Content));
    }

    [Fact]
    public void Note_PublishedTime_KeepsMilliseconds()
    {
        var urls = new ActorUrls(new InstanceInfo { Name = "a", BaseUrl = new Uri("http://server-a.example/") });
        var when = new DateTimeOffset(2026, 12, 4, 10, 0, 0, 250, TimeSpan.Zero);

        var note = NoteActivities.ToNote("alice", 1, "hi", when, NoteAddressing.Public, urls);

        Assert.Equal("2026-12-04T10:00:00.250Z", (string?)note["published"]);
    }

    private static async Task DeliverAsync(FederationRig rig, string text, long id, DateTimeOffset published)
    {
        var keys = await rig.BobKeysAsync();
        var note = NoteActivities.ToSignedCreateActivity("bob", id, text, published, keys, rig.B.Get<ActorUrls>());
        Assert.Equal(HttpStatusCode.Accepted, (await SignedSender.PostAsync(rig.AliceInbox, note, keys.Rsa, rig.BobKeyId)).StatusCode);
    }

    private static DateTimeOffset WholeSecond(DateTimeOffset when) => new(when.Ticks - (when.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
