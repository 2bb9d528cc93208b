namespace FedChat.Tests.Support;

/// <summary>
/// A clock that only moves when a test moves it, for expiry and time-window checks without sleeping.
/// (Microsoft's FakeTimeProvider package is not served on the workshop machines.)
/// </summary>
/// <param name="now">The starting time.</param>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    /// <summary>Starts at 2026-11-22 10:00 UTC.</summary>
    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero))
    {
    }

    /// <summary>Gets or sets the current time.</summary>
    public DateTimeOffset Now { get; set; } = now;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Moves the clock forward (or back, with a negative span).</summary>
    /// <param name="by">How far to move.</param>
    public void Advance(TimeSpan by) => Now += by;
}
