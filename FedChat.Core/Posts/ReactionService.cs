using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Posts;

/// <summary>
/// Likes and boosts: our users giving them (and taking them back with Undo), counting them, and the
/// boosts that show in home timelines. Likes and boosts from other servers arrive through
/// <see cref="Federation.Inbox.ReactionHandlers"/> and are stored in the same table.
/// </summary>
public sealed class ReactionService(
    IDbContextFactory<FedChatDbContext> dbFactory,
    PostService posts,
    KeyStore keys,
    OutboxPublisher publisher,
    ActorUrls urls,
    EventFeed events,
    TimeProvider time,
    ILogger<ReactionService> logger)
{
    /// <summary>
    /// Likes or boosts a post for user <paramref name="userId"/>, or takes it back when <paramref name="undo"/>
    /// is true, and tells the post's author (and, for a boost, the user's followers). Doing the same thing
    /// twice changes nothing. Returns <c>null</c> when it worked, else why not, in words for the user.
    /// </summary>
    public async Task<string?> ReactAsync(int userId, string objectId, ReactionKind kind, bool undo = false, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FindAsync([userId], cancellationToken);
        if (user is null)
        {
            return "Your account no longer exists.";
        }
        var me = urls.ActorId(user.Username);
        var post = await posts.FindByNoteIdAsync(objectId, me, cancellationToken);
        if (post?.AuthorActorId is null)
        {
            return "That post does not exist any more.";
        }
        if (kind == ReactionKind.Announce && post.IsDirect)
        {
            return "A message only for the people mentioned cannot be boosted.";
        }

        var existing = await db.Reactions.FirstOrDefaultAsync(r => r.ObjectId == objectId && r.ActorId == me && r.Kind == kind, cancellationToken);
        if (undo == (existing is null))
        {
            return null; // already liked (or already not): nothing to send
        }
        var userKeys = await keys.GetUserKeysAsync(userId, cancellationToken);
        var followers = urls.Followers(user.Username);
        var reaction = existing ?? new Reaction
        {
            Kind = kind,
            ActorId = me,
            ObjectId = objectId,
            ActivityId = $"{me}/{(kind == ReactionKind.Like ? "likes" : "boosts")}/{Guid.NewGuid():N}",
            CreatedAt = time.GetUtcNow(),
        };
        var activity = undo
            ? ReactionActivities.ToSignedUndo(reaction, post.AuthorActorId, followers, userKeys, time.GetUtcNow())
            : ReactionActivities.ToSigned(reaction, post.AuthorActorId, followers, userKeys);
        // Two clicks at once (a double-click) both get here: only the one that really changed the
        // table tells anyone; the other has nothing left to do.
        if (undo)
        {
            if (await db.Reactions.Where(r => r.Id == reaction.Id).ExecuteDeleteAsync(cancellationToken) == 0)
            {
                return null;
            }
        }
        else
        {
            db.Reactions.Add(reaction);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException ex) when (Database.IsUniqueViolation(ex))
            {
                return null;
            }
        }
        logger.LogInformation("{User} {Verb} {ObjectId}", user.Username, (undo ? "took back their " : "") + ReactionActivities.TypeOf(kind), objectId);

        await PublishChangeAsync(reaction, added: !undo, user.DisplayName, cancellationToken);
        await publisher.PublishAsync(userId, user.Username, (string)activity["id"]!, activity.ToJsonString(), cancellationToken);
        return null;
    }

    /// <summary>
    /// What a Like or Boost button does: react, or take the reaction back when <paramref name="post"/>
    /// shows the user already did (the button is pressed).
    /// </summary>
    public Task<string?> ToggleAsync(int userId, PostView post, ReactionKind kind, CancellationToken cancellationToken = default) =>
        ReactAsync(userId, post.ObjectId ?? "", kind, undo: kind == ReactionKind.Like ? post.LikedByViewer : post.BoostedByViewer, cancellationToken);

    /// <summary>
    /// Tells open pages that <paramref name="reaction"/> was added or removed: the new counts for the
    /// post, and for a new boost the timeline entry "boosted by <paramref name="reactorName"/>".
    /// </summary>
    public async Task PublishChangeAsync(Reaction reaction, bool added, string reactorName, CancellationToken cancellationToken)
    {
        var (likes, boosts) = await CountAsync(reaction.ObjectId, cancellationToken);
        events.Publish(new ReactionChanged(time.GetUtcNow(), reaction.ObjectId, reaction.Kind, reaction.ActorId, added, likes, boosts));
        if (added && reaction.Kind == ReactionKind.Announce
            && await posts.FindByNoteIdAsync(reaction.ObjectId, null, cancellationToken) is { } post)
        {
            events.Publish(new PostBoosted(time.GetUtcNow(), AsBoost(post, reaction, reactorName) with { Likes = likes, Boosts = boosts }));
        }
    }

    /// <summary>Counts the likes and boosts of one post.</summary>
    public async Task<(int Likes, int Boosts)> CountAsync(string objectId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var likes = await db.Reactions.CountAsync(r => r.ObjectId == objectId && r.Kind == ReactionKind.Like, cancellationToken);
        var boosts = await db.Reactions.CountAsync(r => r.ObjectId == objectId && r.Kind == ReactionKind.Announce, cancellationToken);
        return (likes, boosts);
    }

    /// <summary>
    /// Fills in the like and boost counts of <paramref name="views"/>, and whether <paramref name="viewerActorId"/>
    /// liked or boosted each, with two queries for the whole list.
    /// </summary>
    public async Task<IReadOnlyList<PostView>> WithReactionsAsync(IReadOnlyList<PostView> views, string? viewerActorId, CancellationToken cancellationToken = default)
    {
        var ids = views.Select(v => v.ObjectId).OfType<string>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return views;
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var counts = await db.Reactions.Where(r => ids.Contains(r.ObjectId))
            .GroupBy(r => new { r.ObjectId, r.Kind })
            .Select(g => new { g.Key.ObjectId, g.Key.Kind, Count = g.Count() })
            .ToListAsync(cancellationToken);
        var mine = viewerActorId is null ? [] : await db.Reactions.Where(r => ids.Contains(r.ObjectId) && r.ActorId == viewerActorId)
            .Select(r => new { r.ObjectId, r.Kind }).ToListAsync(cancellationToken);
        int CountOf(string? id, ReactionKind kind) => counts.FirstOrDefault(c => c.ObjectId == id && c.Kind == kind)?.Count ?? 0;
        return [.. views.Select(v => v with
        {
            Likes = CountOf(v.ObjectId, ReactionKind.Like),
            Boosts = CountOf(v.ObjectId, ReactionKind.Announce),
            LikedByViewer = mine.Any(m => m.ObjectId == v.ObjectId && m.Kind == ReactionKind.Like),
            BoostedByViewer = mine.Any(m => m.ObjectId == v.ObjectId && m.Kind == ReactionKind.Announce),
        })];
    }

    /// <summary>
    /// The boosts by <paramref name="boosters"/> (the people a user follows, and the user), newest first,
    /// as timeline entries of the boosted posts that <paramref name="viewerActorId"/> may see.
    /// </summary>
    public async Task<IReadOnlyList<PostView>> GetBoostsByAsync(IReadOnlySet<string> boosters, string? viewerActorId, int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = boosters.ToList();
        var boosts = await db.Reactions.AsNoTracking()
            .Where(r => r.Kind == ReactionKind.Announce && ids.Contains(r.ActorId))
            .OrderByDescending(r => r.CreatedAt)
            .Take(Math.Clamp(limit, 1, PostService.MaxPageSize))
            .ToListAsync(cancellationToken);
        var entries = new List<PostView>();
        var names = new Dictionary<string, string>(); // a few people boost many posts: look each name up once
        foreach (var boost in boosts)
        {
            if (await posts.FindByNoteIdAsync(boost.ObjectId, viewerActorId, cancellationToken) is { } post)
            {
                if (!names.TryGetValue(boost.ActorId, out var name))
                {
                    names[boost.ActorId] = name = await DisplayNameAsync(db, boost.ActorId, cancellationToken);
                }
                entries.Add(AsBoost(post, boost, name));
            }
        }
        return entries;
    }

    private static PostView AsBoost(PostView post, Reaction boost, string boosterName) =>
        post with { BoostedBy = boosterName, BoostedByActorId = boost.ActorId, BoostedAt = boost.CreatedAt };

    /// <summary>The name to show for an actor: a user here, or the display name their server told us.</summary>
    private async Task<string> DisplayNameAsync(FedChatDbContext db, string actorId, CancellationToken cancellationToken)
    {
        if (urls.TryParseActorId(actorId, out var username))
        {
            var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, cancellationToken);
            return user?.DisplayName ?? username;
        }
        var remote = await db.RemoteActors.AsNoTracking().FirstOrDefaultAsync(a => a.ActorId == actorId, cancellationToken);
        return remote?.DisplayName ?? actorId;
    }
}
