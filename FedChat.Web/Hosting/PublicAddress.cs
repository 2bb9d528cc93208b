using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace FedChat.Web.Hosting;

/// <summary>Finds the addresses other laptops on the Wi-Fi can reach this server by.</summary>
public static class PublicAddress
{
    // Interfaces made by container and VM software: their addresses are not reachable from the room.
    private static readonly string[] VirtualInterfacePrefixes = ["docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "tun", "tap", "utun", "zt", "tailscale"];

    /// <summary>
    /// Lists this machine's LAN IPv4 addresses, best first: interfaces with a default gateway (the
    /// Wi-Fi or Ethernet that leads to the room's router) before others.
    /// </summary>
    public static IReadOnlyList<IPAddress> FindLanAddresses()
    {
        var candidates = new List<(IPAddress Address, bool HasGateway)>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up
                || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback
                || VirtualInterfacePrefixes.Any(p => nic.Name.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }
            var properties = nic.GetIPProperties();
            var hasGateway = properties.GatewayAddresses.Any(g => !g.Address.Equals(IPAddress.Any));
            foreach (var unicast in properties.UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    candidates.Add((unicast.Address, hasGateway));
                }
            }
        }
        return [.. candidates.OrderByDescending(c => c.HasGateway).Select(c => c.Address)];
    }

    /// <summary>
    /// Turns a bound address such as <c>http://0.0.0.0:5080</c> or <c>http://[::]:5080</c> into the
    /// URL others should use. A server bound to one specific address (say 127.0.0.1 in tests) keeps it.
    /// </summary>
    public static Uri ToPublicUrl(string boundAddress, IReadOnlyList<IPAddress> lanAddresses)
    {
        var parsable = boundAddress.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0");
        var bound = new Uri(parsable);
        var isWildcard = bound.Host is "0.0.0.0" or "[::]" or "::";
        if (!isWildcard)
        {
            return new UriBuilder(bound.Scheme, bound.Host, bound.Port).Uri;
        }
        // No LAN at all (an offline laptop): then only this machine can reach the server.
        var host = lanAddresses.Count > 0 ? lanAddresses[0].ToString() : "localhost";
        return new UriBuilder(bound.Scheme, host, bound.Port).Uri;
    }
}
