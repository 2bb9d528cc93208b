using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FedChat.Core.Storage;

/// <summary>
/// Two settings every connection gets when EF Core opens it (issue #16's profiles in README's "Performance"):
/// <list type="bullet">
/// <item><c>busy_timeout</c> (https://www.sqlite.org/c3ref/busy_timeout.html): SQLite itself waits for
/// another connection's write lock, trying again after 1, 2, 5, 10… ms, so a writer usually gets the lock
/// a millisecond or two after the other one commits. Without it SQLite answers "busy" at once and
/// Microsoft.Data.Sqlite tries again only after sleeping 150 ms: the inbox's old p99 tail.</item>
/// <item><c>synchronous=NORMAL</c> (https://www.sqlite.org/pragma.html#pragma_synchronous): in WAL mode a
/// commit no longer waits for the disk (an <c>fsync</c>, about 2 ms here). A crashed process loses
/// nothing and the file cannot be corrupted; only a power cut can lose the last commits — and always the
/// newest ones, in order. The one write that must survive a power cut, the inbox's record before it
/// answers 202, asks for <c>FULL</c> itself (<c>InboxQueue</c>), which also syncs everything before it.</item>
/// </list>
/// </summary>
internal sealed class ConnectionSetup(TimeSpan wait) : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            SQLitePCL.raw.sqlite3_busy_timeout(handle, (int)wait.TotalMilliseconds);
            // Set on every open: a pooled connection may come back from the inbox with FULL.
            SQLitePCL.raw.sqlite3_exec(handle, "PRAGMA synchronous=NORMAL;");
        }
    }
}
