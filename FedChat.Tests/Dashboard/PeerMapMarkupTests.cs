using System.Globalization;
using AngleSharp.Dom;
using FedChat.Core.Dashboard;
using FedChat.Core.Discovery;
using FedChat.Tests.Components;
using FedChat.Web.Components.Shared;
using FedChat.Web.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Tests.Dashboard;

/// <summary>The map's markup, rendered with bunit.</summary>
public class PeerMapMarkupTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly ThisServer Self = new("alice-laptop", new Uri("http://192.168.1.23:5080/"), 2, "1.0.0");

    [Fact]
    public async Task Render_ShowsEveryServer_WithNameStatusUsersAndVersion()
    {
        PeerInfo[] peers =
        [
            Peer(1, "bob", PeerStatus.Online, users: 3),
            Peer(2, "carol", PeerStatus.Gone, users: 1),
            Peer(3, "dave", PeerStatus.Unreachable, users: null),
        ];

        var document = await RenderMapAsync(Snapshot(peers));

        var bob = NodeOf(document, peers[0]);
        Assert.Equal("bob", bob.QuerySelector(".node-name")!.TextContent);
        Assert.Equal("● online", Squash(bob.QuerySelector(".node-status")!.TextContent));
        Assert.Equal("v1.0.0", bob.QuerySelector(".node-version")!.TextContent);
        Assert.Equal("3", bob.QuerySelector(".node-users")!.TextContent);
        Assert.Equal("○ gone", Squash(NodeOf(document, peers[1]).QuerySelector(".node-status")!.TextContent));
        Assert.Equal("⚠ unreachable", Squash(NodeOf(document, peers[2]).QuerySelector(".node-status")!.TextContent));

        var self = document.QuerySelector(".peer-node.self")!;
        Assert.Equal("you", self.QuerySelector(".you-label")!.TextContent);
        Assert.StartsWith("This server, alice-laptop: online, 2 users", self.QuerySelector("title")!.TextContent);
        Assert.Equal(4, document.QuerySelectorAll(".peer-node").Length);
    }

    [Fact]
    public async Task Render_StatusIsToldByWordsAndShape_NotOnlyByColour()
    {
        PeerInfo[] peers = [Peer(1, "bob", PeerStatus.Online), Peer(2, "carol", PeerStatus.Gone), Peer(3, "dave", PeerStatus.Unreachable)];

        var document = await RenderMapAsync(Snapshot(peers));

        var nodes = peers.Select(p => NodeOf(document, p)).ToList();
        // Each status has its own icon, its own words in the accessible name, and its own CSS shape class.
        Assert.Equal(["●", "○", "⚠"], nodes.Select(n => n.QuerySelector(".status-icon")!.TextContent));
        Assert.Contains(": online,", nodes[0].QuerySelector("title")!.TextContent);
        Assert.Contains(": gone,", nodes[1].QuerySelector("title")!.TextContent);
        Assert.Contains(": unreachable,", nodes[2].QuerySelector("title")!.TextContent);
        Assert.Equal(["status-online", "status-gone", "status-unreachable"], nodes.Select(n => n.ClassList.First(c => c.StartsWith("status-", StringComparison.Ordinal))));
        Assert.NotNull(nodes[2].QuerySelector(".node-warning"));
        Assert.All(nodes, n => Assert.Equal("button", n.GetAttribute("role")));
        Assert.All(nodes, n => Assert.Equal("0", n.GetAttribute("tabindex")));
    }

    [Fact]
    public async Task Render_AddingThenRemovingServers_LeavesTheOthersInPlace()
    {
        var layout = new MapLayout(); // one layout for the whole run, as in the app
        var peers = Enumerable.Range(1, 9).Select(i => Peer(i, $"server-{i}", PeerStatus.Online)).ToList();
        var first = Coordinates(await RenderMapAsync(Snapshot(peers), layout));

        peers.Add(Peer(10, "newcomer", PeerStatus.Online));
        var afterJoin = Coordinates(await RenderMapAsync(Snapshot(peers), layout));
        peers.RemoveAt(0);
        peers.RemoveAt(4);
        var afterLeave = Coordinates(await RenderMapAsync(Snapshot(peers), layout));

        Assert.Equal(11, afterJoin.Count);
        Assert.All(first, node => Assert.Equal(node.Value, afterJoin[node.Key]));
        Assert.Equal(9, afterLeave.Count);
        Assert.All(afterLeave, node => Assert.Equal(afterJoin[node.Key], node.Value));
    }

    [Fact]
    public async Task Render_AServerJoining_DoesNotMoveTheOthers_EvenOnAFreshLayout()
    {
        // A page opened later (a fresh layout) places the same servers, oldest first, in the same places.
        var peers = Enumerable.Range(1, 12).Select(i => Peer(i, $"server-{i}", PeerStatus.Online)).ToList();
        var before = Coordinates(await RenderMapAsync(Snapshot(peers)));

        peers.Add(Peer(13, "late", PeerStatus.Online));
        var after = Coordinates(await RenderMapAsync(Snapshot(peers)));

        Assert.All(before, node => Assert.Equal(node.Value, after[node.Key]));
    }

    [Fact]
    public async Task Render_ThirtyServers_NoTwoNodesOverlap_AndAllFitTheViewBox()
    {
        var peers = Enumerable.Range(1, 30).Select(i => Peer(i, $"attendee-laptop-{i}", PeerStatus.Online, users: i)).ToList();

        var document = await RenderMapAsync(Snapshot(peers));

        var centres = Coordinates(document).Values.ToList();
        Assert.Equal(31, centres.Count);
        var closest = centres.SelectMany((a, i) => centres.Skip(i + 1).Select(b => Math.Sqrt(Math.Pow(a.X - b.X, 2) + Math.Pow(a.Y - b.Y, 2)))).Min();
        Assert.True(closest >= 2 * MapLayout.NodeRadius + 20, $"two node centres are only {closest:0} apart");

        var box = document.QuerySelector("svg.peer-map-svg")!.GetAttribute("viewBox")!.Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        Assert.All(centres, c => Assert.InRange(c.X, box[0] + MapLayout.NodeRadius, box[0] + box[2] - MapLayout.NodeRadius));
        Assert.All(centres, c => Assert.InRange(c.Y, box[1] + MapLayout.NodeRadius, box[1] + box[3] - MapLayout.NodeRadius));
        Assert.Equal(31, document.QuerySelectorAll(".node-name").Length);
    }

    [Fact]
    public async Task Render_Traffic_DrawsALineCountsAndFreshPulses_MarkedByIcon()
    {
        var bob = Peer(1, "bob", PeerStatus.Online);
        var carol = Peer(2, "carol", PeerStatus.Online);
        var bobKey = PeerDirectory.KeyOf(bob.Url);
        var traffic = new Dictionary<string, PeerTraffic> { [bobKey] = new(bobKey, 2, 0, 1, ActivityVerdict.Rejected, Now) };
        FederationLogEntry[] recent =
        [
            new(3, Now.AddSeconds(-1), FederationLogKind.ActivityRejected, bobKey, "Refused (401) from bob", "no signature", ActivityVerdict.Rejected),
            new(2, Now.AddSeconds(-2), FederationLogKind.ActivityAccepted, bobKey, "Create from bob", null, ActivityVerdict.ProofVerified),
            new(1, Now.AddSeconds(-30), FederationLogKind.ActivityAccepted, bobKey, "Create from bob", null, ActivityVerdict.ProofVerified),
        ];

        var document = await RenderMapAsync(Snapshot([bob, carol], traffic, recent));

        Assert.Single(document.QuerySelectorAll("line.edge")); // carol sent nothing: no line
        Assert.Contains("verdict-rejected", document.QuerySelector("line.edge")!.ClassList);
        var marker = document.QuerySelector($".edge-marker[data-peer='{bobKey}']")!;
        Assert.Equal("✓2 ✗1", marker.TextContent.Trim());
        Assert.Equal("From bob: 2 with the author's proof verified, 0 signed by the server only, 1 rejected", marker.GetAttribute("aria-label"));

        // Only the two fresh activities pulse; the 30-second-old one is done.
        var pulses = document.QuerySelectorAll(".pulse");
        Assert.Equal(["✗", "✓"], pulses.Select(p => p.TextContent.Trim()));
        Assert.Contains("verdict-rejected", pulses[0].ClassList);
        Assert.Contains("--from-x", pulses[0].GetAttribute("style"));
    }

    [Fact]
    public async Task Render_RejectionsFromSendersNotOnTheMap_AreCountedInTheLegend()
    {
        var traffic = new Dictionary<string, PeerTraffic> { ["http://10.9.9.9:1"] = new("http://10.9.9.9:1", 0, 0, 4, ActivityVerdict.Rejected, Now) };

        var document = await RenderMapAsync(Snapshot([Peer(1, "bob", PeerStatus.Online)], traffic));

        Assert.Contains("✗ 4 rejected from senders not on the map", document.QuerySelector("#rejected-off-map")!.TextContent);
        // No line to bob: the one line comes from the "strangers" node.
        Assert.Equal([PeerMap.StrangersKey], document.QuerySelectorAll(".edge-marker").Select(m => m.GetAttribute("data-peer")));
    }

    private static PeerInfo Peer(int n, string name, PeerStatus status, int? users = 2) => new()
    {
        Url = new Uri($"http://192.168.1.{100 + n}:5080/"),
        Name = name,
        Status = status,
        FirstSeen = Now.AddMinutes(n - 60),
        LastSeen = Now,
        Version = "1.0.0",
        Users = users,
    };

    internal static DashboardSnapshot Snapshot(IReadOnlyList<PeerInfo> peers, IReadOnlyDictionary<string, PeerTraffic>? traffic = null, IReadOnlyList<FederationLogEntry>? recent = null) =>
        new(Self, peers, traffic ?? new Dictionary<string, PeerTraffic>(), recent ?? [], new FederationCounters(0, 0, 0, 0), 0, Now);

    private Task<INodeList> RenderMapAsync(DashboardSnapshot data, MapLayout? layout = null) =>
        RenderAsync<PeerMap>(new() { ["Data"] = data }, services => services.AddSingleton(layout ?? new MapLayout()));

    private static IElement NodeOf(INodeList document, PeerInfo peer) =>
        document.QuerySelector($".peer-node[data-peer='{PeerDirectory.KeyOf(peer.Url)}']")!;

    private static Dictionary<string, MapPoint> Coordinates(INodeList document) =>
        document.QuerySelectorAll(".peer-node").ToDictionary(
            n => n.GetAttribute("data-peer")!,
            n => new MapPoint(double.Parse(n.GetAttribute("data-x")!, CultureInfo.InvariantCulture), double.Parse(n.GetAttribute("data-y")!, CultureInfo.InvariantCulture)));

    private static string Squash(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
