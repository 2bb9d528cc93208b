using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace FedChat.Core.Signing;

/// <summary>
/// The parameters of a draft-cavage <c>Signature</c> header (draft-cavage-http-signatures-12 §2.1),
/// for example <c>keyId="https://a/users/alice#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="..."</c>.
/// </summary>
/// <param name="KeyId">The <c>keyId</c> parameter (§2.1.1): which key to verify with.</param>
/// <param name="Algorithm">The <c>algorithm</c> parameter (§2.1.3), or <see langword="null"/> when absent.</param>
/// <param name="Headers">The lowercased names of the signed headers (§2.1.6), in signing order.</param>
/// <param name="Signature">The decoded <c>signature</c> parameter (§2.1.5).</param>
/// <param name="Created">The <c>created</c> parameter (§2.1.4), Unix seconds, when present.</param>
/// <param name="Expires">The <c>expires</c> parameter (§2.1.5), Unix seconds, when present.</param>
public sealed record CavageSignatureHeader(string KeyId, string? Algorithm, IReadOnlyList<string> Headers, byte[] Signature, long? Created, decimal? Expires)
{
    /// <summary>Gets whether the header had a <c>headers</c> parameter; when not, <see cref="Headers"/> holds the default.</summary>
    public bool HeadersGiven { get; init; } = true;

    /// <summary>
    /// Gets the algorithm to verify with: the <c>algorithm</c> parameter, or <c>hs2019</c> when it is
    /// absent (as Mastodon assumes; §2.1.3 says verifiers derive it from the key then).
    /// </summary>
    public string EffectiveAlgorithm => Algorithm ?? SignatureAlgorithms.CavageHs2019;

    /// <summary>
    /// Parses a <c>Signature</c> header value (an <c>Authorization: Signature ...</c> value works too).
    /// Tolerates spaces around commas and '='. Never throws: bad input gives <paramref name="error"/>.
    /// </summary>
    /// <param name="value">The header value.</param>
    /// <param name="header">The parsed parameters, when successful.</param>
    /// <param name="error">Why parsing failed, when not.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(string? value, [NotNullWhen(true)] out CavageSignatureHeader? header, [NotNullWhen(false)] out string? error)
    {
        header = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "The Signature header is empty.";
            return false;
        }

        var text = value.Trim();
        if (text.StartsWith("Signature ", StringComparison.OrdinalIgnoreCase))
        {
            text = text["Signature ".Length..]; // the Authorization header form (§3.1)
        }

        if (!TryParseParameters(text, out var parameters, out error))
        {
            return false;
        }

        if (!parameters.TryGetValue("keyId", out var keyId) || keyId.Length == 0)
        {
            error = "The Signature header has no keyId, so we cannot know whose key to check it with.";
            return false;
        }

        if (!parameters.TryGetValue("signature", out var signatureText) || signatureText.Length == 0)
        {
            error = "The Signature header has no signature parameter.";
            return false;
        }

        var signature = new byte[signatureText.Length];
        if (!Convert.TryFromBase64String(signatureText, signature, out var written))
        {
            error = "The signature parameter is not valid base64.";
            return false;
        }

        long? created = null;
        if (parameters.TryGetValue("created", out var createdText))
        {
            if (!long.TryParse(createdText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                error = $"The created parameter '{createdText}' is not a whole number of seconds.";
                return false;
            }

            created = seconds;
        }

        decimal? expires = null;
        if (parameters.TryGetValue("expires", out var expiresText))
        {
            // §2.1.5 allows sub-second precision for expires, so it may be a decimal.
            if (!decimal.TryParse(expiresText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            {
                error = $"The expires parameter '{expiresText}' is not a number of seconds.";
                return false;
            }

            expires = seconds;
        }

        parameters.TryGetValue("algorithm", out var algorithm);
        var headersGiven = parameters.TryGetValue("headers", out var headersText);
        var headers = headersGiven
            ? headersText!.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)
            // No headers parameter: Mastodon signs "(created)" for hs2019 and "date" otherwise. The
            // -12 text says "(created)"; older drafts and the Appendix C vectors say "date".
            : [algorithm is null or SignatureAlgorithms.CavageHs2019 ? "(created)" : "date"];
        if (headers.Length == 0)
        {
            error = "The headers parameter is empty, so the signature would cover nothing.";
            return false;
        }

        header = new CavageSignatureHeader(keyId, algorithm, headers, signature[..written], created, expires) { HeadersGiven = headersGiven };
        error = null;
        return true;
    }

    /// <summary>Formats the header value (§4.1), parameters in the order the draft's examples use.</summary>
    /// <returns>The <c>Signature</c> header value.</returns>
    public string Format()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"keyId=\"{KeyId}\"");
        if (Algorithm is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $",algorithm=\"{Algorithm}\"");
        }

        if (Created is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $",created={Created}");
        }

        if (Expires is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $",expires={Expires}");
        }

        if (HeadersGiven)
        {
            text.Append(CultureInfo.InvariantCulture, $",headers=\"{string.Join(' ', Headers)}\"");
        }

        text.Append(CultureInfo.InvariantCulture, $",signature=\"{Convert.ToBase64String(Signature)}\"");
        return text.ToString();
    }

    /// <summary>Reads <c>name="quoted"</c> and <c>name=token</c> pairs separated by commas (§2.2).</summary>
    private static bool TryParseParameters(string text, out Dictionary<string, string> parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var pos = 0;
        while (true)
        {
            while (pos < text.Length && (text[pos] == ',' || char.IsWhiteSpace(text[pos])))
            {
                pos++;
            }

            if (pos >= text.Length)
            {
                error = parameters.Count == 0 ? "The Signature header has no parameters." : null;
                return error is null;
            }

            var nameStart = pos;
            while (pos < text.Length && char.IsAsciiLetter(text[pos]))
            {
                pos++;
            }

            var name = text[nameStart..pos];
            while (pos < text.Length && char.IsWhiteSpace(text[pos]))
            {
                pos++;
            }

            if (name.Length == 0 || pos >= text.Length || text[pos] != '=')
            {
                error = $"Expected a parameter like name=\"value\" at position {nameStart} of the Signature header.";
                return false;
            }

            pos++;
            while (pos < text.Length && char.IsWhiteSpace(text[pos]))
            {
                pos++;
            }

            string value;
            if (pos < text.Length && text[pos] == '"')
            {
                var close = text.IndexOf('"', pos + 1);
                if (close < 0)
                {
                    error = $"The value of '{name}' in the Signature header has no closing quote.";
                    return false;
                }

                value = text[(pos + 1)..close];
                pos = close + 1;
            }
            else
            {
                var end = text.IndexOf(',', pos);
                end = end < 0 ? text.Length : end;
                value = text[pos..end].Trim();
                pos = end;
            }

            if (!parameters.TryAdd(name, value))
            {
                error = $"The Signature header has the parameter '{name}' twice.";
                return false;
            }

            while (pos < text.Length && char.IsWhiteSpace(text[pos]))
            {
                pos++;
            }

            if (pos < text.Length && text[pos] != ',')
            {
                error = $"Expected a comma after the value of '{name}' in the Signature header.";
                return false;
            }
        }
    }
}
