using System.Globalization;

namespace FedChat.Core.Discovery;

/// <summary>
/// Compares another server's clock with ours, from the <c>Date</c> header of its answers
/// (RFC 9110 §6.6.1). Signatures carry a date, and a receiver refuses one more than
/// <c>FederationOptions.ClockSkew</c> (1 hour) off, so a laptop with a wrong clock can neither send
/// nor receive. Showing the offset on the map saves a lot of puzzled debugging.
/// </summary>
public static class ClockCheck
{
    /// <summary>How far the other server's clock is ahead of ours (negative: behind).</summary>
    /// <param name="theirDate">The <c>Date</c> header of their answer, if it had one.</param>
    /// <param name="ourNow">Our clock when the answer arrived.</param>
    /// <returns>The offset, or <see langword="null"/> without a Date header.</returns>
    public static TimeSpan? OffsetOf(DateTimeOffset? theirDate, DateTimeOffset ourNow) => theirDate - ourNow;

    /// <summary>Gets whether an offset is larger, either way, than <paramref name="window"/>: their signatures (or ours, to them) would be refused.</summary>
    /// <param name="offset">The offset, see <see cref="OffsetOf"/>; <see langword="null"/> when unknown.</param>
    /// <param name="window">The signature window, <c>FederationOptions.ClockSkew</c>.</param>
    /// <returns><see langword="true"/> when the clock is off.</returns>
    public static bool IsOff(TimeSpan? offset, TimeSpan window) => offset is { } known && known.Duration() > window;

    /// <summary>The offset in words for a badge: "clock off by 75 min (ahead)".</summary>
    /// <param name="offset">The offset.</param>
    /// <returns>The words.</returns>
    public static string Describe(TimeSpan offset)
    {
        var minutes = ((int)Math.Round(offset.Duration().TotalMinutes)).ToString(CultureInfo.InvariantCulture);
        return $"clock off by {minutes} min ({(offset > TimeSpan.Zero ? "ahead" : "behind")})";
    }
}
