using System.Data.Common;
using System.Text.Json.Nodes;
using FedChat.Core.Events;
using FedChat.Core.Federation.Inbox;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FedChat.Tests.Federation;

/// <summary>
/// The inbox worker stores the posts of a page of its queue together, in one transaction (issue #16: one
/// write lock and one commit for a burst, so the inbox's own writes rarely wait), and still keeps each post
/// once and tells open pages about every one.
/// </summary>
public class InboxWorkerBatchTests
{
    private const string Public = "https://www.w3.org/ns/activitystreams#Public";
    private const string Actor = "http://127.0.0.1:9/users/bob"; // known below, so never fetched

    [Fact]
    public async Task APageOfPosts_IsStoredInOneTransaction_EachPostOnce_AndEveryOneIsAnnounced()
    {
        var inserts = new RemotePostInserts();
        await using var rig = await CoreRig.CreateAsync(database: options => options.AddInterceptors(inserts));
        await using (var db = rig.OpenDatabase())
        {
            db.RemoteActors.Add(new RemoteActor { ActorId = Actor, Handle = "bob@127.0.0.1:9", DisplayName = "Bob", Inbox = Actor + "/inbox", FetchedAt = rig.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        }
        var announced = new List<string>();
        using var subscription = rig.Get<EventFeed>().Subscribe(e =>
        {
            if (e is RemotePostReceived received)
            {
                lock (announced)
                {
                    announced.Add(received.Post.Content);
                }
            }
        });

        // 40 posts, and one of them a second time in another activity (a relayed copy), all queued first.
        var queue = rig.Get<InboxQueue>();
        for (var i = 1; i <= 40; i++)
        {
            await RecordAsync(queue, rig, $"{Actor}/activities/{i}", $"{Actor}/notes/{i}", $"post {i}");
        }
        await RecordAsync(queue, rig, $"{Actor}/activities/again-7", $"{Actor}/notes/7", "post 7");

        using var stop = new CancellationTokenSource();
        var worker = rig.Get<InboxWorker>().RunAsync(stop.Token);
        await Eventually.WaitForAsync(async () =>
        {
            await using var db = rig.OpenDatabase();
            return await db.InboxQueue.CountAsync();
        }, n => n == 0, "the queue to be handled");
        await stop.CancelAsync();
        await worker;

        await using (var db = rig.OpenDatabase())
        {
            Assert.Equal(40, await db.RemotePosts.CountAsync());
            Assert.Equal(40, await db.RemotePosts.Select(p => p.ObjectId).Distinct().CountAsync());
        }
        Assert.Equal(1, inserts.Transactions);
        lock (announced)
        {
            Assert.Equal(Enumerable.Range(1, 40).Select(i => $"post {i}").Order(), announced.Order());
        }
    }

    private static async Task RecordAsync(InboxQueue queue, CoreRig rig, string activityId, string noteId, string text)
    {
        var activity = new JsonObject
        {
            ["id"] = activityId,
            ["type"] = "Create",
            ["actor"] = Actor,
            ["to"] = new JsonArray(Public),
            ["object"] = new JsonObject { ["id"] = noteId, ["type"] = "Note", ["attributedTo"] = Actor, ["content"] = text, ["to"] = new JsonArray(Public) },
        };
        var now = rig.Clock.GetUtcNow();
        var json = activity.ToJsonString();
        Assert.True(await queue.RecordAsync(
            new ReceivedActivity { ActivityId = activityId, Type = "Create", ActorId = Actor, Json = json, TransportSigner = Actor, SignatureScheme = "draft-cavage", ProofStatus = "Missing", ReceivedAt = now },
            new InboxItem { ActivityId = activityId, Type = "Create", ActorId = Actor, Json = json, ReceivedAt = now },
            activity, CancellationToken.None));
    }

    /// <summary>Counts the transactions in which posts from other servers were inserted.</summary>
    private sealed class RemotePostInserts : DbCommandInterceptor
    {
        private readonly HashSet<DbTransaction> _transactions = new(ReferenceEqualityComparer.Instance);
        private int _alone;

        public int Transactions
        {
            get
            {
                lock (_transactions)
                {
                    return _transactions.Count + _alone;
                }
            }
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("INSERT INTO \"RemotePosts\"", StringComparison.Ordinal))
            {
                lock (_transactions)
                {
                    // A command outside any transaction (EF saves a single row that way) is a transaction of its own.
                    if (command.Transaction is null)
                    {
                        _alone++;
                    }
                    else
                    {
                        _transactions.Add(command.Transaction);
                    }
                }
            }
            return ValueTask.FromResult(result);
        }
    }
}
