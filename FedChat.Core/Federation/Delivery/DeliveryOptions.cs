namespace FedChat.Core.Federation.Delivery;

/// <summary>
/// Settings for outgoing deliveries, read from the <c>FedChat:Delivery</c> configuration section
/// (for example <c>--FedChat:Delivery:GiveUpAfter=00:30:00</c> or the environment variable
/// <c>FedChat__Delivery__MaxConcurrentPerDestination=4</c>).
/// </summary>
public sealed class DeliveryOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "FedChat:Delivery";

    /// <summary>
    /// Gets or sets the longest wait before the first retry. Each later retry may wait
    /// <see cref="BackoffFactor"/> times longer, up to <see cref="MaxDelay"/>.
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets how much longer each retry may wait than the one before.</summary>
    /// <value>The default is 2 (10 s, 20 s, 40 s, ...).</value>
    public double BackoffFactor { get; set; } = 2;

    /// <summary>Gets or sets the longest wait between two tries, however many have failed.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how long after enqueuing we keep trying. A delivery still failing after this is
    /// marked as given up, and the last error is logged as a warning.
    /// </summary>
    /// <value>The default is 6 hours: a laptop that was closed over lunch still gets its messages.</value>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Gets or sets how long one try may take, from looking up the signing key to the receiver's
    /// answer. A server that accepts the connection but never answers costs us this much, no more.
    /// </summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how many requests may be under way at once to one destination (<c>host:port</c>).
    /// This keeps a slow or dead server from taking every slot, so the others are not delayed.
    /// </summary>
    /// <value>The default is 2.</value>
    public int MaxConcurrentPerDestination { get; set; } = 2;

    /// <summary>Gets or sets how many requests may be under way at once in total.</summary>
    /// <value>The default is 8.</value>
    public int MaxConcurrent { get; set; } = 8;

    /// <summary>
    /// Gets how long a worker holds a delivery while sending it: the request timeout plus a margin.
    /// After a crash, deliveries that were in flight are tried again once this has passed.
    /// </summary>
    public TimeSpan LeaseDuration => RequestTimeout + TimeSpan.FromSeconds(5);

    /// <summary>Checks the settings; returns what is wrong, or <see langword="null"/> when they are usable.</summary>
    /// <returns>A sentence naming the bad setting, or <see langword="null"/>.</returns>
    public string? Validate() =>
        BaseDelay <= TimeSpan.Zero ? "FedChat:Delivery:BaseDelay must be positive."
        : BackoffFactor < 1 ? "FedChat:Delivery:BackoffFactor must be at least 1."
        : MaxDelay < BaseDelay ? "FedChat:Delivery:MaxDelay must be at least BaseDelay."
        : GiveUpAfter <= TimeSpan.Zero ? "FedChat:Delivery:GiveUpAfter must be positive."
        : RequestTimeout <= TimeSpan.Zero ? "FedChat:Delivery:RequestTimeout must be positive."
        : MaxConcurrentPerDestination < 1 ? "FedChat:Delivery:MaxConcurrentPerDestination must be at least 1."
        : MaxConcurrent < 1 ? "FedChat:Delivery:MaxConcurrent must be at least 1."
        : null;
}
