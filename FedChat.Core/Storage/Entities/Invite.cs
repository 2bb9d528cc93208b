namespace FedChat.Core.Storage.Entities;

/// <summary>An invite link the admin made: usable <see cref="MaxUses"/> times until it expires.</summary>
public class Invite
{
    /// <summary>Gets or sets the database key.</summary>
    public int Id { get; set; }

    /// <summary>Gets or sets the secret code in the link, e.g. <c>/register?invite=CODE</c>.</summary>
    public string Code { get; set; } = "";

    /// <summary>Gets or sets how many accounts may be created with this invite.</summary>
    public int MaxUses { get; set; } = 1;

    /// <summary>Gets or sets how many accounts have been created with it so far.</summary>
    public int Uses { get; set; }

    /// <summary>Gets or sets when the invite stops working (UTC).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>Gets or sets when the invite was made (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets the admin who made it.</summary>
    public int CreatedById { get; set; }
}
