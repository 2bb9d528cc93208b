using System.Diagnostics;
using FedChat.Core.Discovery;
using FedChat.Tests.Support;
using Xunit.Abstractions;

namespace FedChat.Tests.Discovery;

/// <summary>
/// Three FedChat servers on three "laptops" (network namespaces on one bridge) find each other by
/// mDNS alone, and notice when one leaves. Real processes, real multicast, nothing on the real network.
/// </summary>
public class MultiHostDiscoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(3);

    [RootFact]
    public async Task ThreeServers_SeeEachOther_AndAStoppedOneIsGone()
    {
        using var lab = new NetworkLab();
        var servers = new List<LabServer>();
        try
        {
            string[] names = ["a", "b", "c"];
            foreach (var (name, i) in names.Select((n, i) => (n, i + 1)))
            {
                var ns = lab.AddHost(name, $"10.99.0.{i}");
                servers.Add(LabServer.Start("ns" + name, ns, $"10.99.0.{i}"));
            }

            // "Start" is when the last server answers HTTP, i.e. has bound its port and begun discovery.
            var launched = Stopwatch.StartNew();
            foreach (var server in servers)
            {
                Assert.True(await server.WaitForAsync(_ => true, TimeSpan.FromSeconds(60)) is not null, $"{server.Process} did not start:\n{server.Process.Output}");
            }

            var allReady = launched.Elapsed;
            var seenAfter = TimeSpan.Zero;
            foreach (var server in servers)
            {
                var others = servers.Where(s => s != server).Select(s => s.BaseUrl.ToString()).ToList();
                var took = await server.WaitForAsync(list => others.All(url => IsOnline(list, url)), Limit - seenAfter);
                Assert.True(took is not null, $"{server.Process} did not list {string.Join(", ", others)} within {Limit.TotalSeconds} s:\n{server.Process.Output}");
                seenAfter = launched.Elapsed - allReady;
            }

            output.WriteLine($"All three servers answered HTTP {allReady.TotalSeconds:0.00} s after launch; each listed the other two {seenAfter.TotalSeconds:0.00} s later.");

            // Garbage on the mDNS port is dropped with a debug line; the receive loop keeps going.
            NetworkLab.Exec(servers[0].Namespace, TimeSpan.FromSeconds(5), null, "bash", "-c", @"printf 'garbage\x00\xff' > /dev/udp/224.0.0.251/5353");
            Assert.NotNull(await servers[1].WaitForAsync(_ => servers[1].Process.Output.Contains("Dropped a malformed mDNS packet", StringComparison.Ordinal), TimeSpan.FromSeconds(3)));

            // A clean stop (SIGTERM) sends goodbye packets (RFC 6762 §10.1).
            var leaving = servers[2];
            var stopped = Stopwatch.StartNew();
            Assert.True(await leaving.Process.TerminateAsync(TimeSpan.FromSeconds(10)), $"{leaving.Process} did not stop");
            var goneAfter = TimeSpan.Zero;
            foreach (var server in servers.Take(2))
            {
                var took = await server.WaitForAsync(list => IsGone(list, leaving.BaseUrl.ToString()), Limit - stopped.Elapsed);
                Assert.True(took is not null, $"{server.Process} still lists {leaving.BaseUrl} as online:\n{server.Process.Output}\n--- leaving server:\n{leaving.Process.Output}");
                goneAfter = stopped.Elapsed;
            }

            output.WriteLine($"The stopped server was shown gone on both others {goneAfter.TotalSeconds:0.00} s after SIGTERM.");
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
        }
    }

    private static bool IsOnline(PeerListResponse list, string url) =>
        list.Peers.Any(p => p.Url == url && p.Status == nameof(PeerStatus.Online));

    private static bool IsGone(PeerListResponse list, string url) =>
        list.Peers.Any(p => p.Url == url && p.Status == nameof(PeerStatus.Gone));
}
