using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace FedChat.Core.Signing;

/// <summary>
/// HTTP Signatures as the fediverse uses them: draft-cavage-http-signatures-12
/// (https://datatracker.ietf.org/doc/html/draft-cavage-http-signatures-12). This is what Mastodon
/// sends and expects, so FedChat signs every outgoing server-to-server request this way.
/// </summary>
public static class DraftCavageSignatures
{
    /// <summary>The scheme name reported in <see cref="SignatureVerification.Scheme"/>.</summary>
    public const string SchemeName = "draft-cavage-http-signatures-12";

    /// <summary>
    /// Builds the signing string (§2.3): one line per signed header, <c>name: value</c>, joined by
    /// "\n" with no trailing newline. <c>(request-target)</c> is the lowercased method, a space and
    /// the path with query; <c>(created)</c> and <c>(expires)</c> are the signature's own parameters.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="headers">The lowercased header names to sign, in order.</param>
    /// <param name="created">The <c>created</c> parameter, needed when <c>(created)</c> is signed.</param>
    /// <param name="expires">The <c>expires</c> parameter, needed when <c>(expires)</c> is signed.</param>
    /// <param name="signingString">The signing string, when successful.</param>
    /// <param name="error">Why it could not be built, when not.</param>
    /// <returns>Whether the signing string could be built.</returns>
    public static bool TryBuildSigningString(SignableRequest request, IReadOnlyList<string> headers, long? created, decimal? expires,
        [NotNullWhen(true)] out string? signingString, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(headers);
        signingString = null;
        var lines = new List<string>();
        foreach (var name in headers)
        {
            string? value = name switch
            {
                "(request-target)" => request.Method.ToLowerInvariant() + " " + request.Url.PathAndQuery,
                "(created)" => created?.ToString(CultureInfo.InvariantCulture),
                "(expires)" => expires?.ToString(CultureInfo.InvariantCulture),
                // §2.3 step 2: trim the value; the model already joined repeated fields with ", ".
                _ => request.GetHeader(name)?.Trim(),
            };
            if (value is null)
            {
                error = name.StartsWith('(')
                    ? $"The signature covers {name} but has no {name.Trim('(', ')')} parameter."
                    : $"The signature covers the '{name}' header, but the request has no such header.";
                return false;
            }

            lines.Add(name + ": " + value);
        }

        signingString = string.Join('\n', lines);
        error = null;
        return true;
    }

    /// <summary>
    /// Builds the signing string for a parsed <c>Signature</c> header, also enforcing §2.3's rule that
    /// <c>(created)</c> and <c>(expires)</c> are an error with algorithms starting with "rsa", "hmac" or
    /// "ecdsa" (those names fix the hash, and the draft wants the new pseudo-headers only with hs2019).
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="header">The parsed header.</param>
    /// <param name="signingString">The signing string, when successful.</param>
    /// <param name="error">Why it could not be built, when not.</param>
    /// <returns>Whether the signing string could be built.</returns>
    public static bool TryBuildSigningString(SignableRequest request, CavageSignatureHeader header,
        [NotNullWhen(true)] out string? signingString, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(header);
        var algorithm = header.Algorithm ?? "";
        var pseudo = header.Headers.FirstOrDefault(h => h is "(created)" or "(expires)");
        if (pseudo is not null && (algorithm.StartsWith("rsa", StringComparison.Ordinal)
            || algorithm.StartsWith("hmac", StringComparison.Ordinal) || algorithm.StartsWith("ecdsa", StringComparison.Ordinal)))
        {
            signingString = null;
            error = $"The signature covers {pseudo}, which draft-cavage-12 §2.3 forbids with the algorithm '{algorithm}' (use hs2019).";
            return false;
        }

        return TryBuildSigningString(request, header.Headers, header.Created, header.Expires, out signingString, out error);
    }

    /// <summary>
    /// Signs a request the way Mastodon expects: <c>rsa-sha256</c> over
    /// <c>(request-target) host date digest</c> for requests with a body (POST), and
    /// <c>(request-target) host date</c> without one (GET). Adds <c>Host</c>, <c>Date</c> and (with a
    /// body) <c>Digest</c> when the request lacks them.
    /// </summary>
    /// <param name="request">The request to sign.</param>
    /// <param name="privateKey">The actor's RSA private key.</param>
    /// <param name="keyId">The key id, for example <c>https://server-a/users/alice#main-key</c>.</param>
    /// <param name="timeProvider">The clock for the <c>Date</c> header.</param>
    /// <returns>A copy of the request with the <c>Signature</c> header (and any added headers).</returns>
    public static SignableRequest SignRequest(SignableRequest request, RSA privateKey, string keyId, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var signed = request;
        if (signed.GetHeader("Host") is null)
        {
            signed = signed.WithHeader("Host", signed.Url.IsDefaultPort ? signed.Url.Host : signed.Url.Authority);
        }

        if (signed.GetHeader("Date") is null)
        {
            // IMF-fixdate (RFC 9110 §5.6.7), for example "Sun, 05 Jan 2014 21:31:40 GMT".
            signed = signed.WithHeader("Date", timeProvider.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
        }

        var hasBody = signed.Body is { Length: > 0 } || signed.Method.Equals("POST", StringComparison.OrdinalIgnoreCase);
        if (hasBody && signed.GetHeader("Digest") is null)
        {
            signed = signed.WithHeader("Digest", Digests.CreateDigestHeader(signed.Body ?? []));
        }

        string[] headers = hasBody ? ["(request-target)", "host", "date", "digest"] : ["(request-target)", "host", "date"];
        if (!TryBuildSigningString(signed, headers, null, null, out var signingString, out var error))
        {
            throw new InvalidOperationException(error); // cannot happen: we just added every header
        }

        var signature = SignatureAlgorithms.Sign(SignatureAlgorithms.CavageRsaSha256, privateKey, Encoding.UTF8.GetBytes(signingString));
        var header = new CavageSignatureHeader(keyId, SignatureAlgorithms.CavageRsaSha256, headers, signature, null, null);
        return signed.WithHeader("Signature", header.Format());
    }

    /// <summary>
    /// Checks the signature bytes over a signing string with a public key (§3.1.2 for rsa-sha256;
    /// hs2019 with an RSA key is verified the same way, as Mastodon does).
    /// </summary>
    /// <param name="signingString">The signing string.</param>
    /// <param name="signature">The decoded signature.</param>
    /// <param name="publicKey">The signer's public key.</param>
    /// <param name="algorithm"><c>rsa-sha256</c> or <c>hs2019</c>.</param>
    /// <returns>Whether the signature is valid.</returns>
    public static bool VerifySignature(string signingString, byte[] signature, AsymmetricAlgorithm publicKey, string algorithm = SignatureAlgorithms.CavageRsaSha256)
    {
        ArgumentNullException.ThrowIfNull(signingString);
        ArgumentNullException.ThrowIfNull(publicKey);
        return algorithm is SignatureAlgorithms.CavageRsaSha256 or SignatureAlgorithms.CavageHs2019
            && SignatureAlgorithms.Verify(algorithm, publicKey, Encoding.UTF8.GetBytes(signingString), signature);
    }
}
