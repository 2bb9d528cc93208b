using System.Net;
using System.Text.RegularExpressions;
using FedChat.Tests.Support;

namespace FedChat.Tests.Hosting;

/// <summary>
/// Runs the server the way README.md tells people to: as its own process with --urls and a data
/// directory on the command line. Three side by side, each with its own database.
/// </summary>
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
}
