using System.Text;

namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// A TXT record: a list of strings, each at most 255 bytes (RFC 1035 §3.3.14). DNS-SD stores
/// <c>key=value</c> pairs in them (RFC 6763 §6); <see cref="FromDictionary"/> and
/// <see cref="ToDictionary"/> convert between the two.
/// </summary>
/// <remarks>
/// FedChat handles TXT strings as UTF-8 text. RFC 6763 §6.5 also allows binary values; a TXT
/// record whose bytes are not valid UTF-8 is read as <see cref="UnknownRecordData"/> instead, so
/// its bytes are kept exactly.
/// </remarks>
public sealed record TxtRecordData : DnsRecordData
{
    /// <summary>The longest string: its length is one byte on the wire.</summary>
    public const int MaxStringBytes = 255;

    /// <summary>Creates TXT record data.</summary>
    /// <param name="strings">The strings. None may be longer than 255 bytes in UTF-8.</param>
    /// <exception cref="ArgumentException">A string is longer than 255 bytes.</exception>
    public TxtRecordData(IEnumerable<string> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        Strings = [.. strings];
        foreach (var text in Strings)
        {
            ArgumentNullException.ThrowIfNull(text, nameof(strings));
            var byteCount = Encoding.UTF8.GetByteCount(text);
            if (byteCount > MaxStringBytes)
            {
                throw new ArgumentException(
                    $"A TXT string is {byteCount} bytes; at most {MaxStringBytes} are allowed (RFC 6763 §6.1).",
                    nameof(strings));
            }
        }
    }

    /// <summary>
    /// Gets a TXT record with no strings. On the wire it is a single empty string (one zero byte),
    /// because a TXT record with no strings at all is not allowed (RFC 6763 §6.1).
    /// </summary>
    public static TxtRecordData Empty { get; } = new([]);

    /// <summary>Gets the strings in the order they appear on the wire.</summary>
    public IReadOnlyList<string> Strings { get; }

    /// <inheritdoc/>
    public override DnsRecordType Type => DnsRecordType.Txt;

    /// <summary>
    /// Builds DNS-SD TXT data from key/value pairs (RFC 6763 §6.3, §6.4): <c>key=value</c>, or just
    /// <c>key</c> when the value is <see langword="null"/> (a boolean attribute that is present).
    /// </summary>
    /// <param name="pairs">The pairs, written in this order. Keys are printable ASCII without <c>=</c>.</param>
    /// <returns>The TXT data.</returns>
    /// <exception cref="ArgumentException">A key is empty or not printable ASCII, contains <c>=</c>,
    /// appears twice, or a pair is longer than 255 bytes.</exception>
    public static TxtRecordData FromDictionary(IEnumerable<KeyValuePair<string, string?>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var strings = new List<string>();
        foreach (var (key, value) in pairs)
        {
            // RFC 6763 §6.4: keys are at least one printable US-ASCII character (0x20-0x7E) other than '='.
            if (string.IsNullOrEmpty(key) || key.Any(c => c is < ' ' or > '~' or '='))
            {
                throw new ArgumentException($"\"{key}\" is not a valid TXT key (RFC 6763 §6.4).", nameof(pairs));
            }

            if (!seen.Add(key))
            {
                throw new ArgumentException($"The TXT key \"{key}\" appears twice; keys are case-insensitive (RFC 6763 §6.4).", nameof(pairs));
            }

            strings.Add(value is null ? key : $"{key}={value}");
        }

        return strings.Count == 0 ? Empty : new TxtRecordData(strings);
    }

    /// <summary>
    /// Reads the strings as DNS-SD key/value pairs (RFC 6763 §6.4): <c>key=value</c> gives
    /// <c>value</c>, <c>key=</c> gives an empty string, <c>key</c> alone gives <see langword="null"/>
    /// (a boolean attribute that is present). Keys are case-insensitive; when a key appears more than
    /// once only the first counts. Empty strings and strings starting with <c>=</c> are skipped.
    /// </summary>
    /// <returns>A dictionary with case-insensitive keys.</returns>
    public IReadOnlyDictionary<string, string?> ToDictionary()
    {
        var pairs = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var text in Strings)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? text : text[..equals];
            if (key.Length == 0)
            {
                continue;
            }

            pairs.TryAdd(key, equals < 0 ? null : text[(equals + 1)..]);
        }

        return pairs;
    }

    /// <inheritdoc/>
    public bool Equals(TxtRecordData? other) => other is not null && Strings.SequenceEqual(other.Strings);

    /// <inheritdoc/>
    public override int GetHashCode() => Strings.Aggregate(Strings.Count, (hash, text) => HashCode.Combine(hash, text));
}
