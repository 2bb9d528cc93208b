using FedChat.Core.Discovery;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Posts;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>
/// Relay across eight real servers that know each other only in part: three groups (S0–S2, S3–S5,
/// S6–S7) joined by two bridges (S2 knows S3, S5 knows S6). Nobody follows anybody.
/// </summary>
public class RelayTests
{
    // Who knows whom (static peers, one direction each).
    private static readonly int[][] Knows =
    [
        [1, 2], [0, 2], [0, 1, 3],
        [4, 5], [3, 5], [3, 4, 6],
        [7], [6],
    ];

    [Fact]
    public async Task PublicPost_ReachesAllEightServers_WithNMinusOneMessages_AndRecordsItsPath()
    {
        var servers = new List<RunningServer>();
        try
        {
            for (var i = 0; i < Knows.Length; i++)
            {
                servers.Add(await RunningServer.StartAsync($"s{i}"));
            }
            // Tell each server about the peers it knows, as discovery would (mDNS is off in tests).
            for (var i = 0; i < Knows.Length; i++)
            {
                foreach (var peer in Knows[i])
                {
                    servers[i].Get<PeerDirectory>().ReportSeen(new PeerSighting(servers[peer].BaseUrl, servers[peer].Name, PeerSources.Static));
                }
            }
            var ports = servers.Select(s => s.Port).ToArray();
            var alice = await servers[0].RegisterAsync("alice");

            await servers[0].Get<PostService>().CreatePostAsync(alice.Id, "hello, whole room");

            foreach (var server in servers.Skip(1))
            {
                await Eventually.WaitForAsync(() => server.Get<TimelineService>().GetAsync(TimelineKind.Federated, null),
                    t => t.Any(p => p.Content == "hello, whole room"), $"the post on {server.Name}");
            }
            var messages = 0;
            foreach (var server in servers)
            {
                await using var db = await server.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
                messages += await db.Deliveries.CountAsync(d => d.ActivityId.EndsWith("/activity"));
            }
            // O(N): one message per server reached. Flooding would send one per "knows" edge (15 here), N² in a full mesh.
            Assert.Equal(servers.Count - 1, messages);

            await using var last = await servers[7].Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
            var path = (await last.ReceivedActivities.SingleAsync()).RelayPath!.Split(' ');
            Assert.Equal([0, 2, 3, 5, 6], path.Select(url => Array.IndexOf(ports, new Uri(url).Port)));

            // The last server's timeline shows the same path on the post's badge, and that Alice's proof verified.
            var relayed = (await servers[7].Get<TimelineService>().GetAsync(TimelineKind.Federated, null)).Single();
            Assert.True(relayed.Verification!.ProofVerified);
            Assert.Equal(path, relayed.Verification.RelayPath);
            Assert.Equal(servers[6].Get<Core.Identity.ActorUrls>().InstanceActorId, relayed.Verification.TransportSigner);
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    [Fact]
    public void RelayHeaders_Split_IgnoresAnythingButHttpUrls_AndIsBounded()
    {
        var urls = RelayHeaders.Split("http://a:1 ftp://b javascript:alert(1) not-a-url https://c:2 " + string.Join(' ', Enumerable.Repeat("http://x:1", 500)));

        Assert.Equal(["http://a:1", "https://c:2"], urls.Take(2));
        Assert.Equal(256, urls.Count);
    }
}
