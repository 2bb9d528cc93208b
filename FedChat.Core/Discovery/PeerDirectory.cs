using FedChat.Core.Events;
using FedChat.Core.Identity;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Discovery;

/// <summary>
/// Every other FedChat server this one knows of, whichever way it was found (mDNS, static peers,
/// rendezvous), with its status. Changes are published on the <see cref="EventFeed"/> as
/// <see cref="PeerDiscovered"/>, <see cref="PeerUpdated"/> and <see cref="PeerGone"/>, so the map redraws at once.
/// </summary>
/// <remarks>
/// A peer is identified by its base URL (scheme, host and port). Each source reports it
/// separately; the peer stays online while at least one source still reports it, so a static peer
/// that also said goodbye over mDNS stays online as long as it answers. Register as a singleton.
/// </remarks>
public sealed class PeerDirectory(InstanceInfo self, EventFeed feed, TimeProvider time, ILogger<PeerDirectory> logger)
{
    /// <summary>The most peers kept. A workshop has 5-30; the bound protects against a flood of fake announcements.</summary>
    public const int MaxPeers = 256;

    /// <summary>The largest user count believed from a peer; larger (like 2,147,483,647 from a fake peer) is dropped.</summary>
    public const int MaxUsers = 1_000_000;

    /// <summary>How often a peer's activity alone (no other change) redraws the map: its "last seen" moves on, but not on every delivery.</summary>
    public static readonly TimeSpan ActivityRedrawInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _peers = new(StringComparer.Ordinal);

    /// <summary>Gets a snapshot of all known peers, online or not, ordered by name.</summary>
    public IReadOnlyList<PeerInfo> Peers
    {
        get
        {
            lock (_gate)
            {
                return [.. _peers.Values.Select(e => e.Info).OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Url.ToString(), StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Finds a peer by its base URL.</summary>
    /// <param name="url">Any URL on the peer; only scheme, host and port count.</param>
    /// <returns>The peer, or <see langword="null"/>.</returns>
    public PeerInfo? Find(Uri url)
    {
        lock (_gate)
        {
            return _peers.TryGetValue(KeyOf(url), out var entry) ? entry.Info : null;
        }
    }

    /// <summary>Gets whether <paramref name="url"/> is this server's own base URL.</summary>
    /// <param name="url">A base URL.</param>
    /// <returns><see langword="true"/> for ourselves.</returns>
    public bool IsSelf(Uri url) => KeyOf(url) == KeyOf(self.BaseUrl);

    /// <summary>
    /// Records that a source sees a peer now: adds it (<see cref="PeerDiscovered"/>), brings it back
    /// from gone (<see cref="PeerDiscovered"/>) or refreshes its metadata (<see cref="PeerUpdated"/> if it changed).
    /// </summary>
    /// <param name="sighting">What the source says.</param>
    /// <returns><see langword="false"/> when the sighting was ignored: ourselves, not an http(s) URL, or the directory is full.</returns>
    public bool ReportSeen(PeerSighting sighting)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        if (!IsUsableUrl(sighting.Url) || IsSelf(sighting.Url))
        {
            return false;
        }
        // Whatever the source (mDNS TXT, a check-in, a peer's list), what it says is the peer's word: clean and bound it.
        var cleanName = RemoteText.Clean(sighting.Name);
        sighting = sighting with
        {
            Name = cleanName.Length > 0 ? cleanName : sighting.Url.Authority,
            Version = Short(sighting.Version),
            Users = BoundedUsers(sighting.Users),
        };

        var now = time.GetUtcNow();
        FedChatEvent? change = null;
        lock (_gate)
        {
            var key = KeyOf(sighting.Url);
            if (!_peers.TryGetValue(key, out var entry))
            {
                if (_peers.Count >= MaxPeers && !EvictOneLostPeer())
                {
                    logger.LogWarning("Ignoring peer '{Name}' at {Url}: already {Max} peers known.", sighting.Name, sighting.Url, MaxPeers);
                    return false;
                }

                entry = new Entry(new PeerInfo
                {
                    Url = new Uri(key + "/"),
                    Name = sighting.Name,
                    Status = PeerStatus.Online,
                    Sources = sighting.Source,
                    FirstSeen = now,
                    LastSeen = now,
                    Version = sighting.Version,
                    Users = sighting.Users,
                });
                entry.SeenBy[sighting.Source] = now;
                _peers[key] = entry;
                logger.LogInformation("Discovered peer '{Name}' at {Url} (via {Source}).", sighting.Name, entry.Info.Url, sighting.Source);
                change = new PeerDiscovered(now, entry.Info);
            }
            else
            {
                var before = entry.Info;
                entry.SeenBy[sighting.Source] = now;
                entry.Info = before with
                {
                    Name = sighting.Name,
                    Version = sighting.Version ?? before.Version,
                    Users = sighting.Users ?? before.Users,
                    Status = PeerStatus.Online,
                    Sources = before.Sources | sighting.Source,
                    LastSeen = now,
                };
                if (before.Status != PeerStatus.Online)
                {
                    logger.LogInformation("Peer '{Name}' is back at {Url} (via {Source}).", sighting.Name, before.Url, sighting.Source);
                    change = new PeerDiscovered(now, entry.Info);
                }
                else if (before.Name != entry.Info.Name || before.Version != entry.Info.Version || before.Users != entry.Info.Users)
                {
                    logger.LogInformation("Peer '{Name}' at {Url} changed: version {Version}, {Users} users.", entry.Info.Name, before.Url, entry.Info.Version, entry.Info.Users);
                    change = new PeerUpdated(now, entry.Info);
                }
            }
        }

        // Outside the lock: a subscriber may read the directory again.
        if (change is not null)
        {
            feed.Publish(change);
        }

        return true;
    }

    /// <summary>
    /// Updates what a known peer says about itself in its NodeInfo document (name, software, version,
    /// users). Unknown peers are ignored: NodeInfo describes a peer, it does not discover one.
    /// </summary>
    /// <param name="url">The peer's base URL.</param>
    /// <param name="metadata">What its NodeInfo said.</param>
    public void UpdateMetadata(Uri url, NodeInfoMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        PeerUpdated? change = null;
        var changed = false;
        lock (_gate)
        {
            if (!_peers.TryGetValue(KeyOf(url), out var entry))
            {
                return;
            }
            var before = entry.Info;
            var name = RemoteText.Clean(metadata.Name);
            var now = time.GetUtcNow();
            entry.Info = before with
            {
                Name = name.Length == 0 ? before.Name : name,
                Software = Short(metadata.Software) ?? before.Software,
                Version = Short(metadata.Version) ?? before.Version,
                Users = BoundedUsers(metadata.Users) ?? before.Users,
                ClockOffset = SameClock(before.ClockOffset, metadata.ClockOffset) ? before.ClockOffset : metadata.ClockOffset ?? before.ClockOffset,
            };
            // It answered, so it was seen now.
            changed = entry.Info != before;
            entry.Info = entry.Info with { LastSeen = now };
            if (changed || now - before.LastSeen >= ActivityRedrawInterval)
            {
                change = new PeerUpdated(now, entry.Info);
            }
        }
        if (change is not null)
        {
            if (changed)
            {
                logger.LogInformation("Peer '{Name}' runs {Software} {Version} with {Users} users (NodeInfo).", change.Peer.Name, change.Peer.Software, change.Peer.Version, change.Peer.Users);
            }
            feed.Publish(change);
        }
    }

    /// <summary>
    /// Records that a known peer did something just now (delivered to an inbox, answered a fetch or a
    /// delivery): its "last seen" moves on. Unknown peers are ignored; activity does not discover a peer.
    /// </summary>
    /// <param name="url">Any URL on the peer; only scheme, host and port count.</param>
    public void ReportActivity(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            return;
        }
        PeerUpdated? change = null;
        lock (_gate)
        {
            if (!_peers.TryGetValue(KeyOf(url), out var entry))
            {
                return;
            }
            var now = time.GetUtcNow();
            var before = entry.Info;
            entry.Info = before with { LastSeen = now };
            // Not a redraw per delivery: a busy peer sends many a second.
            if (now - before.LastSeen >= ActivityRedrawInterval)
            {
                change = new PeerUpdated(now, entry.Info);
            }
        }
        if (change is not null)
        {
            feed.Publish(change);
        }
    }

    /// <summary>Records that a source no longer sees a peer (goodbye, expired records). Without any source left the peer is <see cref="PeerStatus.Gone"/>.</summary>
    /// <param name="url">The peer's base URL.</param>
    /// <param name="source">The source that lost it.</param>
    /// <param name="reason">Why, for the log and the event, e.g. "goodbye".</param>
    public void ReportGone(Uri url, PeerSources source, string reason) => Lose(KeyOf(url), source, reason, PeerStatus.Gone);

    /// <summary>
    /// Records that a peer did not answer a direct check. An unknown peer (a static peer that was
    /// never reached) is added as <see cref="PeerStatus.Unreachable"/>, so it shows up on the map.
    /// </summary>
    /// <param name="url">The peer's base URL.</param>
    /// <param name="name">A name to show if the peer is not known yet.</param>
    /// <param name="source">The source that checked.</param>
    /// <param name="reason">What went wrong, e.g. "connection refused".</param>
    public void ReportUnreachable(Uri url, string name, PeerSources source, string reason)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!IsUsableUrl(url) || IsSelf(url))
        {
            return;
        }

        var key = KeyOf(url);
        PeerUpdated? added = null;
        lock (_gate)
        {
            if (!_peers.ContainsKey(key) && (_peers.Count < MaxPeers || EvictOneLostPeer()))
            {
                var now = time.GetUtcNow();
                var clean = RemoteText.Clean(name);
                var entry = new Entry(new PeerInfo { Url = new Uri(key + "/"), Name = clean.Length > 0 ? clean : url.Authority, Status = PeerStatus.Unreachable, FirstSeen = now, LastSeen = now });
                _peers[key] = entry;
                logger.LogInformation("Peer {Url} is unreachable: {Reason}", url, reason);
                added = new PeerUpdated(now, entry.Info);
            }
        }

        if (added is not null)
        {
            feed.Publish(added);
            return;
        }

        Lose(key, source, reason, PeerStatus.Unreachable);
    }

    /// <summary>Marks peers gone that <paramref name="source"/> has not reported for longer than <paramref name="maxAge"/>.</summary>
    /// <param name="source">The source, e.g. <see cref="PeerSources.Rendezvous"/>.</param>
    /// <param name="maxAge">How long a sighting counts.</param>
    public void ExpireStale(PeerSources source, TimeSpan maxAge)
    {
        var cutoff = time.GetUtcNow() - maxAge;
        List<string> stale;
        lock (_gate)
        {
            stale = [.. _peers.Where(p => p.Value.SeenBy.TryGetValue(source, out var seen) && seen < cutoff).Select(p => p.Key)];
        }

        foreach (var key in stale)
        {
            Lose(key, source, $"not seen via {source} for {maxAge.TotalSeconds:0} s", PeerStatus.Gone);
        }
    }

    private static int? BoundedUsers(int? users) => users is >= 0 and <= MaxUsers ? users : null;

    private static string? Short(string? text) => RemoteText.Clean(text, 50) is { Length: > 0 } clean ? clean : null;

    // Date headers count whole seconds and the request takes time: a few seconds of difference is
    // noise, not a change worth telling every open page about.
    private static bool SameClock(TimeSpan? before, TimeSpan? now) =>
        before is { } b && now is { } n && (b - n).Duration() < TimeSpan.FromSeconds(10);

    /// <summary>Turns any URL of a peer into its identity: <c>http://host:port</c>, lower case.</summary>
    /// <param name="url">An absolute URL.</param>
    /// <returns>The key.</returns>
    public static string KeyOf(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return $"{url.Scheme}://{url.Host}:{url.Port}".ToLowerInvariant();
    }

    /// <summary>Gets whether <paramref name="url"/> is an absolute http or https URL, the only kind a peer can have.</summary>
    /// <param name="url">The URL.</param>
    /// <returns><see langword="true"/> if usable.</returns>
    public static bool IsUsableUrl(Uri? url) =>
        url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps) && url.Host.Length > 0;

    private void Lose(string key, PeerSources source, string reason, PeerStatus status)
    {
        FedChatEvent? change = null;
        lock (_gate)
        {
            if (!_peers.TryGetValue(key, out var entry))
            {
                return;
            }

            var before = entry.Info;
            entry.SeenBy.Remove(source);
            var remaining = before.Sources & ~source;
            if (remaining != PeerSources.None)
            {
                // Another source still sees it, so it is still online.
                entry.Info = before with { Sources = remaining };
            }
            else if (before.Status == PeerStatus.Online)
            {
                entry.Info = before with { Sources = PeerSources.None, Status = status };
                logger.LogInformation("Peer '{Name}' is gone ({Reason}).", before.Name, reason);
                change = new PeerGone(time.GetUtcNow(), entry.Info, reason);
            }
            else if (before.Status != status)
            {
                entry.Info = before with { Status = status };
                change = new PeerUpdated(time.GetUtcNow(), entry.Info);
            }
        }

        if (change is not null)
        {
            feed.Publish(change);
        }
    }

    // Makes room by forgetting the peer that has been gone longest. Called under the lock.
    private bool EvictOneLostPeer()
    {
        var oldest = _peers.Where(p => p.Value.Info.Status != PeerStatus.Online).OrderBy(p => p.Value.Info.LastSeen).FirstOrDefault();
        return oldest.Key is not null && _peers.Remove(oldest.Key);
    }

    private sealed class Entry(PeerInfo info)
    {
        public PeerInfo Info { get; set; } = info;

        // When each source last reported the peer.
        public Dictionary<PeerSources, DateTimeOffset> SeenBy { get; } = [];
    }
}
