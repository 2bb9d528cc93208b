namespace FedChat.Core.Storage.Entities;

/// <summary>Whether a follow request has been answered.</summary>
public enum FollowState
{
    /// <summary>Sent, no Accept yet.</summary>
    Pending,

    /// <summary>Accepted: posts flow from the followed actor to the follower.</summary>
    Accepted,
}

/// <summary>
/// One actor following another. Either side can be local or remote: "alice (here) follows bob (there)"
/// and "bob (there) follows alice (here)" are both rows, told apart by which id is on this server.
/// </summary>
public class Follow
{
    /// <summary>Gets or sets the database key.</summary>
    public int Id { get; set; }

    /// <summary>Gets or sets the follower's actor id.</summary>
    public string FollowerId { get; set; } = "";

    /// <summary>Gets or sets the followed actor's id.</summary>
    public string FolloweeId { get; set; } = "";

    /// <summary>Gets or sets the id of the Follow activity, which Accept, Reject and Undo refer to.</summary>
    public string FollowActivityId { get; set; } = "";

    /// <summary>Gets or sets whether the follow was accepted.</summary>
    public FollowState State { get; set; }

    /// <summary>Gets or sets when the follow was requested (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
