namespace FedChat.Core.Federation.Delivery;

/// <summary>
/// How long to wait before retrying a failed delivery: exponential backoff with "full jitter".
/// After the n-th failed try the wait is a random time between zero and
/// <c>min(MaxDelay, BaseDelay × BackoffFactor^(n-1))</c>.
/// </summary>
/// <remarks>
/// Why random: when a server comes back after being down, every other server has deliveries waiting
/// for it. Without jitter they would all retry at the same moments and knock it over again; full jitter
/// spreads the retries over the whole window (see "Exponential Backoff And Jitter", AWS Architecture
/// Blog, 2015).
/// </remarks>
/// <param name="options">The delays.</param>
/// <param name="random">The source of jitter; tests pass a seeded <see cref="Random"/> to get the same delays every run.</param>
public sealed class DeliveryBackoff(DeliveryOptions options, Random random)
{
    private readonly Lock _gate = new();

    /// <summary>Gets the longest wait after <paramref name="failedAttempts"/> failed tries.</summary>
    /// <param name="failedAttempts">How many tries have failed so far (1 after the first).</param>
    /// <returns>The upper bound of the wait.</returns>
    public TimeSpan Ceiling(int failedAttempts)
    {
        var exponent = Math.Max(0, failedAttempts - 1);
        // In seconds as a double, so a large exponent becomes "infinity, so the cap" instead of overflowing.
        var seconds = options.BaseDelay.TotalSeconds * Math.Pow(options.BackoffFactor, exponent);
        return TimeSpan.FromSeconds(Math.Min(seconds, options.MaxDelay.TotalSeconds));
    }

    /// <summary>Picks the wait before the next try, at random between zero and <see cref="Ceiling"/>.</summary>
    /// <param name="failedAttempts">How many tries have failed so far (1 after the first).</param>
    /// <returns>The wait.</returns>
    public TimeSpan NextDelay(int failedAttempts)
    {
        double fraction;
        // Random is not thread-safe, and several deliveries finish at once.
        lock (_gate)
        {
            fraction = random.NextDouble();
        }
        return TimeSpan.FromTicks((long)(Ceiling(failedAttempts).Ticks * fraction));
    }
}
