using System.Net.Http.Headers;
using System.Net.Http.Json;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Api;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.Data.Sqlite;

namespace FedChat.Tests.Federation;

/// <summary>
/// Nothing is lost when a server is killed: Alice's server (a real process) is SIGKILLed while 20
/// deliveries to Bob's server wait to be retried (Bob's server is down), then both come back.
/// </summary>
[Trait("Speed", "Slow")]
public class CrashDurabilityTests
{
    private const int Burst = 20;

    [Fact]
    public async Task SigkillWithDeliveriesQueued_ThenRestart_EveryPostArrivesOnce()
    {
        var dataA = Path.Combine(Path.GetTempPath(), "fedchat-tests", "crash-a-" + Guid.NewGuid().ToString("N"));
        await using var b = await RunningServer.StartAsync("server-b");
        var bob = await b.RegisterAsync("bob");
        int portA;

        // 1. Set the scene in-process: Alice on A, and Bob (on B) follows her.
        await using (var a = await RunningServer.StartAsync("server-a", $"--FedChat:DataDirectory={dataA}"))
        {
            portA = a.Port;
            await ApiTests.RegisterAsync(a, "alice");
            var alice = a.Get<ActorUrls>().ActorId("alice");
            Assert.Null(await b.Get<FollowService>().FollowAsync(bob.Id, "bob", alice));
            await Eventually.WaitForAsync(() => b.Get<FollowService>().GetStateAsync(b.Get<ActorUrls>().ActorId("bob"), alice),
                s => s == FollowState.Accepted, "Alice's server to accept Bob");
        }
        string[] args =
        [
            "--urls", $"http://127.0.0.1:{portA}", $"--FedChat:DataDirectory={dataA}", "--FedChat:InstanceName=server-a",
            "--FedChat:Discovery:Enabled=false", "--FedChat:Delivery:BaseDelay=00:00:00.300", "--FedChat:Delivery:MaxDelay=00:00:01",
        ];
        try
        {
            // 2. Bob's server goes down; Alice posts a burst through the API of her server (a real process).
            await b.StopAsync();
            using (var first = await ServerProcess.StartAsync(args))
            {
                using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{portA}/") };
                var token = await ApiTests.GetTokenAsync(client, "alice");
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                for (var i = 1; i <= Burst; i++)
                {
                    (await client.PostAsJsonAsync("api/posts", new { content = $"post {i}" })).EnsureSuccessStatusCode();
                }
                // Wait until every delivery has been tried and failed at least once, then pull the plug.
                await Eventually.WaitForAsync(() => CountAsync(dataA, "Status = 'Pending' AND Attempts > 0"), n => n == Burst, "every delivery to fail once");
                first.KillHard();
            }
            Assert.Equal(Burst, await CountAsync(dataA, "Status = 'Pending'"));

            // 3. Both come back: the queue, kept in SQLite, delivers everything.
            await b.StartAgainAsync();
            using var second = await ServerProcess.StartAsync(args);
            IReadOnlyList<Core.Posts.PostView> federated;
            try
            {
                federated = await Eventually.WaitForAsync(() => b.Get<TimelineService>().GetAsync(TimelineKind.Federated, null, 100),
                    t => t.Count >= Burst, $"all {Burst} posts on Bob's server", TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException ex)
            {
                // Say why: what the sender logged is the first thing anyone debugging this needs.
                throw new TimeoutException($"{ex.Message}\nServer A's log:\n{second.Log}", ex);
            }

            Assert.Equal(Enumerable.Range(1, Burst).Select(i => $"post {i}").Order(), federated.Select(p => p.Content).Order());
            await Eventually.WaitForAsync(() => CountAsync(dataA, "Status = 'Delivered'"), n => n == Burst, "A to record every delivery");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataA, recursive: true);
        }
    }

    /// <summary>Reads the sender's queue straight from its SQLite file (WAL lets us read while it runs).</summary>
    private static async Task<int> CountAsync(string dataDirectory, string where)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "fedchat.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM Deliveries WHERE ActivityId LIKE '%/activity' AND {where}";
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }
}
