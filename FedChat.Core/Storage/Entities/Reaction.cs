namespace FedChat.Core.Storage.Entities;

/// <summary>The two ways to react to a post that ActivityPub servers understand.</summary>
public enum ReactionKind
{
    /// <summary>A <c>Like</c>: "I like this". Only the count is shown.</summary>
    Like,

    /// <summary>An <c>Announce</c> (a boost): "my followers should see this"; it shows in their home timelines.</summary>
    Announce,
}

/// <summary>
/// One like or boost of a post, by a user here or on another server. The post can be ours or from
/// another server; it is named by its Note id, so the same table serves both.
/// </summary>
public class Reaction
{
    /// <summary>Gets or sets the database key.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets whether it is a Like or a boost (Announce).</summary>
    public ReactionKind Kind { get; set; }

    /// <summary>Gets or sets who reacted (an actor id, here or elsewhere).</summary>
    public string ActorId { get; set; } = "";

    /// <summary>Gets or sets the Note the reaction is about.</summary>
    public string ObjectId { get; set; } = "";

    /// <summary>Gets or sets the id of the Like or Announce activity, which an Undo refers to.</summary>
    public string ActivityId { get; set; } = "";

    /// <summary>Gets or sets when it happened (UTC); a boost is shown at this time in home timelines.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
