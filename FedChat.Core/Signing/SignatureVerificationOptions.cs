namespace FedChat.Core.Signing;

/// <summary>Settings for <see cref="HttpSignatureVerifier"/>.</summary>
public sealed class SignatureVerificationOptions
{
    /// <summary>
    /// Gets or sets how far in the future a <c>Date</c> header or <c>created</c> parameter may be
    /// (the senders' clocks are not exactly ours), and how long after <c>expires</c> a signature is
    /// still accepted for the same reason.
    /// </summary>
    /// <value>The default is 1 hour, Mastodon's <c>CLOCK_SKEW_MARGIN</c>.</value>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how old a <c>Date</c> header or <c>created</c> parameter may be. A short window
    /// limits how long a captured request can be replayed.
    /// </summary>
    /// <value>
    /// The default is 65 minutes, which is what Mastodon accepts: a signature without <c>expires</c>
    /// is valid for 5 minutes, plus 1 hour of clock skew.
    /// </value>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(65);

    /// <summary>
    /// Gets or sets whether a request with a body must carry a covered <c>Digest</c> or
    /// <c>Content-Digest</c> header. Turning this off makes the body forgeable; it exists for the forge lab.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RequireDigest { get; set; } = true;

    /// <summary>
    /// Gets or sets whether the signature must cover the method, path, host and a time (see
    /// <see cref="HttpSignatureVerifier"/>). Turning this off accepts signatures over, for example, the
    /// date alone, which anyone can replay to another URL; it exists for tests and the forge lab.
    /// </summary>
    /// <value>The default is <see langword="true"/>.</value>
    public bool RequireCoveredComponents { get; set; } = true;
}
