using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace FedChat.Core.Storage;

/// <summary>
/// Lets SQLite itself wait for another connection's write lock (<c>sqlite3_busy_timeout</c>,
/// https://www.sqlite.org/c3ref/busy_timeout.html): it tries again after 1, 2, 5, 10… ms, so a writer
/// usually gets the lock a millisecond or two after the other one commits.
/// </summary>
/// <remarks>
/// Without it SQLite answers "busy" at once, and Microsoft.Data.Sqlite tries again only after sleeping
/// 150 ms. The inbox's group-commit writer and the inbox worker write at the same time, so under load
/// every such collision added 150 ms or more to some requests: the p99 tail that the profile in README's
/// "Performance" section found (issue #16).
/// </remarks>
internal sealed class BusyTimeout(TimeSpan wait) : DbConnectionInterceptor
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
        }
    }
}
