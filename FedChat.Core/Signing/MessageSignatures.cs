using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace FedChat.Core.Signing;

/// <summary>What to sign and how, for <see cref="MessageSignatures.SignRequest(SignableRequest, AsymmetricAlgorithm, MessageSignatureParameters)"/>.</summary>
/// <param name="KeyId">The <c>keyid</c> parameter, for example <c>https://server-a/users/alice#main-key</c>.</param>
/// <param name="Components">The component names to cover, in order, for example <c>@method</c>, <c>@target-uri</c>, <c>content-digest</c>.</param>
/// <param name="Created">The <c>created</c> time.</param>
public sealed record MessageSignatureParameters(string KeyId, IReadOnlyList<string> Components, DateTimeOffset Created)
{
    /// <summary>Gets the label that pairs Signature-Input and Signature. The default is <c>sig1</c>.</summary>
    public string Label { get; init; } = "sig1";

    /// <summary>
    /// Gets the algorithm. When set, it is also written as the <c>alg</c> parameter; when
    /// <see langword="null"/> (the default) the key decides (RSA: rsa-v1_5-sha256, P-256: ecdsa-p256-sha256).
    /// </summary>
    public string? Algorithm { get; init; }

    /// <summary>Gets the <c>expires</c> time, if any.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>Gets the <c>nonce</c> parameter, if any.</summary>
    public string? Nonce { get; init; }

    /// <summary>Gets the <c>tag</c> parameter, if any.</summary>
    public string? Tag { get; init; }
}

/// <summary>
/// HTTP Message Signatures, RFC 9421 (https://www.rfc-editor.org/rfc/rfc9421): the IETF standard that
/// follows draft-cavage. Fedify and newer Mastodon versions accept it; FedChat verifies it and can sign with it.
/// </summary>
public static class MessageSignatures
{
    /// <summary>The scheme name reported in <see cref="SignatureVerification.Scheme"/>.</summary>
    public const string SchemeName = "RFC 9421";

    /// <summary>
    /// Builds the signature base (§2.5): for each covered component one line
    /// <c>"identifier": value</c>, then the line <c>"@signature-params": ...</c>, joined by "\n"
    /// with no trailing newline.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="components">The covered components.</param>
    /// <param name="signatureParams">The serialized <c>@signature-params</c> value.</param>
    /// <param name="signatureBase">The signature base, when successful.</param>
    /// <param name="error">Why it could not be built, when not.</param>
    /// <returns>Whether the signature base could be built.</returns>
    public static bool TryBuildSignatureBase(SignableRequest request, IReadOnlyList<MessageComponent> components, string signatureParams,
        [NotNullWhen(true)] out string? signatureBase, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(components);
        signatureBase = null;
        var text = new StringBuilder();
        foreach (var component in components)
        {
            if (!TryGetComponentValue(request, component, out var value, out error))
            {
                return false;
            }

            text.Append(component.Identifier).Append(": ").Append(value).Append('\n');
        }

        text.Append("\"@signature-params\": ").Append(signatureParams);
        signatureBase = text.ToString();
        error = null;
        return true;
    }

    /// <summary>
    /// Signs a request with the given parameters, adding <c>Signature-Input</c> and <c>Signature</c>
    /// (and <c>Content-Digest</c> when it is covered but missing).
    /// </summary>
    /// <param name="request">The request to sign.</param>
    /// <param name="privateKey">An RSA or ECDSA P-256 private key.</param>
    /// <param name="parameters">What to sign.</param>
    /// <returns>A copy of the request with the signature headers.</returns>
    public static SignableRequest SignRequest(SignableRequest request, AsymmetricAlgorithm privateKey, MessageSignatureParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(privateKey);
        ArgumentNullException.ThrowIfNull(parameters);
        var algorithm = parameters.Algorithm ?? SignatureAlgorithms.DefaultFor(privateKey)
            ?? throw new ArgumentException("Only RSA and ECDSA P-256 keys can sign.", nameof(privateKey));
        var keyProblem = SignatureAlgorithms.CheckKey(algorithm, privateKey);
        if (keyProblem is not null)
        {
            throw new ArgumentException(keyProblem, nameof(privateKey));
        }

        var signed = request;
        if (parameters.Components.Contains("content-digest") && signed.GetHeader("Content-Digest") is null)
        {
            signed = signed.WithHeader("Content-Digest", Digests.CreateContentDigestHeader(signed.Body ?? []));
        }

        // The parameter order matches the RFC's examples: created, keyid, alg, expires, nonce, tag.
        var sfParameters = new List<KeyValuePair<string, object>>
        {
            new("created", parameters.Created.ToUnixTimeSeconds()),
            new("keyid", parameters.KeyId),
        };
        AddIfPresent(sfParameters, "alg", parameters.Algorithm);
        AddIfPresent(sfParameters, "expires", parameters.Expires?.ToUnixTimeSeconds());
        AddIfPresent(sfParameters, "nonce", parameters.Nonce);
        AddIfPresent(sfParameters, "tag", parameters.Tag);
        var items = parameters.Components.Select(name => new SfItem(name, [])).ToList();
        var signatureParams = StructuredFields.SerializeInnerList(new SfInnerList(items, sfParameters));
        var components = parameters.Components.Select(MessageComponent.Of).ToList();

        if (!TryBuildSignatureBase(signed, components, signatureParams, out var signatureBase, out var error))
        {
            throw new InvalidOperationException(error);
        }

        var signature = SignatureAlgorithms.Sign(algorithm, privateKey, Encoding.UTF8.GetBytes(signatureBase));
        return signed
            .WithHeader("Signature-Input", parameters.Label + "=" + signatureParams)
            .WithHeader("Signature", parameters.Label + "=:" + Convert.ToBase64String(signature) + ":");
    }

    /// <summary>
    /// Signs a request with FedChat's defaults: <c>@method</c>, <c>@target-uri</c> and, when there is a
    /// body, <c>content-digest</c>, with <c>created</c> from the clock. That is the set Mastodon requires.
    /// </summary>
    /// <param name="request">The request to sign.</param>
    /// <param name="privateKey">An RSA or ECDSA P-256 private key.</param>
    /// <param name="keyId">The key id.</param>
    /// <param name="timeProvider">The clock for <c>created</c>.</param>
    /// <returns>A copy of the request with the signature headers.</returns>
    public static SignableRequest SignRequest(SignableRequest request, AsymmetricAlgorithm privateKey, string keyId, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(timeProvider);
        List<string> components = ["@method", "@target-uri"];
        if (request.Body is { Length: > 0 } || request.Method.Equals("POST", StringComparison.OrdinalIgnoreCase))
        {
            components.Add("content-digest");
        }

        return SignRequest(request, privateKey, new MessageSignatureParameters(keyId, components, timeProvider.GetUtcNow()));
    }

    /// <summary>Checks signature bytes over a signature base with a public key (§3.2 step 8).</summary>
    /// <param name="signatureBase">The signature base.</param>
    /// <param name="signature">The signature bytes.</param>
    /// <param name="publicKey">The signer's public key.</param>
    /// <param name="algorithm">rsa-v1_5-sha256, rsa-pss-sha512 or ecdsa-p256-sha256.</param>
    /// <returns>Whether the signature is valid.</returns>
    public static bool VerifySignature(string signatureBase, byte[] signature, AsymmetricAlgorithm publicKey, string algorithm)
    {
        ArgumentNullException.ThrowIfNull(signatureBase);
        ArgumentNullException.ThrowIfNull(publicKey);
        return algorithm is SignatureAlgorithms.RsaV15Sha256 or SignatureAlgorithms.RsaPssSha512 or SignatureAlgorithms.EcdsaP256Sha256
            && SignatureAlgorithms.Verify(algorithm, publicKey, Encoding.UTF8.GetBytes(signatureBase), signature);
    }

    private static void AddIfPresent(List<KeyValuePair<string, object>> parameters, string key, object? value)
    {
        if (value is not null)
        {
            parameters.Add(new(key, value));
        }
    }

    /// <summary>The value of one component (§2.1 for header fields, §2.2 for derived components).</summary>
    private static bool TryGetComponentValue(SignableRequest request, MessageComponent component,
        [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        var url = request.Url;
        error = null;
        value = component.Name switch
        {
            "@method" => request.Method,                                   // §2.2.1
            "@target-uri" => url.AbsoluteUri,                              // §2.2.2
            "@authority" => url.IsDefaultPort ? url.Host : url.Authority,  // §2.2.3: lowercase, default port left out
            "@scheme" => url.Scheme,                                       // §2.2.4
            "@request-target" => url.PathAndQuery,                         // §2.2.5: origin form
            "@path" => url.AbsolutePath.Length == 0 ? "/" : url.AbsolutePath, // §2.2.6
            "@query" => url.Query.Length == 0 ? "?" : url.Query,           // §2.2.7: "?" when there is none
            "@query-param" => GetQueryParameter(url, component.QueryParameterName!, out error),
            "@signature-params" => null,
            _ when component.Name.StartsWith('@') => null,
            // §2.1: a header field's value, trimmed; repeated lines are already joined with ", ".
            _ => request.GetHeader(component.Name)?.Trim(),
        };
        if (value is not null)
        {
            return true;
        }

        error ??= component.Name switch
        {
            "@signature-params" => "\"@signature-params\" cannot be a covered component (§2.3).",
            "@status" => "\"@status\" belongs to responses; a request has no status (§2.2.9).",
            _ when component.Name.StartsWith('@') => $"The derived component \"{component.Name}\" is not supported.",
            _ => $"The signature covers the '{component.Name}' header, but the request has no such header.",
        };
        return false;
    }

    /// <summary>§2.2.8: the value of one named query parameter, re-encoded as application/x-www-form-urlencoded.</summary>
    private static string? GetQueryParameter(Uri url, string name, out string? error)
    {
        error = null;
        var query = url.Query.TrimStart('?');
        var values = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => WebUtility.UrlDecode(pair[0]) == WebUtility.UrlDecode(name))
            .Select(pair => FormEncode(WebUtility.UrlDecode(pair.Length > 1 ? pair[1] : "")))
            .ToList();
        if (values.Count == 1)
        {
            return values[0];
        }

        error = values.Count == 0
            ? $"The signature covers the query parameter '{name}', but the URL has none."
            : $"The query parameter '{name}' appears more than once, which §2.2.8 does not allow to sign.";
        return null;
    }

    /// <summary>The WHATWG URL "application/x-www-form-urlencoded serializer" for one value.</summary>
    private static string FormEncode(string text)
    {
        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '*' or '-' or '.' or '_')
            {
                encoded.Append(c);
            }
            else if (c == ' ')
            {
                encoded.Append('+');
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
