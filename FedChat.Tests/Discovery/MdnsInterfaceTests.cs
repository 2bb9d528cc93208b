using System.Net;
using FedChat.Core.Discovery;

namespace FedChat.Tests.Discovery;

/// <summary>Which interfaces mDNS runs on.</summary>
public class MdnsInterfaceTests
{
    private static readonly IPAddress[] Lan = [IPAddress.Parse("192.168.1.23")];

    private static readonly MdnsInterface[] All =
    [
        new("lo", 1, [IPAddress.Loopback]) { IsLoopback = true },
        new("wlan0", 2, Lan),
        new("docker0", 3, [IPAddress.Parse("172.17.0.1")]),
        new("veth1a2b", 4, [IPAddress.Parse("172.17.0.2")]),
        new("br-5f3e", 5, [IPAddress.Parse("172.18.0.1")]),
        new("virbr0", 6, [IPAddress.Parse("192.168.122.1")]),
        new("eth1", 7, Lan) { IsUp = false },
        new("wwan0", 8, Lan) { SupportsMulticast = false },
        new("ip6only", 9, [IPAddress.Parse("fe80::1")]),
    ];

    [Fact]
    public void Default_IsEveryUpMulticastInterface_WithoutLoopbackOrVirtualBridges() =>
        Assert.Equal(["wlan0"], MdnsInterface.Choose(All, []).Select(i => i.Name));

    [Fact]
    public void Configured_NamesAreUsedEvenIfTheyLookVirtual() =>
        Assert.Equal(["wlan0", "docker0"], MdnsInterface.Choose(All, ["docker0", "wlan0"]).Select(i => i.Name));
}
