using FedChat.Core.Discovery;
using FedChat.Core.Events;

namespace FedChat.Core.Dashboard;

/// <summary>
/// What happened between this server and the others, for the map and the "what happened" panel:
/// the last <see cref="Capacity"/> accepted and refused activities and peers coming and going, newest
/// first, plus running counters. It listens to the <see cref="EventFeed"/> from the moment it is
/// created, so pages opened later can read the recent past, then follow the feed themselves.
/// </summary>
/// <remarks>
/// Memory only, and bounded: a restart starts an empty log (the database keeps the activities
/// themselves). Register as a singleton and create it at start-up, or it misses what happens first.
/// </remarks>
public sealed class FederationActivityLog : IDisposable
{
    /// <summary>The most entries kept; older ones fall off the end.</summary>
    public const int Capacity = 200;

    /// <summary>The most senders whose traffic is counted. Actor URLs come from strangers, so this is bounded too.</summary>
    public const int MaxSenders = 256;

    /// <summary>The window of <see cref="FederationCounters.ActivitiesPerMinute"/>.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly IDisposable _subscription;
    private readonly LinkedList<FederationLogEntry> _entries = new();
    private readonly Dictionary<string, PeerTraffic> _traffic = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RelayedCopies> _relayed = new(StringComparer.Ordinal);

    // Arrivals per second for the last minute: bucket i counts the arrivals of second _bucketSecond[i].
    // 60 numbers, whatever the load, instead of one timestamp per activity.
    private readonly int[] _bucketCount = new int[60];
    private readonly long[] _bucketSecond = new long[60];

    private long _sequence;
    private long _accepted;
    private long _rejected;
    private long _posts;

    /// <summary>Creates the log and starts listening to <paramref name="feed"/>.</summary>
    /// <param name="feed">The event feed to follow.</param>
    /// <param name="time">The clock, for the per-minute rate.</param>
    public FederationActivityLog(EventFeed feed, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(feed);
        _time = time;
        _subscription = feed.Subscribe(Record);
    }

    /// <summary>Gets the entries, newest first (at most <see cref="Capacity"/>).</summary>
    public IReadOnlyList<FederationLogEntry> Recent
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Gets the traffic from each server that has sent us activities, by its key (<c>http://host:port</c>).</summary>
    public IReadOnlyDictionary<string, PeerTraffic> Traffic
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, PeerTraffic>(_traffic, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Gets, per receiving server (<c>http://host:port</c>), how many relayed copies it accepted and refused.</summary>
    public IReadOnlyDictionary<string, RelayedCopies> Relayed
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, RelayedCopies>(_relayed, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Gets the newest entries about one server, newest first.</summary>
    /// <param name="peerKey">The server's key, see <see cref="PeerDirectory.KeyOf"/>.</param>
    /// <param name="max">How many at most.</param>
    /// <returns>The entries.</returns>
    public IReadOnlyList<FederationLogEntry> RecentFrom(string peerKey, int max = 10)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => e.PeerKey == peerKey).Take(max)];
        }
    }

    /// <summary>Gets the counters now; the per-minute rate counts arrivals of the last <see cref="RateWindow"/>.</summary>
    /// <returns>A snapshot.</returns>
    public FederationCounters GetCounters()
    {
        var nowSecond = _time.GetUtcNow().ToUnixTimeSeconds();
        lock (_gate)
        {
            var perMinute = 0;
            for (var i = 0; i < _bucketCount.Length; i++)
            {
                if (nowSecond - _bucketSecond[i] < _bucketCount.Length)
                {
                    perMinute += _bucketCount[i];
                }
            }
            return new FederationCounters(_accepted, _rejected, _posts, perMinute);
        }
    }

    /// <summary>Stops listening to the feed.</summary>
    public void Dispose() => _subscription.Dispose();

    private void Record(FedChatEvent feedEvent)
    {
        switch (feedEvent)
        {
            case ActivityAccepted accepted:
                // Who delivered it: the signer of the request (the author's server, or a relay).
                var from = KeyOrNull(accepted.TransportSigner) ?? KeyOrNull(accepted.ActorId);
                var verdict = accepted.ProofStatus == "Verified" ? ActivityVerdict.ProofVerified : ActivityVerdict.TransportSigned;
                var signedBy = accepted.TransportSigner == accepted.ActorId ? "signed by its author" : $"relayed, signed by {accepted.TransportSigner}";
                // Relay paths come from the sender's header: keep only well-formed server keys, and few.
                // A path of one server is the author's server sending directly: nothing to highlight.
                var path = (accepted.RelayPath ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(KeyOrNull).OfType<string>().Take(Federation.RelayService.MaxHops).ToList();
                if (path.Count < 2)
                {
                    path = [];
                }
                AddActivity(accepted.At, FederationLogKind.ActivityAccepted, from, $"{accepted.Type} from {accepted.ActorId}",
                    $"{signedBy}; author's proof: {accepted.ProofStatus.ToLowerInvariant()}", verdict, path);
                break;
            case ActivityRejected rejected:
                // The key that signed it says which server sent it; unsigned, all we have is who it claims to be.
                var claimed = KeyOrNull(rejected.KeyId) ?? KeyOrNull(rejected.ActorId);
                var who = rejected.ActorId is null ? "an unknown sender" : rejected.ActorId;
                AddActivity(rejected.At, FederationLogKind.ActivityRejected, claimed, $"Refused ({rejected.StatusCode}) from {who}",
                    rejected.Reason, ActivityVerdict.Rejected);
                break;
            case DeliveryAttempted sent:
                if (sent.Relayed && KeyOrNull(sent.Destination) is { } to)
                {
                    // Relayed copies are counted per receiver too, so the map can say who refused them.
                    CountRelayed(to, sent);
                }
                var what = sent.Relayed ? $"a relayed copy of {sent.ActivityId}" : sent.ActivityId;
                Add(sent.At, sent.Succeeded ? FederationLogKind.ActivitySent : FederationLogKind.DeliveryFailed, KeyOrNull(sent.Destination),
                    sent.Succeeded ? $"Sent {what}" : sent.Relayed && sent.Refused ? $"Refused {what}" : $"Could not deliver {what}",
                    sent.Succeeded ? $"to {sent.Destination}" : $"to {sent.Destination}: {sent.Reason}", null);
                break;
            case PostCreated:
                lock (_gate)
                {
                    _posts++;
                }
                break;
            case PeerDiscovered discovered:
                Add(discovered.At, FederationLogKind.PeerJoined, PeerDirectory.KeyOf(discovered.Peer.Url),
                    $"{discovered.Peer.Name} joined", discovered.Peer.Url.ToString(), null);
                break;
            case PeerGone gone:
                Add(gone.At, FederationLogKind.PeerLeft, PeerDirectory.KeyOf(gone.Peer.Url), $"{gone.Peer.Name} left", gone.Reason, null);
                break;
            case PeerUpdated { Peer.Status: PeerStatus.Unreachable } unreachable:
                Add(unreachable.At, FederationLogKind.PeerLeft, PeerDirectory.KeyOf(unreachable.Peer.Url),
                    $"{unreachable.Peer.Name} is unreachable", unreachable.Peer.Url.ToString(), null);
                break;
        }
    }

    private void AddActivity(DateTimeOffset at, FederationLogKind kind, string? peerKey, string summary, string detail, ActivityVerdict verdict, IReadOnlyList<string>? relayPath = null)
    {
        lock (_gate)
        {
            if (kind == FederationLogKind.ActivityAccepted)
            {
                _accepted++;
            }
            else
            {
                _rejected++;
            }
            CountArrival(at);
            if (peerKey is not null)
            {
                CountTraffic(peerKey, verdict, at);
            }
        }
        Add(at, kind, peerKey, summary, detail, verdict, relayPath);
    }

    private void Add(DateTimeOffset at, FederationLogKind kind, string? peerKey, string summary, string? detail, ActivityVerdict? verdict, IReadOnlyList<string>? relayPath = null)
    {
        lock (_gate)
        {
            _entries.AddFirst(new FederationLogEntry(++_sequence, at, kind, peerKey, summary, detail, verdict, relayPath ?? []));
            if (_entries.Count > Capacity)
            {
                _entries.RemoveLast();
            }
        }
    }

    // Called under the lock.
    private void CountArrival(DateTimeOffset at)
    {
        var second = at.ToUnixTimeSeconds();
        var bucket = (int)(second % _bucketCount.Length);
        if (_bucketSecond[bucket] != second)
        {
            // The bucket still holds a second from a minute (or more) ago: start it afresh.
            _bucketSecond[bucket] = second;
            _bucketCount[bucket] = 0;
        }
        _bucketCount[bucket]++;
    }

    // Called under the lock.
    private void CountTraffic(string peerKey, ActivityVerdict verdict, DateTimeOffset at)
    {
        if (!_traffic.TryGetValue(peerKey, out var traffic))
        {
            if (_traffic.Count >= MaxSenders)
            {
                // Forget the sender that has been quiet longest.
                _traffic.Remove(_traffic.Values.MinBy(t => t.LastAt)!.PeerKey);
            }
            traffic = new PeerTraffic(peerKey, 0, 0, 0, verdict, at);
        }
        _traffic[peerKey] = verdict switch
        {
            ActivityVerdict.ProofVerified => traffic with { Verified = traffic.Verified + 1, LastVerdict = verdict, LastAt = at },
            ActivityVerdict.TransportSigned => traffic with { TransportSigned = traffic.TransportSigned + 1, LastVerdict = verdict, LastAt = at },
            _ => traffic with { Rejected = traffic.Rejected + 1, LastVerdict = verdict, LastAt = at },
        };
    }

    private void CountRelayed(string peerKey, DeliveryAttempted sent)
    {
        lock (_gate)
        {
            if (!_relayed.TryGetValue(peerKey, out var copies))
            {
                if (_relayed.Count >= MaxSenders)
                {
                    _relayed.Remove(_relayed.Values.MinBy(c => c.LastAt)!.PeerKey);
                }
                copies = new RelayedCopies(peerKey, 0, 0, null, sent.At);
            }
            // A try that got no answer (or "busy") is neither: it is tried again, and counted when it ends.
            _relayed[peerKey] = sent.Succeeded ? copies with { Accepted = copies.Accepted + 1, LastAt = sent.At }
                : sent.Refused ? copies with { Refused = copies.Refused + 1, LastReason = sent.Reason, LastAt = sent.At }
                : copies with { LastAt = sent.At };
        }
    }

    // "http://host:port" of an actor or key URL, or null when it is not an http(s) URL.
    private static string? KeyOrNull(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && PeerDirectory.IsUsableUrl(uri) ? PeerDirectory.KeyOf(uri) : null;
}
