namespace FedChat.Core.Dashboard;

/// <summary>What kind of thing a <see cref="FederationLogEntry"/> records.</summary>
public enum FederationLogKind
{
    /// <summary>Another server delivered an activity and it passed every check.</summary>
    ActivityAccepted,

    /// <summary>Something arrived at an inbox and was refused.</summary>
    ActivityRejected,

    /// <summary>A server appeared on the network, or came back.</summary>
    PeerJoined,

    /// <summary>A server said goodbye, expired, or stopped answering.</summary>
    PeerLeft,

    /// <summary>This server delivered an activity to another one.</summary>
    ActivitySent,

    /// <summary>This server tried to deliver an activity and failed (it tries again later, or gave up).</summary>
    DeliveryFailed,
}

/// <summary>How an incoming activity fared. The map and the "what happened" panel give each its own icon, not only a colour.</summary>
public enum ActivityVerdict
{
    /// <summary>Accepted, and the author's own integrity proof verified: shown as ✓.</summary>
    ProofVerified,

    /// <summary>Accepted on the HTTP signature of the sending server alone, without the author's proof: shown as ~.</summary>
    TransportSigned,

    /// <summary>Refused: shown as ✗.</summary>
    Rejected,
}

/// <summary>One line of the federation log: something that happened, for people to read.</summary>
/// <param name="Sequence">A number that grows with every entry; unique, so pages can key on it.</param>
/// <param name="At">When it happened.</param>
/// <param name="Kind">What kind of thing happened.</param>
/// <param name="PeerKey">The server it concerns as <see cref="Discovery.PeerDirectory.KeyOf"/> gives it (<c>http://host:port</c>), or <see langword="null"/> when unknown.</param>
/// <param name="Summary">One short line, e.g. "Create from http://192.168.1.40:5080/users/bob".</param>
/// <param name="Detail">More: who signed it, or why it was refused.</param>
/// <param name="Verdict">For received activities, how they fared; <see langword="null"/> for peers coming and going and for what we sent.</param>
/// <param name="RelayPath">For a relayed activity, the servers it came through, origin first (<c>http://host:port</c> each); empty otherwise.</param>
public sealed record FederationLogEntry(
    long Sequence,
    DateTimeOffset At,
    FederationLogKind Kind,
    string? PeerKey,
    string Summary,
    string? Detail,
    ActivityVerdict? Verdict,
    IReadOnlyList<string>? RelayPath = null);

/// <summary>How many activities one server has sent us since this server started, by verdict.</summary>
/// <param name="PeerKey">The sending server, <c>http://host:port</c>.</param>
/// <param name="Verified">Accepted with the author's proof.</param>
/// <param name="TransportSigned">Accepted on the HTTP signature alone.</param>
/// <param name="Rejected">Refused.</param>
/// <param name="LastVerdict">How the newest one fared.</param>
/// <param name="LastAt">When the newest one arrived.</param>
public sealed record PeerTraffic(string PeerKey, int Verified, int TransportSigned, int Rejected, ActivityVerdict LastVerdict, DateTimeOffset LastAt)
{
    /// <summary>Gets the number of activities from this server, whatever their verdict.</summary>
    public int Total => Verified + TransportSigned + Rejected;
}

/// <summary>The dashboard's live numbers at one moment.</summary>
/// <param name="Accepted">Activities accepted since this server started.</param>
/// <param name="Rejected">Activities refused since this server started (forgeries, bad signatures, malformed JSON).</param>
/// <param name="PostsCreated">Posts written on this server since it started.</param>
/// <param name="ActivitiesPerMinute">Activities that arrived (accepted or refused) in the last minute.</param>
public sealed record FederationCounters(long Accepted, long Rejected, long PostsCreated, int ActivitiesPerMinute);

/// <summary>
/// What happened to the relayed copies this server passed on to one server: someone else's public
/// activity, signed by our instance actor, that the receiver may accept only on its author's proof.
/// </summary>
/// <param name="PeerKey">The receiving server, <c>http://host:port</c>.</param>
/// <param name="Accepted">Copies it accepted (2xx).</param>
/// <param name="Refused">Copies it refused for good (4xx, e.g. 401 when it could not check the author's proof).</param>
/// <param name="LastReason">What it answered the last time it refused one, or <see langword="null"/>.</param>
/// <param name="LastAt">When we last sent it a relayed copy.</param>
public sealed record RelayedCopies(string PeerKey, int Accepted, int Refused, string? LastReason, DateTimeOffset LastAt);
