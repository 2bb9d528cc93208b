using Microsoft.EntityFrameworkCore.Migrations;
#pragma warning disable EF1001 // SqliteHistoryRepository sits in an .Internal namespace; StartupShortcutTests pins what we change.
using Microsoft.EntityFrameworkCore.Sqlite.Migrations.Internal;

namespace FedChat.Core.Storage;

/// <summary>
/// EF Core's table of applied migrations (<c>__EFMigrationsHistory</c>), with its SQL written out.
/// </summary>
/// <remarks>
/// EF Core builds a small model of this two-column table with its whole convention machinery on
/// every start, only to print the same <c>CREATE TABLE</c> and read two column names: about a quarter
/// of a second of CPU on a fresh server (README "Start-up and idle memory", issue #16). Everything
/// else (which migrations run, the lock, the inserts) stays EF Core's. StartupShortcutTests checks that
/// this SQL is exactly what EF Core would generate, so an EF upgrade that changes it fails a test.
/// </remarks>
#pragma warning disable EF1001
internal sealed class FastHistoryRepository(HistoryRepositoryDependencies dependencies) : SqliteHistoryRepository(dependencies)
#pragma warning restore EF1001
{
    /// <summary>What EF Core's SQLite provider generates for the table.</summary>
    internal const string CreateIfNotExistsSql = """
        CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
            "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
            "ProductVersion" TEXT NOT NULL
        );

        """;

    protected override string MigrationIdColumnName => nameof(HistoryRow.MigrationId);

    protected override string ProductVersionColumnName => nameof(HistoryRow.ProductVersion);

    public override string GetCreateIfNotExistsScript() => CreateIfNotExistsSql;
}
