using System.Diagnostics;
using FedChat.Core.Discovery;
using FedChat.Tests.Support;
using Xunit.Abstractions;

namespace FedChat.Tests.Discovery;

/// <summary>
/// Three FedChat servers on three "laptops" (network namespaces on one bridge) find each other by
/// mDNS alone, and notice when one leaves. Real processes, real multicast, nothing on the real network.
/// </summary>
[Trait("Speed", "Slow")]
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

    [RootFact]
    public async Task TwoServersNamedAlice_OnOneLaptop_SharePort5353_AndEndWithDistinctNames()
    {
        using var lab = new NetworkLab();
        var servers = new List<LabServer>();
        try
        {
            // One "laptop" with two addresses runs two servers that both want the name "alice"; both
            // bind UDP 5353 there. A third laptop watches.
            var laptop = lab.AddHost("l", "10.98.0.1");
            NetworkLab.Ip("-n", laptop, "addr", "add", "10.98.0.11/24", "dev", "lan0");
            var watcherNs = lab.AddHost("w", "10.98.0.2");
            servers.Add(LabServer.Start("alice-one", laptop, "10.98.0.1", "--FedChat:InstanceName=alice"));
            servers.Add(LabServer.Start("alice-two", laptop, "10.98.0.11", "--FedChat:InstanceName=alice"));
            var watcher = LabServer.Start("watcher", watcherNs, "10.98.0.2");
            servers.Add(watcher);

            string[] alices = [servers[0].BaseUrl.ToString(), servers[1].BaseUrl.ToString()];
            var seen = await watcher.WaitForAsync(list => alices.All(url => IsOnline(list, url)), TimeSpan.FromSeconds(60));
            Assert.True(seen is not null, $"The watcher did not list both alices:\n{watcher.Process.Output}\n--- one:\n{servers[0].Process.Output}\n--- two:\n{servers[1].Process.Output}");
            foreach (var (alice, other) in new[] { (servers[0], alices[1]), (servers[1], alices[0]) })
            {
                Assert.True(await alice.WaitForAsync(list => IsOnline(list, other), TimeSpan.FromSeconds(10)) is not null, $"{alice.Process} did not list {other}:\n{alice.Process.Output}");
            }

            // RFC 6762 §9: exactly one of them kept "alice"; the other probed, saw the conflict and became "alice (2)".
            var renamed = servers.Take(2).Count(s => s.Process.Output.Contains("Announcing 'alice (2)'", StringComparison.Ordinal));
            var kept = servers.Take(2).Count(s => s.Process.Output.Contains("Announcing 'alice' as", StringComparison.Ordinal));
            Assert.True(renamed == 1 && kept == 1, $"expected one 'alice' and one 'alice (2)':\n--- one:\n{servers[0].Process.Output}\n--- two:\n{servers[1].Process.Output}");
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
