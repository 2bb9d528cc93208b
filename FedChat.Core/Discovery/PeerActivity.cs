using FedChat.Core.Events;

namespace FedChat.Core.Discovery;

/// <summary>
/// Keeps each peer's "last seen" current from what it does, not only from discovery: an activity
/// it delivered to our inbox, or a delivery of ours that it accepted. (NodeInfo answers and signed
/// fetches report to the <see cref="PeerDirectory"/> directly.) Register as a singleton and create it at startup.
/// </summary>
public sealed class PeerActivity : IDisposable
{
    private readonly PeerDirectory _directory;
    private readonly IDisposable _subscription;

    /// <summary>Starts listening to <paramref name="feed"/>.</summary>
    /// <param name="feed">The event feed.</param>
    /// <param name="directory">Where peers' "last seen" is kept.</param>
    public PeerActivity(EventFeed feed, PeerDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _directory = directory;
        _subscription = feed.Subscribe(Record);
    }

    /// <summary>Stops listening.</summary>
    public void Dispose() => _subscription.Dispose();

    private void Record(FedChatEvent feedEvent)
    {
        var from = feedEvent switch
        {
            // The server that delivered it signed the request (the author's, or a relay).
            ActivityAccepted accepted => accepted.TransportSigner,
            DeliveryAttempted { Succeeded: true } delivered => delivered.Destination,
            _ => null,
        };
        if (Uri.TryCreate(from, UriKind.Absolute, out var url) && PeerDirectory.IsUsableUrl(url))
        {
            _directory.ReportActivity(url);
        }
    }
}
