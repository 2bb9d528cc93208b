using System.Net;
using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Core.Identity;
using FedChat.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedChat.Tests.Discovery;

/// <summary>Named test data for discovery: Alice's and Bob's servers, and a directory with a manual clock.</summary>
internal static class DiscoveryRig
{
    public static readonly IPAddress AliceAddress = IPAddress.Parse("192.168.1.23");
    public static readonly IPAddress BobAddress = IPAddress.Parse("192.168.1.40");

    /// <summary>Alice's server as it announces itself on one interface.</summary>
    public static ServiceInstance Alice(int attempt = 1, int users = 2) =>
        LocalService.Describe("alice", 5080, attempt, LocalService.BuildTxt("alice", new Uri("http://192.168.1.23:5080/"), users))
        with
        { Addresses = [AliceAddress] };

    /// <summary>Bob's server.</summary>
    public static ServiceInstance Bob(int users = 1) =>
        LocalService.Describe("bob", 5080, 1, LocalService.BuildTxt("bob", new Uri("http://192.168.1.40:5080/"), users))
        with
        { Addresses = [BobAddress] };

    /// <summary>A multicast querier (port 5353) and a legacy one (another port).</summary>
    public static readonly IPEndPoint MdnsQuerier = new(BobAddress, 5353);
    public static readonly IPEndPoint LegacyQuerier = new(BobAddress, 41000);

    /// <summary>A directory for Alice's server; <paramref name="events"/> collects what it publishes.</summary>
    public static PeerDirectory Directory(ManualTimeProvider clock, List<FedChatEvent> events)
    {
        var feed = new EventFeed(NullLogger<EventFeed>.Instance);
        feed.Subscribe(events.Add);
        var self = new InstanceInfo { Name = "alice", BaseUrl = new Uri("http://192.168.1.23:5080/") };
        return new PeerDirectory(self, feed, clock, NullLogger<PeerDirectory>.Instance);
    }
}
