namespace FedChat.Core.Storage.Entities;

/// <summary>A person with an account on this server.</summary>
public class UserAccount
{
    /// <summary>Gets or sets the database key.</summary>
    public int Id { get; set; }

    /// <summary>Gets or sets the unique, lower-case username (see <see cref="Identity.Username"/>).</summary>
    public string Username { get; set; } = "";

    /// <summary>Gets or sets the name shown above posts; may contain spaces and any letters.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Gets or sets the short bio shown on the profile page.</summary>
    public string Bio { get; set; } = "";

    /// <summary>
    /// Gets or sets the password hash made by ASP.NET Core's <c>PasswordHasher</c> (PBKDF2 with a
    /// per-user salt). The password itself is never stored.
    /// </summary>
    public string PasswordHash { get; set; } = "";

    /// <summary>Gets or sets whether this user administers the server (the first user does).</summary>
    public bool IsAdmin { get; set; }

    /// <summary>
    /// Gets or sets whether this user approves new followers by hand. Off by default: follows are
    /// accepted automatically, as most of the fediverse does.
    /// </summary>
    public bool ManuallyApprovesFollowers { get; set; }

    /// <summary>
    /// Gets or sets the other actor ids this person also uses, separated by spaces (ActivityPub
    /// <c>alsoKnownAs</c>), or <c>null</c>. A server receiving a Move to this account checks the old
    /// account is listed here, so nobody can "move" someone else's followers to themselves.
    /// </summary>
    public string? AlsoKnownAs { get; set; }

    /// <summary>Gets or sets the actor id this account moved to (<c>movedTo</c>), or <c>null</c> while it has not moved.</summary>
    public string? MovedTo { get; set; }

    /// <summary>Gets or sets when the account was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
