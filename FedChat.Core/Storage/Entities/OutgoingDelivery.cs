namespace FedChat.Core.Storage.Entities;

/// <summary>Where an outgoing delivery stands.</summary>
public enum DeliveryStatus
{
    /// <summary>Not delivered yet: waiting for its first try, or for a retry after a failure.</summary>
    Pending,

    /// <summary>The receiving inbox answered with a 2xx status.</summary>
    Delivered,

    /// <summary>The inbox refused it for good (for example 410 Gone), or it kept failing past the give-up horizon.</summary>
    GaveUp,
}

/// <summary>
/// One activity on its way to one inbox: a row of the delivery queue (table <c>Deliveries</c>).
/// The row is written before anything is sent and is marked <see cref="DeliveryStatus.Delivered"/>
/// only after the receiver said 2xx, so a crash at any moment loses nothing; at worst an activity
/// is sent twice, and receivers drop the copy by its activity id.
/// </summary>
/// <remarks>
/// Named <c>OutgoingDelivery</c> rather than <c>Delivery</c> because the code that uses it lives in
/// the namespace <c>FedChat.Core.Federation.Delivery</c>, and C# cannot tell a type and an enclosing
/// namespace of the same name apart.
/// </remarks>
public class OutgoingDelivery
{
    /// <summary>Gets or sets the database key; it also orders deliveries enqueued at the same moment.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the activity's <c>id</c>, the URL receivers use to drop duplicates.</summary>
    public string ActivityId { get; set; } = "";

    /// <summary>Gets or sets the inbox URL the activity is POSTed to (a shared inbox where the receiver offers one).</summary>
    public string InboxUrl { get; set; } = "";

    /// <summary>
    /// Gets or sets the inbox's <c>host:port</c>. The worker limits how many requests run at once per
    /// destination, so one slow server cannot take every slot.
    /// </summary>
    public string Destination { get; set; } = "";

    /// <summary>Gets or sets the activity JSON, sent as its UTF-8 bytes exactly as stored.</summary>
    public string Body { get; set; } = "";

    /// <summary>Gets or sets the local user whose key signs the request, or <see langword="null"/> for the instance actor.</summary>
    public int? SignerUserId { get; set; }

    /// <summary>Gets or sets where the delivery stands.</summary>
    public DeliveryStatus Status { get; set; }

    /// <summary>Gets or sets how many tries have been started (a try cut short by a crash counts too).</summary>
    public int Attempts { get; set; }

    /// <summary>Gets or sets when the delivery was enqueued (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Gets or sets the earliest time of the next try (UTC).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }

    /// <summary>
    /// Gets or sets until when a worker holds this delivery while sending it (UTC), or
    /// <see langword="null"/> when nobody does. Other workers leave it alone until then; a lease left
    /// behind by a crashed server simply expires, and the delivery is tried again.
    /// </summary>
    public DateTimeOffset? LeasedUntil { get; set; }

    /// <summary>Gets or sets when retrying stops and the delivery is marked <see cref="DeliveryStatus.GaveUp"/> (UTC).</summary>
    public DateTimeOffset GiveUpAt { get; set; }

    /// <summary>Gets or sets why the last try failed, in words, or <see langword="null"/>.</summary>
    public string? LastError { get; set; }

    /// <summary>Gets or sets when the receiver accepted it (UTC), or <see langword="null"/> while it has not.</summary>
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>Gets or sets, for a relayed activity, the servers that carried it so far (header <c>FedChat-Relay-Path</c>).</summary>
    public string? RelayPath { get; set; }

    /// <summary>Gets or sets, for a relayed activity, the servers already sent it (header <c>FedChat-Relay-Covered</c>).</summary>
    public string? RelayCovered { get; set; }
}
