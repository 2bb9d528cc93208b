using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Tests.Support;

namespace FedChat.Tests.Forge;

/// <summary>Turning <c>@user@host:port</c> into an actor and its inbox, against real servers.</summary>
public class WebFingerClientTests
{
    [Fact]
    public async Task Resolve_ARealServersUser_GivesTheActorAndItsInboxes()
    {
        await using var rig = await ForgeRig.StartAsync();
        var urls = rig.B.Get<ActorUrls>();

        var actor = await rig.A.Get<WebFingerClient>().ResolveAsync($"@Guilherme@127.0.0.1:{rig.B.Port}");

        Assert.Equal($"@guilherme@127.0.0.1:{rig.B.Port}", actor.Handle);
        Assert.Equal(urls.ActorId("guilherme"), actor.ActorId.ToString());
        Assert.Equal(urls.Inbox("guilherme"), actor.Inbox.ToString());
        Assert.Equal(urls.SharedInbox, actor.SharedInbox?.ToString());
    }

    [Fact]
    public async Task Resolve_AnUnknownUser_SaysThereIsNoSuchUser()
    {
        await using var rig = await ForgeRig.StartAsync();

        var error = await Assert.ThrowsAsync<FetchFailedException>(() => rig.A.Get<WebFingerClient>().ResolveAsync($"@nobody@127.0.0.1:{rig.B.Port}"));

        Assert.StartsWith($"There is no user nobody on 127.0.0.1:{rig.B.Port}", error.Message);
    }

    [Fact]
    public async Task Resolve_OnADeadHost_SaysItCouldNotBeReached_Quickly()
    {
        await using var rig = await ForgeRig.StartAsync();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<FetchFailedException>(() => rig.A.Get<WebFingerClient>().ResolveAsync($"@alice@127.0.0.1:{RunningServer.FreePort()}"));

        Assert.StartsWith("Could not reach 127.0.0.1:", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Resolve_OnAHostThatNeverAnswers_GivesUpAfterTheRequestTimeout()
    {
        await using var rig = await ForgeRig.StartAsync("--FedChat:Federation:RequestTimeout=00:00:01");
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts connections, never answers
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<FetchFailedException>(() => rig.A.Get<WebFingerClient>().ResolveAsync($"@alice@127.0.0.1:{port}"));

        Assert.Equal($"127.0.0.1:{port} did not answer within 1 s.", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("@alice")]
    [InlineData("alice@")]
    [InlineData("@alice@host@other")]
    [InlineData("@alice@host:99999")]
    [InlineData("@ali ce@host")]
    [InlineData("@alice@ho st")]
    public async Task Resolve_AMalformedHandle_SaysHowToWriteOne_WithoutAnyRequest(string handle)
    {
        await using var server = await RunningServer.StartAsync();

        var error = await Assert.ThrowsAsync<FetchFailedException>(() => server.Get<WebFingerClient>().ResolveAsync(handle));

        Assert.Contains("is not a handle: write it as @user@host:port", error.Message);
    }

    [Theory]
    [InlineData("@alice@192.168.1.23:5080", "alice", "192.168.1.23:5080")]
    [InlineData("alice@example.org", "alice", "example.org")]
    [InlineData("acct:Alice@Example.org", "alice", "example.org")]
    [InlineData(" @bob@[::1]:5080 ", "bob", "[::1]:5080")]
    public void TryParseHandle_AcceptsTheUsualSpellings(string handle, string user, string host)
    {
        Assert.True(WebFingerClient.TryParseHandle(handle, out var parsedUser, out var parsedHost, out var error), error);
        Assert.Equal((user, host), (parsedUser, parsedHost));
    }
}
