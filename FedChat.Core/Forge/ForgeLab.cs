using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FedChat.Core.Accounts;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Signing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Forge;

/// <summary>
/// The forge lab: sends exactly one request to an inbox, honestly or as one of the classic attacks,
/// and reports what the receiver said. It can only send what any network client could send: it
/// signs with the signed-in user's own key and never with anyone else's, so it can never make a
/// server accept a forgery. Requests are bounded in time (<see cref="FederationOptions.RequestTimeout"/>)
/// and size (<see cref="FederationOptions.MaxBodyBytes"/>).
/// </summary>
public sealed class ForgeLab : IDisposable
{
    /// <summary>The most of the target's answer kept for display.</summary>
    public const int MaxResponseChars = 16 * 1024;

    private readonly HttpClient _http;
    private readonly KeyStore _keys;
    private readonly AccountService _accounts;
    private readonly ActorUrls _urls;
    private readonly TimeProvider _time;
    private readonly FederationOptions _options;
    private readonly ILogger<ForgeLab> _logger;

    /// <summary>Creates the lab with its own connection pool.</summary>
    public ForgeLab(KeyStore keys, AccountService accounts, ActorUrls urls, TimeProvider time, IOptions<FederationOptions> options, ILogger<ForgeLab> logger)
    {
        _keys = keys;
        _accounts = accounts;
        _urls = urls;
        _time = time;
        _options = options.Value;
        _logger = logger;
        // No redirects: a redirect would send the request somewhere the student did not pick.
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = _options.RequestTimeout, AllowAutoRedirect = false, UseCookies = false })
        {
            Timeout = Timeout.InfiniteTimeSpan, // each send has its own deadline
        };
    }

    /// <summary>
    /// Builds an honest post by the user: a <c>Create { Note }</c> with the user's own proof
    /// (<see cref="NoteActivities"/>.ToSignedCreateActivity), as indented JSON.
    /// </summary>
    /// <param name="userId">The signed-in user.</param>
    /// <param name="text">The post's text.</param>
    /// <param name="cancellationToken">Cancels loading the keys.</param>
    /// <returns>The activity as JSON text.</returns>
    public async Task<string> HonestPostAsync(int userId, string text, CancellationToken cancellationToken = default)
    {
        var user = await _accounts.FindByIdAsync(userId, cancellationToken) ?? throw new InvalidOperationException($"There is no user {userId}.");
        var keys = await _keys.GetUserKeysAsync(userId, cancellationToken);
        var now = _time.GetUtcNow();
        // A made-up post number, new for every pre-fill, so the receiver does not drop it as a duplicate.
        var activity = NoteActivities.ToSignedCreateActivity(user.Username, now.ToUnixTimeMilliseconds(), text, now, keys, _urls);
        return ForgePosts.ToText(activity);
    }

    /// <summary>Sends one request as <paramref name="attempt"/> says and reports the answer. Never throws for bad input.</summary>
    /// <param name="attempt">Target, activity and mode.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The request as sent and the target's answer, or why nothing was sent.</returns>
    public async Task<ForgeResult> SendAsync(ForgeAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (!Uri.TryCreate(attempt.TargetInbox?.Trim(), UriKind.Absolute, out var target) || target.Scheme is not ("http" or "https"))
        {
            return ForgeResult.NotSent($"\"{attempt.TargetInbox}\" is not an inbox URL: it must be an absolute http:// or https:// URL.");
        }
        var body = Encoding.UTF8.GetBytes(attempt.ActivityJson ?? "");
        if (body.Length > _options.MaxBodyBytes)
        {
            return ForgeResult.NotSent($"The activity is {body.Length} bytes; inboxes accept at most {_options.MaxBodyBytes}.");
        }
        if (!TryParseObject(attempt.ActivityJson, out var activity, out var jsonError))
        {
            return ForgeResult.NotSent(jsonError);
        }
        var user = await _accounts.FindByIdAsync(attempt.UserId, cancellationToken);
        if (user is null)
        {
            return ForgeResult.NotSent("You need to be signed in to use the forge lab.");
        }

        var me = _urls.ActorId(user.Username);
        var claimed = ForgePosts.ActorOf(activity);
        if (attempt.Mode == ForgeMode.SignedAsMe && claimed != me)
        {
            return ForgeResult.NotSent($"In the honest mode the activity's actor must be you ({me}), but it says \"{claimed}\". Use \"Pre-fill an honest post\".");
        }
        if (attempt.Mode == ForgeMode.SignedAsMeClaimingSomeoneElse && claimed == me)
        {
            return ForgeResult.NotSent($"This mode is about claiming to be someone else, but the actor is you ({me}). Change \"actor\" to someone else.");
        }
        string? note = null;
        if (attempt.Mode == ForgeMode.SignedAsMeClaimingSomeoneElse && activity.Remove("proof"))
        {
            // A copied proof by the real author would make this an honest relay of their post, and a
            // proof by you would not match the claimed author: the lesson here is the bare claim.
            body = Encoding.UTF8.GetBytes(ForgePosts.ToText(activity));
            note = "The \"proof\" was left out: a forger cannot make the claimed author's proof.";
        }

        var keys = await _keys.GetUserKeysAsync(user.Id, cancellationToken);
        var (request, tamperNote) = Build(attempt.Mode, target, body, keys, ActorUrls.RsaKeyId(me));
        return await SendAsync(request, attempt.Mode, user.Username, note ?? tamperNote, cancellationToken);
    }

    /// <summary>Builds the request for a mode. Every signature here is made with the user's own RSA key.</summary>
    private (SignableRequest Request, string? Note) Build(ForgeMode mode, Uri target, byte[] body, ActorKeyPair keys, string keyId)
    {
        var unsigned = new SignableRequest("POST", target, [new("Content-Type", ActivityStreamsJson.MediaType)], body);
        SignableRequest Sign(SignableRequest request, TimeProvider clock) => DraftCavageSignatures.SignRequest(request, keys.Rsa, keyId, clock);
        switch (mode)
        {
            case ForgeMode.Unsigned:
                // Host and Date as any client sends them, but no Digest and no Signature.
                return (unsigned.WithHeader("Host", target.IsDefaultPort ? target.Host : target.Authority)
                    .WithHeader("Date", _time.GetUtcNow().ToString("r", System.Globalization.CultureInfo.InvariantCulture)), null);
            case ForgeMode.ReplayedOld:
                return (Sign(unsigned, new ClockSetBack(_time, TimeSpan.FromHours(2))), "Signed with the clock set 2 hours back.");
            case ForgeMode.WrongDigest:
                // The signature covers this Digest honestly; it is just the hash of another body.
                return (Sign(unsigned.WithHeader("Digest", Digests.CreateDigestHeader("a different body"u8)), _time),
                    "The signed Digest header is the SHA-256 of \"a different body\", not of this body.");
            case ForgeMode.TamperedAfterSigning:
                var signed = Sign(unsigned, _time);
                var changed = JsonNode.Parse(body)!.AsObject();
                var note = ForgePosts.Tamper(changed);
                var newBody = Encoding.UTF8.GetBytes(ForgePosts.ToText(changed));
                // A careful attacker fixes the Digest too, but the signature covers the old Digest value.
                var tampered = new SignableRequest(signed.Method, signed.Url, signed.Headers, newBody)
                    .WithHeader("Digest", Digests.CreateDigestHeader(newBody));
                return (tampered, note);
            default: // SignedAsMe, SignedAsMeClaimingSomeoneElse: a correct signature by the user
                return (Sign(unsigned, _time), null);
        }
    }

    private async Task<ForgeResult> SendAsync(SignableRequest request, ForgeMode mode, string username, string? note, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(request.Body ?? []) };
        request.CopyHeadersTo(message);
        message.Headers.UserAgent.Add(new ProductInfoHeaderValue("FedChat-ForgeLab", typeof(ForgeLab).Assembly.GetName().Version?.ToString(3) ?? "0"));
        var sent = Describe(request, message);

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        try
        {
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            var text = await ReadLimitedAsync(response.Content, deadline.Token);
            var status = (int)response.StatusCode;
            _logger.LogInformation("Forge lab: {User} sent a {Mode} request to {Target}; it answered {Status}", username, mode, request.Url, status);
            return new ForgeResult(sent, status, ReasonOf(text, response), text, null, note);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ForgeResult(sent, null, null, null, $"{request.Url.Authority} did not answer within {_options.RequestTimeout.TotalSeconds:0.#} s.", note);
        }
        catch (HttpRequestException ex)
        {
            return new ForgeResult(sent, null, null, null, $"Could not reach {request.Url.Authority}: {ex.Message}", note);
        }
    }

    /// <summary>The request for display: our headers (Host first, as on the wire) plus what HttpClient adds.</summary>
    private static SentRequest Describe(SignableRequest request, HttpRequestMessage message)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", request.GetHeader("Host") ?? (request.Url.IsDefaultPort ? request.Url.Host : request.Url.Authority)),
        };
        headers.AddRange(message.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))));
        headers.AddRange(message.Content!.Headers.Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))));
        headers.Add(new("Content-Length", (request.Body?.Length ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return new SentRequest("POST", request.Url, headers, Encoding.UTF8.GetString(request.Body ?? []));
    }

    /// <summary>The receiver's reason: problem details' <c>detail</c>, else its <c>title</c>, <c>status</c>, or the HTTP reason phrase.</summary>
    private static string ReasonOf(string body, HttpResponseMessage response)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject json)
            {
                foreach (var name in new[] { "detail", "title", "status" })
                {
                    if (json[name] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
                    {
                        return text;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall back to the status line.
        }
        return $"{(int)response.StatusCode} {response.ReasonPhrase}";
    }

    private static async Task<string> ReadLimitedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // Read one character more than we show, whatever the target sends, to know if it was cut.
        using var reader = new StreamReader(await content.ReadAsStreamAsync(cancellationToken), Encoding.UTF8);
        var buffer = new char[MaxResponseChars + 1];
        var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken);
        return read <= MaxResponseChars ? new string(buffer, 0, read) : new string(buffer, 0, MaxResponseChars) + "\n… (cut short)";
    }

    private static bool TryParseObject(string? json, out JsonObject activity, out string error)
    {
        (activity, error) = (null!, "");
        try
        {
            // Count reads every property now, so a duplicate name fails here and not later.
            if (JsonNode.Parse(json ?? "") is JsonObject parsed && parsed.Count >= 0)
            {
                activity = parsed;
                return true;
            }
            error = "The activity must be a JSON object: { \"type\": \"Create\", \"actor\": …, … }.";
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            error = $"The activity is not valid JSON: {ex.Message}";
        }
        return false;
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    /// <summary>A clock that runs behind by a fixed amount: how the lab makes a request that looks captured long ago.</summary>
    private sealed class ClockSetBack(TimeProvider inner, TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() - by;
    }
}
