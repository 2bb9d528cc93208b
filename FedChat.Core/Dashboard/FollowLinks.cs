using FedChat.Core.Discovery;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Core.Dashboard;

/// <summary>The follows between this server and one other server, for a line on the map.</summary>
/// <param name="PeerKey">The other server, <c>http://host:port</c>.</param>
/// <param name="WeFollow">How many of their people our users follow.</param>
/// <param name="FollowUs">How many of their people follow our users.</param>
public sealed record FollowLink(string PeerKey, int WeFollow, int FollowUs);

/// <summary>
/// Reads the <c>Follows</c> table as lines between servers: which servers our users follow people on,
/// and which servers have people following ours. Accepted follows only.
/// </summary>
public sealed class FollowLinkReader(IDbContextFactory<FedChatDbContext> dbFactory, InstanceInfo instance)
{
    /// <summary>Reads the follow links now, one per other server.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The links, by server key.</returns>
    public async Task<IReadOnlyList<FollowLink>> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // A workshop room has hundreds of follows at most, so reading them all is fine.
        var follows = await db.Follows.AsNoTracking().Where(f => f.State == FollowState.Accepted)
            .Select(f => new { f.FollowerId, f.FolloweeId }).ToListAsync(cancellationToken);
        var self = PeerDirectory.KeyOf(instance.BaseUrl);
        var links = new Dictionary<string, (int WeFollow, int FollowUs)>(StringComparer.Ordinal);
        foreach (var follow in follows)
        {
            var (follower, followee) = (ServerOf(follow.FollowerId), ServerOf(follow.FolloweeId));
            if (follower == self && followee is not null && followee != self)
            {
                var (weFollow, followUs) = links.GetValueOrDefault(followee);
                links[followee] = (weFollow + 1, followUs);
            }
            else if (followee == self && follower is not null && follower != self)
            {
                var (weFollow, followUs) = links.GetValueOrDefault(follower);
                links[follower] = (weFollow, followUs + 1);
            }
        }
        return [.. links.Select(l => new FollowLink(l.Key, l.Value.WeFollow, l.Value.FollowUs))];
    }

    private static string? ServerOf(string actorId) =>
        Uri.TryCreate(actorId, UriKind.Absolute, out var url) && PeerDirectory.IsUsableUrl(url) ? PeerDirectory.KeyOf(url) : null;
}
