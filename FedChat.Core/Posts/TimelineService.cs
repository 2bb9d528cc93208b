using FedChat.Core.Federation;
using FedChat.Core.Federation.Inbox;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Core.Posts;

/// <summary>The three timelines.</summary>
public enum TimelineKind
{
    /// <summary>My posts, the posts of everyone I follow, here or elsewhere, what they boosted, and direct messages to or from me.</summary>
    Home,

    /// <summary>Every post written on this server.</summary>
    Local,

    /// <summary>Every public post this server has seen: its own and those from other servers.</summary>
    Federated,
}

/// <summary>Reads the home, local and federated timelines, newest first, with their like and boost counts.</summary>
public sealed class TimelineService(IDbContextFactory<FedChatDbContext> dbFactory, PostService posts, ReactionService reactions, FollowService follows, ActorUrls urls)
{
    /// <summary>Reads a timeline. <paramref name="viewer"/> is the signed-in user's username (needed for Home).</summary>
    public async Task<IReadOnlyList<PostView>> GetAsync(TimelineKind kind, string? viewer, int limit = 50, CancellationToken cancellationToken = default)
    {
        var viewerActorId = viewer is null ? null : urls.ActorId(viewer);
        if (kind == TimelineKind.Local)
        {
            return await reactions.WithReactionsAsync(await posts.GetLocalTimelineAsync(limit, cancellationToken: cancellationToken), viewerActorId, cancellationToken);
        }
        var following = kind == TimelineKind.Home ? await FollowingAsync(viewer, cancellationToken) : null;
        var local = await posts.GetLocalTimelineAsync(PostService.MaxPageSize, cancellationToken: cancellationToken);
        // Direct messages only ever show in the home timelines of their sender and the people they name.
        var direct = kind == TimelineKind.Home && viewer is not null ? await posts.GetDirectMessagesAsync(viewer, limit, cancellationToken) : [];
        var remote = await GetRemotePostsAsync(following, kind == TimelineKind.Home ? viewerActorId : null, limit, cancellationToken);
        // What I and the people I follow boosted shows in my home timeline, at the time it was boosted.
        var boosts = following is not null ? await reactions.GetBoostsByAsync(following, viewerActorId, limit, cancellationToken) : [];
        IReadOnlyList<PostView> timeline = [.. local.Where(p => following is null || following.Contains(p.AuthorActorId!))
            .Concat(direct)
            .Concat(remote)
            .Concat(boosts)
            .OrderByDescending(p => p.ShownAt)
            .Take(limit)];
        return await reactions.WithReactionsAsync(timeline, viewerActorId, cancellationToken);
    }

    /// <summary>
    /// The actor ids whose posts belong in <paramref name="viewer"/>'s home timeline: themselves and
    /// everyone they follow. Pages use it to decide whether a live post belongs on screen.
    /// </summary>
    public async Task<HashSet<string>> FollowingAsync(string? viewer, CancellationToken cancellationToken = default)
    {
        if (viewer is null)
        {
            return [];
        }
        var me = urls.ActorId(viewer);
        return [me, .. await follows.GetFollowingAsync(me, cancellationToken)];
    }

    /// <summary>
    /// Tells whether a post belongs in <paramref name="viewerActorId"/>'s timeline (for live updates):
    /// a direct message only in the home timeline of its sender and the people it names, a boost only in home timelines.
    /// </summary>
    public static bool Belongs(TimelineKind kind, PostView post, IReadOnlySet<string> following, string? viewerActorId) => kind switch
    {
        // A boost is an entry of its own, only in the home timelines of the booster's followers.
        _ when post.BoostedByActorId is not null => kind == TimelineKind.Home && following.Contains(post.BoostedByActorId),
        _ when post.IsDirect => kind == TimelineKind.Home && post.IsVisibleTo(viewerActorId),
        TimelineKind.Local => !post.IsRemote,
        TimelineKind.Federated => true,
        _ => post.AuthorActorId is not null && following.Contains(post.AuthorActorId),
    };

    /// <summary>Public posts (by <paramref name="authors"/>, when given), plus the direct messages to <paramref name="viewerActorId"/>.</summary>
    private async Task<IReadOnlyList<PostView>> GetRemotePostsAsync(HashSet<string>? authors, string? viewerActorId, int limit, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.RemotePosts.AsNoTracking().Where(p =>
            (p.Audience == null && (authors == null || authors.Contains(p.ActorId)))
            // Audience is a space-separated list: pad it so "…/users/al" never matches "…/users/alice".
            || (viewerActorId != null && p.Audience != null && (" " + p.Audience + " ").Contains(" " + viewerActorId + " ")));
        // Full-precision time first, then arrival: posts from servers that send whole seconds (Mastodon) keep their order.
        var found = await query.OrderByDescending(p => p.PublishedAt).ThenByDescending(p => p.Id).Take(Math.Clamp(limit, 1, PostService.MaxPageSize)).ToListAsync(cancellationToken);
        var actorIds = found.Select(p => p.ActorId).Distinct().ToList();
        var actors = await db.RemoteActors.AsNoTracking().Where(a => actorIds.Contains(a.ActorId)).ToDictionaryAsync(a => a.ActorId, cancellationToken);
        // How each post was verified is kept with the activity that brought it.
        var received = await PostVerification.LoadAsync(db, found, cancellationToken);
        return found.ConvertAll(p => ActivityHandlers.ToView(p, actors.GetValueOrDefault(p.ActorId), received.GetValueOrDefault(p.ActivityId)));
    }
}
