namespace FedChat.Core.Storage.Entities;

/// <summary>
/// What is left of a deleted account: its username and former id, nothing else. It lets the actor URL
/// answer 410 Gone, keeps the username from being taken again (other servers still remember the old
/// actor and its key), and lets the delivery worker sign the account's last activity, the <c>Delete</c>,
/// while it is retried: the account's key pair row is kept for that.
/// </summary>
public class DeletedAccount
{
    /// <summary>Gets or sets the database key.</summary>
    public int Id { get; set; }

    /// <summary>Gets or sets the id the user had (deliveries still name it as their signer).</summary>
    public int FormerUserId { get; set; }

    /// <summary>Gets or sets the username the account had.</summary>
    public string Username { get; set; } = "";

    /// <summary>Gets or sets when the account was deleted (UTC).</summary>
    public DateTimeOffset DeletedAt { get; set; }
}
