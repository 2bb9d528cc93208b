namespace FedChat.Core.Posts;

/// <summary>
/// Where a post comes from and how we know who wrote it, in words for its badge: written here,
/// imported with an account (written and signed elsewhere, proof checked at import), or received from
/// another server (author proof verified, or only the request signed).
/// </summary>
public static class PostProvenance
{
    /// <summary>One word for tests and styles: <c>local</c>, <c>imported</c>, <c>verified</c>, <c>transport</c> or <c>unknown</c>.</summary>
    /// <param name="post">The post.</param>
    /// <returns>The verdict.</returns>
    public static string VerdictOf(PostView post)
    {
        ArgumentNullException.ThrowIfNull(post);
        return post switch
        {
            { ImportedFrom: not null } => "imported",
            { IsRemote: false } => "local",
            { Verification.ProofVerified: true } => "verified",
            { Verification: not null } => "transport",
            _ => "unknown",
        };
    }

    /// <summary>The badge's short words, e.g. "author proof verified".</summary>
    /// <param name="post">The post.</param>
    /// <returns>A few words.</returns>
    public static string WordsFor(PostView post) => VerdictOf(post) switch
    {
        "local" => "signed by the author (this server)",
        "imported" => $"imported from {HostOf(post.ImportedFrom!)}, proof checked on import",
        "verified" => "author proof verified",
        "transport" => "transport-signed only, no author proof",
        _ => "verification not recorded",
    };

    /// <summary>The sentence under the badge when there is no received-activity record to list; <see langword="null"/> when there is one.</summary>
    /// <param name="post">The post.</param>
    /// <returns>A sentence, or <see langword="null"/>.</returns>
    public static string? ExplanationFor(PostView post) => VerdictOf(post) switch
    {
        "local" => "Written on this server: its author's keys sign the requests that send it and the proof on the activity.",
        "imported" => $"Written on {HostOf(post.ImportedFrom!)} and signed there by the author's old account ({post.ImportedFrom}). "
            + "It came here in an account archive; its author's proof was checked when the archive was imported.",
        "unknown" => "This server has no record of how this post was verified.",
        _ => null,
    };

    // People know servers by host:port, as in handles.
    private static string HostOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Authority : url;
}
