using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using FedChat.Core.Discovery;
using FedChat.Tests.Components;
using FedChat.Tests.Support;
using FedChat.Web.Components.Shared;
using FedChat.Workshop.Tests.Support;

namespace FedChat.Workshop.Tests;

/// <summary>Exercise 1: colour the servers on the map by their FedChat version.</summary>
[Trait("Workshop", "Exercise1")]
public class Exercise1MapVersionChecks
{
    /// <summary>The versions a room sees: this clone's own, and the one the guide starts a second server with.</summary>
    private static readonly string[] RoomVersions = [LocalService.SoftwareVersion, "1.1.0", "2.0.0"];

    [Fact]
    public async Task MapNode_HasAClassNamedAfterItsVersion()
    {
        foreach (var (version, expectedClass) in new[] { ("0.1", "version-0-1"), ("1.0.0", "version-1-0"), ("2.3.1-beta", "version-2-3") })
        {
            var classes = (await RenderNodeAsync(version, isSelf: false)).ClassList;

            Check.That(classes.Contains(expectedClass),
                $"The map node for a server running FedChat {version} should have the class '{expectedClass}' on its <g class=\"peer-node …\">, " +
                $"but its classes are '{string.Join(' ', classes)}'. See hint 1 of Exercise 1.");
        }

        // A server that did not say its version (other software, or an old FedChat) gets no version class.
        var unknown = (await RenderNodeAsync(null, isSelf: false)).ClassList;
        Check.That(!unknown.Any(c => c.StartsWith("version-", StringComparison.Ordinal)),
            $"A server that did not say its version should get no 'version-…' class, but its classes are '{string.Join(' ', unknown)}'. See hint 1 of Exercise 1.");
    }

    [Fact]
    public async Task Map_ShowsEachVersionOfTheRoomInItsOwnColour_AndYouStayBlue()
    {
        // The stylesheets exactly as a browser gets them from a real server, and the cascade a browser
        // applies: a rule only counts if it really decides the colour of the circle.
        await using var server = await RunningServer.StartAsync("colours-check");
        var cascade = await StyleCascade.FromServerAsync(server);
        Check.That(cascade.RuleCount > 0, "The server sent no styles at all. Is a stylesheet empty, or did the build fail? Stop `dotnet watch` and run the check again.");

        var fills = new Dictionary<string, StyleRule?>();
        foreach (var version in RoomVersions)
        {
            fills[version] = cascade.Winner(Body(await RenderNodeAsync(version, isSelf: false)), "fill");
        }
        foreach (var (version, other) in RoomVersions.SelectMany(v => RoomVersions.Where(o => string.CompareOrdinal(o, v) > 0).Select(o => (v, o))))
        {
            Check.That(fills[version]?.Value != fills[other]?.Value,
                $"On the map a server running {version} and one running {other} look the same: the fill of both circles comes from " +
                $"{fills[version]?.ToString() ?? "no rule"} and {fills[other]?.ToString() ?? "no rule"}. " +
                $"Give each version of the room its own colour (this clone is {LocalService.SoftwareVersion}; the guide starts a second server with --FedChat:Version=1.1.0), " +
                "with a rule that is more specific than '.status-online .node-body'. A rule in a comment does not count. See hint 2 of Exercise 1.");
        }

        // "You" is always drawn in the primary colour, whatever version your own server says it runs.
        var you = cascade.Winner(Body(await RenderNodeAsync(null, isSelf: true)), "fill");
        foreach (var version in RoomVersions)
        {
            var youWithVersion = cascade.Winner(Body(await RenderNodeAsync(version, isSelf: true)), "fill");
            Check.That(youWithVersion?.Value == you?.Value,
                $"Your own server stopped being blue on the map: when it runs {version}, its circle's fill comes from {youWithVersion?.ToString() ?? "no rule"} " +
                $"instead of {you?.ToString() ?? "no rule"}. Keep the '.self' rule the winner (it is marked !important in PeerNode.razor.css; do not mark yours). See hint 2 of Exercise 1.");
        }
    }

    /// <summary>
    /// Renders one online map node the way the map page does (with its scoped-CSS attribute) inside an
    /// &lt;svg&gt;, and returns its outer &lt;g&gt;.
    /// </summary>
    private static async Task<IElement> RenderNodeAsync(string? version, bool isSelf)
    {
        var rendered = await ComponentRenderer.RenderAsync<PeerNode>(new()
        {
            ["Key"] = "http://192.168.1.24:5080",
            ["Name"] = "sam-laptop",
            ["Status"] = PeerStatus.Online,
            ["Users"] = 2,
            ["Version"] = version,
            ["IsSelf"] = isSelf,
        });
        var page = new HtmlParser().ParseDocument($"<html><body><svg>{rendered.Body!.InnerHtml}</svg></body></html>");
        return page.QuerySelector("g.peer-node") ?? throw new InvalidOperationException("PeerNode rendered no <g class=\"peer-node\">: keep that class on the outer element.");
    }

    private static IElement Body(IElement node) =>
        node.QuerySelector(".node-body") ?? throw new InvalidOperationException("PeerNode rendered no element with class 'node-body': keep the node's circle.");
}
