using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Federation;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Portability;

/// <summary>
/// Deletes an account: its data is removed here, then a signed <c>Delete</c> of the actor goes to every
/// server that knew it (its followers' and followees' inboxes, the shared inbox where offered).
/// </summary>
/// <remarks>
/// The delivery worker signs each try when it sends it (a signature is only valid for minutes), so it
/// needs the account's key long after the account is gone. We therefore keep the key pair row and a
/// small <see cref="DeletedAccount"/> tombstone (username and former id); everything else goes.
/// Receivers check the Delete with the key they cached when they last heard from the account: after
/// this, fetching the actor answers 410 Gone. The Delete carries no object proof on purpose: its key
/// could not be fetched any more either, and an unverifiable proof would make receivers refuse it.
/// </remarks>
public sealed class AccountDeletion(
    IDbContextFactory<FedChatDbContext> dbFactory,
    RemoteActors remoteActors,
    DeliveryQueue deliveries,
    ActorUrls urls,
    EventFeed events,
    TimeProvider time,
    ILogger<AccountDeletion> logger)
{
    /// <summary>
    /// Deletes <paramref name="userId"/>'s account once <paramref name="confirmUsername"/> matches its
    /// username. Returns null, or why not.
    /// </summary>
    public async Task<string?> DeleteAsync(int userId, string? confirmUsername, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return "Your account no longer exists.";
        }
        if (!string.Equals(confirmUsername?.Trim().TrimStart('@'), user.Username, StringComparison.OrdinalIgnoreCase))
        {
            return $"Type your username ({user.Username}) to confirm.";
        }
        var me = urls.ActorId(user.Username);

        // 1. Find who must hear of it first, while we still know who followed whom.
        var knownBy = await db.Follows.AsNoTracking().Where(f => f.FolloweeId == me || f.FollowerId == me)
            .Select(f => f.FolloweeId == me ? f.FollowerId : f.FolloweeId).Distinct().ToListAsync(cancellationToken);
        // Users here need no message: their follows of this account are removed below, with the rest.
        var inboxes = await remoteActors.InboxesOfAsync(knownBy.Where(id => !urls.IsOurs(id)), sharedInboxAllowed: true, cancellationToken);
        var deleteId = me + "#delete";
        var delete = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Context,
            ["id"] = deleteId,
            ["type"] = "Delete",
            ["actor"] = me,
            ["object"] = me,
            ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
        };

        // 2. Remove the data, and leave the tombstone, in one transaction.
        var postIds = await db.Posts.Where(p => p.AuthorId == userId).Select(p => new { p.Id, p.OriginalObjectId }).ToListAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Posts.Where(p => p.AuthorId == userId).ExecuteDeleteAsync(cancellationToken);
            await db.Follows.Where(f => f.FollowerId == me || f.FolloweeId == me).ExecuteDeleteAsync(cancellationToken);
            // Her likes and boosts, and everyone's likes and boosts of her posts.
            var noteIds = postIds.Select(p => p.OriginalObjectId ?? urls.NoteId(user.Username, p.Id)).ToList();
            await db.Reactions.Where(r => r.ActorId == me || noteIds.Contains(r.ObjectId)).ExecuteDeleteAsync(cancellationToken);
            await db.ApiTokens.Where(t => t.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            db.Users.Remove(user);
            db.DeletedAccounts.Add(new DeletedAccount { FormerUserId = userId, Username = user.Username, DeletedAt = time.GetUtcNow() });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // 3. Only now tell the other servers: had the removal failed, they would have erased an account
        // that still lives here. Not cancellable: the account is gone, so the others must hear of it.
        await deliveries.EnqueueAsync(deleteId, delete.ToJsonString(), userId, inboxes, CancellationToken.None);
        logger.LogInformation("Deleted account {Actor}: {Posts} posts removed, Delete queued for {Count} inbox(es)", me, postIds.Count, inboxes.Count);
        foreach (var post in postIds)
        {
            events.Publish(new PostDeleted(time.GetUtcNow(), post.OriginalObjectId ?? urls.NoteId(user.Username, post.Id)));
        }
        events.Publish(new AccountDeleted(time.GetUtcNow(), me));
        return null;
    }

    /// <summary>Tells whether <paramref name="username"/> belonged to an account deleted here (its actor then answers 410 Gone).</summary>
    public async Task<bool> WasDeletedAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DeletedAccounts.AnyAsync(d => d.Username == username, cancellationToken);
    }

    /// <summary>The username a deleted account had, for signing its last deliveries; null when <paramref name="formerUserId"/> was never deleted.</summary>
    public async Task<string?> FindDeletedUsernameAsync(int formerUserId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DeletedAccounts.Where(d => d.FormerUserId == formerUserId).Select(d => d.Username).FirstOrDefaultAsync(cancellationToken);
    }
}
