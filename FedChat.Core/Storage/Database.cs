using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FedChat.Core.Storage;

/// <summary>Opens and prepares a server's SQLite database.</summary>
public static class Database
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = "fedchat.db";

    // How long a command waits for another connection's lock before it fails.
    private const int DefaultTimeoutSeconds = 30;

    /// <summary>Builds the SQLite connection string for a data directory.</summary>
    public static string ConnectionStringFor(string dataDirectory) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(dataDirectory, FileName),
        // Several Blazor circuits and the API write at once; wait for a lock instead of failing.
        DefaultTimeout = DefaultTimeoutSeconds,
    }.ToString();

    /// <summary>Configures EF Core for a FedChat SQLite database.</summary>
    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseSqlite(connectionString)
            .AddInterceptors(new ConnectionSetup(TimeSpan.FromSeconds(DefaultTimeoutSeconds)))
            // The history table's SQL written out instead of built from a model at every start (issue #16).
            .ReplaceService<IHistoryRepository, FastHistoryRepository>()
            // Our migrations are written by hand (the EF design-time package is not served here), so
            // there is no model snapshot for EF to compare against; MigrationSchemaTests does that check.
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    /// <summary>
    /// Tells whether saving failed because a unique index refused a second copy of a row: someone else
    /// (another click, another server) stored the same thing between our check and our insert.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: 19 }; // SQLITE_CONSTRAINT

    /// <summary>
    /// Creates or upgrades the schema, then switches the file to write-ahead logging (WAL), so
    /// readers (timelines) never wait for a writer (a new post) and a crash cannot corrupt the file.
    /// </summary>
    public static async Task MigrateAsync(FedChatDbContext db, CancellationToken cancellationToken = default)
    {
        await db.Database.MigrateAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }
}
