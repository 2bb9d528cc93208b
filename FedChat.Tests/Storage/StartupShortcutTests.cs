using FedChat.Core.Storage;
using FedChat.Core.Storage.CompiledModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;

namespace FedChat.Tests.Storage;

/// <summary>
/// The two start-up shortcuts in Storage/ (issue #16) must say exactly what EF Core would have worked
/// out by itself: the compiled model (CompiledModel/, written by <c>dotnet ef dbcontext optimize</c>)
/// and the written-out SQL of the migrations history table (<see cref="FastHistoryRepository"/>).
/// </summary>
public class StartupShortcutTests
{
    [Fact]
    public void CompiledModel_IsInUse_AndMatchesTheModelBuiltFromOnModelCreating()
    {
        using var db = Open(Database.Configure);

        // EF Core finds the compiled model by its [DbContext] attribute; the design-time model is
        // built from OnModelCreating and the conventions, as it was before there was a compiled model.
        var compiled = db.Model;
        var built = db.GetService<IDesignTimeModel>().Model;

        Assert.IsType<FedChatDbContextModel>(compiled);
        // If this fails, FedChat.Core/Storage/CompiledModel is out of date: regenerate it with the
        // command in README, "Start-up and idle memory".
        Assert.Equal(Describe(built), Describe(compiled));
    }

    [Fact]
    public void HistoryTable_SqlIsWhatEfCoreGenerates()
    {
        using var ours = Open(Database.Configure);
        using var efCores = Open((options, connection) => options.UseSqlite(connection));
        var fast = ours.GetService<IHistoryRepository>();
        var standard = efCores.GetService<IHistoryRepository>();
        var row = new HistoryRow("20261122000000_InitialCreate", "10.0.11");

        Assert.IsType<FastHistoryRepository>(fast);
        Assert.Equal(standard.GetCreateIfNotExistsScript(), fast.GetCreateIfNotExistsScript());
        Assert.Equal(standard.GetInsertScript(row), fast.GetInsertScript(row));
        Assert.Equal(standard.GetDeleteScript(row.MigrationId), fast.GetDeleteScript(row.MigrationId));
    }

    /// <summary>Tables, columns, keys, indexes and relations of a model, one line each.</summary>
    private static List<string> Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var entity in model.GetEntityTypes().OrderBy(e => e.Name))
        {
            lines.Add($"{entity.Name} table={entity.GetTableName()} key={string.Join(",", entity.FindPrimaryKey()!.Properties.Select(p => p.Name))}");
            lines.AddRange(entity.GetProperties().Select(p =>
                $"{entity.Name}.{p.Name} {p.ClrType.Name} column={p.GetColumnName()} store={p.GetRelationalTypeMapping().StoreType} null={p.IsNullable} max={p.GetMaxLength()} converter={p.GetTypeMapping().Converter?.GetType().Name} generated={p.ValueGenerated}"));
            lines.AddRange(entity.GetIndexes().Select(i =>
                $"{entity.Name} index {i.GetDatabaseName()} ({string.Join(",", i.Properties.Select(p => p.Name))}) unique={i.IsUnique}"));
            lines.AddRange(entity.GetForeignKeys().Select(f =>
                $"{entity.Name} fk ({string.Join(",", f.Properties.Select(p => p.Name))}) -> {f.PrincipalEntityType.Name} delete={f.DeleteBehavior} required={f.IsRequired}"));
            lines.AddRange(entity.GetNavigations().Select(n => $"{entity.Name} navigation {n.Name} -> {n.TargetEntityType.Name}"));
        }
        return lines;
    }

    private static FedChatDbContext Open(Action<DbContextOptionsBuilder, string> configure)
    {
        var options = new DbContextOptionsBuilder<FedChatDbContext>();
        configure(options, "Data Source=:memory:");
        return new FedChatDbContext(options.Options);
    }
}
