using System.Net;
using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Tests.Support;

namespace FedChat.Tests.Discovery;

/// <summary>The peer directory: states Online / Gone / Unreachable, several sources, and the events it publishes.</summary>
public class PeerDirectoryTests
{
    private static readonly Uri BobUrl = new("http://192.168.1.40:5080/");
    private readonly ManualTimeProvider _clock = new();
    private readonly List<FedChatEvent> _events = [];

    private static PeerSighting Bob(PeerSources source = PeerSources.Mdns, int users = 1) => new(BobUrl, "bob", source, "1.0.0", users);

    [Fact]
    public void NewPeer_IsOnline_AndPublishedAsDiscovered()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);

        directory.ReportSeen(Bob());

        var peer = Assert.Single(directory.Peers);
        Assert.Equal((PeerStatus.Online, "bob", 1, _clock.GetUtcNow()), (peer.Status, peer.Name, peer.Users, peer.FirstSeen));
        Assert.Equal(peer, Assert.IsType<PeerDiscovered>(Assert.Single(_events)).Peer);
    }

    [Fact]
    public void Ourselves_IsNeverAPeer()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);

        Assert.False(directory.ReportSeen(new PeerSighting(new Uri("http://192.168.1.23:5080/"), "alice", PeerSources.Mdns)));
        Assert.Empty(directory.Peers);
    }

    [Fact]
    public void ChangedMetadata_IsPublishedAsUpdated_UnchangedIsNot()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);
        directory.ReportSeen(Bob(users: 1));
        _clock.Advance(TimeSpan.FromSeconds(10));

        directory.ReportSeen(Bob(users: 1));
        directory.ReportSeen(Bob(users: 3));

        Assert.Equal(3, Assert.IsType<PeerUpdated>(_events[^1]).Peer.Users);
        Assert.Equal(2, _events.Count);
        Assert.Equal(_clock.GetUtcNow(), directory.Peers[0].LastSeen);
    }

    [Fact]
    public void NamesFromAnySource_LoseBidiOverrides_AndAbsurdUserCountsAreDropped()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);

        directory.ReportSeen(new PeerSighting(BobUrl, "bob \u202Edevil", PeerSources.Rendezvous, "1.0\u0000", int.MaxValue));
        directory.UpdateMetadata(BobUrl, new NodeInfoMetadata("bob\u2066 2\u2069", "fed\u202Bchat", null, -5));

        var peer = Assert.Single(directory.Peers);
        Assert.Equal(("bob 2", "fedchat", "1.0", (int?)null), (peer.Name, peer.Software, peer.Version, peer.Users));
    }

    [Fact]
    public void ActivityFromAPeer_MovesLastSeen_AndRedrawsAtMostEveryFewSeconds()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);
        directory.ReportSeen(Bob());
        _clock.Advance(TimeSpan.FromMinutes(10));

        directory.ReportActivity(new Uri(BobUrl, "/users/bob/inbox"));
        _clock.Advance(TimeSpan.FromSeconds(1));
        directory.ReportActivity(BobUrl);
        directory.ReportActivity(new Uri("http://192.168.1.99:5080/")); // unknown: activity does not discover

        Assert.Equal(_clock.GetUtcNow(), Assert.Single(directory.Peers).LastSeen);
        Assert.Equal(2, _events.Count); // discovered, then one redraw for the first activity after ten minutes
        Assert.IsType<PeerUpdated>(_events[^1]);
    }

    [Fact]
    public void InboxDeliveriesFromAPeer_AndDeliveriesItAccepts_CountAsSeen()
    {
        var feed = new EventFeed(Microsoft.Extensions.Logging.Abstractions.NullLogger<EventFeed>.Instance);
        var self = new Core.Identity.InstanceInfo { Name = "alice", BaseUrl = new Uri("http://192.168.1.23:5080/") };
        var directory = new PeerDirectory(self, feed, _clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<PeerDirectory>.Instance);
        using var activity = new PeerActivity(feed, directory);
        directory.ReportSeen(Bob());

        _clock.Advance(TimeSpan.FromMinutes(5));
        feed.Publish(new ActivityAccepted(_clock.GetUtcNow(), "http://192.168.1.40:5080/activities/1", "Create", "http://192.168.1.40:5080/users/bob", "http://192.168.1.40:5080/users/bob", "None"));
        var afterInbox = directory.Peers[0].LastSeen;
        _clock.Advance(TimeSpan.FromMinutes(5));
        feed.Publish(new DeliveryAttempted(_clock.GetUtcNow(), "http://192.168.1.23:5080/activities/2", "http://192.168.1.40:5080", Succeeded: true, null));

        Assert.Equal(_clock.GetUtcNow() - TimeSpan.FromMinutes(5), afterInbox);
        Assert.Equal(_clock.GetUtcNow(), directory.Peers[0].LastSeen);
    }

    [Fact]
    public void AnsweredNodeInfoPoll_CountsAsSeen()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);
        directory.ReportSeen(Bob());
        _clock.Advance(TimeSpan.FromMinutes(3));

        directory.UpdateMetadata(BobUrl, new NodeInfoMetadata("bob", "fedchat", "1.0.0", 1));

        Assert.Equal(_clock.GetUtcNow(), directory.Peers[0].LastSeen);
    }

    [Fact]
    public void Goodbye_MarksGone_WithTheReason_AndAReturnIsDiscoveredAgain()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);
        directory.ReportSeen(Bob());

        directory.ReportGone(BobUrl, PeerSources.Mdns, "goodbye");
        var gone = Assert.IsType<PeerGone>(_events[^1]);
        directory.ReportSeen(Bob());

        Assert.Equal(("goodbye", PeerStatus.Gone), (gone.Reason, gone.Peer.Status));
        Assert.Equal(PeerStatus.Online, Assert.IsType<PeerDiscovered>(_events[^1]).Peer.Status);
    }

    [Fact]
    public void PeerSeenByTwoSources_StaysOnlineUntilBothLoseIt()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);
        directory.ReportSeen(Bob(PeerSources.Mdns));
        directory.ReportSeen(Bob(PeerSources.Static));

        directory.ReportGone(BobUrl, PeerSources.Mdns, "goodbye");
        Assert.Equal((PeerStatus.Online, PeerSources.Static), (directory.Peers[0].Status, directory.Peers[0].Sources));
        directory.ReportUnreachable(BobUrl, "bob", PeerSources.Static, "connection refused");

        Assert.Equal(PeerStatus.Unreachable, directory.Peers[0].Status);
        Assert.Equal("connection refused", Assert.IsType<PeerGone>(_events[^1]).Reason);
    }

    [Fact]
    public void StaticPeerNeverReached_IsListedAsUnreachable()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);

        directory.ReportUnreachable(BobUrl, "192.168.1.40:5080", PeerSources.Static, "timeout");

        Assert.Equal(PeerStatus.Unreachable, Assert.Single(directory.Peers).Status);
    }

    [Fact]
    public void RendezvousPeer_ThatStopsCheckingIn_IsGoneAfterMaxAge()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);
        directory.ReportSeen(Bob(PeerSources.Rendezvous));

        _clock.Advance(TimeSpan.FromSeconds(29));
        directory.ExpireStale(PeerSources.Rendezvous, TimeSpan.FromSeconds(30));
        Assert.Equal(PeerStatus.Online, directory.Peers[0].Status);
        _clock.Advance(TimeSpan.FromSeconds(2));
        directory.ExpireStale(PeerSources.Rendezvous, TimeSpan.FromSeconds(30));

        Assert.Equal(PeerStatus.Gone, directory.Peers[0].Status);
    }

    [Fact]
    public void Directory_IsBounded_ButMakesRoomByForgettingGonePeers()
    {
        var directory = DiscoveryRig.Directory(_clock, _events);
        for (var i = 0; i < PeerDirectory.MaxPeers; i++)
        {
            directory.ReportSeen(new PeerSighting(new Uri($"http://10.0.{i / 200}.{i % 200}:5080/"), $"p{i}", PeerSources.Mdns));
        }

        Assert.False(directory.ReportSeen(Bob()));
        directory.ReportGone(new Uri("http://10.0.0.0:5080/"), PeerSources.Mdns, "goodbye");

        Assert.True(directory.ReportSeen(Bob()));
        Assert.Equal(PeerDirectory.MaxPeers, directory.Peers.Count);
    }

    [Fact]
    public void Sighting_FromService_PrefersTheTxtUrl()
    {
        var sighting = PeerSighting.FromService(DiscoveryRig.Bob(users: 4) with { Addresses = [IPAddress.Parse("10.1.1.1")] });

        Assert.Equal((BobUrl, "bob", 4, PeerSources.Mdns), (sighting!.Url, sighting.Name, sighting.Users, sighting.Source));
    }
}
