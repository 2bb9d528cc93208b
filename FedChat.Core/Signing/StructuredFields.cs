using System.Globalization;
using System.Text;

namespace FedChat.Core.Signing;

/// <summary>A token in a structured field (RFC 8941 §3.3.4), kept apart from strings because it is serialized without quotes.</summary>
internal sealed record SfToken(string Value);

/// <summary>An item with its parameters (RFC 8941 §3.3). The value is a long, decimal, string, <see cref="SfToken"/>, byte[] or bool.</summary>
internal sealed record SfItem(object Value, IReadOnlyList<KeyValuePair<string, object>> Parameters);

/// <summary>An inner list with its parameters (RFC 8941 §3.1.1).</summary>
internal sealed record SfInnerList(IReadOnlyList<SfItem> Items, IReadOnlyList<KeyValuePair<string, object>> Parameters);

/// <summary>
/// The part of RFC 8941 "Structured Field Values for HTTP" that HTTP Message Signatures and
/// Content-Digest need: dictionaries whose members are items or inner lists, with parameters.
/// The parser follows the algorithms of RFC 8941 §4.2 step by step and never throws on bad
/// input: it returns a reason instead, because that input comes from strangers on the network.
/// </summary>
internal static partial class StructuredFields
{
    /// <summary>Parses a dictionary field (RFC 8941 §4.2.2). Members are <see cref="SfItem"/> or <see cref="SfInnerList"/>.</summary>
    public static bool TryParseDictionary(string input, out List<KeyValuePair<string, object>> members, out string? error)
    {
        members = [];
        var parser = new Parser(input);
        try
        {
            parser.ParseDictionary(members);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            members = [];
            error = e.Message;
            return false;
        }
    }

    /// <summary>Serializes an inner list with its parameters (RFC 8941 §4.1.1.1).</summary>
    public static string SerializeInnerList(SfInnerList list)
    {
        var text = new StringBuilder("(");
        text.AppendJoin(' ', list.Items.Select(SerializeItem));
        text.Append(')');
        text.Append(SerializeParameters(list.Parameters));
        return text.ToString();
    }

    /// <summary>Serializes an item with its parameters (RFC 8941 §4.1.3).</summary>
    public static string SerializeItem(SfItem item) => SerializeBareItem(item.Value) + SerializeParameters(item.Parameters);

    /// <summary>Serializes parameters (RFC 8941 §4.1.1.2): a true boolean is written as the bare key.</summary>
    public static string SerializeParameters(IEnumerable<KeyValuePair<string, object>> parameters)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in parameters)
        {
            text.Append(';').Append(key);
            if (value is not true)
            {
                text.Append('=').Append(SerializeBareItem(value));
            }
        }

        return text.ToString();
    }

    private static string SerializeBareItem(object value) => value switch
    {
        long integer => integer.ToString(CultureInfo.InvariantCulture),
        decimal number => number.ToString("0.0##", CultureInfo.InvariantCulture),
        string text => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
        SfToken token => token.Value,
        byte[] bytes => ":" + Convert.ToBase64String(bytes) + ":",
        bool flag => flag ? "?1" : "?0",
        _ => throw new ArgumentException($"Not a structured field value: {value.GetType().Name}", nameof(value)),
    };
}
