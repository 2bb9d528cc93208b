using System.Text.Json;
using System.Text.Json.Nodes;
using FedChat.Core.Federation;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Discovery;

/// <summary>What a server's NodeInfo document says about it.</summary>
/// <param name="Name">The server's name (<c>metadata.nodeName</c>), if given.</param>
/// <param name="Software">The software (<c>software.name</c>), e.g. <c>fedchat</c>.</param>
/// <param name="Version">The software version.</param>
/// <param name="Users">The total number of users.</param>
/// <param name="ClockOffset">How far the server's clock is ahead of ours (negative: behind), from the Date header of its answer; see <see cref="ClockCheck"/>.</param>
public sealed record NodeInfoMetadata(string? Name, string? Software, string? Version, int? Users, TimeSpan? ClockOffset = null);

/// <summary>
/// Reads another server's NodeInfo (<c>/.well-known/nodeinfo</c>, then the 2.x document it links to),
/// so the map shows each server's software, version and size — for FedChat and other fediverse
/// software alike. Bounded in time and size; any failure is logged and returns <c>null</c>.
/// </summary>
public sealed class NodeInfoClient(HttpClient http, ILogger<NodeInfoClient> logger, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The largest NodeInfo document read, in bytes.</summary>
    public const int MaxDocumentBytes = 64 * 1024;

    /// <summary>Fetches and reads the NodeInfo of the server at <paramref name="baseUrl"/>.</summary>
    public async Task<NodeInfoMetadata?> FetchAsync(Uri baseUrl, CancellationToken cancellationToken)
    {
        try
        {
            var (discovery, _) = await GetJsonAsync(new Uri(baseUrl, "/.well-known/nodeinfo"), cancellationToken);
            var href = discovery?["links"]?.AsArray()
                .Select(link => (string?)link?["href"])
                .FirstOrDefault(link => link is not null && link.Contains("/nodeinfo/2.", StringComparison.Ordinal));
            if (href is null || !Uri.TryCreate(baseUrl, href, out var documentUrl) || documentUrl.Scheme is not ("http" or "https"))
            {
                logger.LogDebug("{Url} has no NodeInfo 2.x link", baseUrl);
                return null;
            }
            var (document, date) = await GetJsonAsync(documentUrl, cancellationToken);
            // While we are asking anyway: compare their clock with ours.
            return Parse(document) is { } metadata ? metadata with { ClockOffset = ClockCheck.OffsetOf(date, _time.GetUtcNow()) } : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or FetchFailedException or JsonException or InvalidOperationException or FormatException
            || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogDebug("Could not read NodeInfo of {Url}: {Error}", baseUrl, ex.Message);
            return null;
        }
    }

    /// <summary>Reads the fields the map needs from a NodeInfo 2.x document; missing fields stay null.</summary>
    public static NodeInfoMetadata? Parse(JsonNode? document)
    {
        if (document is not JsonObject root)
        {
            return null;
        }
        var users = root["usage"]?["users"]?["total"] is JsonValue total && total.TryGetValue<int>(out var count) ? count : (int?)null;
        return new NodeInfoMetadata(
            Name: Text(root["metadata"]?["nodeName"]),
            Software: Text(root["software"]?["name"]),
            Version: Text(root["software"]?["version"]),
            Users: users);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length <= 200 ? text : null;

    // The JSON, and the answer's Date header (their clock).
    private async Task<(JsonNode? Json, DateTimeOffset? Date)> GetJsonAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, null);
        }
        // Too large (by header or as it streams in) throws FetchFailedException, which FetchAsync turns into null.
        var body = await HttpBodies.ReadBoundedAsync(response.Content, MaxDocumentBytes, "The NodeInfo document", cancellationToken);
        return (JsonNode.Parse(body), response.Headers.Date);
    }
}
