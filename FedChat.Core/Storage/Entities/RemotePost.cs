namespace FedChat.Core.Storage.Entities;

/// <summary>A public post written on another server that reached us (it shows in the federated timeline).</summary>
public class RemotePost
{
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
}
