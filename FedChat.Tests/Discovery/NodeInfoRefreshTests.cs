using System.Text.Json.Nodes;
using FedChat.Core.Discovery;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;

namespace FedChat.Tests.Discovery;

public class NodeInfoRefreshTests
{
    [Fact]
    public void Parse_ReadsAMastodonStyleDocument()
    {
        var document = JsonNode.Parse("""
            {"version":"2.0","software":{"name":"mastodon","version":"4.3.0"},"protocols":["activitypub"],
             "usage":{"users":{"total":12,"activeMonth":3},"localPosts":99},"openRegistrations":false,
             "metadata":{"nodeName":"Town square"}}
            """);

        var metadata = NodeInfoClient.Parse(document);

        Assert.Equal(new NodeInfoMetadata("Town square", "mastodon", "4.3.0", 12), metadata);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("{\"software\":{\"name\":42},\"usage\":{\"users\":{\"total\":\"many\"}}}")]
    public void Parse_WrongShapes_GiveNullsNotExceptions(string json)
    {
        var metadata = NodeInfoClient.Parse(JsonNode.Parse(json));

        Assert.True(metadata is null || metadata == new NodeInfoMetadata(null, null, null, null));
    }

    [Fact]
    public async Task StaticPeer_IsDescribedFromItsNodeInfo_EvenWithMdnsOff()
    {
        await using var b = await RunningServer.StartAsync("server-b");
        await b.RegisterAsync("bob");
        await b.RegisterAsync("carol");

        await using var a = await RunningServer.StartAsync("server-a", $"--FedChat:Discovery:StaticPeers:0={b.BaseUrl}");
        var directory = a.Get<PeerDirectory>();
        PeerInfo? peer = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!deadline.IsCancellationRequested && (peer = directory.Find(b.BaseUrl))?.Software is null)
        {
            await Task.Delay(50);
        }

        Assert.NotNull(peer);
        Assert.Equal(("server-b", "fedchat", 2, PeerStatus.Online), (peer.Name, peer.Software, peer.Users, peer.Status));
        Assert.False(string.IsNullOrEmpty(peer.Version));
    }
}
