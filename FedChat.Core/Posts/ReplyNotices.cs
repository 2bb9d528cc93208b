using FedChat.Core.Federation.Inbox;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Core.Posts;

/// <summary>A reply to one of my posts, for the "Replies to you" list on Home.</summary>
/// <param name="Reply">The reply, written here or on another server.</param>
/// <param name="RepliedTo">The start of my post it answers, so I know which one; null when it is gone.</param>
public sealed record ReplyNotice(PostView Reply, string? RepliedTo);

/// <summary>
/// Finds the replies to a user's posts, from people here and on other servers. Nothing is stored for
/// this: a reply is a post whose <c>inReplyTo</c> is one of my Note ids, so the list is a query, and
/// live pages check each new post with <see cref="IsReplyTo"/>.
/// </summary>
public sealed class ReplyNotices(IDbContextFactory<FedChatDbContext> dbFactory, PostService posts, ActorUrls urls)
{
    /// <summary>How many replies the list shows at most.</summary>
    public const int MaxShown = 10;

    /// <summary>How much of my post a notice quotes.</summary>
    public const int QuoteLength = 60;

    /// <summary>Tells whether <paramref name="post"/> answers one of <paramref name="username"/>'s posts and was written by someone else.</summary>
    /// <param name="post">A post that just arrived or was written.</param>
    /// <param name="username">The local user.</param>
    /// <returns>True for a reply to them that they may see.</returns>
    public bool IsReplyTo(PostView post, string username)
    {
        ArgumentNullException.ThrowIfNull(post);
        var me = urls.ActorId(username);
        return urls.TryParseNoteId(post.InReplyTo, out var owner, out _) && owner == username
            && post.AuthorActorId != me && post.BoostedByActorId is null && post.IsVisibleTo(me);
    }

    /// <summary>Reads the newest replies to <paramref name="username"/>'s posts, newest first.</summary>
    /// <param name="username">The local user.</param>
    /// <param name="max">How many at most.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    /// <returns>The replies, each with the start of the post it answers.</returns>
    public async Task<IReadOnlyList<ReplyNotice>> GetRepliesToAsync(string username, int max = MaxShown, CancellationToken cancellationToken = default)
    {
        // Every Note id of mine starts with this; "…/users/al/posts/" never matches "…/users/alice/posts/".
        var prefix = urls.Url($"users/{username}/posts/");
        var me = urls.ActorId(username);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var local = await db.Posts.Include(p => p.Author).AsNoTracking()
            .Where(p => p.InReplyTo != null && p.InReplyTo.StartsWith(prefix) && p.Author.Username != username)
            .OrderByDescending(p => p.Id).Take(max).ToListAsync(cancellationToken);
        var remote = await db.RemotePosts.AsNoTracking()
            .Where(p => p.InReplyTo != null && p.InReplyTo.StartsWith(prefix))
            .OrderByDescending(p => p.Id).Take(max).ToListAsync(cancellationToken);
        var actorIds = remote.Select(p => p.ActorId).Distinct().ToList();
        var actors = await db.RemoteActors.AsNoTracking().Where(a => actorIds.Contains(a.ActorId)).ToDictionaryAsync(a => a.ActorId, cancellationToken);
        var received = await PostVerification.LoadAsync(db, remote, cancellationToken);
        var replies = local.Select(p => posts.ToView(p, p.Author))
            .Concat(remote.Select(p => ActivityHandlers.ToView(p, actors.GetValueOrDefault(p.ActorId), received.GetValueOrDefault(p.ActivityId))))
            .Where(p => IsReplyTo(p, username))
            .OrderByDescending(p => p.CreatedAt)
            .Take(max)
            .ToList();

        // The posts they answer, in one query.
        var mine = replies.Select(r => urls.TryParseNoteId(r.InReplyTo, out _, out var id) ? id : 0).Distinct().ToList();
        var quotes = await db.Posts.AsNoTracking().Where(p => mine.Contains(p.Id) && p.Author.Username == username)
            .ToDictionaryAsync(p => p.Id, p => p.Content, cancellationToken);
        return [.. replies.Select(r => new ReplyNotice(r, QuoteOf(quotes, r.InReplyTo)))];
    }

    /// <summary>Makes the notice for a reply that just arrived: looks up the start of the post it answers.</summary>
    /// <param name="reply">The reply (see <see cref="IsReplyTo"/>).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The notice.</returns>
    public async Task<ReplyNotice> NoticeOfAsync(PostView reply, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reply);
        // Read as its author, so a direct message of mine is found too.
        var parent = urls.TryParseNoteId(reply.InReplyTo, out var owner, out _)
            ? await posts.FindByNoteIdAsync(reply.InReplyTo!, urls.ActorId(owner), cancellationToken)
            : null;
        return new ReplyNotice(reply, parent is null ? null : Shorten(parent.Content));
    }

    private string? QuoteOf(Dictionary<long, string> quotes, string? noteId) =>
        urls.TryParseNoteId(noteId, out _, out var id) && quotes.TryGetValue(id, out var content) ? Shorten(content) : null;

    private static string Shorten(string text) => text.Length <= QuoteLength ? text : text[..(QuoteLength - 1)] + "…";
}
