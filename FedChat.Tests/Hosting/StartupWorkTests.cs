using FedChat.Tests.Support;

namespace FedChat.Tests.Hosting;

/// <summary>
/// What a server does at start and what it leaves for first use (issue #16, README "Start-up and idle
/// memory"): a server nobody has opened a page on yet needs no Data Protection key ring.
/// </summary>
public class StartupWorkTests
{
    [Fact]
    public async Task KeyRing_IsMadeOnFirstUse_NotAtStart()
    {
        await using var server = await RunningServer.StartAsync("lazy-keys");
        using var client = server.CreateClient();
        var keys = Path.Combine(server.DataDirectory, "keys");

        Assert.Equal("Healthy", await client.GetStringAsync("/healthz"));
        Assert.False(Directory.Exists(keys) && Directory.EnumerateFiles(keys).Any(), "no key ring is written before a page needs one");

        // The login form carries an antiforgery token, the first thing that needs the key ring.
        Assert.Contains("__RequestVerificationToken", await client.GetStringAsync("/login"));
        Assert.Single(Directory.EnumerateFiles(keys, "key-*.xml"));
    }
}
