using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Federation;
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

    /// <summary>Stores a new post by <paramref name="authorId"/> and tells every open timeline.</summary>
    public async Task<CreatePostResult> CreatePostAsync(int authorId, string? content, CancellationToken cancellationToken = default)
    {
        var error = Validate(content);
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

        var post = new Post { AuthorId = authorId, Content = content!.Trim(), CreatedAt = time.GetUtcNow() };
        db.Posts.Add(post);
        await db.SaveChangesAsync(cancellationToken);

        // The activity's ids contain the post's id, so it is built once the post has one. It is
        // stored as signed, so every later copy (outbox, deliveries) carries the same proof.
        var authorKeys = await keys.GetUserKeysAsync(authorId, cancellationToken);
        post.ActivityJson = NoteActivities.ToSignedCreateActivity(author.Username, post.Id, post.Content, post.CreatedAt, authorKeys, urls).ToJsonString();
        await db.SaveChangesAsync(cancellationToken);

        var view = ToView(post, author);
        logger.LogInformation("Post {PostId} by {Handle} stored", post.Id, view.AuthorHandle);
        events.Publish(new PostCreated(post.CreatedAt, view));
        await publisher.PublishAsync(authorId, author.Username, urls.CreateActivityId(author.Username, post.Id), post.ActivityJson, cancellationToken);
        return new CreatePostResult(view, null);
    }

    /// <summary>
    /// Deletes one of the author's own posts, here and on their followers' servers: a signed
    /// <c>Delete</c> with a <c>Tombstone</c> goes to every follower's server. Returns false when the
    /// post does not exist or is not theirs.
    /// </summary>
    public async Task<bool> DeletePostAsync(int authorId, long postId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var post = await db.Posts.Include(p => p.Author).FirstOrDefaultAsync(p => p.Id == postId && p.AuthorId == authorId, cancellationToken);
        if (post is null)
        {
            return false;
        }
        db.Posts.Remove(post);
        await db.SaveChangesAsync(cancellationToken);

        var username = post.Author.Username;
        var noteId = urls.NoteId(username, post.Id);
        var keyPair = await keys.GetUserKeysAsync(authorId, cancellationToken);
        var delete = NoteActivities.ToSignedDeleteActivity(username, noteId, time.GetUtcNow(), keyPair, urls);
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
        var query = db.Posts.Include(p => p.Author).AsNoTracking();
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
            .Where(p => p.Author.Username == username)
            .OrderByDescending(p => p.Id)
            .Take(Math.Clamp(limit, 1, MaxPageSize))
            .ToListAsync(cancellationToken);
        return posts.ConvertAll(p => ToView(p, p.Author));
    }

    /// <summary>Reads one post by id, or <c>null</c>.</summary>
    public async Task<PostView?> GetPostAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var post = await db.Posts.Include(p => p.Author).AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken);
        return post is null ? null : ToView(post, post.Author);
    }

    /// <summary>Counts the posts written on this server.</summary>
    public async Task<int> CountLocalPostsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Posts.CountAsync(cancellationToken);
    }

    /// <summary>
    /// Reads a user's signed Create activities for their outbox, newest first, at most
    /// <paramref name="limit"/>, older than <paramref name="beforeId"/> when given.
    /// </summary>
    public async Task<IReadOnlyList<(long Id, string ActivityJson)>> GetOutboxPageAsync(string username, int limit, long? beforeId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Posts.AsNoTracking().Where(p => p.Author.Username == username && p.ActivityJson != null);
        if (beforeId is long before)
        {
            query = query.Where(p => p.Id < before);
        }
        var page = await query.OrderByDescending(p => p.Id).Take(Math.Clamp(limit, 1, MaxPageSize))
            .Select(p => new { p.Id, p.ActivityJson }).ToListAsync(cancellationToken);
        return page.ConvertAll(p => (p.Id, p.ActivityJson!));
    }

    /// <summary>Counts a user's posts.</summary>
    public async Task<int> CountPostsByAsync(string username, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Posts.CountAsync(p => p.Author.Username == username, cancellationToken);
    }

    private PostView ToView(Post post, UserAccount author) => new(
        post.Id,
        author.Username,
        author.DisplayName,
        instance.HandleOf(author.Username),
        post.Content,
        post.CreatedAt,
        AuthorActorId: urls.ActorId(author.Username),
        ObjectId: urls.NoteId(author.Username, post.Id));
}
