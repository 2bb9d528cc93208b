using System.Text;

namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// A domain name as a list of labels, e.g. <c>alice (2)</c>, <c>_fedchat</c>, <c>_tcp</c>, <c>local</c>.
/// </summary>
/// <remarks>
/// <para>
/// We keep the labels apart instead of one dotted string because DNS-SD instance names are free
/// UTF-8 text and may themselves contain dots ("Bob's Laptop v2.0"), RFC 6763 §4.3. On the wire a
/// label is a length byte followed by that many bytes, so a dot inside a label is harmless there.
/// </para>
/// <para>
/// Names compare case-insensitively for ASCII letters only, as RFC 4343 and RFC 6762 §16 say:
/// "MyPrinter.local" equals "myprinter.local", but no other Unicode case folding is assumed.
/// </para>
/// </remarks>
public sealed class DnsName : IEquatable<DnsName>
{
    /// <summary>The longest label: its length byte has 6 bits, RFC 1035 §2.3.4.</summary>
    public const int MaxLabelBytes = 63;

    /// <summary>The longest name in wire format, length bytes and the final zero included, RFC 1035 §2.3.4.</summary>
    public const int MaxNameBytes = 255;

    private readonly string[] _labels;

    /// <summary>The root name, which has no labels (written as a single zero byte).</summary>
    public static DnsName Root { get; } = new([], 1);

    /// <summary>Creates a name from its labels, most specific first.</summary>
    /// <param name="labels">The labels, e.g. <c>["alice", "_fedchat", "_tcp", "local"]</c>.</param>
    /// <exception cref="ArgumentException">A label is empty or longer than 63 UTF-8 bytes, or the
    /// name is longer than 255 bytes in wire format.</exception>
    public DnsName(IEnumerable<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        _labels = [.. labels];
        Labels = _labels.AsReadOnly();
        var wireLength = 1; // the zero byte that ends every name
        foreach (var label in _labels)
        {
            ArgumentNullException.ThrowIfNull(label, nameof(labels));
            var byteCount = Encoding.UTF8.GetByteCount(label);
            if (byteCount is 0 or > MaxLabelBytes)
            {
                throw new ArgumentException(
                    $"The label \"{label}\" is {byteCount} bytes; a DNS label must be 1 to {MaxLabelBytes} bytes (RFC 1035 §2.3.4).",
                    nameof(labels));
            }

            wireLength += 1 + byteCount;
        }

        if (wireLength > MaxNameBytes)
        {
            throw new ArgumentException(
                $"The name is {wireLength} bytes in wire format; at most {MaxNameBytes} are allowed (RFC 1035 §2.3.4).",
                nameof(labels));
        }

        WireLength = wireLength;
    }

    // For names that are valid by construction (suffixes of a valid name, names DnsNameReader checked).
    private DnsName(string[] labels, int wireLength)
    {
        _labels = labels;
        Labels = labels.AsReadOnly();
        WireLength = wireLength;
    }

    /// <summary>Gets the labels, most specific first. The root name has none.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Gets the length of this name in uncompressed wire format, final zero byte included.</summary>
    public int WireLength { get; }

    /// <summary>Gets whether this is the root name (no labels).</summary>
    public bool IsRoot => _labels.Length == 0;

    /// <summary>Gets the name without its first label: the parent of <c>alice._fedchat._tcp.local</c> is <c>_fedchat._tcp.local</c>.</summary>
    /// <exception cref="InvalidOperationException">This is the root name.</exception>
    public DnsName Parent => IsRoot
        ? throw new InvalidOperationException("The root name has no parent.")
        : Suffix(1);

    /// <summary>
    /// Parses a dotted name such as <c>_fedchat._tcp.local</c>. A trailing dot is allowed; <c>""</c>
    /// and <c>"."</c> are the root. Write <c>\.</c> for a dot inside a label and <c>\\</c> for a backslash
    /// (the escapes of RFC 1035 §5.1).
    /// </summary>
    /// <param name="text">The dotted name.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentException">The text is not a valid name.</exception>
    public static DnsName Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text is "" or ".")
        {
            return Root;
        }

        var labels = new List<string>();
        var current = new StringBuilder();
        var endsWithDot = false;
        for (var i = 0; i < text.Length; i++)
        {
            endsWithDot = false;
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[++i]);
            }
            else if (text[i] == '.')
            {
                labels.Add(current.ToString());
                current.Clear();
                endsWithDot = true;
            }
            else
            {
                current.Append(text[i]);
            }
        }

        // "local." and "local" are the same name: a trailing dot only marks the root.
        if (!endsWithDot)
        {
            labels.Add(current.ToString());
        }

        return new DnsName(labels);
    }

    /// <summary>Returns the name with one more label in front: <c>_fedchat._tcp.local</c> + <c>alice</c> = <c>alice._fedchat._tcp.local</c>.</summary>
    /// <param name="label">The label to put in front.</param>
    /// <returns>The longer name.</returns>
    public DnsName Prepend(string label) => new([label, .. _labels]);

    /// <summary>Returns the name that remains after skipping the first <paramref name="count"/> labels.</summary>
    /// <param name="count">How many labels to skip, from 0 to <c>Labels.Count</c>.</param>
    /// <returns>The suffix.</returns>
    public DnsName Suffix(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _labels.Length);
        return count == 0 ? this : FromCheckedLabels(_labels[count..]);
    }

    /// <summary>Creates a name from labels that the caller has already checked against the limits.</summary>
    internal static DnsName FromCheckedLabels(string[] labels) =>
        labels.Length == 0 ? Root : new DnsName(labels, 1 + labels.Sum(label => 1 + Encoding.UTF8.GetByteCount(label)));

    /// <inheritdoc/>
    public bool Equals(DnsName? other)
    {
        if (other is null || other._labels.Length != _labels.Length)
        {
            return false;
        }

        for (var i = 0; i < _labels.Length; i++)
        {
            if (!AsciiEqualsIgnoreCase(_labels[i], other._labels[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as DnsName);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var label in Labels)
        {
            foreach (var c in label)
            {
                hash.Add(ToAsciiLower(c));
            }

            hash.Add('.');
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the dotted form, escaping dots and backslashes inside labels; the root is <c>"."</c>.</summary>
    /// <returns>The dotted name, without a trailing dot.</returns>
    public override string ToString() => IsRoot
        ? "."
        : string.Join('.', Labels.Select(label => label.Replace("\\", "\\\\").Replace(".", "\\.")));

    /// <summary>Compares two names with <see cref="Equals(DnsName?)"/>.</summary>
    /// <param name="left">The first name.</param>
    /// <param name="right">The second name.</param>
    /// <returns>Whether both are null or both are the same name.</returns>
    public static bool operator ==(DnsName? left, DnsName? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Compares two names with <see cref="Equals(DnsName?)"/>.</summary>
    /// <param name="left">The first name.</param>
    /// <param name="right">The second name.</param>
    /// <returns>Whether the names differ.</returns>
    public static bool operator !=(DnsName? left, DnsName? right) => !(left == right);

    private static bool AsciiEqualsIgnoreCase(string a, string b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (ToAsciiLower(a[i]) != ToAsciiLower(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static char ToAsciiLower(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
}
