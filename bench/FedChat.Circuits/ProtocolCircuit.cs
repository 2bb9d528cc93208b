using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FedChat.Circuits;

/// <summary>
/// One open /map without a browser: a SignalR connection to <c>/_blazor</c> that does what blazor.web.js
/// does for a page (.NET 10). It reads the prerendered page's component markers
/// (<c>&lt;!--Blazor:{...}--&gt;</c>), calls <c>StartCircuit</c>, then <c>UpdateRootComponents</c> with those
/// markers, and from then on acknowledges every render batch with <c>OnRenderCompleted</c> (the server
/// stops sending batches to a client that does not) and answers every JavaScript call with a harmless
/// result, so components that call JS go on. Each batch is stamped when it arrives, and the arrival
/// times of the "what happened" entries it adds are noted (<see cref="RenderBatchText"/>): what this
/// measures is arrival on the server → render batch at the client; there is no DOM and no paint.
/// </summary>
internal sealed partial class ProtocolCircuit : IAsyncDisposable
{
    /// <summary>Gets how often each JavaScript function was called, over every circuit (printed, so a reader sees what was answered).</summary>
    public static ConcurrentDictionary<string, int> JsCalls { get; } = new(StringComparer.Ordinal);

    private readonly HubConnection _connection;
    private readonly string _actorId;
    private readonly TaskCompletionSource _live = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, double> _seen = new(StringComparer.Ordinal); // arrival text → batch received, Unix ms
    private long _nextJsObjectId;
    private volatile bool _acknowledging = true;
    private volatile bool _closing;
    private int _duplicates;
    private int _batches;

    // FEDCHAT_CIRCUITS_LOG=1: the SignalR client's own log; FEDCHAT_CIRCUITS_DUMP=1: every batch's strings, on stderr.
    private static readonly bool DumpBatches = Environment.GetEnvironmentVariable("FEDCHAT_CIRCUITS_DUMP") is not null;

    private ProtocolCircuit(Uri baseUrl, string actorId)
    {
        _actorId = actorId;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(baseUrl, "_blazor"), HttpTransportType.WebSockets);
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol());
        if (Environment.GetEnvironmentVariable("FEDCHAT_CIRCUITS_LOG") is not null)
        {
            builder.ConfigureLogging(logging => logging.AddConsole().SetMinimumLevel(LogLevel.Debug));
        }
        _connection = builder.Build();
        _connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        // .NET 10 sends: async handle (0: no answer wanted), function, JSON arguments, result kind, target object, call kind.
        _connection.On<long, string, string?, int, long, int>("JS.BeginInvokeJS", OnBeginInvokeJSAsync);
        _connection.On<long>("JS.EndUpdateRootComponents", _ => { });
        _connection.On<string>("JS.Error", message => Error ??= "the server sent JS.Error: " + message);
        _connection.Closed += error =>
        {
            if (!_closing)
            {
                Error ??= "the connection closed: " + (error?.Message ?? "by the server");
            }
            _live.TrySetException(new InvalidOperationException(Error ?? "closed"));
            return Task.CompletedTask;
        };
    }

    /// <summary>Gets the first thing that went wrong (JS.Error from the server, or the connection closing), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Gets how many render batches arrived.</summary>
    public int Batches => _batches;

    /// <summary>Gets how many times an entry this circuit had already seen came again (0 unless the detection is wrong).</summary>
    public int Duplicates => _duplicates;

    /// <summary>Gets the entries seen: arrival text (the server's <c>ReceivedAt</c>) → when its batch was received, Unix ms.</summary>
    public IReadOnlyDictionary<string, double> Seen => _seen;

    /// <summary>
    /// Opens /map as a browser would (the prerendered HTML, then the circuit) and returns once the page
    /// is live: its first batch with the "live" badge arrived.
    /// </summary>
    public static async Task<ProtocolCircuit> OpenAsync(HttpClient http, Uri baseUrl, string actorId, CancellationToken cancellationToken)
    {
        var page = new Uri(baseUrl, "map");
        var html = await http.GetStringAsync(page, cancellationToken);
        // The markers of interactive components: start markers carry a descriptor, end markers only a prerenderId.
        var markers = MarkerComment().Matches(html)
            .Select(match => JsonNode.Parse(match.Groups[1].Value)!.AsObject())
            .Where(marker => marker["descriptor"] is not null)
            .ToList();
        if (markers.Count == 0)
        {
            throw new InvalidOperationException($"{page} has no Blazor component markers: is it interactive?");
        }
        // Persisted prerender state, when a component kept some; the browser sends it back the same way.
        var state = StateComment().Match(html) is { Success: true } found ? found.Groups[1].Value : "";

        var circuit = new ProtocolCircuit(baseUrl, actorId);
        try
        {
            await circuit._connection.StartAsync(cancellationToken);
            // blazor.web.js starts an empty circuit, then adds the page's components as "add" operations.
            var secret = await circuit._connection.InvokeAsync<string?>("StartCircuit", baseUrl.ToString(), page.ToString(), "[]", state, cancellationToken);
            if (string.IsNullOrEmpty(secret))
            {
                throw new InvalidOperationException("StartCircuit was refused: " + circuit.Error);
            }
            await circuit._connection.SendAsync("UpdateRootComponents", Operations(markers), state, cancellationToken);
            await circuit._live.Task.WaitAsync(cancellationToken);
            return circuit;
        }
        catch
        {
            await circuit.DisposeAsync();
            throw;
        }
    }

    /// <summary>From now on, leaves render batches unacknowledged, as a page whose browser hangs: the server soon stops sending it any.</summary>
    public void StopAcknowledging() => _acknowledging = false;

    private async Task OnRenderBatchAsync(long batchId, byte[] batch)
    {
        // Stamped first, on the same clock the server stamps arrivals with.
        var received = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds;
        Interlocked.Increment(ref _batches);
        var strings = RenderBatchText.Strings(batch);
        if (DumpBatches)
        {
            // For finding out what a batch carries when the detection below seems wrong.
            Console.Error.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {GetHashCode()} BATCH {batchId} {batch.Length}: " + System.Text.Json.JsonSerializer.Serialize(strings.Select(x => x.Length > 80 ? x[..80] : x)));
        }
        foreach (var arrival in RenderBatchText.ArrivalsOf(strings, _actorId))
        {
            if (!_seen.TryAdd(arrival, received))
            {
                Interlocked.Increment(ref _duplicates);
            }
        }
        if (strings.Contains("live-badge"))
        {
            _live.TrySetResult();
        }
        if (_acknowledging)
        {
            await _connection.SendAsync("OnRenderCompleted", batchId, null);
        }
    }

    private async Task OnBeginInvokeJSAsync(long asyncHandle, string identifier, string? argsJson, int resultType, long targetInstanceId, int callType)
    {
        JsCalls.AddOrUpdate(identifier, 1, (_, count) => count + 1);
        if (asyncHandle == 0)
        {
            return;
        }
        // Result kinds (JSCallResultType): 1 wants a JS object reference, which is a JSON object with a
        // "__jsObjectId"; the others (a value, a stream, nothing) get null: nothing on the map reads them.
        var result = resultType == 1
            ? $"{{\"__jsObjectId\":{Interlocked.Increment(ref _nextJsObjectId).ToString(CultureInfo.InvariantCulture)}}}"
            : "null";
        await _connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, $"[{asyncHandle.ToString(CultureInfo.InvariantCulture)},true,{result}]");
    }

    // {"batchId":1,"operations":[{"type":"add","ssrComponentId":1,"marker":{...the marker as found...}}, ...]}
    private static string Operations(List<JsonObject> markers)
    {
        var operations = new JsonArray();
        for (var i = 0; i < markers.Count; i++)
        {
            markers[i]["uniqueId"] = i;
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = markers[i] });
        }
        return new JsonObject { ["batchId"] = 1, ["operations"] = operations }.ToJsonString(JsonSerializerOptions.Web);
    }

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        await _connection.DisposeAsync();
    }

    [GeneratedRegex(@"<!--Blazor:(\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerComment();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:(.*?)-->", RegexOptions.Singleline)]
    private static partial Regex StateComment();
}
