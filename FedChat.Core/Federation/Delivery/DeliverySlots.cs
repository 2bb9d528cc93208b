namespace FedChat.Core.Federation.Delivery;

/// <summary>
/// Counts the requests under way, in total and per destination (<c>host:port</c>), so the worker can
/// keep within <see cref="DeliveryOptions.MaxConcurrent"/> and
/// <see cref="DeliveryOptions.MaxConcurrentPerDestination"/>. Thread-safe: sends finish on other threads.
/// </summary>
internal sealed class DeliverySlots(int maxTotal, int maxPerDestination)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _perDestination = [];
    private int _total;

    /// <summary>Gets how many more requests may start now.</summary>
    public int Free
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(0, maxTotal - _total);
            }
        }
    }

    /// <summary>Takes a slot for a request to <paramref name="destination"/>, if there is room.</summary>
    public bool TryTake(string destination)
    {
        lock (_gate)
        {
            var used = _perDestination.GetValueOrDefault(destination);
            if (_total >= maxTotal || used >= maxPerDestination)
            {
                return false;
            }
            _total++;
            _perDestination[destination] = used + 1;
            return true;
        }
    }

    /// <summary>Gives back a slot taken with <see cref="TryTake"/>.</summary>
    public void Release(string destination)
    {
        lock (_gate)
        {
            _total--;
            var left = _perDestination[destination] - 1;
            if (left == 0)
            {
                _perDestination.Remove(destination); // keeps the dictionary as small as the set of busy servers
            }
            else
            {
                _perDestination[destination] = left;
            }
        }
    }

    /// <summary>Lists the destinations whose slots are all taken.</summary>
    public List<string> FullDestinations()
    {
        lock (_gate)
        {
            return [.. _perDestination.Where(d => d.Value >= maxPerDestination).Select(d => d.Key)];
        }
    }
}
