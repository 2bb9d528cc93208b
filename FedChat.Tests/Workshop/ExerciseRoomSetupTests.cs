using System.Text.Json.Nodes;
using FedChat.Core.Discovery;
using FedChat.Tests.Support;

namespace FedChat.Tests.Workshop;

/// <summary>
/// What the room needs for the exercises: a server that can say it runs another version (Exercise 1
/// shows versions in colour, and every laptop runs the same clone), and a `dotnet watch` that does not
/// see the server's own database writes as edits.
/// </summary>
public class ExerciseRoomSetupTests
{
    [Fact]
    public async Task VersionSetting_IsTheVersionOtherServersAndTheMapSee()
    {
        await using var b = await RunningServer.StartAsync("server-b", "--FedChat:Version=1.1.0");
        await using var a = await RunningServer.StartAsync("server-a", $"--FedChat:Discovery:StaticPeers:0={b.BaseUrl}");
        using var client = b.CreateClient();

        var nodeInfo = JsonNode.Parse(await client.GetStringAsync("/nodeinfo/2.1"))!;
        var peers = JsonNode.Parse(await client.GetStringAsync("/api/peers"))!;
        // Server A finds B as a static peer and reads its NodeInfo, as the map does for every server.
        var seen = await Eventually.WaitForAsync(() => Task.FromResult(a.Get<PeerDirectory>().Find(b.BaseUrl)?.Version),
            version => version is not null, "server A to read server B's version");

        Assert.Equal("1.1.0", (string?)nodeInfo["software"]!["version"]);
        Assert.Equal("1.1.0", (string?)peers["self"]!["version"]);
        Assert.Equal("1.1.0", seen);
        Assert.Equal(LocalService.SoftwareVersion, a.Get<Core.Identity.InstanceInfo>().Version);
        Assert.NotEqual("1.1.0", LocalService.SoftwareVersion);
    }

    [Fact]
    public void DiscoveryTxt_AnnouncesTheVersionItIsGiven()
    {
        var txt = LocalService.BuildTxt("sam", new Uri("http://192.168.1.24:5080/"), 2, version: "1.1.0");

        Assert.Equal("1.1.0", txt["version"]);
        Assert.Equal(LocalService.SoftwareVersion, LocalService.BuildTxt("sam", new Uri("http://192.168.1.24:5080/"), 2)["version"]);
    }

    /// <summary>
    /// `dotnet watch` reports a change to any of the project's items ("File updated: …/fedchat.db-wal" on
    /// every database write, when the data directory sat inside FedChat.Web). The data folder must not be
    /// one: asked of MSBuild itself, with a database file and a key file placed there for the test.
    /// </summary>
    [Fact]
    public void DataFolder_IsNotPartOfTheWebProject_SoDotnetWatchIgnoresDatabaseWrites()
    {
        var web = Path.Combine(RepositoryCopy.Root, "FedChat.Web");
        var probe = Path.Combine(web, "data", "items-probe-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(probe);
        try
        {
            File.WriteAllText(Path.Combine(probe, "fedchat.db-wal"), "");
            File.WriteAllText(Path.Combine(probe, "keys.json"), "{}");

            var items = RepositoryCopy.Run("dotnet", web, TimeSpan.FromMinutes(3),
                "msbuild", "FedChat.Web.csproj", "-nologo", "-getItem:None", "-getItem:Content", "-getItem:Compile", "-getItem:Watch");

            Assert.True(items.ExitCode == 0, items.Output);
            Assert.Contains("wwwroot/app.css", items.Output, StringComparison.Ordinal); // the listing works: real items are in it
            Assert.DoesNotContain("items-probe-", items.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(probe, recursive: true);
        }
    }
}
