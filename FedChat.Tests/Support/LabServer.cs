using System.Diagnostics;
using System.Text.Json;
using FedChat.Core.Discovery;

namespace FedChat.Tests.Support;

/// <summary>
/// A FedChat server running as its own process inside a network namespace: the built
/// <c>FedChat.Web.dll</c> from the test output folder, started with <c>ip netns exec NS dotnet ...</c>.
/// The test talks to it with <c>curl</c> run in the same namespace, since the test process itself
/// stays outside the lab.
/// </summary>
public sealed class LabServer : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private LabServer(LabProcess process, string ns, Uri baseUrl, string dataDirectory)
    {
        Process = process;
        Namespace = ns;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
    }

    /// <summary>Gets the server's process.</summary>
    public LabProcess Process { get; }

    /// <summary>Gets the namespace it runs in.</summary>
    public string Namespace { get; }

    /// <summary>Gets its base URL, e.g. http://10.99.0.1:5080/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets its data directory (deleted on dispose).</summary>
    public string DataDirectory { get; }

    /// <summary>Starts a server named <paramref name="name"/> on <paramref name="address"/>:5080 in <paramref name="ns"/>.</summary>
    public static LabServer Start(string name, string ns, string address, params string[] extraArgs)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fedchat-tests", $"{ns}-{name}");
        var dll = Path.Combine(AppContext.BaseDirectory, "FedChat.Web.dll");
        var url = new Uri($"http://{address}:5080/");
        string[] command =
        [
            "dotnet", dll,
            "--urls", $"http://{address}:5080",
            $"--FedChat:DataDirectory={dataDirectory}",
            $"--FedChat:InstanceName={name}",
            "--environment", "Development",
            "--contentRoot", AppContext.BaseDirectory,
            "--Logging:LogLevel:FedChat.Core.Discovery=Debug",
            .. extraArgs,
        ];
        return new LabServer(LabProcess.Start("server " + name, ns, null, command), ns, url, dataDirectory);
    }

    /// <summary>Asks the server for <c>GET /api/peers</c>; <see langword="null"/> while it is not answering.</summary>
    public PeerListResponse? GetPeers()
    {
        var (exitCode, output) = NetworkLab.Exec(Namespace, TimeSpan.FromSeconds(3), null,
            "curl", "--silent", "--fail", "--max-time", "2", new Uri(BaseUrl, "/api/peers").ToString());
        return exitCode == 0 ? JsonSerializer.Deserialize<PeerListResponse>(output, Json) : null;
    }

    /// <summary>Polls <paramref name="condition"/> on the peer list every 100 ms until it holds or <paramref name="timeout"/> passes.</summary>
    /// <returns>How long it took, or <see langword="null"/> on timeout.</returns>
    public async Task<TimeSpan?> WaitForAsync(Func<PeerListResponse, bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout && !Process.HasExited)
        {
            if (GetPeers() is { } list && condition(list))
            {
                return clock.Elapsed;
            }

            await Task.Delay(100);
        }

        return null;
    }

    /// <summary>Stops the server (SIGTERM, so it says goodbye) and deletes its data.</summary>
    public void Dispose()
    {
        Process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS temp cleaner.
        }
    }
}
