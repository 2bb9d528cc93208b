namespace FedChat.Core.Discovery.Dns;

/// <summary>One entry of the question section: "which records of this type does <see cref="Name"/> have?" (RFC 1035 §4.1.2).</summary>
/// <param name="Name">The name asked about, e.g. <c>_fedchat._tcp.local</c>.</param>
/// <param name="Type">The type asked for; <see cref="DnsRecordType.Any"/> asks for all of them.</param>
public sealed record DnsQuestion(DnsName Name, DnsRecordType Type)
{
    /// <summary>Gets the class asked for. <value>The default is <see cref="DnsClass.Internet"/>.</value></summary>
    public DnsClass Class { get; init; } = DnsClass.Internet;

    /// <summary>
    /// Gets whether the asker prefers a unicast reply (a "QU" question) over a multicast one ("QM").
    /// On the wire this is the top bit of the class field, RFC 6762 §5.4.
    /// <value>The default is <see langword="false"/> (QM).</value>
    /// </summary>
    public bool UnicastResponse { get; init; }
}
