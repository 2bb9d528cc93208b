using System.Globalization;
using AngleSharp.Dom;
using FedChat.Core.Dashboard;
using FedChat.Core.Discovery;
using FedChat.Tests.Components;
using FedChat.Web.Components.Shared;
using FedChat.Web.Dashboard;
using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Tests.Dashboard;

/// <summary>
/// What the map draws for refusals from senders that are not on it (the "strangers" node), and for
/// peers that refused relayed copies from us (a badge on the node, and a line in its details).
/// </summary>
public class StrangersAndRelayMarkupTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private static readonly PeerInfo Bob = new()
    {
        Url = new Uri("http://192.168.1.101:5080/"),
        Name = "bob",
        Status = PeerStatus.Online,
        FirstSeen = Now.AddMinutes(-10),
        LastSeen = Now,
        Version = "1.0.0",
        Users = 1,
    };

    private static readonly string BobKey = PeerDirectory.KeyOf(Bob.Url);

    [Fact]
    public async Task Render_AnUnsignedForgeryNamingNoServer_PulsesFromTheStrangersNode_WithItsCount()
    {
        // An unsigned forgery whose actor could not be read: the log has no server for it (PeerKey null).
        FederationLogEntry[] recent = [new(1, Now.AddSeconds(-1), FederationLogKind.ActivityRejected, null, "Refused (401) from an unknown sender", "no signature", ActivityVerdict.Rejected)];

        var document = await RenderMapAsync(PeerMapMarkupTests.Snapshot([Bob], recent: recent));

        var strangers = document.QuerySelector(".strangers-node")!;
        Assert.Equal("Strangers, senders not on the map: 1 activity from them rejected", strangers.GetAttribute("aria-label"));
        Assert.Equal("✗ 1 rejected", strangers.QuerySelector(".strangers-count")!.TextContent);
        var at = MapLayout.StrangersPoint(1);
        Assert.Equal((Num(at.X), Num(at.Y)), (strangers.GetAttribute("data-x"), strangers.GetAttribute("data-y")));

        // The ✗ travels from the strangers node to us, along its own line, and its badge counts it.
        var pulse = document.QuerySelector(".pulse.verdict-rejected")!;
        Assert.Equal("✗", pulse.TextContent.Trim());
        Assert.Contains($"--from-x: {Num(at.X)}px; --from-y: {Num(at.Y)}px", pulse.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal("✗1", document.QuerySelector($".edge-marker[data-peer='{PeerMap.StrangersKey}']")!.TextContent.Trim());
        Assert.Single(document.QuerySelectorAll("line.edge.verdict-rejected"));
    }

    [Fact]
    public async Task Render_ARefusalClaimingAServerNotOnTheMap_AlsoComesFromTheStrangers()
    {
        const string unknown = "http://10.9.9.9:1";
        var traffic = new Dictionary<string, PeerTraffic> { [unknown] = new(unknown, 0, 0, 2, ActivityVerdict.Rejected, Now) };
        FederationLogEntry[] recent = [new(1, Now.AddSeconds(-1), FederationLogKind.ActivityRejected, unknown, "Refused (401)", "bad signature", ActivityVerdict.Rejected)];

        var document = await RenderMapAsync(PeerMapMarkupTests.Snapshot([Bob], traffic, recent));

        Assert.Equal("✗ 2 rejected", document.QuerySelector(".strangers-node .strangers-count")!.TextContent);
        Assert.Single(document.QuerySelectorAll(".pulse.verdict-rejected"));
    }

    [Fact]
    public async Task Render_NoRefusalsFromStrangers_DrawsNoStrangersNode()
    {
        var document = await RenderMapAsync(PeerMapMarkupTests.Snapshot([Bob]));

        Assert.Empty(document.QuerySelectorAll(".strangers-node"));
        Assert.Empty(document.QuerySelectorAll("line.edge"));
    }

    [Fact]
    public void StrangersPoint_IsInsideTheViewBox_AndAwayFromEverySlot()
    {
        foreach (var rings in new[] { 1, 2, 3, 4 })
        {
            var at = MapLayout.StrangersPoint(rings);
            var box = MapLayout.ViewBox(rings).Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            Assert.InRange(at.X, box[0] + MapLayout.NodeRadius, box[0] + box[2] - MapLayout.NodeRadius);
            Assert.InRange(at.Y + MapLayout.NodeRadius + 54, box[1], box[1] + box[3]); // its two lines of label fit too
            var slots = Enumerable.Range(0, Math.Max(rings, 2)).SelectMany(r => Enumerable.Range(0, MapLayout.SlotsOn(r)).Select(s => MapLayout.PointOf(r, s)));
            var closest = slots.Min(p => Math.Sqrt(Math.Pow(p.X - at.X, 2) + Math.Pow(p.Y - at.Y, 2)));
            Assert.True(closest >= 2 * MapLayout.NodeRadius + 60, $"with {rings} rings the strangers node is {closest:0} from a server's slot");
        }
    }

    [Fact]
    public async Task Render_APeerThatRefusedRelayedCopies_GetsABadge_AndItsDetailsSayWhy()
    {
        var data = PeerMapMarkupTests.Snapshot([Bob]) with
        {
            Relayed = new Dictionary<string, RelayedCopies> { [BobKey] = new(BobKey, 3, 2, "The inbox answered 401 Unauthorized: the proof does not verify", Now) },
        };

        var map = await RenderMapAsync(data);
        var details = await RenderAsync<PeerDetails>(new() { ["Data"] = data, ["Key"] = BobKey });

        var badge = map.QuerySelector($".relay-refusal[data-peer='{BobKey}']")!;
        Assert.Equal("relay ✗2", badge.TextContent.Trim());
        Assert.Equal("bob refused 2 relayed copies from this server", badge.GetAttribute("aria-label"));
        Assert.Equal("accepted 3, refused 2 (last reason: The inbox answered 401 Unauthorized: the proof does not verify)",
            details.QuerySelector("#peer-relayed")!.TextContent);
    }

    [Fact]
    public async Task Render_APeerThatAcceptedEveryRelayedCopy_HasNoBadge_ButItsDetailsCountThem()
    {
        var data = PeerMapMarkupTests.Snapshot([Bob]) with { Relayed = new Dictionary<string, RelayedCopies> { [BobKey] = new(BobKey, 4, 0, null, Now) } };

        var map = await RenderMapAsync(data);
        var details = await RenderAsync<PeerDetails>(new() { ["Data"] = data, ["Key"] = BobKey });

        Assert.Empty(map.QuerySelectorAll(".relay-refusal"));
        Assert.Equal("accepted 4, refused 0", details.QuerySelector("#peer-relayed")!.TextContent);
    }

    private Task<INodeList> RenderMapAsync(DashboardSnapshot data) =>
        RenderAsync<PeerMap>(new() { ["Data"] = data }, services => services.AddSingleton(new MapLayout()));

    private static string Num(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
