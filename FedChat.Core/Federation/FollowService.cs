using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation;

/// <summary>
/// Following people on other servers: send Follow, and Undo to stop. Their server answers with
/// Accept (see <see cref="Inbox.ActivityHandlers"/>); from then on their public posts are delivered to us.
/// </summary>
public sealed class FollowService(
    IDbContextFactory<FedChatDbContext> dbFactory,
    RemoteActors remoteActors,
    DeliveryQueue deliveries,
    KeyStore keys,
    ActorUrls urls,
    EventFeed events,
    TimeProvider time,
    ILogger<FollowService> logger)
{
    /// <summary>Makes <paramref name="username"/> follow the actor at <paramref name="actorId"/>. Returns null, or why not.</summary>
    public async Task<string?> FollowAsync(int userId, string username, string actorId, CancellationToken cancellationToken = default)
    {
        var target = await remoteActors.GetAsync(actorId, cancellationToken);
        if (target.Actor is null)
        {
            return target.Error;
        }
        var me = urls.ActorId(username);
        if (me == actorId)
        {
            return "You cannot follow yourself.";
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Follows.AnyAsync(f => f.FollowerId == me && f.FolloweeId == actorId, cancellationToken))
        {
            return null; // already following (or asked to): nothing to do
        }
        var follow = new Follow
        {
            FollowerId = me,
            FolloweeId = actorId,
            FollowActivityId = $"{me}/follows/{Guid.NewGuid():N}",
            State = FollowState.Pending,
            CreatedAt = time.GetUtcNow(),
        };
        db.Follows.Add(follow);
        await db.SaveChangesAsync(cancellationToken);

        var activity = await SignAsync(Activity(follow.FollowActivityId, "Follow", me, JsonValue.Create(actorId)), userId, me, cancellationToken);
        await deliveries.EnqueueAsync(follow.FollowActivityId, activity.ToJsonString(), userId, [new Uri(target.Actor.Inbox)], cancellationToken);
        logger.LogInformation("{Follower} asked to follow {Followee}", me, actorId);
        return null;
    }

    /// <summary>Stops following: removes the follow here and tells their server with Undo { Follow }.</summary>
    public async Task UnfollowAsync(int userId, string username, string actorId, CancellationToken cancellationToken = default)
    {
        var me = urls.ActorId(username);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var follow = await db.Follows.FirstOrDefaultAsync(f => f.FollowerId == me && f.FolloweeId == actorId, cancellationToken);
        if (follow is null)
        {
            return;
        }
        db.Follows.Remove(follow);
        await db.SaveChangesAsync(cancellationToken);

        var target = await remoteActors.GetAsync(actorId, cancellationToken);
        if (target.Actor is not null)
        {
            var followActivity = Activity(follow.FollowActivityId, "Follow", me, JsonValue.Create(actorId));
            var undoId = $"{follow.FollowActivityId}/undo";
            var undo = await SignAsync(Activity(undoId, "Undo", me, followActivity), userId, me, cancellationToken);
            await deliveries.EnqueueAsync(undoId, undo.ToJsonString(), userId, [new Uri(target.Actor.Inbox)], cancellationToken);
        }
        logger.LogInformation("{Follower} unfollowed {Followee}", me, actorId);
    }

    /// <summary>
    /// Answers a follow request to <paramref name="username"/>: Accept (the follower starts receiving
    /// posts) or Reject (the request is removed). Sent to the follower's inbox, signed by the user.
    /// Returns null, or why not.
    /// </summary>
    public async Task<string?> AnswerRequestAsync(int userId, string username, string followerId, bool accept, CancellationToken cancellationToken = default)
    {
        var me = urls.ActorId(username);
        Follow? follow;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            follow = await db.Follows.FirstOrDefaultAsync(f => f.FollowerId == followerId && f.FolloweeId == me, cancellationToken);
            if (follow is null)
            {
                return "There is no such follow request.";
            }
            if (accept)
            {
                follow.State = FollowState.Accepted;
            }
            else
            {
                db.Follows.Remove(follow);
            }
            await db.SaveChangesAsync(cancellationToken);
        }

        var follower = await remoteActors.GetAsync(followerId, cancellationToken);
        if (follower.Actor is null)
        {
            return follower.Error;
        }
        var answerId = $"{me}/{(accept ? "accepts" : "rejects")}/{Guid.NewGuid():N}";
        // The answer's object is the Follow it answers, so the follower's server can find its request.
        var request = Activity(follow.FollowActivityId, "Follow", followerId, JsonValue.Create(me));
        var answer = await SignAsync(Activity(answerId, accept ? "Accept" : "Reject", me, request), userId, me, cancellationToken);
        await deliveries.EnqueueAsync(answerId, answer.ToJsonString(), userId, [new Uri(follower.Actor.Inbox)], cancellationToken);
        logger.LogInformation("{User} {Answer} the follow request of {Follower}", me, accept ? "accepted" : "rejected", followerId);
        events.Publish(new FollowChanged(time.GetUtcNow(), followerId, me, accept ? "Accepted" : "Ended"));
        return null;
    }

    /// <summary>Lists the actor ids waiting for <paramref name="actorId"/> to approve their follow request.</summary>
    public async Task<IReadOnlyList<string>> GetPendingRequestsAsync(string actorId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Follows.AsNoTracking().Where(f => f.FolloweeId == actorId && f.State == FollowState.Pending)
            .OrderBy(f => f.Id).Select(f => f.FollowerId).ToListAsync(cancellationToken);
    }

    /// <summary>Tells whether <paramref name="followerId"/> follows <paramref name="followeeId"/>, and whether it was accepted.</summary>
    public async Task<FollowState?> GetStateAsync(string followerId, string followeeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var follow = await db.Follows.AsNoTracking().FirstOrDefaultAsync(f => f.FollowerId == followerId && f.FolloweeId == followeeId, cancellationToken);
        return follow?.State;
    }

    /// <summary>Lists the actor ids that follow <paramref name="actorId"/> (accepted only).</summary>
    public async Task<IReadOnlyList<string>> GetFollowersAsync(string actorId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Follows.AsNoTracking().Where(f => f.FolloweeId == actorId && f.State == FollowState.Accepted)
            .OrderBy(f => f.Id).Select(f => f.FollowerId).ToListAsync(cancellationToken);
    }

    /// <summary>Lists the actor ids <paramref name="actorId"/> follows (accepted only).</summary>
    public async Task<IReadOnlyList<string>> GetFollowingAsync(string actorId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Follows.AsNoTracking().Where(f => f.FollowerId == actorId && f.State == FollowState.Accepted)
            .OrderBy(f => f.Id).Select(f => f.FolloweeId).ToListAsync(cancellationToken);
    }

    /// <summary>Adds the user's eddsa-jcs-2022 proof (FEP-8b32), as on every activity FedChat sends.</summary>
    private async Task<JsonObject> SignAsync(JsonObject activity, int userId, string actorId, CancellationToken cancellationToken) =>
        NoteActivities.Sign(activity, await keys.GetUserKeysAsync(userId, cancellationToken), actorId, time.GetUtcNow());

    /// <summary>Builds a small activity: <c>{ @context, id, type, actor, object }</c>.</summary>
    internal static JsonObject Activity(string id, string type, string actor, JsonNode @object) => new()
    {
        ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.DataIntegrityContext),
        ["id"] = id,
        ["type"] = type,
        ["actor"] = actor,
        ["object"] = @object,
    };
}
