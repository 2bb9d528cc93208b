namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// The TYPE of a resource record or the QTYPE of a question (RFC 1035 §3.2.2, §3.2.3). Only the
/// types FedChat reads and writes have names here; any other 16-bit value is still a valid
/// <see cref="DnsRecordType"/> and its data is kept as raw bytes (<see cref="UnknownRecordData"/>).
/// </summary>
public enum DnsRecordType : ushort
{
    /// <summary>An IPv4 address (RFC 1035 §3.4.1).</summary>
    A = 1,

    /// <summary>A pointer to another name; DNS-SD uses it to list service instances (RFC 1035 §3.3.12, RFC 6763 §4.1).</summary>
    Ptr = 12,

    /// <summary>Text strings; DNS-SD puts <c>key=value</c> pairs in them (RFC 1035 §3.3.14, RFC 6763 §6).</summary>
    Txt = 16,

    /// <summary>An IPv6 address (RFC 3596 §2).</summary>
    Aaaa = 28,

    /// <summary>Where a service runs: target host and port (RFC 2782).</summary>
    Srv = 33,

    /// <summary>Which record types exist for a name; mDNS uses it to say "no others" (RFC 4034 §4, RFC 6762 §6.1).</summary>
    Nsec = 47,

    /// <summary>In a question: every type the responder has for the name (RFC 1035 §3.2.3). mDNS probes use it (RFC 6762 §8.1).</summary>
    Any = 255,
}

/// <summary>
/// The CLASS of a record or question (RFC 1035 §3.2.4). mDNS only uses <see cref="Internet"/>; the
/// top bit of the 16-bit field on the wire is not part of the class in mDNS (see
/// <see cref="DnsRecord.CacheFlush"/> and <see cref="DnsQuestion.UnicastResponse"/>), so a class
/// here is at most 0x7FFF.
/// </summary>
public enum DnsClass : ushort
{
    /// <summary>The Internet class, IN.</summary>
    Internet = 1,

    /// <summary>In a question: any class (RFC 1035 §3.2.5).</summary>
    Any = 255,
}
