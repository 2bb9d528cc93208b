using AngleSharp.Dom;
using FedChat.Core.Dashboard;
using FedChat.Tests.Components;
using FedChat.Web.Components.Shared;

namespace FedChat.Tests.Dashboard;

/// <summary>The "what happened" panel and the join QR code.</summary>
public class DashboardPanelMarkupTests : ComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task ActivityFeedPanel_ShowsEachVerdictWithIconWordsAndReason()
    {
        FederationLogEntry[] entries =
        [
            new(3, Now, FederationLogKind.ActivityRejected, "http://b:1", "Refused (401) from http://b:1/users/bob", "The request has no signature.", ActivityVerdict.Rejected),
            new(2, Now, FederationLogKind.ActivityAccepted, "http://b:1", "Create from http://b:1/users/bob", "signed by its author; author's proof: missing", ActivityVerdict.TransportSigned),
            new(1, Now, FederationLogKind.PeerJoined, "http://b:1", "bob joined", "http://b:1/", null),
        ];

        var document = await RenderAsync<ActivityFeedPanel>(new() { ["Entries"] = entries });

        var items = document.QuerySelectorAll("li.activity-entry");
        Assert.Equal(3, items.Length);
        Assert.Equal("✗", items[0].QuerySelector(".activity-icon")!.TextContent);
        Assert.Equal("rejected:", items[0].QuerySelector(".visually-hidden")!.TextContent.Trim());
        Assert.Equal("The request has no signature.", items[0].QuerySelector(".activity-detail")!.TextContent);
        Assert.Contains("verdict-rejected", items[0].ClassList);
        Assert.Equal("~", items[1].QuerySelector(".activity-icon")!.TextContent);
        Assert.Equal("+", items[2].QuerySelector(".activity-icon")!.TextContent);
        Assert.Equal("What happened", document.QuerySelector("h2")!.TextContent);
    }

    [Fact]
    public async Task ActivityFeedPanel_WhenEmpty_SaysWhatWillAppear()
    {
        var document = await RenderAsync<ActivityFeedPanel>(new() { ["Entries"] = Array.Empty<FederationLogEntry>() });

        Assert.Contains("Nothing yet", string.Concat(document.Select(n => n.TextContent)));
        Assert.Null(document.QuerySelector("ol"));
    }

    [Fact]
    public async Task JoinQrCode_IsAPngImageNamedByTheJoinUrl_WithTheUrlPrintedUnderIt()
    {
        const string Url = "http://192.168.1.23:5080/register";

        var document = await RenderAsync<JoinQrCode>(new() { ["Url"] = Url });

        var image = document.QuerySelector("img")!;
        Assert.Equal($"QR code: {Url}", image.GetAttribute("alt"));
        var src = image.GetAttribute("src")!;
        Assert.StartsWith("data:image/png;base64,", src);
        var png = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(Url, document.QuerySelector("#join-url")!.TextContent);
    }
}
