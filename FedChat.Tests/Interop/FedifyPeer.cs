using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FedChat.Tests.Support;

namespace FedChat.Tests.Interop;

/// <summary>
/// The Fedify test peer (fedify-peer/peer.mjs, a small Node app on @fedify/fedify) as a running
/// process on a loopback port, with its user <c>fred</c> and its JSON control API. Stopped by its own
/// pid when disposed. See fedify-peer/peer.mjs for what each control call does.
/// </summary>
internal sealed class FedifyPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private FedifyPeer(Process process, int port, StringBuilder output)
    {
        _process = process;
        Port = port;
        _output = output;
    }

    /// <summary>Gets the folder with peer.mjs and its node_modules (installed by <c>npm ci</c>).</summary>
    public static string PeerDirectory => Path.Combine(ChromiumBrowser.RepositoryRoot, "FedChat.Tests", "Interop", "fedify-peer");

    /// <summary>Gets why the peer cannot run here, or null when it can: node and the installed packages are needed.</summary>
    public static string? MissingReason =>
        FindNode() is null ? "node was not found on PATH (Debian: sudo apt-get install nodejs npm)."
        : !Directory.Exists(Path.Combine(PeerDirectory, "node_modules", "@fedify", "fedify"))
            ? $"the Fedify peer's packages are not installed: run `npm ci` in {PeerDirectory}."
            : null;

    /// <summary>Gets the peer's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Gets the peer's base URL.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>Gets fred's actor id.</summary>
    public string FredId => $"http://127.0.0.1:{Port}/users/fred";

    /// <summary>Gets fred's handle.</summary>
    public string FredHandle => $"@fred@127.0.0.1:{Port}";

    /// <summary>Gets what the peer printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts the peer and waits until it listens.</summary>
    /// <param name="firstKnock">The HTTP signature spec Fedify tries first: <c>rfc9421</c> or <c>draft-cavage-http-signatures-12</c>.</param>
    public static async Task<FedifyPeer> StartAsync(string firstKnock = "rfc9421")
    {
        var info = new ProcessStartInfo(FindNode()!, "peer.mjs")
        {
            WorkingDirectory = PeerDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PORT"] = "0";
        info.Environment["FIRST_KNOCK"] = firstKnock;
        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Read(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (output)
            {
                output.AppendLine(line);
            }
            if (line.StartsWith("listening ", StringComparison.Ordinal))
            {
                listening.TrySetResult(int.Parse(line["listening ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (ready != listening.Task)
        {
            process.Kill();
            throw new InvalidOperationException($"The Fedify peer did not start:\n{output}");
        }
        return new FedifyPeer(process, listening.Task.Result, output);
    }

    /// <summary>Asks Fedify to look up a handle or URL and to say what it parsed (keys, assertion methods).</summary>
    public Task<JsonObject> LookUpAsync(string handleOrUrl) => ControlAsync("lookup", new JsonObject { ["handle"] = handleOrUrl.TrimStart('@') });

    /// <summary>Makes fred send one activity to a FedChat actor; Fedify signs it and adds its Ed25519 proof.</summary>
    public Task<JsonObject> SendAsync(JsonObject input) => ControlAsync("send", input);

    /// <summary>Makes fred send a forged request ("tampered" or "impersonate") and returns FedChat's answer.</summary>
    public Task<JsonObject> ForgeAsync(string kind, string to) => ControlAsync("forge", new JsonObject { ["kind"] = kind, ["to"] = to });

    /// <summary>Gets what fred's inbox accepted, Fedify's proof verdicts, and the requests it refused.</summary>
    public Task<JsonObject> ReceivedAsync() => ControlAsync("received", []);

    /// <summary>The activities fred's inbox accepted.</summary>
    public async Task<IReadOnlyList<JsonObject>> AcceptedAsync() =>
        (await ReceivedAsync())["received"]!.AsArray().Select(a => a!.AsObject()).ToList();

    private async Task<JsonObject> ControlAsync(string name, JsonObject input)
    {
        using var response = await _http.PostAsJsonAsync(new Uri(BaseUrl, "control/" + name), input);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"The Fedify peer's control '{name}' failed ({(int)response.StatusCode}): {text}\n{Output}");
        return JsonNode.Parse(text)!.AsObject();
    }

    private static string? FindNode() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "node"))
            .FirstOrDefault(File.Exists);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

/// <summary>
/// A test against the Fedify peer. Without node or its packages it is skipped with the reason on a
/// laptop; in CI (<c>CI=true</c>) it always runs, so a missing peer fails loudly.
/// </summary>
public sealed class FedifyFactAttribute : FactAttribute
{
    public FedifyFactAttribute()
    {
        if (FedifyPeer.MissingReason is { } reason && !ChromiumBrowser.IsCi)
        {
            Skip = "The Fedify peer cannot run: " + reason;
        }
    }
}

/// <summary>A theory against the Fedify peer; skipped like <see cref="FedifyFactAttribute"/>.</summary>
public sealed class FedifyTheoryAttribute : TheoryAttribute
{
    public FedifyTheoryAttribute()
    {
        if (FedifyPeer.MissingReason is { } reason && !ChromiumBrowser.IsCi)
        {
            Skip = "The Fedify peer cannot run: " + reason;
        }
    }
}
