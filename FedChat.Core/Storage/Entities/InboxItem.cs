namespace FedChat.Core.Storage.Entities;

/// <summary>
/// A verified activity waiting to be acted on (a post stored, a follow answered, a relay sent). The
/// inbox writes it in the same transaction as its <see cref="ReceivedActivity"/>, answers 202, and the
/// inbox worker handles it and deletes the row. Rows still here at start-up were accepted before a
/// crash and are handled then: nothing acknowledged is lost.
/// </summary>
public class InboxItem
{
    /// <summary>Gets or sets the database key; the worker handles rows in this order.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the activity's id (a URL).</summary>
    public string ActivityId { get; set; } = "";

    /// <summary>Gets or sets the activity type, e.g. <c>Create</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>Gets or sets the actor the activity is from (already verified).</summary>
    public string ActorId { get; set; } = "";

    /// <summary>Gets or sets the whole activity JSON as received (the stored record may keep only a summary of a big one).</summary>
    public string Json { get; set; } = "";

    /// <summary>Gets or sets the <c>FedChat-Relay-Path</c> header it came with, if any.</summary>
    public string? RelayPath { get; set; }

    /// <summary>Gets or sets the <c>FedChat-Relay-Covered</c> header it came with, if any.</summary>
    public string? RelayCovered { get; set; }

    /// <summary>Gets or sets when it arrived (UTC).</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}
