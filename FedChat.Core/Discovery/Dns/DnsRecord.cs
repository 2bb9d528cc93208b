namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// A resource record: a name, how long it may be cached, and typed data (RFC 1035 §4.1.3).
/// The record's type is the type of its <see cref="Data"/>.
/// </summary>
/// <param name="Name">The owner name, e.g. <c>alice._fedchat._tcp.local</c> for an SRV record.</param>
/// <param name="Ttl">How many seconds the record may be cached. In mDNS a TTL of 0 is a "goodbye":
/// the record is going away (RFC 6762 §10.1).</param>
/// <param name="Data">The type-specific data (RDATA).</param>
public sealed record DnsRecord(DnsName Name, uint Ttl, DnsRecordData Data)
{
    /// <summary>Gets the record type, which comes from <see cref="Data"/>.</summary>
    public DnsRecordType Type => Data.Type;

    /// <summary>Gets the class. <value>The default is <see cref="DnsClass.Internet"/>.</value></summary>
    public DnsClass Class { get; init; } = DnsClass.Internet;

    /// <summary>
    /// Gets whether receivers should replace, not add to, what they cached for this name and type.
    /// Set on "unique" records such as SRV, TXT, A and AAAA; not on shared records such as the
    /// DNS-SD PTR. On the wire this is the top bit of the class field, RFC 6762 §10.2.
    /// <value>The default is <see langword="false"/>.</value>
    /// </summary>
    public bool CacheFlush { get; init; }
}
