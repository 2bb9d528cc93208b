using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FedChat.Web.Endpoints;

/// <summary>Reports healthy when the SQLite database opens and answers a query (used by <c>/healthz</c>).</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<FedChatDbContext> dbFactory) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var users = await db.Users.CountAsync(cancellationToken);
            return HealthCheckResult.Healthy($"database ready, {users} users");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("the database cannot be read", ex);
        }
    }
}
