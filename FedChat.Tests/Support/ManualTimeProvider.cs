namespace FedChat.Tests.Support;

/// <summary>
/// A clock that only moves when a test moves it, for expiry and time-window checks without sleeping.
/// (Microsoft's FakeTimeProvider package is not served on the workshop machines.)
/// </summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    /// <summary>Starts at 2026-11-22 10:00 UTC.</summary>
    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Moves the clock forward (or back, with a negative span).</summary>
    public void Advance(TimeSpan by) => _now += by;

    /// <summary>Sets the clock to an exact moment.</summary>
    public void SetUtcNow(DateTimeOffset now) => _now = now;
}
