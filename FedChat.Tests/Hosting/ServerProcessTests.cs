using System.Net;
using System.Text.RegularExpressions;
using FedChat.Tests.Support;

namespace FedChat.Tests.Hosting;

/// <summary>
/// Runs the server the way README.md tells people to: as its own process with --urls and a data
/// directory on the command line. Three side by side, each with its own database.
/// </summary>
[Trait("Speed", "Slow")]
public class ServerProcessTests
{
    [Fact]
    public async Task ThreeServersSideBySide_EachPrintsItsUrlsAndDataDirectory_AndKeepsItsOwnData()
    {
        var root = Path.Combine(Path.GetTempPath(), "fedchat-tests", "processes-" + Guid.NewGuid().ToString("N"));
        var servers = new List<(ServerProcess Process, string Data)>();
        try
        {
            foreach (var name in new[] { "a", "b", "c" })
            {
                var data = Path.Combine(root, name);
                // Port 0 lets the OS pick a free port; the log says which.
                servers.Add((await ServerProcess.StartAsync("--urls", "http://0.0.0.0:0", $"--FedChat:DataDirectory={data}", $"--FedChat:InstanceName={name}", "--FedChat:Discovery:Enabled=false"), data));
            }

            var ports = new List<int>();
            foreach (var (process, data) in servers)
            {
                var output = process.Log;
                var port = int.Parse(Regex.Match(output, @"Open http://localhost:(\d+) in a browser").Groups[1].Value);
                Assert.Matches(new Regex($@"Others on the same network open http://([0-9.]+|localhost):{port}/"), output);
                Assert.Contains($"Data directory: {data}", output);
                Assert.True(File.Exists(Path.Combine(data, "fedchat.db")), "each server has its own SQLite file");
                ports.Add(port);
            }
            Assert.Equal(3, ports.Distinct().Count());

            // Registering on one server must not create the account on the others.
            using var client = new HttpClient();
            var token = await client.PostAsync($"http://127.0.0.1:{ports[0]}/api/token",
                new StringContent("{\"username\":\"nobody\",\"password\":\"whatever1\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
            foreach (var port in ports)
            {
                Assert.Equal("Healthy", await client.GetStringAsync($"http://127.0.0.1:{port}/healthz"));
            }
        }
        finally
        {
            foreach (var (process, _) in servers)
            {
                process.Dispose();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public async Task TheBanner_IsTheFirstThingPrinted_AndOutgoingRequestsAreNotLogged()
    {
        var data = Path.Combine(Path.GetTempPath(), "fedchat-tests", "banner-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var server = await ServerProcess.StartAsync("--urls", "http://127.0.0.1:0", $"--FedChat:DataDirectory={data}", "--FedChat:InstanceName=quiet", "--FedChat:Discovery:Enabled=false");
            var port = int.Parse(Regex.Match(server.Log, @"Open http://127.0.0.1:(\d+) in a browser").Groups[1].Value);
            // Makes the server fetch a NodeInfo document with its HttpClient (it checks itself in under another name).
            using var client = new HttpClient();
            using var checkIn = await client.PostAsync($"http://127.0.0.1:{port}/api/peers",
                new StringContent($"{{\"url\":\"http://localhost:{port}/\",\"name\":\"me again\"}}", System.Text.Encoding.UTF8, "application/json"));

            var lines = server.Log.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
            // The console logger prints a header line ("info: FedChat[0]"), then the message.
            Assert.Equal("info: FedChat[0]", lines[0]);
            Assert.Contains("FedChat server \"quiet\" is running.", lines[1]);
            Assert.Equal(HttpStatusCode.OK, checkIn.StatusCode);
            Assert.DoesNotContain("System.Net.Http.HttpClient", server.Log);
            Assert.DoesNotContain("Microsoft.EntityFrameworkCore", server.Log);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
