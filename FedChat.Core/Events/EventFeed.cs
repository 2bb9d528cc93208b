using Microsoft.Extensions.Logging;

namespace FedChat.Core.Events;

/// <summary>
/// The one in-process feed of live events. Core publishes what happened (a post was written, later:
/// a peer appeared, a signature was rejected); every open page subscribes and redraws. No polling.
/// </summary>
/// <remarks>
/// Register it as a singleton. Components subscribe after their first interactive render and must
/// dispose the subscription, or the feed would keep closed pages alive.
/// </remarks>
public sealed class EventFeed(ILogger<EventFeed> logger)
{
    private readonly Lock _gate = new();
    private readonly List<Action<FedChatEvent>> _subscribers = [];

    /// <summary>Gets the number of live subscriptions (open pages listening).</summary>
    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    /// <summary>Starts calling <paramref name="handler"/> for every event until the result is disposed.</summary>
    public IDisposable Subscribe(Action<FedChatEvent> handler)
    {
        lock (_gate)
        {
            _subscribers.Add(handler);
        }
        return new Subscription(this, handler);
    }

    /// <summary>Sends an event to every subscriber. A failing subscriber never stops the others.</summary>
    public void Publish(FedChatEvent feedEvent)
    {
        Action<FedChatEvent>[] snapshot;
        lock (_gate)
        {
            snapshot = [.. _subscribers];
        }
        foreach (var handler in snapshot)
        {
            try
            {
                handler(feedEvent);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A subscriber failed to handle {Event}", feedEvent.GetType().Name);
            }
        }
    }

    private void Unsubscribe(Action<FedChatEvent> handler)
    {
        lock (_gate)
        {
            _subscribers.Remove(handler);
        }
    }

    private sealed class Subscription(EventFeed feed, Action<FedChatEvent> handler) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                feed.Unsubscribe(handler);
            }
        }
    }
}
