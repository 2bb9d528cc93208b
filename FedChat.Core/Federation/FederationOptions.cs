namespace FedChat.Core.Federation;

/// <summary>How this server talks to other servers. Configuration section <c>FedChat:Federation</c>.</summary>
public sealed class FederationOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "FedChat:Federation";

    /// <summary>
    /// Gets or sets how long one request to another server may take (fetching a key, an actor).
    /// A slow or dead server must never hold up our inbox for long.
    /// <value>The default is 10 seconds.</value>
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets the largest body accepted from another server, in bytes: an inbox delivery, or a
    /// fetched actor document. Larger requests get 413.
    /// <value>The default is 1 MB.</value>
    /// </summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// Gets or sets how long a fetched public key is trusted before it is fetched again. A signature
    /// that fails with a cached key always triggers one fresh fetch (the actor may have a new key).
    /// <value>The default is 1 hour.</value>
    /// </summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how long after fetching a key (or failing to) we refuse to fetch it again. A
    /// signature that fails with a cached key asks the owner's server again, but only this often:
    /// a thousand forged requests naming bob's key must not become a thousand fetches from bob's server.
    /// <value>The default is 30 seconds.</value>
    /// </summary>
    public TimeSpan KeyRefetchInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how far in the future a signature's Date / <c>created</c> may be.
    /// <value>The default is 1 hour, as Mastodon.</value>
    /// </summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how old a signature's Date / <c>created</c> may be.
    /// <value>The default is 65 minutes, as Mastodon (5 minutes plus 1 hour of clock skew).</value>
    /// </summary>
    public TimeSpan MaxSignatureAge { get; set; } = TimeSpan.FromMinutes(65);

    /// <summary>
    /// Gets or sets whether the inbox worker leaves the inbox queue alone: activities are still verified,
    /// stored and acknowledged, and are handled once the server runs without this. For maintenance (look
    /// at a burst before acting on it) and for the test that a crash after the 202 loses nothing.
    /// <value>The default is <see langword="false"/>.</value>
    /// </summary>
    public bool InboxHandlingPaused { get; set; }
}
