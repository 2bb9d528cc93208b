using System.Net;
using System.Net.Http.Json;
using System.Text;
using FedChat.Core.Discovery;
using FedChat.Core.Identity;
using FedChat.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedChat.Tests.Discovery;

/// <summary><c>GET/POST /api/peers</c> on real servers on loopback, and the HTTP peer checks that use them.</summary>
public class PeerEndpointTests
{
    [Fact]
    public async Task Get_ListsTheServerItself_AndItsPeers()
    {
        await using var server = await RunningServer.StartAsync("server-a");
        using var client = server.CreateClient();

        var list = await client.GetFromJsonAsync<PeerListResponse>("/api/peers");

        Assert.Equal(("server-a", server.BaseUrl.ToString(), "Online"), (list!.Self.Name, list.Self.Url, list.Self.Status));
        Assert.Empty(list.Peers);
    }

    [Fact]
    public async Task Post_CheckIn_OfTheSendersOwnServer_AddsIt_AsItsNodeInfoDescribesIt()
    {
        await using var server = await RunningServer.StartAsync("server-a");
        await using var bob = await RunningServer.StartAsync("bob");
        await bob.RegisterAsync("bob");
        using var client = server.CreateClient();

        // The request comes from 127.0.0.1, and bob's server is on 127.0.0.1: it may check itself in.
        var response = await client.PostAsJsonAsync("/api/peers", new PeerCheckIn(bob.BaseUrl.ToString(), "b\u202Eob", "1.0.0", 999_999));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var peer = Assert.Single((await response.Content.ReadFromJsonAsync<PeerListResponse>())!.Peers);
        Assert.Equal(("bob", bob.BaseUrl.ToString(), 1, "Rendezvous"), (peer.Name, peer.Url, peer.Users, peer.Sources));
    }

    [Fact]
    public async Task Post_CheckIn_ForAServerOnAnotherHost_Is400_AndNothingIsAdded()
    {
        await using var server = await RunningServer.StartAsync("server-a");
        using var client = server.CreateClient();

        var response = await client.PostAsJsonAsync("/api/peers", new PeerCheckIn("http://10.0.0.7:5080/", "bob", "1.0.0", 3));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("a server can only check itself in", await response.Content.ReadAsStringAsync());
        Assert.Empty((await client.GetFromJsonAsync<PeerListResponse>("/api/peers"))!.Peers);
    }

    [Fact]
    public async Task Post_CheckIn_WhereNoServerAnswersNodeInfo_OrWithAbsurdNumbers_Is400()
    {
        await using var server = await RunningServer.StartAsync("server-a");
        using var client = server.CreateClient();
        var nobody = $"http://127.0.0.1:{RunningServer.FreePort()}/";

        var noNodeInfo = await client.PostAsJsonAsync("/api/peers", new PeerCheckIn(nobody, "ghost", null, 1));
        var tooMany = await client.PostAsJsonAsync("/api/peers", new PeerCheckIn(server.BaseUrl.ToString().Replace("127.0.0.1", "localhost"), "big", null, int.MaxValue));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (noNodeInfo.StatusCode, tooMany.StatusCode));
        Assert.Contains("did not answer with a NodeInfo document", await noNodeInfo.Content.ReadAsStringAsync());
        Assert.Contains("'users' must be between 0 and 1000000", await tooMany.Content.ReadAsStringAsync());
        Assert.Empty((await client.GetFromJsonAsync<PeerListResponse>("/api/peers"))!.Peers);
    }

    [Theory]
    [InlineData("ftp://10.0.0.7/")]
    [InlineData("not a url")]
    [InlineData("/relative/path")]
    [InlineData("")]
    public async Task Post_WithABadUrl_Is400ProblemDetails(string url)
    {
        await using var server = await RunningServer.StartAsync("server-a");
        using var client = server.CreateClient();

        var response = await client.PostAsJsonAsync("/api/peers", new PeerCheckIn(url, "bob", null, null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty((await client.GetFromJsonAsync<PeerListResponse>("/api/peers"))!.Peers);
    }

    [Fact]
    public async Task Post_WithOurOwnUrl_OrTooLongName_Is400()
    {
        await using var server = await RunningServer.StartAsync("server-a");
        using var client = server.CreateClient();

        var own = await client.PostAsJsonAsync("/api/peers", new PeerCheckIn(server.BaseUrl.ToString(), "me", null, null));
        var longName = await client.PostAsJsonAsync("/api/peers", new PeerCheckIn("http://10.0.0.7:5080/", new string('x', 101), null, null));

        Assert.Equal((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest), (own.StatusCode, longName.StatusCode));
    }

    [Fact]
    public async Task Post_WithAHugeBody_Is413()
    {
        await using var server = await RunningServer.StartAsync("server-a");
        using var client = server.CreateClient();
        var body = $"{{\"url\":\"http://10.0.0.7:5080/\",\"name\":\"{new string('x', 100_000)}\"}}";

        var response = await client.PostAsync("/api/peers", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task StaticPeer_ThatAnswers_IsOnline_OneThatDoesNot_IsUnreachable()
    {
        await using var bob = await RunningServer.StartAsync("bob");
        var (exchange, directory) = ExchangeFor(new Uri("http://127.0.0.1:1/"));
        var closedPort = new Uri($"http://127.0.0.1:{RunningServer.FreePort()}/");

        await exchange.CheckStaticPeerAsync(bob.BaseUrl, CancellationToken.None);
        await exchange.CheckStaticPeerAsync(closedPort, CancellationToken.None);

        Assert.Equal(("bob", PeerStatus.Online), (directory.Find(bob.BaseUrl)!.Name, directory.Find(bob.BaseUrl)!.Status));
        Assert.Equal(PeerStatus.Unreachable, directory.Find(closedPort)!.Status);
    }

    [Fact]
    public async Task CheckIn_AtARendezvousServer_BothSidesKnowEachOther()
    {
        await using var facilitator = await RunningServer.StartAsync("facilitator");
        await using var carol = await RunningServer.StartAsync("carol"); // the facilitator reads its NodeInfo before adding it
        var carolUrl = carol.BaseUrl;
        var (exchange, directory) = ExchangeFor(carolUrl);

        await exchange.CheckInAsync(facilitator.BaseUrl, CancellationToken.None);

        Assert.Equal(PeerStatus.Online, directory.Find(facilitator.BaseUrl)!.Status);
        Assert.Equal("carol", facilitator.Get<PeerDirectory>().Find(carolUrl)!.Name);
    }

    private static (PeerExchange Exchange, PeerDirectory Directory) ExchangeFor(Uri self)
    {
        var clock = new ManualTimeProvider();
        var instance = new InstanceInfo { Name = "carol", BaseUrl = self };
        var directory = new PeerDirectory(instance, new Core.Events.EventFeed(NullLogger<Core.Events.EventFeed>.Instance), clock, NullLogger<PeerDirectory>.Instance);
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var exchange = new PeerExchange(http, directory, instance, new MdnsOptions(), _ => Task.FromResult(0), NullLogger<PeerExchange>.Instance, clock);
        return (exchange, directory);
    }
}
