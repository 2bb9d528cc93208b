using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Identity;
using FedChat.Core.Signing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation;

/// <summary>Why fetching something from another server failed, in words for logs and the forge lab.</summary>
public sealed class FetchFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Fetches ActivityPub documents from other servers with a signed GET, signed as this server's
/// instance actor (draft-cavage, <c>(request-target) host date</c>), as servers in "secure mode"
/// require. Every request is bounded in time and size.
/// </summary>
public sealed class SignedHttpClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly KeyStore _keys;
    private readonly ActorUrls _urls;
    private readonly TimeProvider _time;
    private readonly FederationOptions _options;
    private readonly ILogger<SignedHttpClient> _logger;
    private readonly Discovery.PeerDirectory? _peers;

    /// <summary>Creates the client with its own connection pool.</summary>
    /// <param name="keys">Our keys, to sign the requests.</param>
    /// <param name="urls">Our actor URLs (the signing key's id).</param>
    /// <param name="time">The clock for the signature's date.</param>
    /// <param name="options">Time and size limits.</param>
    /// <param name="logger">Where to log.</param>
    /// <param name="peers">Told when a peer answered, so its "last seen" stays current; none when null.</param>
    public SignedHttpClient(KeyStore keys, ActorUrls urls, TimeProvider time, IOptions<FederationOptions> options, ILogger<SignedHttpClient> logger, Discovery.PeerDirectory? peers = null)
    {
        _peers = peers;
        _keys = keys;
        _urls = urls;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = _options.RequestTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
        })
        {
            // Each call has its own deadline below; this is only a backstop.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("FedChat", typeof(SignedHttpClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
    }

    /// <summary>
    /// GETs an ActivityPub JSON object (an actor, a key, a note). Throws <see cref="FetchFailedException"/>
    /// with a reason when the server is slow, dead, answers an error, or sends something that is not JSON.
    /// </summary>
    public async Task<JsonObject> GetObjectAsync(Uri url, CancellationToken cancellationToken = default)
    {
        if (url.Scheme is not ("http" or "https"))
        {
            throw new FetchFailedException($"Cannot fetch {url}: only http and https URLs are allowed.");
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        try
        {
            using var request = await CreateSignedGetAsync(url, deadline.Token);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw new FetchFailedException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }
            // A redirect may stay on the same server (http → https, a trailing slash), never leave it:
            // callers trust a document because of where they asked for it.
            if (response.RequestMessage?.RequestUri is { } final && final.Authority != url.Authority)
            {
                throw new FetchFailedException($"{url} redirected to another server ({final.Authority}); not followed.");
            }
            var body = await HttpBodies.ReadBoundedAsync(response.Content, _options.MaxBodyBytes, "The document", deadline.Token);
            _peers?.ReportActivity(url); // it answered: seen now
            return JsonNode.Parse(body) as JsonObject
                ?? throw new FetchFailedException($"{url} did not return a JSON object.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new FetchFailedException($"{url} did not answer within {_options.RequestTimeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            throw new FetchFailedException($"Could not reach {url.GetLeftPart(UriPartial.Authority)}: {ex.Message}", ex);
        }
        catch (JsonException ex)
        {
            throw new FetchFailedException($"{url} returned malformed JSON: {ex.Message}", ex);
        }
    }

    private async Task<HttpRequestMessage> CreateSignedGetAsync(Uri url, CancellationToken cancellationToken)
    {
        var keys = await _keys.GetInstanceKeysAsync(cancellationToken);
        var unsigned = new SignableRequest("GET", url, [new("Accept", ActivityStreamsJson.MediaType + ", " + ActivityStreamsJson.LdMediaType)]);
        var signed = DraftCavageSignatures.SignRequest(unsigned, keys.Rsa, ActorUrls.RsaKeyId(_urls.InstanceActorId), _time);
        var message = new HttpRequestMessage(HttpMethod.Get, url);
        signed.CopyHeadersTo(message);
        _logger.LogDebug("Signed GET {Url} as the instance actor", url);
        return message;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}
