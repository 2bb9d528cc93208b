namespace FedChat.Core.Posts;

/// <summary>A post as pages and the API show it: the text plus who wrote it and when.</summary>
/// <param name="Id">The post's id on this server.</param>
/// <param name="AuthorUsername">The author's username, e.g. <c>alice</c>.</param>
/// <param name="AuthorDisplayName">The author's display name.</param>
/// <param name="AuthorHandle">The author's full handle, e.g. <c>@alice@192.168.1.23:5080</c>.</param>
/// <param name="Content">The plain text of the post.</param>
/// <param name="CreatedAt">When it was written (UTC).</param>
/// <param name="IsRemote">Whether it was written on another server (its <paramref name="Id"/> is then a RemotePosts id).</param>
/// <param name="AuthorActorId">The author's actor id (a URL), for links and for home-timeline filtering.</param>
/// <param name="ObjectId">The Note's ActivityPub id, when known.</param>
/// <param name="Audience">For a direct message, the actor ids that may see it (besides the author); <c>null</c> when public.</param>
/// <param name="InReplyTo">The id of the Note this post answers, or <c>null</c>.</param>
/// <param name="EditedAt">When the author last edited it, or <c>null</c>.</param>
/// <param name="Verification">For posts from other servers, how they were verified when they arrived; null for local posts (and when unknown).</param>
public sealed record PostView(
    long Id,
    string AuthorUsername,
    string AuthorDisplayName,
    string AuthorHandle,
    string Content,
    DateTimeOffset CreatedAt,
    bool IsRemote = false,
    string? AuthorActorId = null,
    string? ObjectId = null,
    IReadOnlyList<string>? Audience = null,
    string? InReplyTo = null,
    DateTimeOffset? EditedAt = null,
    PostVerification? Verification = null)
{
    /// <summary>Gets how many likes of this post this server knows of (from here and from servers that told us).</summary>
    public int Likes { get; init; }

    /// <summary>Gets how many boosts (Announce) of this post this server knows of.</summary>
    public int Boosts { get; init; }

    /// <summary>Gets whether the signed-in viewer liked it (so the Like button shows pressed and means "undo").</summary>
    public bool LikedByViewer { get; init; }

    /// <summary>Gets whether the signed-in viewer boosted it.</summary>
    public bool BoostedByViewer { get; init; }

    /// <summary>Gets, when this entry is a boost in a home timeline, the display name of who boosted it.</summary>
    public string? BoostedBy { get; init; }

    /// <summary>Gets, when this entry is a boost, the actor id of who boosted it.</summary>
    public string? BoostedByActorId { get; init; }

    /// <summary>Gets, when this entry is a boost, when it was boosted.</summary>
    public DateTimeOffset? BoostedAt { get; init; }

    /// <summary>
    /// Gets, for a post imported with an account archive, its Note id on the server where it was first
    /// written and signed (its proof was checked at import); <see langword="null"/> otherwise.
    /// </summary>
    public string? ImportedFrom { get; init; }

    /// <summary>
    /// Gets a key unique across local and remote posts, for lists and de-duplication. A boost is its
    /// own entry: the same post can show once as written and once as boosted by someone.
    /// </summary>
    public string Key => (IsRemote ? $"r{Id}" : $"l{Id}") + (BoostedByActorId is null ? "" : " boosted by " + BoostedByActorId);

    /// <summary>Gets where the entry sorts in a timeline: a boost when it was boosted, a post when it was written.</summary>
    public DateTimeOffset ShownAt => BoostedAt ?? CreatedAt;

    /// <summary>Gets whether this is a direct message, seen only by its author and the people it names.</summary>
    public bool IsDirect => Audience is not null;

    /// <summary>Gets the link to the author's profile: ours for local users, the search page for remote ones.</summary>
    public string ProfileLink => IsRemote ? $"/search?q={Uri.EscapeDataString(AuthorHandle)}" : $"/users/{AuthorUsername}";

    /// <summary>Gets the link to the conversation this post belongs to.</summary>
    public string ThreadLink => $"/thread?id={Uri.EscapeDataString(ObjectId ?? "")}";

    /// <summary>Copies the like and boost counts (and the viewer's own) from <paramref name="other"/>, e.g. onto an edited copy.</summary>
    public PostView WithReactionsOf(PostView other) => this with
    {
        Likes = other.Likes,
        Boosts = other.Boosts,
        LikedByViewer = other.LikedByViewer,
        BoostedByViewer = other.BoostedByViewer,
    };

    /// <summary>Tells whether <paramref name="viewerActorId"/> (or an anonymous visitor, <c>null</c>) may see this post.</summary>
    public bool IsVisibleTo(string? viewerActorId) =>
        Audience is null || (viewerActorId is not null && (viewerActorId == AuthorActorId || Audience.Contains(viewerActorId)));
}
