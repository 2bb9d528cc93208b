using System.Globalization;
using System.Text.Json.Nodes;
using FedChat.Core.Accounts;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation.Inbox;

/// <summary>
/// What a verified activity does here, one method per verb: <c>ReceiveFollow</c>, <c>ReceiveAccept</c>,
/// <c>ReceiveUndo</c>, <c>ReceiveCreate</c>, <c>ReceiveUpdate</c>, <c>ReceiveDelete</c>. Likes and boosts are in
/// <see cref="ReactionHandlers"/>; accounts that move or are deleted in <see cref="AccountHandlers"/>. The inbox
/// calls these only after every check passed, so they can trust who the actor is.
/// </summary>
public sealed class ActivityHandlers(
    IDbContextFactory<FedChatDbContext> dbFactory,
    AccountService accounts,
    RemoteActors remoteActors,
    RelayService relay,
    FollowService follows,
    ReactionHandlers reactionHandlers,
    AccountHandlers accountHandlers,
    ActorUrls urls,
    EventFeed events,
    TimeProvider time,
    ILogger<ActivityHandlers> logger)
{
    /// <summary>Acts on a verified activity. Unknown verbs are logged and ignored. <paramref name="relayed"/> are the relay headers it came with, if any.</summary>
    public Task HandleAsync(JsonObject activity, string type, string actorId, RelayHeaders? relayed, CancellationToken cancellationToken) => type switch
    {
        "Follow" => ReceiveFollowAsync(activity, actorId, cancellationToken),
        "Accept" => ReceiveAcceptAsync(activity, actorId, accepted: true, cancellationToken),
        "Reject" => ReceiveAcceptAsync(activity, actorId, accepted: false, cancellationToken),
        "Undo" => ReceiveUndoAsync(activity, actorId, relayed, cancellationToken),
        "Create" => ReceiveCreatesAsync([new IncomingCreate(activity, actorId, relayed)], cancellationToken),
        "Delete" => ReceiveDeleteAsync(activity, actorId, relayed, cancellationToken),
        "Update" => ReceiveUpdateAsync(activity, actorId, relayed, cancellationToken),
        "Like" => reactionHandlers.ReceiveAsync(activity, ReactionKind.Like, actorId, relayed, cancellationToken),
        "Announce" => reactionHandlers.ReceiveAsync(activity, ReactionKind.Announce, actorId, relayed, cancellationToken),
        "Move" => accountHandlers.ReceiveMoveAsync(activity, actorId, cancellationToken),
        _ => LogIgnored(type, actorId),
    };

    /// <summary>
    /// Someone wants to follow one of our users: record it, then answer Accept at once — or, for a user
    /// who approves followers by hand, leave it pending until they decide on their profile page.
    /// </summary>
    private async Task ReceiveFollowAsync(JsonObject activity, string actorId, CancellationToken cancellationToken)
    {
        var followee = ActivityStreamsJson.IdOf(activity["object"]);
        var local = followee is null ? null : await LocalUserAsync(followee, cancellationToken);
        if (local is null)
        {
            logger.LogInformation("Follow from {Actor} for {Object}, who is not a user here: ignored", actorId, followee);
            return;
        }
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var existing = await db.Follows.FirstOrDefaultAsync(f => f.FollowerId == actorId && f.FolloweeId == followee, cancellationToken);
            if (existing is null)
            {
                existing = new Follow { FollowerId = actorId, FolloweeId = followee!, CreatedAt = time.GetUtcNow() };
                db.Follows.Add(existing);
            }
            // A repeated Follow refers to a new activity id: answers must name the latest one.
            existing.FollowActivityId = ActivityStreamsJson.IdOf(activity["id"])!;
            existing.State = existing.State == FollowState.Accepted ? FollowState.Accepted : FollowState.Pending;
            await db.SaveChangesAsync(cancellationToken);
        }
        if (local.ManuallyApprovesFollowers)
        {
            logger.LogInformation("{Follower} asked to follow {Followee}, who approves followers by hand", actorId, followee);
            events.Publish(new FollowChanged(time.GetUtcNow(), actorId, followee!, "Pending"));
            return;
        }
        var error = await follows.AnswerRequestAsync(local.Id, local.Username, actorId, accept: true, cancellationToken);
        if (error is not null)
        {
            logger.LogWarning("Follow from {Actor} not answered: {Error}", actorId, error);
        }
    }

    /// <summary>Our follow request was answered: Accept makes it active, Reject removes it.</summary>
    private async Task ReceiveAcceptAsync(JsonObject activity, string actorId, bool accepted, CancellationToken cancellationToken)
    {
        var followId = ActivityStreamsJson.IdOf(activity["object"]);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Only the followed actor may answer a follow request.
        var follow = await db.Follows.FirstOrDefaultAsync(f => f.FollowActivityId == followId && f.FolloweeId == actorId, cancellationToken);
        if (follow is null)
        {
            logger.LogInformation("{Verb} from {Actor} for unknown follow {Follow}: ignored", accepted ? "Accept" : "Reject", actorId, followId);
            return;
        }
        if (accepted)
        {
            follow.State = FollowState.Accepted;
        }
        else
        {
            db.Follows.Remove(follow);
        }
        await db.SaveChangesAsync(cancellationToken);
        events.Publish(new FollowChanged(time.GetUtcNow(), follow.FollowerId, actorId, accepted ? "Accepted" : "Ended"));
    }

    /// <summary>Undo { Follow }: the actor stops following one of our users. Undo { Like } and Undo { Announce } take a reaction back.</summary>
    private async Task ReceiveUndoAsync(JsonObject activity, string actorId, RelayHeaders? relayed, CancellationToken cancellationToken)
    {
        var inner = activity["object"] as JsonObject;
        var innerType = inner?["type"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (inner is not null && innerType is "Like" or "Announce")
        {
            var kind = innerType == "Like" ? ReactionKind.Like : ReactionKind.Announce;
            await reactionHandlers.ReceiveUndoAsync(activity, inner, kind, actorId, relayed, cancellationToken);
            return;
        }
        if (inner is null || innerType != "Follow")
        {
            await LogIgnored("Undo of " + innerType, actorId);
            return;
        }
        var followee = ActivityStreamsJson.IdOf(inner["object"]);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var removed = await db.Follows.Where(f => f.FollowerId == actorId && f.FolloweeId == followee).ExecuteDeleteAsync(cancellationToken);
        if (removed > 0)
        {
            events.Publish(new FollowChanged(time.GetUtcNow(), actorId, followee!, "Ended"));
        }
    }

    /// <summary>
    /// Create { Note }: posts from other servers, kept for the timelines. The <see cref="InboxWorker"/> hands over
    /// every Create of a page of its queue at once, so that they are stored in one transaction (one write lock,
    /// one commit) instead of one each: a burst of posts then leaves the database free for the inbox's own
    /// writes most of the time (issue #16).
    /// </summary>
    public async Task ReceiveCreatesAsync(IReadOnlyList<IncomingCreate> creates, CancellationToken cancellationToken)
    {
        // 1. Which of them become posts.
        var posts = new List<(RemotePost Post, IncomingCreate From)>(creates.Count);
        foreach (var create in creates)
        {
            if (await ToPostAsync(create, cancellationToken) is { } post)
            {
                posts.Add((post, create));
            }
        }
        if (posts.Count == 0)
        {
            return;
        }

        // 2. Store the new ones together. A post we already have (a second delivery, a relayed copy) is skipped.
        var stored = new List<(RemotePost Post, IncomingCreate From)>(posts.Count);
        Dictionary<string, ReceivedActivity> received;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var objectIds = posts.Select(p => p.Post.ObjectId).Distinct().ToList();
            var known = (await db.RemotePosts.Where(p => objectIds.Contains(p.ObjectId)).Select(p => p.ObjectId).ToListAsync(cancellationToken))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var candidate in posts)
            {
                if (known.Add(candidate.Post.ObjectId))
                {
                    db.RemotePosts.Add(candidate.Post);
                    stored.Add(candidate);
                }
            }
            await db.SaveChangesAsync(cancellationToken); // one transaction for all of them
            // The inbox stored each activity, with how it was verified, before the worker called us.
            var activityIds = stored.Select(p => p.Post.ActivityId).ToList();
            received = await db.ReceivedActivities.AsNoTracking().Where(a => activityIds.Contains(a.ActivityId))
                .ToDictionaryAsync(a => a.ActivityId, cancellationToken); // ActivityId is unique there
        }

        // 3. Tell open pages, and pass each post on to servers that may not have it (only if public).
        var authors = new Dictionary<string, RemoteActor?>(StringComparer.Ordinal);
        foreach (var (post, from) in stored)
        {
            if (!authors.TryGetValue(post.ActorId, out var author))
            {
                authors[post.ActorId] = author = (await remoteActors.GetAsync(post.ActorId, cancellationToken)).Actor;
            }
            events.Publish(new RemotePostReceived(time.GetUtcNow(), ToView(post, author, received.GetValueOrDefault(post.ActivityId))));
            await relay.RelayOnwardAsync(from.Activity, post.ActivityId, from.Relayed, cancellationToken);
        }
    }

    /// <summary>The post a Create brings, or null when there is nothing to keep (not a Note, one of ours, a direct message to nobody here).</summary>
    private async Task<RemotePost?> ToPostAsync(IncomingCreate create, CancellationToken cancellationToken)
    {
        var (activity, actorId) = (create.Activity, create.ActorId);
        if (activity["object"] is not JsonObject note || (string?)note["type"] != "Note" || ActivityStreamsJson.IdOf(note["id"]) is not string objectId)
        {
            await LogIgnored("Create of a non-Note", actorId);
            return null;
        }
        if (urls.IsOurs(objectId))
        {
            return null; // one of our own posts coming back to us: it is already in the local timeline
        }
        // A post that is not public is a direct message: keep it only for the users here it names.
        string? audience = null;
        if (!ActivityStreamsJson.IsPublic(activity) && !ActivityStreamsJson.IsPublic(note))
        {
            var addressees = await LocalAddresseesAsync(note, cancellationToken);
            if (addressees.Count == 0)
            {
                await LogIgnored("A non-public Create addressed to nobody here", actorId);
                return null;
            }
            audience = string.Join(' ', addressees);
        }
        return ToRemotePost(note, objectId, actorId, ActivityStreamsJson.IdOf(activity["id"])!, audience, time.GetUtcNow());
    }

    /// <summary>Delete: the author removed a post; only the author's own posts can be deleted this way.</summary>
    private async Task ReceiveDeleteAsync(JsonObject activity, string actorId, RelayHeaders? relayed, CancellationToken cancellationToken)
    {
        if (ActivityStreamsJson.IdOf(activity["object"]) == actorId)
        {
            await accountHandlers.ReceiveActorDeleteAsync(actorId, cancellationToken);
            return;
        }
        // Pass the deletion on wherever the post may have been relayed (first time we see it: duplicates never get here).
        if (ActivityStreamsJson.IdOf(activity["id"]) is string deleteId)
        {
            await relay.RelayOnwardAsync(activity, deleteId, relayed, cancellationToken);
        }
        var objectId = ActivityStreamsJson.IdOf(activity["object"]);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var removed = await db.RemotePosts.Where(p => p.ObjectId == objectId && p.ActorId == actorId).ExecuteDeleteAsync(cancellationToken);
        if (removed > 0)
        {
            // Its likes and boosts go with it: they would point at nothing.
            await db.Reactions.Where(r => r.ObjectId == objectId).ExecuteDeleteAsync(cancellationToken);
            logger.LogInformation("Post {ObjectId} deleted by its author {Actor}", objectId, actorId);
            events.Publish(new PostDeleted(time.GetUtcNow(), objectId!));
        }
    }

    /// <summary>Update { Note }: the author edited a post; only the author's own posts can be changed this way.</summary>
    private async Task ReceiveUpdateAsync(JsonObject activity, string actorId, RelayHeaders? relayed, CancellationToken cancellationToken)
    {
        if (activity["object"] is not JsonObject note || (string?)note["type"] != "Note" || ActivityStreamsJson.IdOf(note["id"]) is not string objectId)
        {
            await LogIgnored("Update of a non-Note", actorId);
            return;
        }
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // The inbox already checked attributedTo == actor; the stored author must match too.
            var post = await db.RemotePosts.FirstOrDefaultAsync(p => p.ObjectId == objectId && p.ActorId == actorId, cancellationToken);
            if (post is null)
            {
                logger.LogInformation("Update from {Actor} for {ObjectId}, a post of theirs we do not have: ignored", actorId, objectId);
                return;
            }
            post.Content = ContentOf(note);
            post.EditedAt = DateOf(note["updated"], time.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
            var author = await db.RemoteActors.AsNoTracking().FirstOrDefaultAsync(a => a.ActorId == actorId, cancellationToken);
            var received = await PostVerification.LoadAsync(db, [post], cancellationToken);
            logger.LogInformation("Post {ObjectId} edited by its author {Actor}", objectId, actorId);
            events.Publish(new PostUpdated(time.GetUtcNow(), ToView(post, author, received.GetValueOrDefault(post.ActivityId))));
        }
        if (ActivityStreamsJson.IdOf(activity["id"]) is string updateId)
        {
            await relay.RelayOnwardAsync(activity, updateId, relayed, cancellationToken);
        }
    }

    /// <summary>
    /// Keeps a Note from another server as a <see cref="RemotePost"/>: its text as plain text, when it was
    /// published (<paramref name="now"/> if it does not say), and what it answers.
    /// </summary>
    internal static RemotePost ToRemotePost(JsonObject note, string objectId, string actorId, string activityId, string? audience, DateTimeOffset now) => new()
    {
        ObjectId = objectId,
        ActorId = actorId,
        Content = ContentOf(note),
        PublishedAt = DateOf(note["published"], now),
        ActivityId = activityId,
        Audience = audience,
        InReplyTo = ActivityStreamsJson.IdOf(note["inReplyTo"]) is { Length: <= ActivityRules.MaxIdLength } inReplyTo ? inReplyTo : null,
    };

    /// <summary>
    /// A Note's text as plain text, cut at <see cref="RemotePost.MaxContentLength"/> characters: another
    /// server decides how long its posts are, we decide how much of one we keep and show.
    /// </summary>
    internal static string ContentOf(JsonObject note)
    {
        var html = ActivityStreamsJson.StringOf(note, "content") ?? "";
        // Markup never makes text longer, so cutting the HTML first bounds the work on huge posts.
        var plain = RemoteActors.HtmlToText(html.Length > RemotePost.MaxContentLength * 4 ? html[..(RemotePost.MaxContentLength * 4)] : html);
        return plain.Length <= RemotePost.MaxContentLength ? plain : plain[..(RemotePost.MaxContentLength - 1)] + "…";
    }

    /// <summary>
    /// A date the sender wrote (<c>published</c>, <c>updated</c>), never later than <paramref name="now"/>:
    /// a post dated 9999-12-31 must not pin itself to the top of every timeline. Missing or unreadable: now.
    /// </summary>
    internal static DateTimeOffset DateOf(JsonNode? field, DateTimeOffset now) =>
        field is JsonValue value && value.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
        && when.ToUniversalTime() < now
            ? when.ToUniversalTime()
            : now;

    /// <summary>
    /// Shows a remote post like a local one: author name and handle from their actor document, and
    /// how it was verified from the activity that brought it (<paramref name="received"/>), when known.
    /// </summary>
    public static PostView ToView(RemotePost post, RemoteActor? author, ReceivedActivity? received = null)
    {
        var handle = author?.Handle ?? new Uri(post.ActorId).Authority;
        var username = handle.Split('@')[0];
        return new PostView(post.Id, username, author?.DisplayName ?? username, "@" + handle, post.Content, post.PublishedAt,
            IsRemote: true, AuthorActorId: post.ActorId, ObjectId: post.ObjectId,
            Audience: post.Audience?.Split(' '), InReplyTo: post.InReplyTo, EditedAt: post.EditedAt,
            Verification: received is null ? null : PostVerification.From(received));
    }

    private async Task<UserAccount?> LocalUserAsync(string actorId, CancellationToken cancellationToken) =>
        urls.TryParseActorId(actorId, out var username) ? await accounts.FindByUsernameAsync(username, cancellationToken) : null;

    /// <summary>The actor ids of our users that a Note is addressed to (<c>to</c> and <c>cc</c>).</summary>
    private async Task<List<string>> LocalAddresseesAsync(JsonObject note, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        foreach (var id in ActivityStreamsJson.Audience(note).Distinct())
        {
            if (await LocalUserAsync(id, cancellationToken) is not null)
            {
                found.Add(id);
            }
        }
        return found;
    }

    private Task LogIgnored(string what, string actorId)
    {
        logger.LogInformation("{What} from {Actor} is not handled yet: ignored", what, actorId);
        return Task.CompletedTask;
    }
}

/// <summary>A verified Create waiting to be handled: the activity, its actor, and the relay headers it came with (if any).</summary>
public sealed record IncomingCreate(JsonObject Activity, string ActorId, RelayHeaders? Relayed);
