using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation.Inbox;

/// <summary>
/// Where the inbox records a verified activity before it answers 202: its <see cref="ReceivedActivity"/>
/// and an <see cref="InboxItem"/> for the <see cref="InboxWorker"/>, in one transaction.
/// </summary>
/// <remarks>
/// <para>
/// Group commit: every inbox request hands its rows to one writer loop, which writes all the requests
/// waiting at that moment (up to <see cref="MaxBatch"/>) in a single transaction and then answers each
/// of them. SQLite lets one connection write at a time and every commit waits for the disk; one commit
/// for 100 requests costs little more than one for a single request, and no request waits on another's
/// lock (issue #16: today's 600 ms tail was requests queueing for SQLite's write lock).
/// </para>
/// <para>
/// Nothing here holds a lock across I/O: requests meet the writer through a channel.
/// </para>
/// </remarks>
public sealed class InboxQueue(IDbContextFactory<FedChatDbContext> dbFactory, ILogger<InboxQueue> logger) : IAsyncDisposable
{
    /// <summary>The most requests written in one transaction.</summary>
    public const int MaxBatch = 256;

    // Parsed activities kept for the worker so that it does not parse them again; bounded, and only a
    // shortcut: the row's JSON is the truth (after a restart the worker parses that).
    private const int MaxParsedKept = 4096;

    private readonly Channel<Pending> _incoming = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<bool> _doorbell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ConcurrentDictionary<long, JsonObject> _parsed = new();
    private readonly Lock _startGate = new();
    private Task? _writer;

    private sealed record Pending(ReceivedActivity Record, InboxItem Item, JsonObject Activity, TaskCompletionSource<bool> Stored);

    /// <summary>
    /// Stores the record and queues the activity for handling, durably (committed) before it returns.
    /// </summary>
    /// <param name="record">How the activity was verified (the dashboard's badge).</param>
    /// <param name="item">The queue row for the worker.</param>
    /// <param name="activity">The activity as already parsed, handed to the worker so it is parsed once.</param>
    /// <param name="cancellationToken">Stops waiting (the rows may still be written).</param>
    /// <returns>True when stored; false when this activity id was received before (a duplicate, not stored again).</returns>
    public async Task<bool> RecordAsync(ReceivedActivity record, InboxItem item, JsonObject activity, CancellationToken cancellationToken)
    {
        EnsureWriterRunning();
        var pending = new Pending(record, item, activity, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        await _incoming.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Stored.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The parsed activity of a queue row, if the inbox still has it in memory (each is given out once).</summary>
    internal JsonObject? TakeParsed(long itemId) => _parsed.TryRemove(itemId, out var activity) ? activity : null;

    /// <summary>Waits until new rows are committed or <paramref name="timeout"/> has passed.</summary>
    internal async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(timeout);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await _doorbell.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Time to look anyway.
        }
    }

    private void EnsureWriterRunning()
    {
        if (_writer is not null)
        {
            return;
        }
        lock (_startGate)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    /// <summary>The one writer: takes whatever is waiting, writes it in one transaction, answers everyone.</summary>
    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _incoming.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _incoming.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }
            try
            {
                await WriteBatchAsync(batch);
            }
            catch (SqliteException) when (batch.Count > 1)
            {
                // One row the database refused (a constraint, another process writing the same file)
                // must not fail the others: write them one at a time.
                foreach (var pending in batch)
                {
                    await WriteAloneAsync(pending);
                }
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Could not store {Count} received activities", batch.Count);
                foreach (var pending in batch)
                {
                    pending.Stored.TrySetException(ex);
                }
            }
        }
    }

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            await WriteBatchAsync([pending]);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not store received activity {ActivityId}", pending.Record.ActivityId);
            pending.Stored.TrySetException(ex);
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var stored = new List<Pending>(batch.Count);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            // A 202 is a promise: this commit waits until the disk has it (other writes here do not wait, ConnectionSetup).
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA synchronous=FULL;");
            await using var transaction = await db.Database.BeginTransactionAsync();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            var sqliteTransaction = (SqliteTransaction)transaction.GetDbTransaction();
            // This runs for every activity the server receives, so it skips EF Core's change tracker
            // and writes with two prepared statements, each compiled once per batch and run once per
            // row (issue #16: the tracker cost more than everything else in the 202's write).
            await using var insertRecord = NewInsert(connection, sqliteTransaction, RecordSql, parameters: 12);
            await using var insertItem = NewInsert(connection, sqliteTransaction, ItemSql, parameters: 7);
            foreach (var pending in batch)
            {
                // A second delivery of the same activity, earlier or in this very batch, is not stored
                // again: the unique index on ActivityId makes the insert return no row.
                if (await InsertAsync(insertRecord, RecordValues(pending.Record)) is not { } recordId)
                {
                    continue;
                }
                pending.Record.Id = recordId;
                pending.Item.Id = await InsertAsync(insertItem, ItemValues(pending.Item)) ?? 0;
                stored.Add(pending);
            }
            await transaction.CommitAsync();
        }
        // (Count locks the whole dictionary: ask once per batch, not once per activity.)
        var room = MaxParsedKept - _parsed.Count;
        foreach (var pending in stored.Take(Math.Max(0, room)))
        {
            _parsed[pending.Item.Id] = pending.Activity;
        }
        var storedSet = new HashSet<Pending>(stored, ReferenceEqualityComparer.Instance);
        foreach (var pending in batch)
        {
            pending.Stored.TrySetResult(storedSet.Contains(pending));
        }
        if (stored.Count > 0)
        {
            _doorbell.Writer.TryWrite(true);
        }
    }

    // The columns EF Core's migrations made for ReceivedActivity and InboxItem (FedChatDbContext);
    // InboxQueueTests read every one back through EF Core, so a column added there and not here fails.
    private const string RecordSql = """
        INSERT INTO "ReceivedActivities" ("ActivityId", "Type", "ActorId", "Json", "TransportKeyId", "TransportSigner",
            "SignatureScheme", "ProofStatus", "ProofMethod", "ProofFailureReason", "RelayPath", "ReceivedAt")
        VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11)
        ON CONFLICT ("ActivityId") DO NOTHING
        RETURNING "Id";
        """;

    private const string ItemSql = """
        INSERT INTO "InboxQueue" ("ActivityId", "Type", "ActorId", "Json", "RelayPath", "RelayCovered", "ReceivedAt")
        VALUES ($p0, $p1, $p2, $p3, $p4, $p5, $p6)
        RETURNING "Id";
        """;

    // Instants are stored as numbers, as FedChatDbContext.ConfigureConventions tells EF Core to.
    private static readonly DateTimeOffsetToBinaryConverter Instant = new();

    private static object?[] RecordValues(ReceivedActivity r) =>
        [r.ActivityId, r.Type, r.ActorId, r.Json, r.TransportKeyId, r.TransportSigner, r.SignatureScheme, r.ProofStatus,
         r.ProofMethod, r.ProofFailureReason, r.RelayPath, Instant.ConvertToProvider(r.ReceivedAt)];

    private static object?[] ItemValues(InboxItem i) =>
        [i.ActivityId, i.Type, i.ActorId, i.Json, i.RelayPath, i.RelayCovered, Instant.ConvertToProvider(i.ReceivedAt)];

    private static SqliteCommand NewInsert(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter($"$p{i}", null));
        }
        command.Prepare();
        return command;
    }

    /// <summary>Runs the prepared insert with these values; the new row's id, or null when it inserted nothing.</summary>
    private static async Task<long?> InsertAsync(SqliteCommand insert, object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            insert.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
        return await insert.ExecuteScalarAsync() is long id ? id : null;
    }

    /// <summary>Stops taking new activities and lets the writer finish what it has.</summary>
    public async ValueTask DisposeAsync()
    {
        _incoming.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer;
        }
    }
}
