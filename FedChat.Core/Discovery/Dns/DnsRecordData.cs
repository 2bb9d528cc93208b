using System.Net;
using System.Net.Sockets;

namespace FedChat.Core.Discovery.Dns;

/// <summary>
/// The type-specific part of a resource record (its RDATA, RFC 1035 §3.3). Each record type
/// FedChat understands has its own subclass; anything else is an <see cref="UnknownRecordData"/>.
/// </summary>
public abstract record DnsRecordData
{
    // Only this library defines kinds of record data, so the reader and writer can handle them all.
    private protected DnsRecordData()
    {
    }

    /// <summary>Gets the record type this data belongs to.</summary>
    public abstract DnsRecordType Type { get; }
}

/// <summary>An A record: one IPv4 address, 4 bytes on the wire (RFC 1035 §3.4.1).</summary>
public sealed record ARecordData : DnsRecordData
{
    /// <summary>Creates A record data.</summary>
    /// <param name="address">An IPv4 address.</param>
    /// <exception cref="ArgumentException">The address is not IPv4.</exception>
    public ARecordData(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"An A record holds an IPv4 address, not {address}.", nameof(address));
        }

        Address = address;
    }

    /// <summary>Gets the IPv4 address.</summary>
    public IPAddress Address { get; }

    /// <inheritdoc/>
    public override DnsRecordType Type => DnsRecordType.A;
}

/// <summary>An AAAA record: one IPv6 address, 16 bytes on the wire (RFC 3596 §2.2).</summary>
public sealed record AaaaRecordData : DnsRecordData
{
    /// <summary>Creates AAAA record data.</summary>
    /// <param name="address">An IPv6 address. A scope id (<c>%eth0</c>) is not sent: it only means something on this host.</param>
    /// <exception cref="ArgumentException">The address is not IPv6.</exception>
    public AaaaRecordData(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            throw new ArgumentException($"An AAAA record holds an IPv6 address, not {address}.", nameof(address));
        }

        Address = address.ScopeId == 0 ? address : new IPAddress(address.GetAddressBytes());
    }

    /// <summary>Gets the IPv6 address (without a scope id).</summary>
    public IPAddress Address { get; }

    /// <inheritdoc/>
    public override DnsRecordType Type => DnsRecordType.Aaaa;
}

/// <summary>A PTR record: a pointer to another name (RFC 1035 §3.3.12). DNS-SD lists each instance of a service type with one (RFC 6763 §4.1).</summary>
/// <param name="Target">The name pointed to, e.g. <c>alice._fedchat._tcp.local</c>.</param>
public sealed record PtrRecordData(DnsName Target) : DnsRecordData
{
    /// <inheritdoc/>
    public override DnsRecordType Type => DnsRecordType.Ptr;
}

/// <summary>An SRV record: the host and port where a service instance runs (RFC 2782, RFC 6763 §5).</summary>
/// <param name="Priority">Lower is tried first; DNS-SD usually sends 0.</param>
/// <param name="Weight">Load-balancing weight among equal priorities; DNS-SD usually sends 0.</param>
/// <param name="Port">The TCP or UDP port of the service.</param>
/// <param name="Target">The host name, e.g. <c>alice-laptop.local</c>, whose A/AAAA records give the addresses.</param>
public sealed record SrvRecordData(ushort Priority, ushort Weight, ushort Port, DnsName Target) : DnsRecordData
{
    /// <inheritdoc/>
    public override DnsRecordType Type => DnsRecordType.Srv;
}
