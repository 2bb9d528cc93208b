using System.Diagnostics;
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
        var servers = new List<(Process Process, string Data, Task<string> Log)>();
        try
        {
            foreach (var name in new[] { "a", "b", "c" })
            {
                var data = Path.Combine(root, name);
                // Port 0 lets the OS pick a free port; the log says which.
                servers.Add(Start($"--urls http://0.0.0.0:0 --FedChat:DataDirectory={data} --FedChat:InstanceName={name}", data));
            }

            var ports = new List<int>();
            foreach (var (process, data, log) in servers)
            {
                var output = await log;
                var port = int.Parse(Regex.Match(output, @"Open http://localhost:(\d+) in a browser").Groups[1].Value);
                Assert.Matches(new Regex($@"Others on the same network open http://([0-9.]+|localhost):{port}/"), output);
                Assert.Contains($"Data directory: {data}", output);
                Assert.True(File.Exists(Path.Combine(data, "fedchat.db")), "each server has its own SQLite file");
                ports.Add(port);
            }
            Assert.Equal(3, ports.Distinct().Count());

            // Registering on one server must not create the account on the others.
            using var client = new HttpClient();
            var first = ports[0];
            var token = await client.PostAsync($"http://127.0.0.1:{first}/api/token",
                new StringContent("{\"username\":\"nobody\",\"password\":\"whatever1\"}", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
            foreach (var port in ports)
            {
                Assert.Equal("Healthy", await client.GetStringAsync($"http://127.0.0.1:{port}/healthz"));
            }
        }
        finally
        {
            foreach (var (process, _, _) in servers)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
                process.Dispose();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Starts FedChat.Web.dll (built next to the tests) and collects its output until it says where its data is.</summary>
    private static (Process, string, Task<string>) Start(string arguments, string data)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "FedChat.Web.dll");
        var info = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments} --environment Development")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["Logging__Console__FormatterName"] = "simple";
        var process = Process.Start(info)!;
        var log = new System.Text.StringBuilder();
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
                if (e.Data?.Contains("Data directory:") == true)
                {
                    ready.TrySetResult(log.ToString());
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (log)
            {
                log.AppendLine(e.Data);
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"Server {arguments} exited early:\n{log}"));
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, data, ready.Task.WaitAsync(TimeSpan.FromSeconds(60)));
    }
}
