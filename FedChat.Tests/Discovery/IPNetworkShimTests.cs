using System.Reflection;
using Makaretu.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>
/// FedChat.IPNetworkShim stands in for IPNetwork2 2.x, which Makaretu.Dns.Multicast 0.27.0 was built
/// against (README "LAN discovery"). Without it, the first MulticastService throws TypeLoadException.
/// </summary>
public class IPNetworkShimTests
{
    [Fact]
    public void ThePackage_LoadsTheShim_AndCreatesAMulticastService()
    {
        using var mdns = new MulticastService(_ => []);

        var wanted = typeof(MulticastService).Assembly.GetReferencedAssemblies().Single(a => a.Name == "System.Net.IPNetwork");
        var loaded = Assembly.Load(wanted);
        Assert.True(loaded.GetName().Version >= wanted.Version, $"shim {loaded.GetName().Version}, package wants {wanted.Version}");
        Assert.Empty(loaded.GetName().GetPublicKeyToken() ?? []); // ours, not IPNetwork2's signed assembly
        Assert.Single(loaded.GetExportedTypes()); // the shim holds one class, nothing more
    }

    [Fact]
    public void Parse_KeepsTheText()
    {
        var type = Assembly.Load("System.Net.IPNetwork").GetType("System.Net.IPNetwork")!;

        var network = type.GetMethod("Parse", [typeof(string)])!.Invoke(null, ["169.254.0.0/16"]);

        Assert.Equal("169.254.0.0/16", network!.ToString());
    }
}
