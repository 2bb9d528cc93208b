using System.Text;
using Makaretu.Dns;

namespace FedChat.Core.Discovery;

/// <summary>
/// Small helpers over the package's DNS records (Makaretu.Dns) for what mDNS adds to plain DNS:
/// the cache-flush bit in the class field (RFC 6762 §10.2), TTLs in whole seconds, comparing record
/// data byte for byte, and DNS-SD's <c>key=value</c> TXT strings (RFC 6763 §6).
/// </summary>
public static class MdnsRecords
{
    /// <summary>The longest DNS label, in bytes (RFC 1035 §2.3.4); an instance name is one label.</summary>
    public const int MaxLabelBytes = 63;

    /// <summary>The top bit of the class: "cache-flush" on a record, "QU" (unicast reply wanted) on a question (RFC 6762 §10.2, §5.4).</summary>
    private const ushort TopBit = 0x8000;

    /// <summary>The record types FedChat reads from others; anything else is ignored before it reaches the cache.</summary>
    public static IReadOnlySet<DnsType> Wanted { get; } = new HashSet<DnsType> { DnsType.PTR, DnsType.SRV, DnsType.TXT, DnsType.A, DnsType.AAAA };

    /// <summary>Gets whether the record's cache-flush bit is set (RFC 6762 §10.2).</summary>
    /// <param name="record">The record.</param>
    /// <returns><see langword="true"/> if set.</returns>
    public static bool IsCacheFlush(ResourceRecord record) => ((ushort)record.Class & TopBit) != 0;

    /// <summary>Gets the class without the cache-flush / QU bit.</summary>
    /// <param name="value">A class as received.</param>
    /// <returns>The plain class, e.g. <see cref="DnsClass.IN"/>.</returns>
    public static DnsClass PlainClass(DnsClass value) => (DnsClass)((ushort)value & ~TopBit);

    /// <summary>Gets whether a question asks for a unicast reply ("QU", RFC 6762 §5.4).</summary>
    /// <param name="question">The question.</param>
    /// <returns><see langword="true"/> for QU.</returns>
    public static bool WantsUnicast(Question question) => ((ushort)question.Class & TopBit) != 0;

    /// <summary>The class for a unique record we send: IN with the cache-flush bit.</summary>
    public static DnsClass CacheFlushIn { get; } = (DnsClass)((ushort)DnsClass.IN | TopBit);

    /// <summary>Gets the TTL in whole seconds, as on the wire.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The TTL.</returns>
    public static uint Ttl(ResourceRecord record) => (uint)Math.Clamp(record.TTL.TotalSeconds, 0, uint.MaxValue);

    /// <summary>Compares the data (RDATA) of two records, byte for byte and uncompressed.</summary>
    /// <param name="a">One record.</param>
    /// <param name="b">The other.</param>
    /// <returns><see langword="true"/> when the data is the same.</returns>
    public static bool SameData(ResourceRecord a, ResourceRecord b) => a.Type == b.Type && a.GetData().AsSpan().SequenceEqual(b.GetData());

    /// <summary>Gets whether two records are of the same name, type and class (an "RRset").</summary>
    /// <param name="a">One record.</param>
    /// <param name="b">The other.</param>
    /// <returns><see langword="true"/> if so.</returns>
    public static bool SameSet(ResourceRecord a, ResourceRecord b) =>
        a.Name == b.Name && a.Type == b.Type && PlainClass(a.Class) == PlainClass(b.Class);

    /// <summary>Makes a copy with another TTL and class (records are mutable; the original stays as it was).</summary>
    /// <param name="record">The record.</param>
    /// <param name="ttl">The TTL of the copy.</param>
    /// <param name="cacheFlush">Whether the copy has the cache-flush bit.</param>
    /// <returns>The copy.</returns>
    public static ResourceRecord Copy(ResourceRecord record, TimeSpan ttl, bool cacheFlush)
    {
        ArgumentNullException.ThrowIfNull(record);
        var copy = record.Clone<ResourceRecord>();
        copy.TTL = ttl;
        copy.Class = cacheFlush ? CacheFlushIn : PlainClass(record.Class);
        return copy;
    }

    /// <summary>
    /// Builds DNS-SD TXT strings, <c>key=value</c> or just <c>key</c> (RFC 6763 §6.1-6.4). Makaretu.Dns
    /// reads and writes TXT strings as ASCII only (a packet with other bytes is dropped whole), so
    /// values are sent with <c>%</c> and every non-ASCII character percent-encoded ("Zo%C3%AB");
    /// <see cref="TxtPairs"/> decodes them. Keys that are empty, contain <c>=</c> or are not ASCII are left out.
    /// </summary>
    /// <param name="pairs">The pairs.</param>
    /// <returns>The strings; one empty string when there are none (§6.1: TXT must not be empty).</returns>
    public static List<string> TxtStrings(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        var strings = pairs
            .Where(p => p.Key.Length > 0 && !p.Key.Contains('=', StringComparison.Ordinal) && p.Key.All(char.IsAscii))
            .Select(p => p.Value is null ? p.Key : $"{p.Key}={EscapeNonAscii(p.Value)}")
            .Where(s => Encoding.UTF8.GetByteCount(s) <= 255)
            .ToList();
        return strings.Count == 0 ? [""] : strings;
    }

    /// <summary>Reads DNS-SD TXT strings into pairs; the first of repeated keys wins and keys are case-insensitive (RFC 6763 §6.4).</summary>
    /// <param name="strings">The TXT strings.</param>
    /// <returns>The pairs; a key without <c>=</c> has a <see langword="null"/> value.</returns>
    public static IReadOnlyDictionary<string, string?> TxtPairs(IEnumerable<string> strings)
    {
        var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var text in strings)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? text : text[..equals];
            if (key.Length > 0)
            {
                pairs.TryAdd(key, equals < 0 ? null : Uri.UnescapeDataString(text[(equals + 1)..]));
            }
        }

        return pairs;
    }

    private static string EscapeNonAscii(string value)
    {
        if (value.All(c => c is < (char)0x7F and not '%'))
        {
            return value;
        }

        var escaped = new StringBuilder();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is < 0x7F and not '%')
            {
                escaped.Append((char)rune.Value);
                continue;
            }

            foreach (var b in utf8[..rune.EncodeToUtf8(utf8)])
            {
                escaped.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return escaped.ToString();
    }
}
