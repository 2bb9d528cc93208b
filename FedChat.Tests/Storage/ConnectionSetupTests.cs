using System.Data.Common;
using System.Text.Json.Nodes;
using FedChat.Core.Federation.Inbox;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FedChat.Tests.Storage;

/// <summary>
/// What every connection FedChat opens is set to (<c>ConnectionSetup</c>): SQLite waits for another writer's
/// lock itself, in steps of a millisecond or two, instead of Microsoft.Data.Sqlite's fixed 150 ms sleep (the
/// inbox's old p99 tail); commits do not wait for the disk, except the inbox's record before its 202.
/// </summary>
public sealed class ConnectionSetupTests
{
    [Fact]
    public async Task EveryConnection_WaitsForLocksInsideSqlite()
    {
        await using var rig = await CoreRig.CreateAsync();
        await using var db = rig.OpenDatabase();
        Assert.Equal(30_000L, await PragmaAsync(db, "busy_timeout"));
    }

    [Fact]
    public async Task EveryConnection_CommitsWithoutWaitingForTheDisk()
    {
        await using var rig = await CoreRig.CreateAsync();
        await using var db = rig.OpenDatabase();
        Assert.Equal(1L, await PragmaAsync(db, "synchronous")); // 1 = NORMAL (FULL is 2)
    }

    [Fact]
    public async Task TheInboxRecord_WaitsForTheDisk_AndTheConnectionIsNormalAgainAfterwards()
    {
        var seen = new SynchronousWhenInserting();
        await using var rig = await CoreRig.CreateAsync(database: options => options.AddInterceptors(seen));
        seen.Watching = true; // (from here on: the database is migrated)
        var now = DateTimeOffset.UtcNow;
        const string id = "https://remote.example/activities/1";
        var stored = await rig.Get<InboxQueue>().RecordAsync(
            new ReceivedActivity { ActivityId = id, Type = "Create", ActorId = "https://remote.example/users/a", Json = "{}", ReceivedAt = now },
            new InboxItem { ActivityId = id, Type = "Create", ActorId = "https://remote.example/users/a", Json = "{}", ReceivedAt = now },
            new JsonObject(), CancellationToken.None);
        Assert.True(stored);

        Assert.Equal(2L, seen.Value); // FULL while the inbox's rows are written
        await using var after = rig.OpenDatabase();
        Assert.Equal(1L, await PragmaAsync(after, "synchronous")); // the pooled connection is NORMAL again
    }

    private static async Task<object?> PragmaAsync(FedChatDbContext db, string name)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Reads <c>PRAGMA synchronous</c> when the first transaction that stored a received activity commits.
    /// (The inbox writes its rows with its own SQL, so it is found by what the transaction sees.)
    /// </summary>
    private sealed class SynchronousWhenInserting : DbTransactionInterceptor
    {
        public bool Watching { get; set; }

        public long? Value { get; private set; }

        public override async ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            if (Watching && Value is null)
            {
                await using var count = transaction.Connection!.CreateCommand();
                count.Transaction = transaction;
                count.CommandText = "SELECT COUNT(*) FROM ReceivedActivities";
                if ((long)(await count.ExecuteScalarAsync(cancellationToken))! > 0)
                {
                    await using var pragma = transaction.Connection.CreateCommand();
                    pragma.Transaction = transaction;
                    pragma.CommandText = "PRAGMA synchronous";
                    Value = (long?)await pragma.ExecuteScalarAsync(cancellationToken);
                }
            }
            return result;
        }
    }
}
