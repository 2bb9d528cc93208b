namespace FedChat.Core.Storage.Entities;

/// <summary>
/// An activity another server delivered to one of our inboxes and that passed verification, with the
/// record of how it was verified: who signed the transport, with which scheme, and whether the
/// author's own proof checked out. The dashboard shows this as the post's verification badge.
/// </summary>
public class ReceivedActivity
{
    /// <summary>Gets or sets the database key.</summary>
    public long Id { get; set; }

    /// <summary>Gets or sets the activity's own id (a URL); unique, so a second delivery is a duplicate.</summary>
    public string ActivityId { get; set; } = "";

    /// <summary>Gets or sets the activity type, e.g. <c>Create</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>Gets or sets the actor the activity claims to be from.</summary>
    public string ActorId { get; set; } = "";

    /// <summary>Gets or sets the activity JSON exactly as received.</summary>
    public string Json { get; set; } = "";

    /// <summary>Gets or sets the key id that signed the HTTP request (the transport).</summary>
    public string TransportKeyId { get; set; } = "";

    /// <summary>Gets or sets the owner of that key: the actor, or a server relaying for them.</summary>
    public string TransportSigner { get; set; } = "";

    /// <summary>Gets or sets the HTTP signature scheme: <c>draft-cavage-http-signatures-12</c> or <c>RFC 9421</c>.</summary>
    public string SignatureScheme { get; set; } = "";

    /// <summary>Gets or sets the result of checking the author's object proof: Verified, Missing or Invalid.</summary>
    public string ProofStatus { get; set; } = "";

    /// <summary>Gets or sets the verification method of the proof, when there is one.</summary>
    public string? ProofMethod { get; set; }

    /// <summary>Gets or sets why the proof did not verify, when it did not.</summary>
    public string? ProofFailureReason { get; set; }

    /// <summary>Gets or sets the servers a relayed activity came through, origin first (space-separated base URLs); just the author's server when a FedChat server sent it directly, null when the sender sent no relay headers.</summary>
    public string? RelayPath { get; set; }

    /// <summary>Gets or sets when it arrived (UTC).</summary>
    public DateTimeOffset ReceivedAt { get; set; }
}
