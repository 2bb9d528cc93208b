using System.Net.Http.Json;
using System.Text.Json;
using FedChat.Core.Identity;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Discovery;

/// <summary>
/// Finds peers over plain HTTP, for Wi-Fi that blocks multicast: checks each static peer with
/// <c>GET /api/peers</c>, and checks in at the rendezvous server with <c>POST /api/peers</c>,
/// taking the list it returns. Also forgets rendezvous peers that stopped checking in.
/// </summary>
/// <param name="http">A client with a short timeout and a bounded response size.</param>
/// <param name="directory">Where peers go.</param>
/// <param name="self">This server.</param>
/// <param name="options">The discovery options.</param>
/// <param name="countUsers">Counts local users for the check-in.</param>
/// <param name="logger">Where to log.</param>
/// <param name="time">The clock.</param>
/// <param name="nodeInfo">Reads peers' NodeInfo for the map (software, version, users); null skips it.</param>
public sealed class PeerExchange(HttpClient http, PeerDirectory directory, InstanceInfo self, MdnsOptions options, LocalUserCounter countUsers, ILogger<PeerExchange> logger, TimeProvider time, NodeInfoClient? nodeInfo = null)
{
    /// <summary>How often a known peer's NodeInfo is read again.</summary>
    public static readonly TimeSpan NodeInfoRefreshInterval = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, DateTimeOffset> _nodeInfoReadAt = [];

    /// <summary>A rendezvous peer that missed this many check-in rounds is gone.</summary>
    public const int MissedRoundsBeforeGone = 3;

    /// <summary>Runs the checks every <see cref="MdnsOptions.CheckInterval"/> until cancelled.</summary>
    /// <param name="cancellationToken">Stops the checks.</param>
    /// <returns>A task that ends when stopped.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var staticPeers = new List<Uri>();
        foreach (var text in options.StaticPeers)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var url) && PeerDirectory.IsUsableUrl(url))
            {
                staticPeers.Add(url);
            }
            else
            {
                logger.LogWarning("Ignoring static peer '{Url}': not an absolute http(s) URL.", text);
            }
        }

        Uri? rendezvous = null;
        if (!string.IsNullOrWhiteSpace(options.RendezvousUrl)
            && !(Uri.TryCreate(options.RendezvousUrl, UriKind.Absolute, out rendezvous) && PeerDirectory.IsUsableUrl(rendezvous)))
        {
            logger.LogWarning("Ignoring RendezvousUrl '{Url}': not an absolute http(s) URL.", options.RendezvousUrl);
            rendezvous = null;
        }

        var interval = options.CheckInterval > TimeSpan.Zero ? options.CheckInterval : TimeSpan.FromSeconds(10);
        while (!cancellationToken.IsCancellationRequested)
        {
            foreach (var peer in staticPeers.Where(p => !directory.IsSelf(p)))
            {
                await CheckStaticPeerAsync(peer, cancellationToken);
            }

            if (rendezvous is not null)
            {
                await CheckInAsync(rendezvous, cancellationToken);
            }

            // Servers that checked in with us (we may be the rendezvous) or were listed there.
            directory.ExpireStale(PeerSources.Rendezvous, interval * MissedRoundsBeforeGone);
            await RefreshNodeInfoAsync(cancellationToken);
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Asks one static peer who it is; marks it online or unreachable.</summary>
    /// <param name="peer">The peer's base URL.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>A task that ends when the check is done.</returns>
    public async Task CheckStaticPeerAsync(Uri peer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(peer);
        try
        {
            var list = await http.GetFromJsonAsync<PeerListResponse>(new Uri(peer, "/api/peers"), cancellationToken);
            var name = string.IsNullOrWhiteSpace(list?.Self.Name) ? peer.Authority : list.Self.Name;
            directory.ReportSeen(new PeerSighting(peer, name, PeerSources.Static, list?.Self.Version, list?.Self.Users));
        }
        catch (Exception ex) when (IsNetworkFailure(ex, cancellationToken))
        {
            directory.ReportUnreachable(peer, peer.Authority, PeerSources.Static, ex.Message);
        }
    }

    /// <summary>Tells the rendezvous server we are here and takes the peers it lists.</summary>
    /// <param name="rendezvous">The rendezvous server's base URL.</param>
    /// <param name="cancellationToken">Cancels the check-in.</param>
    /// <returns>A task that ends when the check-in is done.</returns>
    public async Task CheckInAsync(Uri rendezvous, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rendezvous);
        try
        {
            var users = await countUsers(cancellationToken);
            var checkIn = new PeerCheckIn(self.BaseUrl.ToString(), self.Name, self.Version, users);
            using var response = await http.PostAsJsonAsync(new Uri(rendezvous, "/api/peers"), checkIn, cancellationToken);
            response.EnsureSuccessStatusCode();
            var list = await response.Content.ReadFromJsonAsync<PeerListResponse>(cancellationToken);
            if (list is null)
            {
                return;
            }

            foreach (var peer in list.Peers.Prepend(list.Self).Where(p => p.Status == nameof(PeerStatus.Online)).Take(PeerDirectory.MaxPeers))
            {
                if (Uri.TryCreate(peer.Url, UriKind.Absolute, out var url) && !string.IsNullOrWhiteSpace(peer.Name))
                {
                    directory.ReportSeen(new PeerSighting(url, peer.Name, PeerSources.Rendezvous, peer.Version, peer.Users));
                }
            }
        }
        catch (Exception ex) when (IsNetworkFailure(ex, cancellationToken))
        {
            logger.LogWarning("Could not check in at the rendezvous server {Url}: {Error}", rendezvous, ex.Message);
        }
    }

    /// <summary>
    /// Reads the NodeInfo of every online peer not read in the last minute, however it was found
    /// (mDNS, static, rendezvous), so the map shows its software, version and user count.
    /// </summary>
    /// <param name="cancellationToken">Stops the refresh.</param>
    /// <returns>A task that completes when every due peer was read.</returns>
    public async Task RefreshNodeInfoAsync(CancellationToken cancellationToken)
    {
        if (nodeInfo is null)
        {
            return;
        }
        var now = time.GetUtcNow();
        foreach (var peer in directory.Peers.Where(p => p.Status == PeerStatus.Online))
        {
            var key = PeerDirectory.KeyOf(peer.Url);
            if (_nodeInfoReadAt.TryGetValue(key, out var readAt) && now - readAt < NodeInfoRefreshInterval)
            {
                continue;
            }
            _nodeInfoReadAt[key] = now;
            if (await nodeInfo.FetchAsync(peer.Url, cancellationToken) is { } metadata)
            {
                directory.UpdateMetadata(peer.Url, metadata);
            }
        }
    }

    // What a peer that is down, slow or not a FedChat server causes; a timeout is a TaskCanceledException
    // without our own token being cancelled.
    private static bool IsNetworkFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or JsonException or NotSupportedException
        || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);
}
