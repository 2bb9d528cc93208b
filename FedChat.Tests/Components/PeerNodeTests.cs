using Bunit;
using FedChat.Core.Discovery;
using FedChat.Web.Components.Shared;
using FedChat.Web.Dashboard;

namespace FedChat.Tests.Components;

/// <summary>One server on the map, in each of its states: colour class, shape and words together.</summary>
public class PeerNodeTests : ComponentTest
{
    [Theory]
    [InlineData(PeerStatus.Online, "status-online", "● online")]
    [InlineData(PeerStatus.Gone, "status-gone", "○ gone")]
    [InlineData(PeerStatus.Unreachable, "status-unreachable", "⚠ unreachable")]
    public void EachStatus_HasItsClassIconAndWords(PeerStatus status, string cssClass, string line)
    {
        var node = RenderNode(status);

        var group = node.Find("g.peer-node");
        Assert.Contains(cssClass, group.ClassList);
        Assert.Equal(line, string.Join(' ', group.QuerySelector(".node-status")!.TextContent.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(status == PeerStatus.Unreachable, group.QuerySelector(".warning-mark") is not null);
        Assert.StartsWith($"bob: {PeerNode.StatusText(status)}, 3 users", group.QuerySelector("title")!.TextContent);
    }

    [Fact]
    public void ClickEnterAndSpace_SelectIt_LikeAButton()
    {
        var selected = 0;
        var node = Render<PeerNode>(p => p.Add(n => n.Key, "http://b:1").Add(n => n.Name, "bob").Add(n => n.OnSelect, () => selected++));

        var group = node.Find("g.peer-node");
        Assert.Equal("button", group.GetAttribute("role"));
        Assert.Equal("0", group.GetAttribute("tabindex"));
        group.Click();
        group.KeyDown("Enter");
        group.KeyDown(" ");
        group.KeyDown("a");
        Assert.Equal(3, selected);
    }

    [Fact]
    public void ThisServer_IsMarkedYou_AndALongNameIsShortened()
    {
        var node = Render<PeerNode>(p => p.Add(n => n.Key, "http://a:1").Add(n => n.Name, "a-very-long-laptop-name-indeed").Add(n => n.IsSelf, true));

        Assert.Equal("you", node.Find(".you-label").TextContent);
        Assert.Equal("a-very-long-l…", node.Find(".node-name").TextContent);
        Assert.StartsWith("This server, a-very-long-laptop-name-indeed", node.Find("g.peer-node > title").TextContent);
    }

    private IRenderedComponent<PeerNode> RenderNode(PeerStatus status) =>
        Render<PeerNode>(p => p.Add(n => n.Key, "http://b:1").Add(n => n.Name, "bob").Add(n => n.Status, status)
            .Add(n => n.Users, 3).Add(n => n.Position, new MapPoint(10, 20)));
}
