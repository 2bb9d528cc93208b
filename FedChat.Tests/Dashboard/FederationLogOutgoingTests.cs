using FedChat.Core.Dashboard;
using FedChat.Core.Events;
using FedChat.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedChat.Tests.Dashboard;

/// <summary>What the federation log records for deliveries we make and for relayed activities.</summary>
public class FederationLogOutgoingTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly EventFeed _feed = new(NullLogger<EventFeed>.Instance);

    [Fact]
    public void DeliveryAttempted_IsRecordedAsSentOrFailed_ForTheReceivingServer_WithoutCountingAsTraffic()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        _feed.Publish(new DeliveryAttempted(_clock.Now, "http://a/1", "http://192.168.1.40:5080", Succeeded: true, null));
        _feed.Publish(new DeliveryAttempted(_clock.Now, "http://a/2", "http://192.168.1.41:5080", Succeeded: false, "timed out"));

        var recent = log.Recent;
        Assert.Equal([FederationLogKind.DeliveryFailed, FederationLogKind.ActivitySent], recent.Select(e => e.Kind));
        Assert.Equal(["http://192.168.1.41:5080", "http://192.168.1.40:5080"], recent.Select(e => e.PeerKey));
        Assert.Equal("to http://192.168.1.41:5080: timed out", recent[0].Detail);
        Assert.Empty(log.Traffic); // traffic counts what others sent us
    }

    [Fact]
    public void RelayedActivity_KeepsItsPath_OnlyWellFormedServers()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        _feed.Publish(new ActivityAccepted(_clock.Now, "http://a/1", "Create", "http://192.168.1.40:5080/users/bob",
            "http://192.168.1.41:5080/actor", "Verified", "http://192.168.1.40:5080 javascript:alert(1) http://192.168.1.41:5080"));

        Assert.Equal(["http://192.168.1.40:5080", "http://192.168.1.41:5080"], log.Recent.Single().RelayPath);
    }

    [Fact]
    public void DirectDelivery_WhosePathIsOnlyTheAuthorsServer_HasNoRelayPath()
    {
        using var log = new FederationActivityLog(_feed, _clock);

        _feed.Publish(new ActivityAccepted(_clock.Now, "http://a/1", "Create", "http://192.168.1.40:5080/users/bob",
            "http://192.168.1.40:5080/users/bob", "Verified", "http://192.168.1.40:5080"));

        Assert.Empty(log.Recent.Single().RelayPath!);
    }
}
