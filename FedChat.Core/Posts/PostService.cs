using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Federation;
using FedChat.Core.Federation.Inbox;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Posts;

/// <summary>The outcome of writing a post: the stored post, or a message saying why not.</summary>
/// <param name="Post">The stored post, when it worked.</param>
/// <param name="Error">Why the post was refused, in words for the author.</param>
public sealed record CreatePostResult(PostView? Post, string? Error)
{
    /// <summary>Gets whether the post was stored.</summary>
    public bool Succeeded => Post is not null;
}

/// <summary>Writes posts and reads timelines. Pages and the JSON API both go through here.</summary>
public sealed class PostService(
    IDbContextFactory<FedChatDbContext> dbFactory,
    InstanceInfo instance,
    ActorUrls urls,
    KeyStore keys,
    OutboxPublisher publisher,
    MentionResolver mentionResolver,
    EventFeed events,
    TimeProvider time,
    ILogger<PostService> logger)
{
    /// <summary>The most posts one timeline request returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Checks a post's text. Returns <c>null</c> when it may be posted, else the reason.</summary>
    public static string? Validate(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return "Write something first: a post cannot be empty.";
        }
        if (content.Length > Post.MaxLength)
        {
            return $"A post can be at most {Post.MaxLength} characters; this one has {content.Length}.";
        }
        return null;
    }

    /// <summary>Stores a new public post by <paramref name="authorId"/> and tells every open timeline.</summary>
    public Task<CreatePostResult> CreatePostAsync(int authorId, string? content, CancellationToken cancellationToken = default) =>
        CreatePostAsync(authorId, new PostDraft(content), cancellationToken);

    /// <summary>
    /// Stores a new post by <paramref name="authorId"/>: public, or direct to the people it mentions, and
    /// maybe a reply. Publishes it to exactly its audience and tells the open pages that may show it.
    /// </summary>
    public async Task<CreatePostResult> CreatePostAsync(int authorId, PostDraft draft, CancellationToken cancellationToken = default)
    {
        var error = Validate(draft.Content);
        if (error is not null)
        {
            return new CreatePostResult(null, error);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var author = await db.Users.FindAsync([authorId], cancellationToken);
        if (author is null)
        {
            return new CreatePostResult(null, "Your account no longer exists.");
        }
        var (mentions, mentionError) = await mentionResolver.ResolveAsync(draft.Content!, cancellationToken);
        if (mentionError is not null)
        {
            return new CreatePostResult(null, mentionError);
        }
        var addressees = mentions.Select(m => m.ActorId).Where(id => id != urls.ActorId(author.Username)).Distinct().ToList();
        var isDirect = draft.Visibility == PostVisibility.Direct;
        if (isDirect && addressees.Count == 0)
        {
            return new CreatePostResult(null, "A message only for the people mentioned needs at least one mention, such as @bob@192.168.1.24:5080.");
        }

        var post = new Post
        {
            AuthorId = authorId,
            Content = draft.Content!.Trim(),
            CreatedAt = time.GetUtcNow(),
            Audience = isDirect ? string.Join(' ', addressees) : null,
            InReplyTo = string.IsNullOrWhiteSpace(draft.InReplyTo) ? null : draft.InReplyTo,
        };
        db.Posts.Add(post);
        await db.SaveChangesAsync(cancellationToken);

        // The activity's ids contain the post's id, so it is built once the post has one. It is
        // stored as signed, so every later copy (outbox, deliveries) carries the same proof.
        var authorKeys = await keys.GetUserKeysAsync(authorId, cancellationToken);
        var addressing = new NoteAddressing(mentions, isDirect, post.InReplyTo);
        post.ActivityJson = NoteActivities.ToSignedCreateActivity(author.Username, post.Id, post.Content, post.CreatedAt, addressing, authorKeys, urls).ToJsonString();
        await db.SaveChangesAsync(cancellationToken);

        var view = ToView(post, author);
        logger.LogInformation("Post {PostId} by {Handle} stored ({Visibility})", post.Id, view.AuthorHandle, draft.Visibility);
        events.Publish(new PostCreated(post.CreatedAt, view));
        await publisher.PublishAsync(authorId, author.Username, urls.CreateActivityId(author.Username, post.Id), post.ActivityJson, cancellationToken);
        return new CreatePostResult(view, null);
    }

    /// <summary>
    /// Replaces the text of one of the author's own posts, here and on every server that has it: a
    /// signed <c>Update { Note }</c> goes to the post's audience. Returns an error when it is not theirs.
    /// </summary>
    public async Task<CreatePostResult> EditPostAsync(int authorId, long postId, string? content, CancellationToken cancellationToken = default)
    {
        var error = Validate(content);
        if (error is not null)
        {
            return new CreatePostResult(null, error);
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var post = await db.Posts.Include(p => p.Author).FirstOrDefaultAsync(p => p.Id == postId && p.AuthorId == authorId, cancellationToken);
        if (post?.ActivityJson is null)
        {
            return new CreatePostResult(null, "Only the author can edit a post.");
        }
        if (post.OriginalObjectId is not null)
        {
            // Its proof was made for the old account's id; a new signature here could not keep it.
            return new CreatePostResult(null, "A post imported from another server cannot be edited.");
        }
        var edited = time.GetUtcNow();
        var authorKeys = await keys.GetUserKeysAsync(authorId, cancellationToken);
        var create = JsonNode.Parse(post.ActivityJson)!.AsObject();
        var update = NoteActivities.ToSignedUpdateActivity(create["object"]!.AsObject(), content!.Trim(), edited, authorKeys);

        // The outbox and Note fetches serve the stored Create: re-sign it with the new text.
        create["object"] = update["object"]!.DeepClone();
        create.Remove("proof");
        post.ActivityJson = NoteActivities.Sign(create, authorKeys, urls.ActorId(post.Author.Username), edited).ToJsonString();
        (post.Content, post.EditedAt) = (content.Trim(), edited);
        await db.SaveChangesAsync(cancellationToken);

        var view = ToView(post, post.Author);
        events.Publish(new PostUpdated(edited, view));
        await publisher.PublishAsync(authorId, post.Author.Username, (string)update["id"]!, update.ToJsonString(), cancellationToken);
        return new CreatePostResult(view, null);
    }

    /// <summary>
    /// Deletes one of the author's own posts, here and wherever it was sent: a signed <c>Delete</c> with
    /// a <c>Tombstone</c>, addressed like the post. Returns false when the post does not exist or is not theirs.
    /// </summary>
    public async Task<bool> DeletePostAsync(int authorId, long postId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var post = await db.Posts.Include(p => p.Author).FirstOrDefaultAsync(p => p.Id == postId && p.AuthorId == authorId, cancellationToken);
        if (post is null)
        {
            return false;
        }
        var username = post.Author.Username;
        var noteId = post.OriginalObjectId ?? urls.NoteId(username, post.Id);
        db.Posts.Remove(post);
        await db.SaveChangesAsync(cancellationToken);
        // Its likes and boosts go with it: they would point at nothing.
        await db.Reactions.Where(r => r.ObjectId == noteId).ExecuteDeleteAsync(cancellationToken);
        if (post.OriginalObjectId is not null)
        {
            // An imported post was published by the old account: remove our copy, send nothing.
            events.Publish(new PostDeleted(time.GetUtcNow(), noteId));
            return true;
        }
        var note = post.ActivityJson is null
            ? NoteActivities.ToNote(username, post.Id, post.Content, post.CreatedAt, NoteAddressing.Public, urls)
            : JsonNode.Parse(post.ActivityJson)!["object"]!.AsObject();
        var keyPair = await keys.GetUserKeysAsync(authorId, cancellationToken);
        var delete = NoteActivities.ToSignedDeleteActivity(note, time.GetUtcNow(), keyPair);
        logger.LogInformation("Post {PostId} by {User} deleted", post.Id, username);
        events.Publish(new PostDeleted(time.GetUtcNow(), noteId));
        await publisher.PublishAsync(authorId, username, (string)delete["id"]!, delete.ToJsonString(), cancellationToken);
        return true;
    }

    /// <summary>
    /// Reads the local timeline: every post written on this server, newest first.
    /// Pass the oldest id you already have as <paramref name="beforeId"/> to read the next page.
    /// </summary>
    public async Task<IReadOnlyList<PostView>> GetLocalTimelineAsync(int limit = 50, long? beforeId = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Imported posts were written elsewhere, long ago: they show on their author's profile, not here.
        var query = db.Posts.Include(p => p.Author).AsNoTracking().Where(p => p.Audience == null && p.OriginalObjectId == null);
        if (beforeId is long before)
        {
            query = query.Where(p => p.Id < before);
        }
        var posts = await query.OrderByDescending(p => p.Id).Take(Math.Clamp(limit, 1, MaxPageSize)).ToListAsync(cancellationToken);
        return posts.ConvertAll(p => ToView(p, p.Author));
    }

    /// <summary>Reads one user's posts, newest first.</summary>
    public async Task<IReadOnlyList<PostView>> GetPostsByAsync(string username, int limit = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var posts = await db.Posts.Include(p => p.Author).AsNoTracking()
            .Where(p => p.Author.Username == username && p.Audience == null)
            // By date, not id: imported posts get new ids but keep the day they were written.
            .OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Take(Math.Clamp(limit, 1, MaxPageSize))
            .ToListAsync(cancellationToken);
        return posts.ConvertAll(p => ToView(p, p.Author));
    }

    /// <summary>Reads one public post by id, or <c>null</c> (also for a direct message: it is not public).</summary>
    public async Task<PostView?> GetPostAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var post = await db.Posts.Include(p => p.Author).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && p.Audience == null, cancellationToken);
        return post is null ? null : ToView(post, post.Author);
    }

    /// <summary>Counts the public posts written on this server: what the local timeline serves (imported posts were written elsewhere).</summary>
    public async Task<int> CountLocalPostsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Posts.CountAsync(p => p.Audience == null && p.OriginalObjectId == null, cancellationToken);
    }

    /// <summary>
    /// Reads a user's signed Create activities of public posts for their outbox, newest first, at most
    /// <paramref name="limit"/>, older than <paramref name="beforeId"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<(long Id, string ActivityJson)>> GetOutboxPageAsync(string username, int limit, long? beforeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Imported posts are Creates by the old account: not this actor's activities, so not in its outbox.
        var query = db.Posts.AsNoTracking().Where(p => p.Author.Username == username && p.ActivityJson != null && p.Audience == null && p.OriginalObjectId == null);
        if (beforeId is long before)
        {
            query = query.Where(p => p.Id < before);
        }
        var page = await query.OrderByDescending(p => p.Id).Take(Math.Clamp(limit, 1, MaxPageSize))
            .Select(p => new { p.Id, p.ActivityJson }).ToListAsync(cancellationToken);
        return page.ConvertAll(p => (p.Id, p.ActivityJson!));
    }

    /// <summary>Counts what a user's outbox serves (<see cref="GetOutboxPageAsync"/>): their public posts written here, not imported ones.</summary>
    public async Task<int> CountOutboxAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Posts.CountAsync(p => p.Author.Username == username && p.ActivityJson != null && p.Audience == null && p.OriginalObjectId == null, cancellationToken);
    }

    /// <summary>Reads the direct messages written here that <paramref name="viewer"/> sent or was sent, newest first.</summary>
    public async Task<IReadOnlyList<PostView>> GetDirectMessagesAsync(string viewer, int limit = 50, CancellationToken cancellationToken = default)
    {
        var me = urls.ActorId(viewer);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Audience is a space-separated list: pad it so "…/users/al" never matches "…/users/alice".
        var posts = await db.Posts.Include(p => p.Author).AsNoTracking()
            .Where(p => p.Audience != null && (p.Author.Username == viewer || (" " + p.Audience + " ").Contains(" " + me + " ")))
            .OrderByDescending(p => p.Id)
            .Take(Math.Clamp(limit, 1, MaxPageSize))
            .ToListAsync(cancellationToken);
        return posts.ConvertAll(p => ToView(p, p.Author));
    }

    /// <summary>
    /// Finds a post by its Note id, written here or received, if <paramref name="viewerActorId"/> may see it
    /// (<c>null</c>: an anonymous visitor, who sees public posts only).
    /// </summary>
    public async Task<PostView?> FindByNoteIdAsync(string noteId, string? viewerActorId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        PostView? found = null;
        if (urls.TryParseNoteId(noteId, out var username, out var postId))
        {
            var post = await db.Posts.Include(p => p.Author).AsNoTracking().FirstOrDefaultAsync(p => p.Id == postId && p.Author.Username == username, cancellationToken);
            found = post is null ? null : ToView(post, post.Author);
        }
        // A copy received from the author's own server comes before an imported copy: an archive only
        // brings history along, it never gets to replace what the real author's server says.
        else if (await db.RemotePosts.AsNoTracking().FirstOrDefaultAsync(p => p.ObjectId == noteId, cancellationToken) is { } remote)
        {
            var author = await db.RemoteActors.AsNoTracking().FirstOrDefaultAsync(a => a.ActorId == remote.ActorId, cancellationToken);
            var received = await PostVerification.LoadAsync(db, [remote], cancellationToken);
            found = ActivityHandlers.ToView(remote, author, received.GetValueOrDefault(remote.ActivityId));
        }
        else if (await db.Posts.Include(p => p.Author).AsNoTracking().FirstOrDefaultAsync(p => p.OriginalObjectId == noteId, cancellationToken) is { } imported)
        {
            found = ToView(imported, imported.Author); // imported from an archive: it keeps its old server's id
        }
        return found is not null && found.IsVisibleTo(viewerActorId) ? found : null;
    }

    /// <summary>Reads the answers to a Note, here and received, that <paramref name="viewerActorId"/> may see, oldest first.</summary>
    public async Task<IReadOnlyList<PostView>> GetRepliesAsync(string noteId, string? viewerActorId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // In order of arrival, so replies with the same time stay in the order they came (the sort below is stable).
        var local = await db.Posts.Include(p => p.Author).AsNoTracking().Where(p => p.InReplyTo == noteId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var remote = await db.RemotePosts.AsNoTracking().Where(p => p.InReplyTo == noteId).OrderBy(p => p.Id).ToListAsync(cancellationToken);
        var actorIds = remote.Select(p => p.ActorId).Distinct().ToList();
        var actors = await db.RemoteActors.AsNoTracking().Where(a => actorIds.Contains(a.ActorId)).ToDictionaryAsync(a => a.ActorId, cancellationToken);
        var received = await PostVerification.LoadAsync(db, remote, cancellationToken);
        return [.. local.Select(p => ToView(p, p.Author))
            .Concat(remote.Select(p => ActivityHandlers.ToView(p, actors.GetValueOrDefault(p.ActorId), received.GetValueOrDefault(p.ActivityId))))
            .Where(p => p.IsVisibleTo(viewerActorId))
            .OrderBy(p => p.CreatedAt)];
    }

    /// <summary>A local post as pages show it; <see cref="ReplyNotices"/> uses it too.</summary>
    internal PostView ToView(Post post, UserAccount author) => new(
        post.Id,
        author.Username,
        author.DisplayName,
        instance.HandleOf(author.Username),
        post.Content,
        post.CreatedAt,
        AuthorActorId: urls.ActorId(author.Username),
        ObjectId: post.OriginalObjectId ?? urls.NoteId(author.Username, post.Id),
        Audience: post.Audience?.Split(' '),
        InReplyTo: post.InReplyTo,
        EditedAt: post.EditedAt)
    {
        ImportedFrom = post.OriginalObjectId,
    };
}
