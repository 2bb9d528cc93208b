using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace FedChat.Core.Signing;

/// <summary>
/// The JSON Canonicalization Scheme, RFC 8785 (https://www.rfc-editor.org/rfc/rfc8785): one exact
/// text for any JSON value, so that two servers hash the same bytes for the same object however
/// each one happened to format it. Object integrity proofs (ecdsa-jcs-2019) sign this text.
/// </summary>
public static class JsonCanonicalization
{
    /// <summary>Canonicalizes a JSON value to text (§3.2).</summary>
    /// <param name="node">The value; <see langword="null"/> is the JSON literal null.</param>
    /// <returns>The canonical JSON text.</returns>
    /// <exception cref="ArgumentException">The value holds a number JSON cannot carry (NaN, Infinity) or a lone surrogate.</exception>
    public static string Canonicalize(JsonNode? node)
    {
        var text = new StringBuilder();
        Write(node, text);
        return text.ToString();
    }

    /// <summary>Canonicalizes a JSON value to the UTF-8 bytes that get hashed (§3.2.4).</summary>
    /// <param name="node">The value.</param>
    /// <returns>The canonical JSON as UTF-8.</returns>
    public static byte[] CanonicalizeToUtf8(JsonNode? node) => Encoding.UTF8.GetBytes(Canonicalize(node));

    /// <summary>
    /// Formats a number as ECMAScript's Number.prototype.toString does (ECMA-262 §6.1.6.1.20), which
    /// RFC 8785 §3.2.2.3 requires: the shortest digits that read back as the same double, in plain
    /// notation from 1e-6 up to 1e21 and in exponent notation outside that range.
    /// </summary>
    /// <param name="value">A finite double.</param>
    /// <returns>The ECMAScript text, for example "1e+21", "0.000001" or "333333333.3333333".</returns>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{value} has no JSON representation (RFC 8785 §3.2.2.3).", nameof(value));
        }

        if (value == 0)
        {
            return "0"; // also for -0
        }

        // .NET's "R" gives the shortest round-trip digits (like ECMAScript), only laid out differently,
        // for example "1E+21" or "1.2345E-07". Take it apart into sign, digits and exponent...
        var shortest = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = shortest.StartsWith('-');
        var mantissa = negative ? shortest[1..] : shortest;
        var exponent = 0;
        var e = mantissa.IndexOf('E', StringComparison.Ordinal);
        if (e >= 0)
        {
            exponent = int.Parse(mantissa[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = mantissa[..e];
        }

        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var integerDigits = dot < 0 ? mantissa.Length : dot;
        var allDigits = mantissa.Replace(".", "", StringComparison.Ordinal);
        var leadingZeros = allDigits.Length - allDigits.TrimStart('0').Length;
        var digits = allDigits.Trim('0');
        // ...so that value = 0.digits × 10^n, in ECMA-262's terms: k = digits.Length, n = point position.
        var k = digits.Length;
        var n = integerDigits + exponent - leadingZeros;

        var text = new StringBuilder(negative ? "-" : "");
        if (k <= n && n <= 21)
        {
            text.Append(digits).Append('0', n - k);            // 123000
        }
        else if (0 < n && n <= 21)
        {
            text.Append(digits[..n]).Append('.').Append(digits[n..]); // 123.45
        }
        else if (-6 < n && n <= 0)
        {
            text.Append("0.").Append('0', -n).Append(digits);  // 0.000123
        }
        else
        {
            text.Append(digits[0]);                             // 1.23e+25, 5e-324
            if (k > 1)
            {
                text.Append('.').Append(digits[1..]);
            }

            text.Append('e').Append(n - 1 >= 0 ? "+" : "-").Append(Math.Abs(n - 1).ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                // §3.2.3: properties sorted by their names as UTF-16 code units (ordinal comparison).
                text.Append('{');
                var first = true;
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append(first ? "" : ",");
                    first = false;
                    WriteString(name, text);
                    text.Append(':');
                    Write(value, text);
                }

                text.Append('}');
                break;
            case JsonArray array:
                text.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    text.Append(i == 0 ? "" : ",");
                    Write(array[i], text);
                }

                text.Append(']');
                break;
            case JsonValue value:
                WriteValue(value, text);
                break;
        }
    }

    private static void WriteValue(JsonValue value, StringBuilder text)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(value.GetValue<string>(), text);
                break;
            case JsonValueKind.Number:
                // The value may hold an int, a decimal or a parsed JsonElement; its JSON text read as a
                // double is what every JSON reader sees (§3.2.2.3: numbers are IEEE 754 doubles).
                var number = double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                text.Append(FormatNumber(number));
                break;
            case JsonValueKind.True:
                text.Append("true");
                break;
            case JsonValueKind.False:
                text.Append("false");
                break;
            default:
                text.Append("null");
                break;
        }
    }

    /// <summary>§3.2.2.2: only '"', '\' and control characters are escaped, with the short forms where JSON has them.</summary>
    private static void WriteString(string value, StringBuilder text)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])))
            {
                throw new ArgumentException("A string contains a lone surrogate, which cannot be encoded as UTF-8 (RFC 8785 §3.2.2.2).");
            }

            if (char.IsHighSurrogate(c))
            {
                text.Append(c).Append(value[++i]);
                continue;
            }

            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case < ' ': text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: text.Append(c); break;
            }
        }

        text.Append('"');
    }
}
