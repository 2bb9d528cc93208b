using FedChat.Core.Dashboard;
using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedChat.Tests.Dashboard;

public class FederationActivityLogTests
{
    private const string Bob = "http://192.168.1.40:5080/users/bob";
    private const string Carol = "http://192.168.1.41:5080/users/carol";

    private readonly ManualTimeProvider _clock = new();
    private readonly EventFeed _feed = new(NullLogger<EventFeed>.Instance);

    [Fact]
    public void Recent_IsNewestFirst_WithVerdictsAndReasons()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        _feed.Publish(Accepted(Bob, proof: "Verified"));
        _feed.Publish(Accepted(Carol, proof: "Missing"));
        _feed.Publish(new ActivityRejected(_clock.Now, 401, "The request has no signature.", Bob, null));

        var recent = log.Recent;
        Assert.Equal([ActivityVerdict.Rejected, ActivityVerdict.TransportSigned, ActivityVerdict.ProofVerified], recent.Select(e => e.Verdict!.Value));
        Assert.Equal("The request has no signature.", recent[0].Detail);
        Assert.Equal("http://192.168.1.40:5080", recent[0].PeerKey);
        Assert.True(recent[0].Sequence > recent[1].Sequence);
    }

    [Fact]
    public void Recent_KeepsOnlyTheNewest_UpToCapacity()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        for (var i = 0; i < FederationActivityLog.Capacity + 50; i++)
        {
            _feed.Publish(Accepted(Bob, id: $"{Bob}/activities/{i}"));
        }

        var recent = log.Recent;
        Assert.Equal(FederationActivityLog.Capacity, recent.Count);
        Assert.Equal(FederationActivityLog.Capacity + 50, recent[0].Sequence);
        // The counters still count everything, not only what is kept.
        Assert.Equal(FederationActivityLog.Capacity + 50, log.GetCounters().Accepted);
    }

    [Fact]
    public void Counters_CountAcceptedRejectedAndPosts()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        _feed.Publish(Accepted(Bob));
        _feed.Publish(Accepted(Bob));
        _feed.Publish(new ActivityRejected(_clock.Now, 400, "The activity has no id.", null, null));
        _feed.Publish(new PostCreated(_clock.Now, new PostView(1, "alice", "Alice", "@alice@a:1", "hi", _clock.Now)));

        var counters = log.GetCounters();
        Assert.Equal(2, counters.Accepted);
        Assert.Equal(1, counters.Rejected);
        Assert.Equal(1, counters.PostsCreated);
        Assert.Equal(3, counters.ActivitiesPerMinute);
    }

    [Fact]
    public void ActivitiesPerMinute_CountsOnlyTheLastMinute()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        for (var i = 0; i < 3; i++)
        {
            _feed.Publish(Accepted(Bob));
        }
        _clock.Advance(TimeSpan.FromSeconds(30));
        _feed.Publish(Accepted(Bob));
        _feed.Publish(new ActivityRejected(_clock.Now, 401, "bad signature", Bob, null));
        Assert.Equal(5, log.GetCounters().ActivitiesPerMinute);

        _clock.Advance(TimeSpan.FromSeconds(31)); // the first three are now more than a minute old
        Assert.Equal(2, log.GetCounters().ActivitiesPerMinute);

        _clock.Advance(TimeSpan.FromMinutes(5)); // a quiet room
        Assert.Equal(0, log.GetCounters().ActivitiesPerMinute);
        Assert.Equal(4, log.GetCounters().Accepted);
    }

    [Fact]
    public void ActivitiesPerMinute_ReusesBucketsAfterAnHour()
    {
        using var log = new FederationActivityLog(_feed, _clock);
        _feed.Publish(Accepted(Bob));

        // Exactly one hour later the same per-second bucket comes round again: it must start from zero.
        _clock.Advance(TimeSpan.FromHours(1));
        _feed.Publish(Accepted(Bob));

        Assert.Equal(1, log.GetCounters().ActivitiesPerMinute);
    }

    [Fact]
    public void Traffic_CountsVerdictsPerSendingServer()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        _feed.Publish(Accepted(Bob, proof: "Verified"));
        _feed.Publish(Accepted(Bob, proof: "Missing"));
        _feed.Publish(new ActivityRejected(_clock.Now, 401, "forged", Bob, null));
        // Relayed: carol's activity, carried and signed by bob's server, counts as traffic from bob's server.
        _feed.Publish(new ActivityAccepted(_clock.Now, $"{Carol}/a/1", "Create", Carol, Bob, "Verified"));

        var bob = log.Traffic["http://192.168.1.40:5080"];
        Assert.Equal((2, 1, 1), (bob.Verified, bob.TransportSigned, bob.Rejected));
        Assert.Equal(ActivityVerdict.ProofVerified, bob.LastVerdict);
        Assert.False(log.Traffic.ContainsKey("http://192.168.1.41:5080"));
    }

    [Fact]
    public void Traffic_IsBounded_ForgettingTheQuietestSender()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        for (var i = 0; i <= FederationActivityLog.MaxSenders; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            _feed.Publish(new ActivityRejected(_clock.Now, 401, "forged", $"http://10.0.{i / 250}.{i % 250}:1/users/x", null));
        }

        Assert.Equal(FederationActivityLog.MaxSenders, log.Traffic.Count);
        Assert.False(log.Traffic.ContainsKey("http://10.0.0.0:1"));
    }

    [Fact]
    public void PeersComingAndGoing_AreLogged_WithoutCountingAsActivities()
    {
        using var log = new FederationActivityLog(_feed, _clock);
        var peer = new PeerInfo { Url = new Uri("http://192.168.1.40:5080/"), Name = "bob", Status = PeerStatus.Online };

        _feed.Publish(new PeerDiscovered(_clock.Now, peer));
        _feed.Publish(new PeerUpdated(_clock.Now, peer with { Users = 3 })); // only a change of numbers: not logged
        _feed.Publish(new PeerGone(_clock.Now, peer with { Status = PeerStatus.Gone }, "goodbye"));

        Assert.Equal([FederationLogKind.PeerLeft, FederationLogKind.PeerJoined], log.Recent.Select(e => e.Kind));
        Assert.Equal("goodbye", log.Recent[0].Detail);
        Assert.Equal(0, log.GetCounters().ActivitiesPerMinute);
        Assert.Single(log.RecentFrom("http://192.168.1.40:5080", max: 1));
    }

    [Fact]
    public void Dispose_StopsListening()
    {
        var log = new FederationActivityLog(_feed, _clock);
        log.Dispose();

        _feed.Publish(Accepted(Bob));

        Assert.Empty(log.Recent);
        Assert.Equal(0, _feed.SubscriberCount);
    }

    private ActivityAccepted Accepted(string actor, string proof = "Verified", string? id = null) =>
        new(_clock.Now, id ?? $"{actor}/activities/{Guid.NewGuid():N}", "Create", actor, actor, proof);
}
