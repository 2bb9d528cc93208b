using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Federation;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Portability;

/// <summary>
/// Moving an account to another server, the way Mastodon does it: the new account first lists the old
/// one in <c>alsoKnownAs</c> (an import does that), then the old account sets <c>movedTo</c> and sends
/// <c>Move { actor: old, object: old, target: new }</c> to its followers. Their servers check the new
/// account's <c>alsoKnownAs</c> too, then follow the new account instead (see <c>AccountHandlers.ReceiveMoveAsync</c> in FedChat.Core/Federation/Inbox/AccountHandlers.cs).
/// </summary>
public sealed class AccountMove(
    IDbContextFactory<FedChatDbContext> dbFactory,
    RemoteActors remoteActors,
    FollowService follows,
    DeliveryQueue deliveries,
    KeyStore keys,
    ActorUrls urls,
    EventFeed events,
    TimeProvider time,
    ILogger<AccountMove> logger)
{
    /// <summary>
    /// A short handle for an actor id, <c>@alice@192.168.1.30:5080</c>, read from the URL (FedChat and
    /// Mastodon actor URLs end with the username), for showing where an account moved.
    /// </summary>
    public static string HandleOf(string actorId) =>
        Uri.TryCreate(actorId, UriKind.Absolute, out var url) ? $"@{url.Segments[^1].TrimEnd('/')}@{url.Authority}" : actorId;

    /// <summary>
    /// Moves <paramref name="userId"/>'s account to <paramref name="targetHandle"/> (e.g. <c>@alice@192.168.1.30:5080</c>).
    /// Returns null, or why not.
    /// </summary>
    public async Task<string?> MoveAsync(int userId, string? targetHandle, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return "Your account no longer exists.";
        }
        var me = urls.ActorId(user.Username);
        var found = await remoteActors.ResolveHandleAsync(targetHandle, cancellationToken);
        if (found.Actor is null)
        {
            return $"Could not find {targetHandle}: {found.Error}";
        }
        if (found.Actor.ActorId == me)
        {
            return "An account cannot move to itself.";
        }
        // The new account must say it is us too, or anyone could take our followers by naming themselves.
        var (target, aliases) = await remoteActors.FetchAliasesAsync(found.Actor.ActorId, cancellationToken);
        if (target.Actor is null)
        {
            return target.Error;
        }
        if (!aliases.Contains(me))
        {
            return $"@{target.Actor.Handle} does not list this account ({me}) in alsoKnownAs yet. Import your archive there first, or set \"I moved here from\" on that account.";
        }

        user.MovedTo = target.Actor.ActorId;
        await db.SaveChangesAsync(cancellationToken);

        var moveId = $"{me}#moves/{Guid.NewGuid():N}";
        var move = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.DataIntegrityContext),
            ["id"] = moveId,
            ["type"] = "Move",
            ["actor"] = me,
            ["object"] = me,
            ["target"] = target.Actor.ActorId,
            ["to"] = ActivityStreamsJson.Strings(urls.Followers(user.Username)),
        };
        var signed = NoteActivities.Sign(move, await keys.GetUserKeysAsync(userId, cancellationToken), me, time.GetUtcNow());
        // Followers here too: the Move reaches our own inbox and switches them like everyone else.
        var inboxes = await remoteActors.InboxesOfAsync(await follows.GetFollowersAsync(me, cancellationToken), sharedInboxAllowed: true, cancellationToken);
        await deliveries.EnqueueAsync(moveId, signed.ToJsonString(), userId, inboxes, cancellationToken);
        logger.LogInformation("{Old} moved to {New}; Move queued for {Count} inbox(es)", me, target.Actor.ActorId, inboxes.Count);
        events.Publish(new AccountMoved(time.GetUtcNow(), me, target.Actor.ActorId));
        events.Publish(new ProfileUpdated(time.GetUtcNow(), user.Username));
        return null;
    }

    /// <summary>
    /// Says, on the new account, "I moved here from <paramref name="oldHandle"/>": adds the old actor to
    /// <c>alsoKnownAs</c>, which the old account's Move needs. Returns null, or why not.
    /// </summary>
    public async Task<string?> AddAliasAsync(int userId, string? oldHandle, CancellationToken cancellationToken = default)
    {
        var found = await remoteActors.ResolveHandleAsync(oldHandle, cancellationToken);
        if (found.Actor is null)
        {
            return $"Could not find {oldHandle}: {found.Error}";
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return "Your account no longer exists.";
        }
        user.AlsoKnownAs = string.Join(' ', (user.AlsoKnownAs ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(found.Actor.ActorId).Distinct());
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new ProfileUpdated(time.GetUtcNow(), user.Username));
        return null;
    }
}
