using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using FedChat.Core.Signing;
using FedChat.Core.Storage.Entities;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation.Delivery;

/// <summary>
/// Delivers an activity the way ActivityPub servers do (ActivityPub §7): an HTTP POST of the JSON to the
/// inbox with <c>Content-Type: application/activity+json</c>, signed as Fedify signs: RFC 9421 HTTP
/// Message Signatures first; when the server refuses that, draft-cavage over
/// <c>(request-target) host date digest</c> (what Mastodon verifies), remembering per server what worked
/// (<see cref="SignatureSpecMemory"/>, "double-knocking").
/// </summary>
/// <remarks>
/// What the receiver's answer means for us:
/// <list type="bullet">
/// <item>2xx: delivered.</item>
/// <item>5xx, 408 Request Timeout, 429 Too Many Requests, no answer in time, no connection: try again
///   later (after <c>Retry-After</c> when a 429 or 503 carries one).</item>
/// <item>any other status (400, 401, 403, 404, 410, a redirect): the same request will get the same
///   answer, so give up. Redirects are not followed: the signature covers the path it was made for.</item>
/// </list>
/// </remarks>
public sealed class HttpDeliverySender : IDeliverySender, IDisposable
{
    /// <summary>The media type of ActivityPub bodies (ActivityPub §7: servers must accept it).</summary>
    public const string ActivityContentType = "application/activity+json";

    // How much of an error answer's body we keep: enough for "signature invalid: key not found".
    private const int MaxErrorBodyBytes = 300;

    private readonly HttpClient _http;
    private readonly SigningKeyProvider _getSigningKey;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly SignatureSpecMemory _specs;

    /// <summary>Creates the sender with its own HTTP connection pool.</summary>
    /// <param name="getSigningKey">Finds the signer's key.</param>
    /// <param name="options">The request timeout.</param>
    /// <param name="time">The clock for the <c>Date</c> header, timeouts and <c>Retry-After</c> dates.</param>
    /// <param name="specs">Which HTTP signature spec each server accepted.</param>
    public HttpDeliverySender(SigningKeyProvider getSigningKey, IOptions<DeliveryOptions> options, TimeProvider time, SignatureSpecMemory specs)
    {
        _getSigningKey = getSigningKey ?? throw new ArgumentNullException(nameof(getSigningKey));
        _specs = specs ?? throw new ArgumentNullException(nameof(specs));
        _options = options.Value;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            // Look names up again now and then: laptops on Wi-Fi change addresses during a workshop.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            // Our own timeout below runs on the injected clock and also covers the key look-up.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("FedChat/1.0");
    }

    /// <inheritdoc />
    public async Task<DeliveryResult> SendAsync(OutgoingDelivery delivery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        using var timeout = new CancellationTokenSource(_options.RequestTimeout, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var (keyId, key) = await _getSigningKey(delivery.SignerUserId, either.Token);
            var inbox = new Uri(delivery.InboxUrl);
            var known = _specs.IsKnown(inbox);
            var scheme = _specs.FirstKnock(inbox);
            var response = await SendSignedAsync(delivery, keyId, key, scheme, either.Token);
            if (!known && response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                // The first knock was refused by a server we have not talked to yet: try the other spec.
                response.Dispose();
                scheme = SignatureSpecMemory.Other(scheme);
                response = await SendSignedAsync(delivery, keyId, key, scheme, either.Token);
            }
            using (response)
            {
                if (response.IsSuccessStatusCode)
                {
                    _specs.Remember(inbox, scheme);
                }
                return await ClassifyAsync(response, either.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.RetryableFailure($"No answer within {_options.RequestTimeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException ex)
        {
            // Connection refused, host unreachable, connection reset: the server is down or restarting.
            return DeliveryResult.RetryableFailure(ex.Message);
        }
    }

    private async Task<HttpResponseMessage> SendSignedAsync(OutgoingDelivery delivery, string keyId, RSA key, string scheme, CancellationToken cancellationToken)
    {
        using var request = CreateSignedRequest(delivery, keyId, key, scheme);
        return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>
    /// Builds the POST and signs it: RFC 9421 (<c>Signature-Input</c>, <c>Signature</c>, with a
    /// <c>Content-Digest</c>) or draft-cavage-http-signatures-12 §2 (with a <c>Digest</c> header).
    /// </summary>
    private HttpRequestMessage CreateSignedRequest(OutgoingDelivery delivery, string keyId, RSA key, string scheme)
    {
        var inbox = new Uri(delivery.InboxUrl);
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        var unsigned = new SignableRequest("POST", inbox, [new("Content-Type", ActivityContentType)], body);
        var signed = scheme == MessageSignatures.SchemeName
            ? MessageSignatures.SignRequest(unsigned, key, keyId, _time)
            // Adds Host, Date and Digest, then Signature over (request-target) host date digest.
            : DraftCavageSignatures.SignRequest(unsigned, key, keyId, _time);

        var message = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(ActivityContentType);
        message.Headers.Accept.ParseAdd(ActivityContentType);
        signed.CopyHeadersTo(message);
        if (delivery.RelayPath is not null)
        {
            // Relay bookkeeping travels beside the activity, never inside it: the author's proof covers the JSON.
            message.Headers.TryAddWithoutValidation(RelayHeaders.PathHeader, delivery.RelayPath);
            message.Headers.TryAddWithoutValidation(RelayHeaders.CoveredHeader, delivery.RelayCovered ?? "");
        }
        return message;
    }

    private async Task<DeliveryResult> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and <= 299)
        {
            return DeliveryResult.Delivered;
        }
        var reason = $"The inbox answered {status} {response.ReasonPhrase}{await ReadErrorBodyAsync(response, cancellationToken)}";
        return status is 408 or 429 or >= 500
            ? DeliveryResult.RetryableFailure(reason, RetryAfter(response))
            : DeliveryResult.PermanentFailure(reason);
    }

    /// <summary>
    /// Reads how long the receiver wants us to wait (RFC 9110 §10.2.3): seconds or an HTTP date. Only
    /// honoured on 429 and 503, the answers that mean "later" (RFC 6585 §4, RFC 9110 §15.6.4).
    /// </summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable))
        {
            return null;
        }
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>Reads the start of an error answer, which often says why (for example which signature check failed).</summary>
    private static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBodyBytes];
            var read = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            var text = string.Join(' ', Encoding.UTF8.GetString(buffer, 0, read).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            return text.Length == 0 ? "" : ": " + text;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return ""; // the status alone says enough
        }
    }

    /// <summary>Closes the connection pool.</summary>
    public void Dispose() => _http.Dispose();
}
