namespace FedChat.Tests.Support;

/// <summary>
/// A clock that only moves when a test moves it. The FakeTimeProvider package is not served here,
/// and this is all the signing tests need: a fixed "now" that a test can set or advance.
/// </summary>
/// <param name="now">The starting time.</param>
public sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
{
    /// <summary>Gets or sets the current time.</summary>
    public DateTimeOffset Now { get; set; } = now;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Moves the clock forward (or back, with a negative span).</summary>
    /// <param name="by">How far to move.</param>
    public void Advance(TimeSpan by) => Now += by;
}
