using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Identity;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation;

/// <summary>An actor found from a handle: where it lives and where to deliver to it.</summary>
/// <param name="Handle">The handle as normalized, e.g. <c>@alice@192.168.1.23:5080</c>.</param>
/// <param name="ActorId">The actor's id, e.g. <c>http://192.168.1.23:5080/users/alice</c>.</param>
/// <param name="Inbox">The actor's own inbox.</param>
/// <param name="SharedInbox">The server's shared inbox, when the actor document names one.</param>
/// <param name="Name">The display name, when the actor document has one.</param>
public sealed record ResolvedActor(string Handle, Uri ActorId, Uri Inbox, Uri? SharedInbox, string? Name);

/// <summary>
/// Turns a handle such as <c>@alice@192.168.1.23:5080</c> into an actor: first WebFinger
/// (RFC 7033) gives the actor URL, then the actor document gives the inbox. Every request is
/// bounded by <see cref="FederationOptions.RequestTimeout"/>. Failures throw
/// <see cref="FetchFailedException"/> with a sentence a person can act on.
/// </summary>
public sealed class WebFingerClient : IDisposable
{
    // A WebFinger answer is a few hundred bytes; anything near this is not one.
    private const int MaxJrdBytes = 64 * 1024;

    private readonly HttpClient _http;
    private readonly SignedHttpClient _activityPub;
    private readonly InstanceInfo _instance;
    private readonly FederationOptions _options;

    /// <summary>Creates the client with its own connection pool.</summary>
    /// <param name="activityPub">Fetches the actor document (a signed GET, as servers in secure mode require).</param>
    /// <param name="instance">This server; other servers are assumed to speak its scheme (http on a workshop LAN).</param>
    /// <param name="options">The federation options, for the time limit.</param>
    public WebFingerClient(SignedHttpClient activityPub, InstanceInfo instance, IOptions<FederationOptions> options)
    {
        _activityPub = activityPub;
        _instance = instance;
        _options = options.Value;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = _options.RequestTimeout, AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each call has its own deadline
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("FedChat", typeof(WebFingerClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    /// <summary>
    /// Splits a handle into user and host. Accepts <c>@alice@host:port</c>, <c>alice@host:port</c>
    /// and <c>acct:alice@host:port</c>.
    /// </summary>
    /// <param name="handle">What the person typed.</param>
    /// <param name="user">The user part, e.g. <c>alice</c>.</param>
    /// <param name="host">The host part with any port, e.g. <c>192.168.1.23:5080</c>.</param>
    /// <param name="error">Why it is not a handle, when it is not.</param>
    /// <returns>Whether it is a handle.</returns>
    public static bool TryParseHandle(string? handle, [NotNullWhen(true)] out string? user, [NotNullWhen(true)] out string? host, [NotNullWhen(false)] out string? error)
    {
        (user, host, error) = (null, null, null);
        var text = (handle ?? "").Trim();
        if (text.StartsWith("acct:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[5..];
        }
        var parts = text.TrimStart('@').Split('@');
        if (text.Length > 300 || parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0
            || parts[0].Any(c => char.IsWhiteSpace(c) || c is '/' or '?' or '#')
            || Uri.CheckHostName(HostWithoutPort(parts[1])) == UriHostNameType.Unknown || !PortIsValid(parts[1]))
        {
            error = $"\"{handle}\" is not a handle: write it as @user@host:port, for example @alice@192.168.1.23:5080.";
            return false;
        }
        (user, host) = (parts[0].ToLowerInvariant(), parts[1].ToLowerInvariant());
        return true;
    }

    /// <summary>Finds the actor behind a handle and its inbox.</summary>
    /// <param name="handle">A handle such as <c>@alice@192.168.1.23:5080</c>.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The actor.</returns>
    /// <exception cref="FetchFailedException">The handle is malformed, the server is dead or slow, the user does not exist, or an answer is broken.</exception>
    public async Task<ResolvedActor> ResolveAsync(string handle, CancellationToken cancellationToken = default)
    {
        if (!TryParseHandle(handle, out var user, out var host, out var error))
        {
            throw new FetchFailedException(error);
        }
        var actorUrl = await FindActorUrlAsync(user, host, cancellationToken);
        var actor = await _activityPub.GetObjectAsync(actorUrl, cancellationToken);
        if ((string?)actor["id"] is { } id && (!Uri.TryCreate(id, UriKind.Absolute, out var idUrl) || idUrl != actorUrl))
        {
            // A document that says it is someone else must not be believed for this handle.
            throw new FetchFailedException($"The actor document at {actorUrl} says its id is {id}.");
        }
        var inbox = ReadUrl(actor["inbox"]) ?? throw new FetchFailedException($"The actor document at {actorUrl} has no inbox, so nothing can be delivered to @{user}@{host}.");
        var sharedInbox = ReadUrl(actor["endpoints"]?["sharedInbox"]);
        var name = actor["name"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        return new ResolvedActor($"@{user}@{host}", actorUrl, inbox, sharedInbox, name);
    }

    /// <summary>Asks the host's WebFinger endpoint for the actor URL (the link with rel="self").</summary>
    /// <summary>
    /// Asks <paramref name="host"/>'s WebFinger for <paramref name="user"/>'s actor URL (RFC 7033), bounded
    /// in time. Throws <see cref="FetchFailedException"/> with a plain reason when it cannot.
    /// </summary>
    /// <param name="user">The user part of the handle.</param>
    /// <param name="host">The host and port part of the handle.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The actor's id (a URL).</returns>
    public async Task<Uri> FindActorUrlAsync(string user, string host, CancellationToken cancellationToken)
    {
        var resource = $"acct:{user}@{host}";
        var url = new Uri($"{_instance.BaseUrl.Scheme}://{host}/.well-known/webfinger?resource={Uri.EscapeDataString(resource)}");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("application/jrd+json");
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var body = await HttpBodies.ReadBoundedAsync(response.Content, MaxJrdBytes, "The WebFinger answer", deadline.Token);
            if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                throw new FetchFailedException($"There is no user {user} on {host} (WebFinger answered 404).");
            }
            if (!response.IsSuccessStatusCode)
            {
                throw new FetchFailedException($"{host} answered the WebFinger request with {(int)response.StatusCode} {response.ReasonPhrase}{ProblemDetail(body)}.");
            }
            var links = (JsonNode.Parse(body) as JsonObject)?["links"] as JsonArray;
            var self = links?.OfType<JsonObject>().FirstOrDefault(l => (string?)l["rel"] == "self" && IsActivityPubType((string?)l["type"]));
            return ReadUrl(self?["href"])
                ?? throw new FetchFailedException($"{host} knows {resource} but gave no ActivityPub actor link (rel=\"self\").");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FetchFailedException($"{host} did not answer within {_options.RequestTimeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            throw new FetchFailedException($"Could not reach {host}: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new FetchFailedException($"{host} returned a WebFinger answer that is not JSON: {ex.Message}", ex);
        }
    }

    /// <summary>The <c>detail</c> of a problem details answer, as ": detail", or nothing.</summary>
    private static string ProblemDetail(byte[] body)
    {
        try
        {
            return body.Length > 0 && JsonNode.Parse(body) is JsonObject problem && (string?)problem["detail"] is { Length: > 0 } detail ? ": " + detail : "";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return "";
        }
    }

    private static bool IsActivityPubType(string? type) =>
        type is null || type == ActivityStreamsJson.MediaType || type.StartsWith("application/ld+json", StringComparison.Ordinal);

    private static Uri? ReadUrl(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && Uri.TryCreate(text, UriKind.Absolute, out var url)
            && url.Scheme is "http" or "https" ? url : null;

    private static string HostWithoutPort(string authority)
    {
        if (authority.StartsWith('['))
        {
            var end = authority.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? authority[1..end] : authority;
        }
        var colon = authority.LastIndexOf(':');
        return colon > 0 ? authority[..colon] : authority;
    }

    private static bool PortIsValid(string authority)
    {
        var colon = authority.LastIndexOf(':');
        var closing = authority.LastIndexOf(']');
        return colon < 0 || colon < closing || (int.TryParse(authority[(colon + 1)..], out var port) && port is > 0 and < 65536);
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
