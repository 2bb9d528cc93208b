namespace FedChat.Core.Federation.Delivery;

/// <summary>How one try to deliver an activity ended.</summary>
public enum DeliveryOutcome
{
    /// <summary>The receiver accepted it (2xx). Done.</summary>
    Delivered,

    /// <summary>It may work later: the receiver is down, slow, overloaded (5xx, 408, 429) or unreachable.</summary>
    RetryableFailure,

    /// <summary>It will never work: the receiver refused it (4xx such as 400, 401, 403, 404, 410).</summary>
    PermanentFailure,
}

/// <summary>The result of one try, as an <see cref="IDeliverySender"/> reports it.</summary>
/// <param name="Outcome">How the try ended.</param>
/// <param name="Reason">Why it failed, in words for the log and the UI; <see langword="null"/> when delivered.</param>
/// <param name="RetryAfter">How long the receiver asked us to wait (its <c>Retry-After</c> header), if it said.</param>
public sealed record DeliveryResult(DeliveryOutcome Outcome, string? Reason = null, TimeSpan? RetryAfter = null)
{
    /// <summary>Gets the result for an accepted delivery.</summary>
    public static DeliveryResult Delivered { get; } = new(DeliveryOutcome.Delivered);

    /// <summary>Creates the result for a failure worth retrying.</summary>
    /// <param name="reason">Why it failed.</param>
    /// <param name="retryAfter">How long the receiver asked us to wait, if it said.</param>
    /// <returns>The result.</returns>
    public static DeliveryResult RetryableFailure(string reason, TimeSpan? retryAfter = null) =>
        new(DeliveryOutcome.RetryableFailure, reason, retryAfter);

    /// <summary>Creates the result for a failure that retrying cannot fix.</summary>
    /// <param name="reason">Why it failed.</param>
    /// <returns>The result.</returns>
    public static DeliveryResult PermanentFailure(string reason) => new(DeliveryOutcome.PermanentFailure, reason);
}
