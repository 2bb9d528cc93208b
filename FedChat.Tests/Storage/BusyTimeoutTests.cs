using FedChat.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Storage;

/// <summary>
/// Every connection FedChat opens lets SQLite wait for another writer's lock itself, in steps of a
/// millisecond or two, instead of Microsoft.Data.Sqlite's fixed 150 ms sleep (the inbox's p99 tail).
/// </summary>
public class BusyTimeoutTests
{
    [Fact]
    public async Task EveryConnection_WaitsForLocksInsideSqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), "fedchat-tests", "busy-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var options = new DbContextOptionsBuilder<FedChatDbContext>();
            Database.Configure(options, Database.ConnectionStringFor(folder));
            await using var db = new FedChatDbContext(options.Options);

            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA busy_timeout";

            Assert.Equal(30_000L, await command.ExecuteScalarAsync());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
