namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// An NSEC record (RFC 4034 §4). mDNS uses it as a negative answer: "this name has exactly these
/// record types and no others" (RFC 6762 §6.1), e.g. a host with an A but no AAAA record.
/// </summary>
/// <remarks>
/// In mDNS the next domain name is the record's own name and only types below 256 appear (one
/// bitmap window). The reader and writer still handle every window of RFC 4034 §4.1.2, so an
/// NSEC record from unicast DNS round-trips too.
/// </remarks>
public sealed record NsecRecordData : DnsRecordData
{
    /// <summary>Creates NSEC record data.</summary>
    /// <param name="nextDomainName">The next domain name; in mDNS the owner name of the record itself.</param>
    /// <param name="types">The record types that exist for the name, in any order; duplicates are ignored.</param>
    public NsecRecordData(DnsName nextDomainName, IEnumerable<DnsRecordType> types)
    {
        ArgumentNullException.ThrowIfNull(nextDomainName);
        ArgumentNullException.ThrowIfNull(types);
        NextDomainName = nextDomainName;
        Types = [.. types.Distinct().Order()];
    }

    /// <summary>Gets the next domain name.</summary>
    public DnsName NextDomainName { get; }

    /// <summary>Gets the record types that exist for the name, in ascending order.</summary>
    public IReadOnlyList<DnsRecordType> Types { get; }

    /// <inheritdoc/>
    public override DnsRecordType Type => DnsRecordType.Nsec;

    /// <inheritdoc/>
    public bool Equals(NsecRecordData? other) =>
        other is not null && NextDomainName == other.NextDomainName && Types.SequenceEqual(other.Types);

    /// <inheritdoc/>
    public override int GetHashCode() => Types.Aggregate(NextDomainName.GetHashCode(), (hash, type) => HashCode.Combine(hash, type));
}
