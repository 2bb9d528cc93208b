using System.Security.Cryptography;

namespace FedChat.Core.Signing;

/// <summary>Why a body digest did not verify.</summary>
public enum DigestFailure
{
    /// <summary>The digest matched.</summary>
    None,

    /// <summary>The header could not be parsed.</summary>
    Malformed,

    /// <summary>The header offers only algorithms we do not accept.</summary>
    UnsupportedAlgorithm,

    /// <summary>The digest does not match the body.</summary>
    Mismatch,
}

/// <summary>The outcome of checking a <c>Digest</c> or <c>Content-Digest</c> header against a body.</summary>
/// <param name="IsValid">Whether the header matches the body.</param>
/// <param name="Failure">Why it did not, or <see cref="DigestFailure.None"/>.</param>
/// <param name="FailureReason">A sentence for people, or <see langword="null"/> when valid.</param>
public sealed record DigestVerification(bool IsValid, DigestFailure Failure, string? FailureReason)
{
    internal static readonly DigestVerification Valid = new(true, DigestFailure.None, null);

    internal static DigestVerification Fail(DigestFailure failure, string reason) => new(false, failure, reason);
}

/// <summary>
/// Body digests. A signature covers headers, not the body; covering a digest header is what ties
/// the body to the signature. Two formats are in use: <c>Digest: SHA-256=&lt;base64&gt;</c> (RFC 3230,
/// sent and required by Mastodon with draft-cavage signatures) and
/// <c>Content-Digest: sha-256=:&lt;base64&gt;:</c> (RFC 9530, used with RFC 9421 signatures).
/// </summary>
public static class Digests
{
    /// <summary>Creates a <c>Digest</c> header value: <c>SHA-256=&lt;base64&gt;</c> (RFC 3230 §4.3.2, RFC 5843).</summary>
    /// <param name="body">The body bytes.</param>
    /// <returns>The header value.</returns>
    public static string CreateDigestHeader(ReadOnlySpan<byte> body) => "SHA-256=" + Convert.ToBase64String(SHA256.HashData(body));

    /// <summary>Creates a <c>Content-Digest</c> header value: <c>sha-256=:&lt;base64&gt;:</c> (RFC 9530 §2).</summary>
    /// <param name="body">The body bytes.</param>
    /// <returns>The header value.</returns>
    public static string CreateContentDigestHeader(ReadOnlySpan<byte> body) => "sha-256=:" + Convert.ToBase64String(SHA256.HashData(body)) + ":";

    /// <summary>
    /// Checks a <c>Digest</c> header (RFC 3230 §4.3.2: a comma-separated list of
    /// <c>algorithm=base64</c>; algorithm names are case-insensitive). Every SHA-256 or SHA-512 entry
    /// must match; entries with other algorithms are ignored, but at least one must be ours.
    /// </summary>
    /// <param name="headerValue">The header value.</param>
    /// <param name="body">The body bytes.</param>
    /// <returns>The result, with a reason when it failed.</returns>
    public static DigestVerification VerifyDigestHeader(string headerValue, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        var checkedAny = false;
        var offered = new List<string>();
        foreach (var entry in headerValue.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return DigestVerification.Fail(DigestFailure.Malformed, $"The Digest header entry '{entry}' is not of the form algorithm=value.");
            }

            var algorithm = entry[..equals].Trim();
            offered.Add(algorithm);
            var expected = Hash(algorithm, body);
            if (expected is null)
            {
                continue;
            }

            if (!TryDecodeBase64(entry[(equals + 1)..].Trim(), out var given))
            {
                return DigestVerification.Fail(DigestFailure.Malformed, $"The {algorithm} value in the Digest header is not valid base64.");
            }

            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return DigestVerification.Fail(DigestFailure.Mismatch,
                    $"The body does not match its Digest header: the body's {algorithm.ToUpperInvariant()} is {Convert.ToBase64String(expected)}, the header says {Convert.ToBase64String(given)}.");
            }

            checkedAny = true;
        }

        return checkedAny ? DigestVerification.Valid : NoSupportedAlgorithm("Digest", offered);
    }

    /// <summary>
    /// Checks a <c>Content-Digest</c> header (RFC 9530 §2: a structured-field dictionary of
    /// algorithm to byte sequence). Every <c>sha-256</c> or <c>sha-512</c> member must match.
    /// </summary>
    /// <param name="headerValue">The header value.</param>
    /// <param name="body">The body bytes.</param>
    /// <returns>The result, with a reason when it failed.</returns>
    public static DigestVerification VerifyContentDigestHeader(string headerValue, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headerValue);
        if (!StructuredFields.TryParseDictionary(headerValue, out var members, out var error))
        {
            return DigestVerification.Fail(DigestFailure.Malformed, $"The Content-Digest header is not a valid structured-field dictionary: {error}");
        }

        var checkedAny = false;
        foreach (var (algorithm, member) in members)
        {
            var expected = Hash(algorithm, body);
            if (expected is null)
            {
                continue;
            }

            if (member is not SfItem { Value: byte[] given })
            {
                return DigestVerification.Fail(DigestFailure.Malformed, $"The {algorithm} value in Content-Digest must be a byte sequence (:base64:).");
            }

            if (!CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return DigestVerification.Fail(DigestFailure.Mismatch,
                    $"The body does not match its Content-Digest header: the body's {algorithm} is {Convert.ToBase64String(expected)}, the header says {Convert.ToBase64String(given)}.");
            }

            checkedAny = true;
        }

        return checkedAny ? DigestVerification.Valid : NoSupportedAlgorithm("Content-Digest", members.Select(m => m.Key));
    }

    /// <summary>Hashes the body with the named algorithm, or returns null for one we do not accept.</summary>
    private static byte[]? Hash(string algorithm, ReadOnlySpan<byte> body) => algorithm.ToUpperInvariant() switch
    {
        // MD5 and SHA (SHA-1) are broken for this purpose; RFC 9530 §5 marks them insecure.
        "SHA-256" => SHA256.HashData(body),
        "SHA-512" => SHA512.HashData(body),
        _ => null,
    };

    private static DigestVerification NoSupportedAlgorithm(string header, IEnumerable<string> offered)
    {
        var list = string.Join(", ", offered);
        return DigestVerification.Fail(DigestFailure.UnsupportedAlgorithm,
            $"The {header} header offers no algorithm we accept (we accept SHA-256 and SHA-512; it offers: {(list.Length == 0 ? "nothing" : list)}).");
    }

    private static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        var buffer = new byte[text.Length];
        if (Convert.TryFromBase64String(text, buffer, out var written))
        {
            bytes = buffer[..written];
            return true;
        }

        bytes = [];
        return false;
    }
}
