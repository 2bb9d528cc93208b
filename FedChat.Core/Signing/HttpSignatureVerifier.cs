using System.Globalization;

namespace FedChat.Core.Signing;

/// <summary>
/// The one entry point for checking an incoming request's signature. It picks the scheme from the
/// headers (RFC 9421 when <c>Signature-Input</c> is present, draft-cavage otherwise), then checks,
/// in this order, and stops at the first problem with a sentence saying what it was:
/// <list type="number">
/// <item>there is a signature, and its headers parse;</item>
/// <item>the algorithm is one we accept;</item>
/// <item>a request with a body carries a digest header;</item>
/// <item>the signature covers what it must: the method and path (or the whole URL), the host, a time,
///   and, with a body, the digest; otherwise a valid signature could be replayed elsewhere or the body swapped;</item>
/// <item>the time it was signed is within the window, and it has not expired;</item>
/// <item>the digest matches the body;</item>
/// <item>the key is known, fits the algorithm, and the signature bytes match.</item>
/// </list>
/// The key is looked up last on purpose: everything we can check without it is checked first, so a
/// forged or stale request never makes us fetch anything.
/// </summary>
/// <param name="timeProvider">The clock; tests pass a manual one.</param>
/// <param name="options">The settings; the defaults follow Mastodon.</param>
public sealed partial class HttpSignatureVerifier(TimeProvider timeProvider, SignatureVerificationOptions? options = null)
{
    private readonly TimeProvider _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    private readonly SignatureVerificationOptions _options = options ?? new SignatureVerificationOptions();

    /// <summary>Verifies the signature of a request.</summary>
    /// <param name="request">The request as received.</param>
    /// <param name="resolveKey">Finds the public key for the key id the signature names.</param>
    /// <param name="cancellationToken">Cancels the key look-up.</param>
    /// <returns>The result; <see cref="SignatureVerification.FailureReason"/> says why when it is not valid.</returns>
    public Task<SignatureVerification> VerifyRequestAsync(SignableRequest request, PublicKeyResolver resolveKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(resolveKey);
        if (request.GetHeader("Signature-Input") is not null)
        {
            return VerifyMessageSignatureAsync(request, resolveKey, cancellationToken);
        }

        var authorization = request.GetHeader("Authorization");
        if (request.GetHeader("Signature") is not null
            || (authorization is not null && authorization.StartsWith("Signature ", StringComparison.OrdinalIgnoreCase)))
        {
            return VerifyCavageSignatureAsync(request, resolveKey, cancellationToken);
        }

        return Task.FromResult(SignatureVerification.Fail("none", SignatureFailure.MissingSignature,
            "The request is not signed: it has neither a Signature header (draft-cavage) nor a Signature-Input header (RFC 9421)."));
    }

    /// <summary>Whether the request has a body that a digest must protect.</summary>
    private static bool HasBody(SignableRequest request) =>
        request.Body is { Length: > 0 } || request.Method.Equals("POST", StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks a signing time against the window; returns a reason when outside.</summary>
    private string? CheckSignedTime(DateTimeOffset signedAt, string what)
    {
        var now = _timeProvider.GetUtcNow();
        if (signedAt > now + _options.ClockSkew)
        {
            return $"The {what} ({signedAt:u}) is {Describe(signedAt - now)} in the future; we accept at most {Describe(_options.ClockSkew)} of clock difference.";
        }

        if (now - signedAt > _options.MaxAge)
        {
            return $"The {what} ({signedAt:u}) is {Describe(now - signedAt)} old; we accept signatures up to {Describe(_options.MaxAge)} old, so that captured requests cannot be replayed later.";
        }

        return null;
    }

    /// <summary>
    /// Unix seconds as a date. A sender may write any number (<c>created=99999999999999</c>); times
    /// beyond what a date can hold are taken as the earliest or latest date, which the time checks then
    /// refuse or accept with a reason, instead of overflowing.
    /// </summary>
    internal static DateTimeOffset FromUnixSeconds(decimal seconds)
    {
        var min = DateTimeOffset.MinValue.ToUnixTimeSeconds();
        var max = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds((long)Math.Clamp(Math.Floor(seconds), min, max));
    }

    /// <summary>Checks an expires time; returns a reason when it has passed (allowing for clock skew).</summary>
    private string? CheckExpires(DateTimeOffset expires)
    {
        var now = _timeProvider.GetUtcNow();
        return now - _options.ClockSkew > expires
            ? $"The signature expired at {expires:u}, {Describe(now - expires)} ago."
            : null;
    }

    /// <summary>Checks every digest header the request carries against its body.</summary>
    private static SignatureVerification? CheckDigests(SignableRequest request, string scheme)
    {
        var body = request.Body ?? [];
        if (request.GetHeader("Digest") is { } digest)
        {
            var result = Digests.VerifyDigestHeader(digest, body);
            if (!result.IsValid)
            {
                return SignatureVerification.Fail(scheme, ToSignatureFailure(result.Failure), result.FailureReason!);
            }
        }

        if (request.GetHeader("Content-Digest") is { } contentDigest)
        {
            var result = Digests.VerifyContentDigestHeader(contentDigest, body);
            if (!result.IsValid)
            {
                return SignatureVerification.Fail(scheme, ToSignatureFailure(result.Failure), result.FailureReason!);
            }
        }

        return null;
    }

    private static SignatureFailure ToSignatureFailure(DigestFailure failure) => failure switch
    {
        DigestFailure.Mismatch => SignatureFailure.DigestMismatch,
        DigestFailure.UnsupportedAlgorithm => SignatureFailure.UnsupportedAlgorithm,
        _ => SignatureFailure.MalformedHeader,
    };

    private static bool TryParseHttpDate(string value, out DateTimeOffset date) =>
        DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out date);

    private static string Describe(TimeSpan span) => span.TotalHours >= 48
        ? $"{Math.Round(span.TotalDays)} days"
        : span.TotalMinutes >= 120 ? $"{Math.Round(span.TotalHours, 1)} hours"
        : span.TotalSeconds >= 120 ? $"{Math.Round(span.TotalMinutes)} minutes"
        : $"{Math.Round(span.TotalSeconds)} seconds";
}
