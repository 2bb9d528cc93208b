using System.Data.Common;
using System.Text.Json.Nodes;
using FedChat.Core.Federation.Inbox;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedChat.Tests.Storage;

/// <summary>
/// What every connection FedChat opens is set to (<c>ConnectionSetup</c>): SQLite waits for another writer's
/// lock itself, in steps of a millisecond or two, instead of Microsoft.Data.Sqlite's fixed 150 ms sleep (the
/// inbox's old p99 tail); commits do not wait for the disk, except the inbox's record before its 202.
/// </summary>
public sealed class ConnectionSetupTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "fedchat-tests", "connection-" + Guid.NewGuid().ToString("N"));

    public ConnectionSetupTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task EveryConnection_WaitsForLocksInsideSqlite()
    {
        await using var db = NewContext();
        Assert.Equal(30_000L, await PragmaAsync(db, "busy_timeout"));
    }

    [Fact]
    public async Task EveryConnection_CommitsWithoutWaitingForTheDisk()
    {
        await using var db = NewContext();
        Assert.Equal(1L, await PragmaAsync(db, "synchronous")); // 1 = NORMAL (FULL is 2)
    }

    [Fact]
    public async Task TheInboxRecord_WaitsForTheDisk_AndTheConnectionIsNormalAgainAfterwards()
    {
        var seen = new SynchronousWhenInserting();
        var factory = new Factory(Database.ConnectionStringFor(_folder), seen);
        await using (var db = factory.CreateDbContext())
        {
            await Database.MigrateAsync(db);
        }
        await using (var queue = new InboxQueue(factory, NullLogger<InboxQueue>.Instance))
        {
            var now = DateTimeOffset.UtcNow;
            const string id = "https://remote.example/activities/1";
            var stored = await queue.RecordAsync(
                new ReceivedActivity { ActivityId = id, Type = "Create", ActorId = "https://remote.example/users/a", Json = "{}", ReceivedAt = now },
                new InboxItem { ActivityId = id, Type = "Create", ActorId = "https://remote.example/users/a", Json = "{}", ReceivedAt = now },
                new JsonObject(), CancellationToken.None);
            Assert.True(stored);
        }

        Assert.Equal(2L, seen.Value); // FULL while the inbox's rows are written
        await using var after = factory.CreateDbContext();
        Assert.Equal(1L, await PragmaAsync(after, "synchronous")); // the pooled connection is NORMAL again
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private FedChatDbContext NewContext()
    {
        var options = new DbContextOptionsBuilder<FedChatDbContext>();
        Database.Configure(options, Database.ConnectionStringFor(_folder));
        return new FedChatDbContext(options.Options);
    }

    private static async Task<object?> PragmaAsync(FedChatDbContext db, string name)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Reads <c>PRAGMA synchronous</c> on the connection that is about to insert a received activity.</summary>
    private sealed class SynchronousWhenInserting : DbCommandInterceptor
    {
        public long? Value { get; private set; }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            if (command.CommandText.Contains("INSERT INTO \"ReceivedActivities\"", StringComparison.Ordinal))
            {
                await using var pragma = command.Connection!.CreateCommand();
                pragma.Transaction = command.Transaction;
                pragma.CommandText = "PRAGMA synchronous";
                Value = (long?)await pragma.ExecuteScalarAsync(cancellationToken);
            }
            return result;
        }
    }

    private sealed class Factory(string connectionString, IInterceptor extra) : IDbContextFactory<FedChatDbContext>
    {
        public FedChatDbContext CreateDbContext()
        {
            var options = new DbContextOptionsBuilder<FedChatDbContext>();
            Database.Configure(options, connectionString);
            options.AddInterceptors(extra);
            return new FedChatDbContext(options.Options);
        }
    }
}
