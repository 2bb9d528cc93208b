namespace FedChat.Core.Events;

/// <summary>This server tried to deliver an activity to another server (one try; a failed one is retried later).</summary>
/// <param name="At">When the try ended.</param>
/// <param name="ActivityId">The activity sent.</param>
/// <param name="Destination">The receiving server's base URL, <c>http://host:port</c>.</param>
/// <param name="Succeeded">Whether the receiver answered 2xx.</param>
/// <param name="Reason">Why it failed (or the receiver's answer), when there is something to say.</param>
/// <param name="Relayed">
/// Whether it was a relayed copy: someone else's public activity passed on by this server (signed by
/// the instance actor, accepted by the receiver only on its author's proof). The map can show which
/// peers were sent relayed copies and which refused them.
/// </param>
/// <param name="Refused">
/// Whether the receiver answered and said no for good (a 4xx such as 401: it will not be sent again),
/// rather than not answering or being busy (tried again later).
/// </param>
public sealed record DeliveryAttempted(DateTimeOffset At, string ActivityId, string Destination, bool Succeeded, string? Reason, bool Relayed = false, bool Refused = false) : FedChatEvent(At);
