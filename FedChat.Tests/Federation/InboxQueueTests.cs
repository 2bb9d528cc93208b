using System.Text.Json.Nodes;
using FedChat.Core.Federation.Inbox;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>
/// The inbox's record before its 202 (<see cref="InboxQueue"/>): written with its own SQL for speed, so
/// these tests read every column back through EF Core and check that each activity is stored once.
/// </summary>
public class InboxQueueTests
{
    private const string Actor = "https://remote.example/users/alice";

    [Fact]
    public async Task EveryColumn_ReadsBackThroughEfCore_AndTheWorkerGetsTheParsedActivity()
    {
        await using var rig = await CoreRig.CreateAsync();
        var at = new DateTimeOffset(2026, 12, 5, 11, 12, 13, 456, TimeSpan.Zero);
        var record = new ReceivedActivity
        {
            ActivityId = "https://remote.example/activities/1",
            Type = "Create",
            ActorId = Actor,
            Json = """{"id":"x"}""",
            TransportKeyId = Actor + "#main-key",
            TransportSigner = Actor,
            SignatureScheme = "rfc9421",
            ProofStatus = "Verified",
            ProofMethod = Actor + "#ed25519-key",
            ProofFailureReason = "none really",
            RelayPath = "https://a.example,https://b.example",
            ReceivedAt = at,
        };
        var item = new InboxItem
        {
            ActivityId = record.ActivityId,
            Type = "Create",
            ActorId = Actor,
            Json = """{"id":"x"}""",
            RelayPath = "https://a.example",
            RelayCovered = "https://c.example",
            ReceivedAt = at,
        };
        var parsed = new JsonObject { ["id"] = "x" };

        Assert.True(await rig.Get<InboxQueue>().RecordAsync(record, item, parsed, CancellationToken.None));

        await using var db = rig.OpenDatabase();
        var storedRecord = await db.ReceivedActivities.AsNoTracking().SingleAsync();
        Assert.Equal(record.Id, storedRecord.Id);
        Assert.Equivalent(record, storedRecord, strict: true);
        var storedItem = await db.InboxQueue.AsNoTracking().SingleAsync();
        Assert.Equal(item.Id, storedItem.Id);
        Assert.Equivalent(item, storedItem, strict: true);
        Assert.Same(parsed, rig.Get<InboxQueue>().TakeParsed(storedItem.Id));
    }

    [Fact]
    public async Task TheSameActivityDeliveredManyTimesAtOnce_IsStoredOnce()
    {
        await using var rig = await CoreRig.CreateAsync();
        var queue = rig.Get<InboxQueue>();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => RecordAsync(queue, rig, "https://remote.example/activities/same")));
        var later = await RecordAsync(queue, rig, "https://remote.example/activities/same");

        Assert.Single(answers, stored => stored);
        Assert.False(later);
        await using var db = rig.OpenDatabase();
        Assert.Equal(1, await db.ReceivedActivities.CountAsync());
        Assert.Equal(1, await db.InboxQueue.CountAsync());
    }

    [Fact]
    public async Task ABurstOfDistinctActivities_IsStoredInFull_EachWithItsOwnQueueRow()
    {
        await using var rig = await CoreRig.CreateAsync(); // (the worker does not run here: the rows stay)
        var queue = rig.Get<InboxQueue>();

        var answers = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => RecordAsync(queue, rig, $"https://remote.example/activities/{i}")));

        Assert.All(answers, Assert.True);
        await using var db = rig.OpenDatabase();
        var records = await db.ReceivedActivities.Select(a => a.ActivityId).ToListAsync();
        var items = await db.InboxQueue.Select(i => i.ActivityId).ToListAsync();
        Assert.Equal(300, records.Distinct().Count());
        Assert.Equal(records.Order(), items.Order());
    }

    private static Task<bool> RecordAsync(InboxQueue queue, CoreRig rig, string activityId)
    {
        var now = rig.Clock.GetUtcNow();
        return queue.RecordAsync(
            new ReceivedActivity { ActivityId = activityId, Type = "Like", ActorId = Actor, Json = "{}", ReceivedAt = now },
            new InboxItem { ActivityId = activityId, Type = "Like", ActorId = Actor, Json = "{}", ReceivedAt = now },
            new JsonObject(), CancellationToken.None);
    }
}
