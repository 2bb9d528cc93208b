using AngleSharp.Html.Parser;
using FedChat.Core.Discovery;
using FedChat.Tests.Support;

namespace FedChat.Tests.Hosting;

/// <summary>The readiness check at /ready answers its four questions in plain words.</summary>
public class ReadyPageTests
{
    [Fact]
    public async Task Ready_OnALoopbackOnlyServerWithDiscoveryOff_SaysSo()
    {
        await using var server = await RunningServer.StartAsync();

        var page = await GetAsync(server);

        Assert.Contains("Your server is running", page.QuerySelector("#check-server")!.TextContent);
        Assert.Contains("Only this laptop can reach your server", page.QuerySelector("#check-address")!.TextContent);
        Assert.Contains("Discovery on the Wi-Fi is switched off", page.QuerySelector("#check-multicast")!.TextContent);
        Assert.Contains("No other FedChat server seen yet", page.QuerySelector("#check-peers")!.TextContent);
    }

    [Fact]
    public async Task Ready_WithALanAddressAndAPeer_ShowsTheAddressAndThePeer()
    {
        await using var peer = await RunningServer.StartAsync("server-b");
        await using var server = await RunningServer.StartAsync("server-a", "--FedChat:PublicBaseUrl=http://192.168.1.23:5080/");
        server.Get<PeerDirectory>().ReportSeen(new PeerSighting(peer.BaseUrl, "server-b", PeerSources.Static));

        var page = await GetAsync(server);

        Assert.Equal("http://192.168.1.23:5080/", page.QuerySelector("#public-url")!.TextContent);
        Assert.Contains("1 other FedChat server seen", page.QuerySelector("#check-peers")!.TextContent);
        Assert.Contains("server-b", page.QuerySelector("#check-peers")!.TextContent);
    }

    private static async Task<AngleSharp.Html.Dom.IHtmlDocument> GetAsync(RunningServer server)
    {
        using var client = server.CreateClient();
        return new HtmlParser().ParseDocument(await client.GetStringAsync("ready"));
    }
}
