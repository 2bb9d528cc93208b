namespace FedChat.Core.Storage.Entities;

/// <summary>A short message written by a local user: public, or direct to the people it mentions.</summary>
public class Post
{
    /// <summary>The longest post allowed, in characters.</summary>
    public const int MaxLength = 500;

    /// <summary>Gets or sets the database key; it also orders posts written on this server.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the author's account id.</summary>
    public int AuthorId { get; set; }

    /// <summary>Gets or sets the author.</summary>
    public UserAccount Author { get; set; } = null!;

    /// <summary>Gets or sets the plain text of the post (never HTML).</summary>
    public string Content { get; set; } = "";

    /// <summary>Gets or sets when the post was written (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// Gets or sets the signed ActivityPub <c>Create</c> activity for this post, exactly as published
    /// (with the author's proof), so the outbox and every delivery send the same verifiable JSON.
    /// </summary>
    public string? ActivityJson { get; set; }

    /// <summary>
    /// Gets or sets who may see a direct message: their actor ids, separated by spaces. <c>null</c> for a
    /// public post. A direct message never appears in timelines, the outbox or the API for anyone else.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>Gets or sets the id of the Note this post answers, when it is a reply.</summary>
    public string? InReplyTo { get; set; }

    /// <summary>
    /// Gets or sets, for a post imported from an account archive, the Note id it was first published
    /// under on the old server; <c>null</c> for a post written here. Imported posts keep that id and
    /// their original signed <see cref="ActivityJson"/>, because changing either would break the author's proof.
    /// </summary>
    public string? OriginalObjectId { get; set; }

    /// <summary>Gets or sets when the author last edited the post, or <c>null</c> if never.</summary>
    public DateTimeOffset? EditedAt { get; set; }
}
