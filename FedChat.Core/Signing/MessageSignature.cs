using System.Diagnostics.CodeAnalysis;

namespace FedChat.Core.Signing;

/// <summary>
/// One covered component of an RFC 9421 signature (§2): a header field such as <c>content-digest</c>
/// or a derived component such as <c>@method</c>.
/// </summary>
/// <param name="Name">The component name, for example <c>@path</c> or <c>date</c>.</param>
/// <param name="Identifier">The serialized component identifier as it appears in the signature base, for example <c>"@query-param";name="Pet"</c>.</param>
public sealed record MessageComponent(string Name, string Identifier)
{
    /// <summary>Gets the <c>name</c> parameter of an <c>@query-param</c> component (§2.2.8).</summary>
    public string? QueryParameterName { get; init; }

    /// <summary>Creates a component without parameters.</summary>
    /// <param name="name">The component name.</param>
    /// <returns>The component.</returns>
    public static MessageComponent Of(string name) => new(name, "\"" + name + "\"");
}

/// <summary>
/// One signature of an RFC 9421 message: the member of <c>Signature-Input</c> (§4.1) that describes
/// what was signed, together with the matching member of <c>Signature</c> (§4.2).
/// </summary>
/// <param name="Label">The label that pairs the two members, for example <c>sig1</c>.</param>
/// <param name="Components">The covered components, in order.</param>
/// <param name="SignatureParams">The serialized <c>@signature-params</c> value (§2.3): the last line of the signature base.</param>
/// <param name="Signature">The signature bytes.</param>
public sealed record MessageSignature(string Label, IReadOnlyList<MessageComponent> Components, string SignatureParams, byte[] Signature)
{
    /// <summary>Gets the <c>keyid</c> parameter (§2.3).</summary>
    public string? KeyId { get; init; }

    /// <summary>Gets the <c>alg</c> parameter (§2.3), when the signer named the algorithm.</summary>
    public string? Algorithm { get; init; }

    /// <summary>Gets the <c>created</c> parameter (§2.3): Unix seconds.</summary>
    public long? Created { get; init; }

    /// <summary>Gets the <c>expires</c> parameter (§2.3): Unix seconds.</summary>
    public long? Expires { get; init; }

    /// <summary>Gets the <c>nonce</c> parameter (§2.3).</summary>
    public string? Nonce { get; init; }

    /// <summary>Gets the <c>tag</c> parameter (§2.3).</summary>
    public string? Tag { get; init; }

    /// <summary>
    /// Parses <c>Signature-Input</c> and <c>Signature</c> (both RFC 8941 dictionaries) and picks one
    /// signature. Never throws: bad input gives <paramref name="error"/>.
    /// </summary>
    /// <param name="signatureInput">The <c>Signature-Input</c> header value.</param>
    /// <param name="signature">The <c>Signature</c> header value.</param>
    /// <param name="label">The label to use, or <see langword="null"/> for the first label present in both headers.</param>
    /// <param name="result">The signature, when successful.</param>
    /// <param name="error">Why parsing failed, when not.</param>
    /// <returns>Whether parsing succeeded.</returns>
    public static bool TryParse(string? signatureInput, string? signature, string? label,
        [NotNullWhen(true)] out MessageSignature? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (!StructuredFields.TryParseDictionary(signatureInput ?? "", out var inputs, out error))
        {
            error = "The Signature-Input header is malformed: " + error;
            return false;
        }

        if (!StructuredFields.TryParseDictionary(signature ?? "", out var signatures, out error))
        {
            error = "The Signature header is malformed: " + error;
            return false;
        }

        // Several signatures may travel together (§4.3); by default we check the first one that
        // appears in both headers.
        var chosen = label ?? inputs.Select(i => i.Key).FirstOrDefault(k => signatures.Exists(s => s.Key == k));
        var input = inputs.Find(i => i.Key == chosen).Value;
        var value = signatures.Find(s => s.Key == chosen).Value;
        if (chosen is null || input is null || value is null)
        {
            error = label is null
                ? "No label appears in both Signature-Input and Signature, so there is no complete signature to check."
                : $"The label '{label}' is not in both Signature-Input and Signature.";
            return false;
        }

        if (value is not SfItem { Value: byte[] signatureBytes })
        {
            error = $"The Signature member '{chosen}' must be a byte sequence (:base64:).";
            return false;
        }

        if (input is not SfInnerList list)
        {
            error = $"The Signature-Input member '{chosen}' must be a list of components in parentheses.";
            return false;
        }

        return TryReadSignatureInput(chosen, list, signatureBytes, out result, out error);
    }

    private static bool TryReadSignatureInput(string label, SfInnerList list, byte[] signature,
        [NotNullWhen(true)] out MessageSignature? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        var components = new List<MessageComponent>();
        foreach (var item in list.Items)
        {
            if (!TryReadComponent(item, out var component, out error))
            {
                return false;
            }

            // §2.5 step 2.4: the same component must not be covered twice.
            if (components.Exists(c => c.Identifier == component.Identifier))
            {
                error = $"The component {component.Identifier} is listed twice.";
                return false;
            }

            components.Add(component);
        }

        var parsed = new MessageSignature(label, components, StructuredFields.SerializeInnerList(list), signature);
        foreach (var (key, value) in list.Parameters)
        {
            // §2.3 defines the parameter types; a wrong type makes the signature malformed.
            switch (key, value)
            {
                case ("created", long seconds):
                    parsed = parsed with { Created = seconds };
                    break;
                case ("expires", long seconds):
                    parsed = parsed with { Expires = seconds };
                    break;
                case ("keyid", string keyId):
                    parsed = parsed with { KeyId = keyId };
                    break;
                case ("alg", string alg):
                    parsed = parsed with { Algorithm = alg };
                    break;
                case ("nonce", string nonce):
                    parsed = parsed with { Nonce = nonce };
                    break;
                case ("tag", string tag):
                    parsed = parsed with { Tag = tag };
                    break;
                case ("created" or "expires", _):
                    error = $"The {key} parameter must be an integer (Unix seconds).";
                    return false;
                case ("keyid" or "alg" or "nonce" or "tag", _):
                    error = $"The {key} parameter must be a quoted string.";
                    return false;
                default:
                    break; // other parameters are signed (they are in @signature-params) but not interpreted
            }
        }

        result = parsed;
        error = null;
        return true;
    }

    private static bool TryReadComponent(SfItem item, [NotNullWhen(true)] out MessageComponent? component, [NotNullWhen(false)] out string? error)
    {
        component = null;
        if (item.Value is not string name)
        {
            error = "Every covered component must be a quoted string, for example \"@method\".";
            return false;
        }

        if (name.Length == 0 || name != name.ToLowerInvariant())
        {
            error = $"The component name \"{name}\" must be lowercase and not empty (RFC 9421 §2.1).";
            return false;
        }

        string? queryName = null;
        foreach (var (key, value) in item.Parameters)
        {
            if (key == "name" && name == "@query-param" && value is string text)
            {
                queryName = text;
            }
            else
            {
                error = key == "req"
                    ? $"The component \"{name}\";req refers to a request from a response signature (§2.4), which FedChat does not check."
                    : $"The component parameter ;{key} on \"{name}\" is not supported.";
                return false;
            }
        }

        if (name == "@query-param" && queryName is null)
        {
            error = "The component \"@query-param\" needs a name parameter (§2.2.8).";
            return false;
        }

        component = new MessageComponent(name, StructuredFields.SerializeItem(item)) { QueryParameterName = queryName };
        error = null;
        return true;
    }
}
