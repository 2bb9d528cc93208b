using FedChat.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Storage;

/// <summary>
/// Our migrations are written by hand (the EF design-time package is not served here), so this
/// checks they build exactly the schema the EF model describes: same tables, columns, types,
/// nullability, keys and indexes. Change the model without a migration and this fails.
/// </summary>
public class MigrationSchemaTests
{
    [Fact]
    public async Task Migrations_BuildTheSameSchemaAsTheModel()
    {
        var folder = Path.Combine(Path.GetTempPath(), "fedchat-tests", "schema-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var migrated = await DescribeAsync(Path.Combine(folder, "migrated.db"), db => Database.MigrateAsync(db));
            var fromModel = await DescribeAsync(Path.Combine(folder, "model.db"), db => db.Database.EnsureCreatedAsync());

            Assert.Equal(fromModel, migrated);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task MigrateAsync_SwitchesTheDatabaseToWalMode()
    {
        var folder = Path.Combine(Path.GetTempPath(), "fedchat-tests", "wal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            await using var db = Open(Path.Combine(folder, "wal.db"));
            await Database.MigrateAsync(db);

            var mode = await db.Database.SqlQueryRaw<string>("PRAGMA journal_mode").ToListAsync();

            Assert.Equal("wal", mode.Single());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static FedChatDbContext Open(string file)
    {
        var options = new DbContextOptionsBuilder<FedChatDbContext>();
        Database.Configure(options, $"Data Source={file}");
        return new FedChatDbContext(options.Options);
    }

    private static async Task<List<string>> DescribeAsync(string file, Func<FedChatDbContext, Task> create)
    {
        await using (var db = Open(file))
        {
            await create(db);
        }
        var lines = new List<string>();
        await using var connection = new SqliteConnection($"Data Source={file}");
        await connection.OpenAsync();
        var tables = await QueryAsync(connection, "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%' ORDER BY name");
        foreach (var table in tables)
        {
            foreach (var column in await QueryAsync(connection, $"SELECT name || ' ' || type || ' notnull=' || \"notnull\" || ' pk=' || pk FROM pragma_table_info('{table}') ORDER BY name"))
            {
                lines.Add($"{table}.{column}");
            }
            foreach (var key in await QueryAsync(connection, $"SELECT \"table\" || '.' || \"from\" || '->' || \"to\" || ' ' || on_delete FROM pragma_foreign_key_list('{table}') ORDER BY \"from\""))
            {
                lines.Add($"{table} FK {key}");
            }
            foreach (var index in await QueryAsync(connection, $"SELECT name || ' unique=' || \"unique\" FROM pragma_index_list('{table}') WHERE origin = 'c' ORDER BY name"))
            {
                lines.Add($"{table} INDEX {index}");
            }
        }
        return lines;
    }

    private static async Task<List<string>> QueryAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var results = new List<string>();
        while (await reader.ReadAsync())
        {
            results.Add(reader.GetString(0));
        }
        return results;
    }
}
