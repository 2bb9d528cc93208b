using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Core.Posts;

/// <summary>
/// How a post from another server was verified when it arrived, for its badge: read from the
/// <see cref="ReceivedActivity"/> that brought it.
/// </summary>
/// <param name="ProofVerified">Whether the author's own proof (FEP-8b32) verified; otherwise only the HTTP request was signed.</param>
/// <param name="ProofStatus">The proof check's result in one word: Verified, Missing, Unsupported (a cryptosuite FedChat does not know) or Invalid.</param>
/// <param name="KeyId">The key id that signed the HTTP request.</param>
/// <param name="SignatureScheme">The HTTP signature scheme, e.g. <c>draft-cavage-http-signatures-12</c>.</param>
/// <param name="TransportSigner">Who signed the HTTP request: the author, or a server relaying for them.</param>
/// <param name="ProofMethod">The proof's verification method (the author's key), when there was a proof.</param>
/// <param name="ProofFailureReason">Why the proof did not verify, when it did not.</param>
/// <param name="RelayPath">The servers a relayed post came through, origin first (base URLs); empty when it came straight from the author's server.</param>
public sealed record PostVerification(
    bool ProofVerified,
    string ProofStatus,
    string KeyId,
    string SignatureScheme,
    string TransportSigner,
    string? ProofMethod,
    string? ProofFailureReason,
    IReadOnlyList<string> RelayPath)
{
    /// <summary>Reads the verification record of a received activity.</summary>
    /// <param name="received">The stored activity.</param>
    /// <returns>The post's verification.</returns>
    public static PostVerification From(ReceivedActivity received)
    {
        ArgumentNullException.ThrowIfNull(received);
        // The author's server starts every public delivery's path with itself, so a path of one
        // server means it came straight from there: not relayed.
        var path = received.RelayPath?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return new PostVerification(
            received.ProofStatus == "Verified",
            received.ProofStatus,
            received.TransportKeyId,
            received.SignatureScheme,
            received.TransportSigner,
            received.ProofMethod,
            received.ProofFailureReason,
            path.Length > 1 ? path : []);
    }

    /// <summary>
    /// Reads the verification records of received posts in one query (keyed by the activity that
    /// brought each post), so that every view of a post (timeline, thread, boost, search) can show its badge.
    /// </summary>
    /// <param name="db">An open database context.</param>
    /// <param name="posts">The received posts.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The stored activity for each post's activity id that has one.</returns>
    public static async Task<Dictionary<string, ReceivedActivity>> LoadAsync(FedChatDbContext db, IEnumerable<RemotePost> posts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var activityIds = posts.Select(p => p.ActivityId).Distinct().ToList();
        return await db.ReceivedActivities.AsNoTracking().Where(a => activityIds.Contains(a.ActivityId)).ToDictionaryAsync(a => a.ActivityId, cancellationToken);
    }
}
