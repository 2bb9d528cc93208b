using AngleSharp.Dom;
using FedChat.Core.Dashboard;
using FedChat.Core.Discovery;
using FedChat.Tests.Components;
using FedChat.Web.Components.Shared;
using FedChat.Web.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Tests.Dashboard;

/// <summary>What the map draws for what this server sends, for follows, relay paths and wrong clocks.</summary>
public class PeerMapOutgoingMarkupTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly PeerInfo Bob = Peer(1, "bob");
    private static readonly PeerInfo Carol = Peer(2, "carol");
    private static readonly string BobKey = PeerDirectory.KeyOf(Bob.Url);
    private static readonly string CarolKey = PeerDirectory.KeyOf(Carol.Url);

    [Fact]
    public async Task Render_ASendToBob_DrawsAnOutgoingPulseAndALineToHim()
    {
        FederationLogEntry[] recent = [new(1, Now.AddSeconds(-1), FederationLogKind.ActivitySent, BobKey, "Sent x", "to bob", null)];

        var document = await RenderAsync(PeerMapMarkupTests.Snapshot([Bob, Carol], recent: recent));

        var pulse = document.QuerySelector(".pulse.outgoing")!;
        Assert.Equal(BobKey, pulse.GetAttribute("data-peer"));
        Assert.Equal("↗", pulse.TextContent.Trim());
        Assert.Equal([BobKey], document.QuerySelectorAll("line.link").Select(l => l.GetAttribute("data-peer")));
    }

    [Fact]
    public async Task Render_AFailedSend_IsMarkedWithACross()
    {
        FederationLogEntry[] recent = [new(1, Now.AddSeconds(-1), FederationLogKind.DeliveryFailed, BobKey, "Could not deliver x", "timeout", null)];

        var document = await RenderAsync(PeerMapMarkupTests.Snapshot([Bob], recent: recent));

        Assert.Equal("✗", document.QuerySelector(".pulse.outgoing.failed")!.TextContent.Trim());
    }

    [Fact]
    public async Task Render_Follows_DrawAThinLineToThatServer()
    {
        var data = PeerMapMarkupTests.Snapshot([Bob, Carol]) with { Follows = [new FollowLink(CarolKey, WeFollow: 2, FollowUs: 1)] };

        var document = await RenderAsync(data);

        var link = document.QuerySelector("line.link.follows")!;
        Assert.Equal(CarolKey, link.GetAttribute("data-peer"));
        Assert.Contains("2 of ours follow people there, 1 there follow people here", link.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_ARelayedActivity_HighlightsItsPath_OriginFirst_EndingHere()
    {
        FederationLogEntry[] recent =
        [
            new(1, Now.AddSeconds(-1), FederationLogKind.ActivityAccepted, CarolKey, "Create from bob", "relayed", ActivityVerdict.ProofVerified, [BobKey, CarolKey]),
        ];

        var document = await RenderAsync(PeerMapMarkupTests.Snapshot([Bob, Carol], recent: recent));

        var line = document.QuerySelector("polyline.relay-path-line")!;
        Assert.Equal($"{BobKey} {CarolKey}", line.GetAttribute("data-path"));
        Assert.EndsWith(" 0,0", line.GetAttribute("points"), StringComparison.Ordinal);
        Assert.Equal(3, line.GetAttribute("points")!.Split(' ').Length);
    }

    [Fact]
    public async Task Render_APeerWithItsClockOff_ShowsAWarningOnItsNode_AndInItsDetails()
    {
        var late = Bob with { ClockOffset = TimeSpan.FromMinutes(-75) };
        var data = PeerMapMarkupTests.Snapshot([late, Carol with { ClockOffset = TimeSpan.FromMinutes(2) }]);

        var map = await RenderAsync(data);
        var details = await RenderAsync<PeerDetails>(new() { ["Data"] = data, ["Key"] = BobKey });

        Assert.Equal("⚠ clock off by 75 min (behind)", map.QuerySelector($".peer-node[data-peer='{BobKey}'] .node-clock")!.TextContent);
        Assert.Null(map.QuerySelector($".peer-node[data-peer='{CarolKey}'] .node-clock"));
        Assert.Contains("clock off by 75 min (behind)", map.QuerySelector($".peer-node[data-peer='{BobKey}'] > title")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("⚠ clock off by 75 min (behind)", details.QuerySelector("#peer-clock")!.TextContent, StringComparison.Ordinal);
    }

    private static PeerInfo Peer(int n, string name) => new()
    {
        Url = new Uri($"http://192.168.1.{100 + n}:5080/"),
        Name = name,
        Status = PeerStatus.Online,
        FirstSeen = Now.AddMinutes(n - 60),
        LastSeen = Now,
    };

    private Task<INodeList> RenderAsync(DashboardSnapshot data) =>
        RenderAsync<PeerMap>(new() { ["Data"] = data }, services => services.AddSingleton(new MapLayout()));
}
