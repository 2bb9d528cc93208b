namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// The data of a record type FedChat does not interpret, kept as the raw bytes that were on the
/// wire so the record can be passed on unchanged (the approach of RFC 3597). Such data never
/// contains compressed names, because RFC 3597 §4 forbids compression in new record types.
/// </summary>
public sealed record UnknownRecordData : DnsRecordData
{
    /// <summary>Creates raw record data.</summary>
    /// <param name="type">The record type.</param>
    /// <param name="bytes">The RDATA bytes, at most 65535.</param>
    /// <exception cref="ArgumentException">There are more than 65535 bytes (RDLENGTH is 16 bits).</exception>
    public UnknownRecordData(DnsRecordType type, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"Record data is {bytes.Length} bytes; at most {ushort.MaxValue} fit (RFC 1035 §4.1.3).", nameof(bytes));
        }

        Type = type;
        Bytes = bytes.ToArray();
    }

    /// <inheritdoc/>
    public override DnsRecordType Type { get; }

    /// <summary>Gets the raw RDATA bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <inheritdoc/>
    public bool Equals(UnknownRecordData? other) => other is not null && Type == other.Type && Bytes.Span.SequenceEqual(other.Bytes.Span);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Type, Bytes.Length);
}
