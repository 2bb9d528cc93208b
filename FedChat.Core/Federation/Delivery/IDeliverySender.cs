using FedChat.Core.Storage.Entities;

namespace FedChat.Core.Federation.Delivery;

/// <summary>
/// Makes one try at delivering one activity to one inbox. <see cref="HttpDeliverySender"/> is the real
/// one; tests may pass their own to script failures without a network.
/// </summary>
public interface IDeliverySender
{
    /// <summary>
    /// Tries once to deliver. Failures should come back as a <see cref="DeliveryResult"/>. Cancellation
    /// through <paramref name="cancellationToken"/> (the server stopping) throws; the worker treats any
    /// other exception (for example a signing key that cannot be found) as a failure worth retrying.
    /// </summary>
    /// <param name="delivery">The delivery: inbox, body and signer.</param>
    /// <param name="cancellationToken">Cancelled when the server stops.</param>
    /// <returns>How the try ended.</returns>
    Task<DeliveryResult> SendAsync(OutgoingDelivery delivery, CancellationToken cancellationToken);
}
