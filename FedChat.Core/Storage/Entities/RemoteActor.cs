namespace FedChat.Core.Storage.Entities;

/// <summary>
/// What we know about an actor on another server, from their actor document: enough to show them
/// and to deliver to them. Refreshed when fetched again.
/// </summary>
public class RemoteActor
{
    /// <summary>Gets or sets the database key.</summary>
    public int Id { get; set; }

    /// <summary>Gets or sets the actor id (a URL), e.g. <c>http://192.168.1.24:5080/users/bob</c>.</summary>
    public string ActorId { get; set; } = "";

    /// <summary>Gets or sets the handle without the leading @, e.g. <c>bob@192.168.1.24:5080</c>.</summary>
    public string Handle { get; set; } = "";

    /// <summary>Gets or sets the display name.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Gets or sets the bio as plain text.</summary>
    public string Summary { get; set; } = "";

    /// <summary>Gets or sets the actor's inbox.</summary>
    public string Inbox { get; set; } = "";

    /// <summary>Gets or sets the server's shared inbox, when it offers one (one delivery for all its users).</summary>
    public string? SharedInbox { get; set; }

    /// <summary>Gets or sets when the actor document was last fetched (UTC).</summary>
    public DateTimeOffset FetchedAt { get; set; }
}
