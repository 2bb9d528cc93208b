namespace FedChat.Core.Storage.Entities;

/// <summary>A bearer token for the JSON API, as used by scripts and bots.</summary>
public class ApiToken
{
    /// <summary>Gets or sets the database key.</summary>
    public int Id { get; set; }

    /// <summary>
    /// Gets or sets the SHA-256 hash of the token (hex). Only the hash is stored, so a copy of the
    /// database does not let anyone post as the user.
    /// </summary>
    public string TokenHash { get; set; } = "";

    /// <summary>Gets or sets the user the token acts for.</summary>
    public int UserId { get; set; }

    /// <summary>Gets or sets the user the token acts for.</summary>
    public UserAccount User { get; set; } = null!;

    /// <summary>Gets or sets when the token was issued (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets when the token stops working (UTC).</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
