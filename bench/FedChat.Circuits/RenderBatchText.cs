using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace FedChat.Circuits;

/// <summary>
/// Reads the text a Blazor render batch carries. A batch (what <c>JS.RenderBatch</c> sends) ends with
/// its string table: every element name, attribute value and text of the frames it adds, each written
/// with .NET's <c>BinaryWriter</c> (a 7-bit length, then UTF-8), then one 4-byte position per string,
/// then five 4-byte section offsets of which the last is where those positions start. Text and
/// non-empty attribute values are never shared between frames, so each new entry of the "what
/// happened" panel brings its own summary and its own <c>&lt;time datetime&gt;</c> value. This reads
/// only that table: enough to see what a page would show, without building a DOM.
/// </summary>
internal static class RenderBatchText
{
    private const int SectionOffsets = 5;

    /// <summary>The batch's strings, in the order its frames use them.</summary>
    public static List<string> Strings(ReadOnlySpan<byte> batch)
    {
        var strings = new List<string>();
        if (batch.Length < SectionOffsets * 4)
        {
            return strings;
        }
        var tableStart = BinaryPrimitives.ReadInt32LittleEndian(batch[^4..]);
        var tableEnd = batch.Length - SectionOffsets * 4;
        for (var entry = tableStart; entry >= 0 && entry + 4 <= tableEnd; entry += 4)
        {
            var position = BinaryPrimitives.ReadInt32LittleEndian(batch[entry..]);
            var length = 0;
            for (var shift = 0; position < tableStart; shift += 7)
            {
                var b = batch[position++];
                length |= (b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }
            strings.Add(Encoding.UTF8.GetString(batch.Slice(position, length)));
        }
        return strings;
    }

    /// <summary>
    /// The arrival times (as the page writes them, <c>DateTimeOffset.ToString("o")</c>) of the panel
    /// entries in these strings whose summary names <paramref name="actorId"/>: a round-trip timestamp
    /// that follows, within a few strings, a text holding the actor (the summary comes just before the
    /// <c>&lt;time&gt;</c> element in each entry: 3 strings later, or 5 in a batch's first entry, which
    /// also brings the element name "time" and the attribute name "datetime"; names are shared).
    /// </summary>
    public static IEnumerable<string> ArrivalsOf(List<string> strings, string actorId)
    {
        var lastActor = int.MinValue;
        for (var i = 0; i < strings.Count; i++)
        {
            var text = strings[i];
            if (text.Contains(actorId, StringComparison.Ordinal))
            {
                lastActor = i;
            }
            else if (i - lastActor <= 6 && IsRoundTripTime(text))
            {
                yield return text;
            }
        }
    }

    /// <summary>Turns an arrival text back into Unix milliseconds.</summary>
    public static double UnixMilliseconds(string arrival) =>
        (DateTimeOffset.Parse(arrival, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) - DateTimeOffset.UnixEpoch).TotalMilliseconds;

    // "2026-12-05T07:41:55.1234567+00:00": 33 characters, '-' and 'T' where the "o" format puts them.
    private static bool IsRoundTripTime(string text) =>
        text.Length == 33 && text[4] == '-' && text[10] == 'T' &&
        DateTimeOffset.TryParseExact(text, "o", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);
}
