using FedChat.Core.Posts;

namespace FedChat.Core.Events;

/// <summary>Something that happened on this server that open pages may want to show at once.</summary>
public abstract record FedChatEvent(DateTimeOffset At);

/// <summary>A post was written on this server.</summary>
public sealed record PostCreated(DateTimeOffset At, PostView Post) : FedChatEvent(At);

/// <summary>A user changed their display name or bio.</summary>
public sealed record ProfileUpdated(DateTimeOffset At, string Username) : FedChatEvent(At);

/// <summary>Another server delivered an activity and it passed every check.</summary>
/// <param name="At">When it arrived.</param>
/// <param name="ActivityId">The activity's id.</param>
/// <param name="Type">The activity type, e.g. Create.</param>
/// <param name="ActorId">Who it is from.</param>
/// <param name="TransportSigner">Who signed the HTTP request (the actor, or a relaying server).</param>
/// <param name="ProofStatus">Whether the author's own proof verified: Verified, Missing or Invalid.</param>
/// <param name="RelayPath">For a relayed activity, the servers it came through, origin first (space-separated base URLs); null when it came directly.</param>
public sealed record ActivityAccepted(DateTimeOffset At, string ActivityId, string Type, string ActorId, string TransportSigner, string ProofStatus, string? RelayPath = null) : FedChatEvent(At);

/// <summary>Something arrived at an inbox and was refused; <paramref name="Reason"/> says why.</summary>
/// <param name="At">When it arrived.</param>
/// <param name="StatusCode">The HTTP status the sender got.</param>
/// <param name="Reason">Why it was refused, in words for people.</param>
/// <param name="ActorId">Who it claimed to be from, when that could be read.</param>
/// <param name="KeyId">The key that signed it, when there was one.</param>
public sealed record ActivityRejected(DateTimeOffset At, int StatusCode, string Reason, string? ActorId, string? KeyId) : FedChatEvent(At);

/// <summary>A post from another server arrived (it belongs in the federated timeline, and in home timelines of its author's followers).</summary>
/// <param name="At">When it arrived.</param>
/// <param name="Post">The post.</param>
public sealed record RemotePostReceived(DateTimeOffset At, PostView Post) : FedChatEvent(At);

/// <summary>A post was edited by its author (here or on another server); pages showing it replace it.</summary>
/// <param name="At">When.</param>
/// <param name="Post">The post with its new text.</param>
public sealed record PostUpdated(DateTimeOffset At, PostView Post) : FedChatEvent(At);

/// <summary>A post was deleted by its author; pages showing it remove it.</summary>
/// <param name="At">When.</param>
/// <param name="ObjectId">The deleted Note's id.</param>
public sealed record PostDeleted(DateTimeOffset At, string ObjectId) : FedChatEvent(At);

/// <summary>A follow changed: requested, accepted, or ended.</summary>
/// <param name="At">When.</param>
/// <param name="FollowerId">The follower's actor id.</param>
/// <param name="FolloweeId">The followed actor's id.</param>
/// <param name="State">"Pending", "Accepted" or "Ended".</param>
public sealed record FollowChanged(DateTimeOffset At, string FollowerId, string FolloweeId, string State) : FedChatEvent(At);

/// <summary>Someone liked or boosted a post, or took it back; pages showing the post update its counts.</summary>
/// <param name="At">When.</param>
/// <param name="ObjectId">The post's Note id.</param>
/// <param name="Kind">Like or boost (Announce).</param>
/// <param name="ActorId">Who reacted.</param>
/// <param name="Added">True for a new like or boost, false when it was taken back (Undo).</param>
/// <param name="Likes">The post's like count now.</param>
/// <param name="Boosts">The post's boost count now.</param>
public sealed record ReactionChanged(DateTimeOffset At, string ObjectId, Storage.Entities.ReactionKind Kind, string ActorId, bool Added, int Likes, int Boosts) : FedChatEvent(At);

/// <summary>Someone boosted a post: home timelines of their followers show it, "boosted by" them.</summary>
/// <param name="At">When.</param>
/// <param name="Post">The boosted post, with <see cref="PostView.BoostedBy"/> set.</param>
public sealed record PostBoosted(DateTimeOffset At, PostView Post) : FedChatEvent(At);

/// <summary>An account archive was imported into a local account.</summary>
/// <param name="At">When.</param>
/// <param name="Username">The local account that received it.</param>
/// <param name="OldActorId">The account the archive came from.</param>
/// <param name="Posts">How many posts were imported.</param>
public sealed record AccountImported(DateTimeOffset At, string Username, string OldActorId, int Posts) : FedChatEvent(At);

/// <summary>An account moved (<c>Move</c>): here, or on another server that told us.</summary>
/// <param name="At">When.</param>
/// <param name="OldActorId">The account that moved.</param>
/// <param name="NewActorId">Where it moved to.</param>
public sealed record AccountMoved(DateTimeOffset At, string OldActorId, string NewActorId) : FedChatEvent(At);

/// <summary>An account was deleted: here, or on another server that told us with <c>Delete</c>.</summary>
/// <param name="At">When.</param>
/// <param name="ActorId">The deleted actor.</param>
public sealed record AccountDeleted(DateTimeOffset At, string ActorId) : FedChatEvent(At);
