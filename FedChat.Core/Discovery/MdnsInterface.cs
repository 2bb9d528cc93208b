using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace FedChat.Core.Discovery;

/// <summary>
/// One network interface as mDNS sees it: a link where multicast packets reach the other laptops.
/// mDNS is link-local (RFC 6762 §1), so everything is sent and answered per interface.
/// </summary>
/// <param name="Name">The OS name, e.g. <c>wlan0</c> or <c>en0</c>.</param>
/// <param name="Index">The OS interface index, used to join multicast groups on this interface.</param>
/// <param name="Addresses">This host's IPv4 and IPv6 addresses on the interface.</param>
public sealed record MdnsInterface(string Name, int Index, IReadOnlyList<IPAddress> Addresses)
{
    // Interfaces made by container and VM software: the room's laptops are not on them.
    private static readonly string[] VirtualPrefixes = ["docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "utun", "zt", "tailscale"];

    /// <summary>Gets whether the interface is up.</summary>
    public bool IsUp { get; init; } = true;

    /// <summary>Gets whether this is a loopback interface.</summary>
    public bool IsLoopback { get; init; }

    /// <summary>Gets whether the interface supports multicast.</summary>
    public bool SupportsMulticast { get; init; } = true;

    /// <summary>Gets the first IPv4 address, used to pick this interface for outgoing IPv4 multicast.</summary>
    public IPAddress? IPv4Address => Addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);

    /// <summary>Gets whether the interface has an IPv6 address (a link-local one is enough).</summary>
    public bool HasIPv6 => Addresses.Any(a => a.AddressFamily == AddressFamily.InterNetworkV6);

    /// <summary>Gets whether the name looks like a container or VM bridge (docker0, veth1a2b, virbr0, br-1234...).</summary>
    public bool LooksVirtual => VirtualPrefixes.Any(p => Name.StartsWith(p, StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public override string ToString() => IPv4Address is { } v4 ? $"{Name} ({v4})" : Name;

    /// <summary>Lists this machine's interfaces as the OS reports them.</summary>
    /// <returns>All interfaces, usable or not.</returns>
    public static IReadOnlyList<MdnsInterface> ListAll()
    {
        var result = new List<MdnsInterface>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            var properties = nic.GetIPProperties();
            int index;
            try
            {
                index = nic.Supports(NetworkInterfaceComponent.IPv4)
                    ? properties.GetIPv4Properties().Index
                    : properties.GetIPv6Properties().Index;
            }
            catch (NetworkInformationException)
            {
                continue; // no IP at all on this interface
            }

            result.Add(new MdnsInterface(nic.Name, index, [.. properties.UnicastAddresses.Select(u => u.Address)])
            {
                IsUp = nic.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown,
                IsLoopback = nic.NetworkInterfaceType == NetworkInterfaceType.Loopback,
                SupportsMulticast = nic.SupportsMulticast,
            });
        }

        return result;
    }

    /// <summary>
    /// Picks the interfaces to run mDNS on. With <paramref name="configured"/> names, exactly those
    /// (if they exist); otherwise every interface that is up, multicast-capable, has an IPv4 address,
    /// and is neither loopback nor a virtual bridge.
    /// </summary>
    /// <param name="all">The machine's interfaces, see <see cref="ListAll"/>.</param>
    /// <param name="configured">The names from <see cref="MdnsOptions.Interfaces"/>; empty for the default choice.</param>
    /// <returns>The interfaces to use.</returns>
    public static IReadOnlyList<MdnsInterface> Choose(IEnumerable<MdnsInterface> all, IReadOnlyCollection<string> configured)
    {
        ArgumentNullException.ThrowIfNull(all);
        ArgumentNullException.ThrowIfNull(configured);
        if (configured.Count > 0)
        {
            return [.. all.Where(i => configured.Contains(i.Name, StringComparer.Ordinal) && i.IsUp)];
        }

        // An IPv4 address is required: the SRV/A records and the peer URL need one others can reach.
        return [.. all.Where(i => i.IsUp && i.SupportsMulticast && !i.IsLoopback && !i.LooksVirtual && i.IPv4Address is not null)];
    }
}
