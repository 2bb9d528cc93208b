using FedChat.Core.Dashboard;
using FedChat.Core.Events;
using FedChat.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedChat.Tests.Dashboard;

/// <summary>What the federation log keeps about relayed copies and about refusals from unknown senders.</summary>
public class RelayedCopiesLogTests
{
    private const string Bob = "http://192.168.1.40:5080";
    private readonly ManualTimeProvider _clock = new();
    private readonly EventFeed _feed = new(NullLogger<EventFeed>.Instance);

    [Fact]
    public void RelayedCopies_AreCountedPerReceiver_AcceptedAndRefused_WithTheLastReason()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        _feed.Publish(new DeliveryAttempted(_clock.Now, "http://c/1", Bob, Succeeded: true, null, Relayed: true));
        _feed.Publish(new DeliveryAttempted(_clock.Now, "http://c/2", Bob, Succeeded: false, "The inbox answered 401 Unauthorized", Relayed: true, Refused: true));
        // No answer: tried again later, so it is neither accepted nor refused yet.
        _feed.Publish(new DeliveryAttempted(_clock.Now, "http://c/3", Bob, Succeeded: false, "Connection refused", Relayed: true));
        // Our own posts are not relayed copies.
        _feed.Publish(new DeliveryAttempted(_clock.Now, "http://a/4", Bob, Succeeded: false, "The inbox answered 400 Bad Request", Refused: true));

        var copies = log.Relayed[Bob];
        Assert.Equal((1, 1, "The inbox answered 401 Unauthorized"), (copies.Accepted, copies.Refused, copies.LastReason));
        Assert.Equal($"Refused a relayed copy of http://c/2", log.Recent.Single(e => e.Summary.Contains("c/2", StringComparison.Ordinal)).Summary);
    }

    [Fact]
    public void AnUnsignedRefusalNamingNoActor_IsCountedAsRejected_WithoutAServer()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        _feed.Publish(new ActivityRejected(_clock.Now, 401, "The request has no signature", ActorId: null, KeyId: null));

        var entry = log.Recent.Single();
        Assert.Equal((null, ActivityVerdict.Rejected), (entry.PeerKey, entry.Verdict));
        Assert.Equal(1, log.GetCounters().Rejected);
        Assert.Empty(log.Traffic);
    }
}
