namespace FedChat.Core.Storage.Entities;

/// <summary>A post written on another server that reached us: public (federated timeline) or a direct message to one of our users.</summary>
public class RemotePost
{
    /// <summary>The longest text kept of a post from another server; longer posts are cut and end with "…".</summary>
    public const int MaxContentLength = 5000;

    /// <summary>Gets or sets the database key; it also orders posts as they arrived.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the Note's id (a URL on the author's server); unique.</summary>
    public string ObjectId { get; set; } = "";

    /// <summary>Gets or sets the author's actor id.</summary>
    public string ActorId { get; set; } = "";

    /// <summary>Gets or sets the text, converted from the Note's HTML to plain text.</summary>
    public string Content { get; set; } = "";

    /// <summary>Gets or sets when the author published it (UTC).</summary>
    public DateTimeOffset PublishedAt { get; set; }

    /// <summary>Gets or sets the activity that brought it (see <see cref="ReceivedActivity"/>: how it was verified).</summary>
    public string ActivityId { get; set; } = "";

    /// <summary>
    /// Gets or sets, for a direct message, the ids of <em>our</em> users it was addressed to, separated by
    /// spaces; only they see it. <c>null</c> for a public post.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>Gets or sets the id of the Note this post answers, when it is a reply.</summary>
    public string? InReplyTo { get; set; }

    /// <summary>Gets or sets when the author last edited it (from the <c>Update</c>), or <c>null</c>.</summary>
    public DateTimeOffset? EditedAt { get; set; }
}
