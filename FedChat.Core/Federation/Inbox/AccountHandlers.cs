using System.Text.Json.Nodes;
using FedChat.Core.Accounts;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation.Inbox;

/// <summary>
/// Accounts on other servers that moved (<c>Move</c>) or were deleted (<c>Delete</c> of the actor itself).
/// Called by <see cref="ActivityHandlers"/> after every inbox check passed. How our own users export,
/// move and delete their accounts is in <c>Portability/</c>.
/// </summary>
public sealed class AccountHandlers(
    IDbContextFactory<FedChatDbContext> dbFactory,
    AccountService accounts,
    RemoteActors remoteActors,
    FollowService follows,
    ActorUrls urls,
    EventFeed events,
    TimeProvider time,
    ILogger<AccountHandlers> logger)
{
    /// <summary>
    /// Delete whose object is the actor itself: the account was deleted on its server. Remove everything
    /// we keep of it: its posts, follows either way, likes and boosts, and the cached actor. Not relayed: it carries no
    /// proof (its key can no longer be fetched), so other servers could not check a relayed copy.
    /// </summary>
    public async Task ReceiveActorDeleteAsync(string actorId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // All or nothing: a page must never see the account half gone (posts gone, likes still counted).
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var postIds = await db.RemotePosts.Where(p => p.ActorId == actorId).Select(p => p.ObjectId).ToListAsync(cancellationToken);
        await db.RemotePosts.Where(p => p.ActorId == actorId).ExecuteDeleteAsync(cancellationToken);
        var follows = await db.Follows.Where(f => f.FollowerId == actorId || f.FolloweeId == actorId).ExecuteDeleteAsync(cancellationToken);
        // Their likes and boosts, and everyone's likes and boosts of their posts.
        await db.Reactions.Where(r => r.ActorId == actorId || postIds.Contains(r.ObjectId)).ExecuteDeleteAsync(cancellationToken);
        await db.RemoteActors.Where(a => a.ActorId == actorId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Account {Actor} was deleted on its server: removed {Posts} posts and {Follows} follows", actorId, postIds.Count, follows);
        foreach (var postId in postIds)
        {
            events.Publish(new PostDeleted(time.GetUtcNow(), postId));
        }
        events.Publish(new AccountDeleted(time.GetUtcNow(), actorId));
    }

    /// <summary>
    /// Move { object: old, target: new }: an account moved. Believed only when the new account lists the
    /// old one in <c>alsoKnownAs</c> (fetched afresh from its server), or anyone could send our users'
    /// follows to themselves. Then each of our users who followed the old account follows the new one.
    /// </summary>
    public async Task ReceiveMoveAsync(JsonObject activity, string actorId, CancellationToken cancellationToken)
    {
        var target = ActivityStreamsJson.IdOf(activity["target"]);
        if (ActivityStreamsJson.IdOf(activity["object"]) != actorId || target is null || target == actorId)
        {
            logger.LogWarning("Move from {Actor} refused: only an account can move itself, to another account (object {Object}, target {Target})",
                actorId, ActivityStreamsJson.IdOf(activity["object"]), target);
            return;
        }
        var (lookup, aliases) = await remoteActors.FetchAliasesAsync(target, cancellationToken);
        if (lookup.Actor is null || !aliases.Contains(actorId))
        {
            logger.LogWarning("Move from {Actor} to {Target} refused: the target does not list {Actor} in alsoKnownAs ({Reason})",
                actorId, target, actorId, lookup.Error ?? "aliases: " + string.Join(", ", aliases));
            return;
        }
        List<string> localFollowers;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            localFollowers = await db.Follows.AsNoTracking().Where(f => f.FolloweeId == actorId).Select(f => f.FollowerId).ToListAsync(cancellationToken);
        }
        foreach (var followerId in localFollowers)
        {
            if (!urls.TryParseActorId(followerId, out var username) || await accounts.FindByUsernameAsync(username, cancellationToken) is not { } user)
            {
                continue;
            }
            var error = await follows.FollowAsync(user.Id, user.Username, target, cancellationToken);
            if (error is not null)
            {
                // Keep the old follow rather than end up following nobody.
                logger.LogWarning("{User} followed {Old}, which moved to {New}, but could not follow the new account: {Error}", followerId, actorId, target, error);
                continue;
            }
            await follows.UnfollowAsync(user.Id, user.Username, actorId, cancellationToken);
            logger.LogInformation("{User} followed {Old}, which moved to {New}: now following the new account", followerId, actorId, target);
        }
        events.Publish(new AccountMoved(time.GetUtcNow(), actorId, target));
    }
}
