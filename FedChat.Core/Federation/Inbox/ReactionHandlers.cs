using System.Text.Json;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Posts;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation.Inbox;

/// <summary>
/// Likes and boosts from other servers: <c>Like</c>, <c>Announce</c> and their <c>Undo</c>. Called by
/// <see cref="ActivityHandlers"/> after every inbox check passed.
/// </summary>
public sealed class ReactionHandlers(
    IDbContextFactory<FedChatDbContext> dbFactory,
    PostService posts,
    ReactionService reactions,
    RemoteActors remoteActors,
    SignedHttpClient http,
    RelayService relay,
    EventFeed events,
    TimeProvider time,
    ILogger<ReactionHandlers> logger)
{
    /// <summary>
    /// Like or Announce { Note id }: count it, if the post is one we know. A boost of a post we have never
    /// seen is fetched from the post's own server first, so followers of the booster can read it.
    /// </summary>
    public async Task ReceiveAsync(JsonObject activity, ReactionKind kind, string actorId, RelayHeaders? relayed, CancellationToken cancellationToken)
    {
        var type = ReactionActivities.TypeOf(kind);
        var objectId = ActivityStreamsJson.IdOf(activity["object"]);
        var activityId = ActivityStreamsJson.IdOf(activity["id"]);
        if (objectId is null || activityId is null)
        {
            logger.LogInformation("{Type} from {Actor} without an object or id: ignored", type, actorId);
            return;
        }
        var post = await posts.FindByNoteIdAsync(objectId, actorId, cancellationToken);
        if (post is null && kind == ReactionKind.Announce)
        {
            post = await FetchBoostedPostAsync(objectId, cancellationToken);
        }
        if (post is null)
        {
            logger.LogInformation("{Type} from {Actor} for {ObjectId}, a post we do not have: ignored", type, actorId, objectId);
            return;
        }
        if (kind == ReactionKind.Announce && post.IsDirect)
        {
            logger.LogWarning("Announce from {Actor} of {ObjectId}, a direct message: ignored (it is only for the people it names)", actorId, objectId);
            return;
        }

        var reaction = new Reaction { Kind = kind, ActorId = actorId, ObjectId = objectId, ActivityId = activityId, CreatedAt = time.GetUtcNow() };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (await db.Reactions.AnyAsync(r => r.ObjectId == objectId && r.ActorId == actorId && r.Kind == kind, cancellationToken))
            {
                return; // liked twice: still one like
            }
            db.Reactions.Add(reaction);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (Database.IsUniqueViolation(ex))
            {
                return; // the same like arrived twice at once (say, from two relays): still one like
            }
        }
        var actor = (await remoteActors.GetAsync(actorId, cancellationToken)).Actor;
        logger.LogInformation("{Actor} sent {Type} for {ObjectId}", actorId, type, objectId);
        await reactions.PublishChangeAsync(reaction, added: true, actor?.DisplayName ?? actorId, cancellationToken);
        // A boost is public: pass it on like a post, so every server can count it. A like is only for the author.
        if (kind == ReactionKind.Announce)
        {
            await relay.RelayOnwardAsync(activity, activityId, relayed, cancellationToken);
        }
    }

    /// <summary>Undo { Like } or Undo { Announce }: only the actor who reacted can take it back.</summary>
    public async Task ReceiveUndoAsync(JsonObject activity, JsonObject inner, ReactionKind kind, string actorId, RelayHeaders? relayed, CancellationToken cancellationToken)
    {
        var innerId = ActivityStreamsJson.IdOf(inner["id"]);
        var objectId = ActivityStreamsJson.IdOf(inner["object"]);
        Reaction? reaction;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // Matching on the actor too means nobody can undo someone else's like.
            reaction = await db.Reactions.AsNoTracking().FirstOrDefaultAsync(
                r => r.ActorId == actorId && r.Kind == kind && (r.ActivityId == innerId || r.ObjectId == objectId), cancellationToken);
            // Deleting by id and counting: if the same Undo arrives twice at once, only one of them goes on.
            if (reaction is null || await db.Reactions.Where(r => r.Id == reaction.Id).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                logger.LogInformation("Undo {Type} from {Actor} for a reaction of theirs we do not have: ignored", ReactionActivities.TypeOf(kind), actorId);
                return;
            }
        }
        logger.LogInformation("{Actor} took back their {Type} of {ObjectId}", actorId, ReactionActivities.TypeOf(kind), reaction.ObjectId);
        // Taking a reaction back adds no "boosted by" entry, so the name is not needed.
        await reactions.PublishChangeAsync(reaction, added: false, reactorName: "", cancellationToken);
        if (ActivityStreamsJson.IdOf(activity["id"]) is string undoId)
        {
            await relay.RelayOnwardAsync(activity, undoId, relayed, cancellationToken);
        }
    }

    /// <summary>
    /// Fetches a boosted post from its own server and keeps it like any received post. It is trusted
    /// only if it really lives there: its id, the URL it came from and its author share one origin
    /// (otherwise any server could boost a "post" it made up in someone else's name).
    /// </summary>
    private async Task<PostView?> FetchBoostedPostAsync(string objectId, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(objectId, UriKind.Absolute, out var url))
        {
            return null;
        }
        JsonObject note;
        try
        {
            note = await http.GetObjectAsync(url, cancellationToken);
        }
        catch (FetchFailedException ex)
        {
            logger.LogWarning("Could not fetch the boosted post {ObjectId}: {Reason}", objectId, ex.Message);
            return null;
        }
        string? author;
        try
        {
            author = ActivityStreamsJson.IdOf(note["attributedTo"]);
            if ((string?)note["type"] != "Note" || ActivityStreamsJson.IdOf(note["id"]) != objectId
                || author is null || !Uri.TryCreate(author, UriKind.Absolute, out var authorUrl) || authorUrl.Authority != url.Authority
                || !ActivityStreamsJson.IsPublic(note))
            {
                logger.LogWarning("The boosted post {ObjectId} is not a public Note by an author on its own server: ignored", objectId);
                return null;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or JsonException)
        {
            logger.LogWarning("The boosted post {ObjectId} is malformed: {Reason}", objectId, ex.Message);
            return null;
        }

        // No activity brought it: we fetched it. Its id stands in, so the badge shows "not verified by proof".
        var post = ActivityHandlers.ToRemotePost(note, objectId, author, activityId: objectId, audience: null, time.GetUtcNow());
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.RemotePosts.AnyAsync(p => p.ObjectId == objectId, cancellationToken))
            {
                db.RemotePosts.Add(post);
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        var actor = (await remoteActors.GetAsync(author, cancellationToken)).Actor;
        logger.LogInformation("Fetched boosted post {ObjectId} by {Author} from its server", objectId, author);
        var view = ActivityHandlers.ToView(post, actor);
        events.Publish(new RemotePostReceived(time.GetUtcNow(), view));
        return view;
    }
}
