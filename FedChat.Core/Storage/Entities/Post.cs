namespace FedChat.Core.Storage.Entities;

/// <summary>A short public message written by a local user.</summary>
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
}
