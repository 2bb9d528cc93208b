using FedChat.Core.Posts;

namespace FedChat.Core.Events;

/// <summary>Something that happened on this server that open pages may want to show at once.</summary>
public abstract record FedChatEvent(DateTimeOffset At);

/// <summary>A post was written on this server.</summary>
public sealed record PostCreated(DateTimeOffset At, PostView Post) : FedChatEvent(At);

/// <summary>A user changed their display name or bio.</summary>
public sealed record ProfileUpdated(DateTimeOffset At, string Username) : FedChatEvent(At);
