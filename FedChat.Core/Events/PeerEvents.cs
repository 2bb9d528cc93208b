using FedChat.Core.Discovery;

namespace FedChat.Core.Events;

/// <summary>A FedChat server appeared on the network (or came back after being gone).</summary>
public sealed record PeerDiscovered(DateTimeOffset At, PeerInfo Peer) : FedChatEvent(At);

/// <summary>A known peer changed: its name, version or user count, or it became unreachable.</summary>
public sealed record PeerUpdated(DateTimeOffset At, PeerInfo Peer) : FedChatEvent(At);

/// <summary>A peer left: it said goodbye, its records expired, or it stopped answering.</summary>
/// <param name="At">When it was noticed.</param>
/// <param name="Peer">The peer, with its new status.</param>
/// <param name="Reason">Why, in words: "goodbye", "records expired", ...</param>
public sealed record PeerGone(DateTimeOffset At, PeerInfo Peer, string Reason) : FedChatEvent(At);
