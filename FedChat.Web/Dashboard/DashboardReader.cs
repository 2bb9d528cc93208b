using FedChat.Core.Accounts;
using FedChat.Core.Dashboard;
using FedChat.Core.Discovery;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using Microsoft.Extensions.Options;

namespace FedChat.Web.Dashboard;

/// <summary>This server as the map shows it, in the middle.</summary>
/// <param name="Name">The instance name.</param>
/// <param name="Url">The public base URL.</param>
/// <param name="Users">The number of local users.</param>
/// <param name="Version">The FedChat version.</param>
public sealed record ThisServer(string Name, Uri Url, int Users, string Version)
{
    /// <summary>Gets the key the map and the log use for this server, <c>http://host:port</c>.</summary>
    public string Key => PeerDirectory.KeyOf(Url);
}

/// <summary>Everything the map, the "what happened" panel and the facilitator's counters show, read at one moment.</summary>
/// <param name="Self">This server.</param>
/// <param name="Peers">Every other server known, online or not.</param>
/// <param name="Traffic">Activities received per sending server.</param>
/// <param name="Recent">The federation log, newest first.</param>
/// <param name="Counters">Accepted, rejected, posts and activities per minute.</param>
/// <param name="PostsHere">All posts stored on this server.</param>
/// <param name="Now">When this was read; pulses younger than a few seconds are drawn.</param>
/// <param name="Follows">The follows between this server and each other server.</param>
public sealed record DashboardSnapshot(
    ThisServer Self,
    IReadOnlyList<PeerInfo> Peers,
    IReadOnlyDictionary<string, PeerTraffic> Traffic,
    IReadOnlyList<FederationLogEntry> Recent,
    FederationCounters Counters,
    int PostsHere,
    DateTimeOffset Now,
    IReadOnlyList<FollowLink>? Follows = null)
{
    /// <summary>Gets, per receiving server, how many relayed copies it accepted and refused (the peer details show it).</summary>
    public IReadOnlyDictionary<string, RelayedCopies> Relayed { get; init; } = new Dictionary<string, RelayedCopies>();

    /// <summary>Gets how far a peer's clock may be off before the map warns: the signature window, <c>FedChat:Federation:ClockSkew</c>.</summary>
    public TimeSpan ClockWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The clock warning for a peer, e.g. "clock off by 75 min (ahead)", or null when its clock is fine or unknown.</summary>
    /// <param name="peer">The peer.</param>
    /// <returns>The words, or null.</returns>
    public string? ClockWarning(PeerInfo peer) =>
        peer.ClockOffset is { } offset && ClockCheck.IsOff(offset, ClockWindow) ? ClockCheck.Describe(offset) : null;

    /// <summary>Gets the number of servers online, this one included.</summary>
    public int ServersOnline => 1 + Peers.Count(p => p.Status == PeerStatus.Online);

    /// <summary>Gets the users on this server and on every online peer that told us its count.</summary>
    public int UsersAcrossServers => Self.Users + Peers.Where(p => p.Status == PeerStatus.Online).Sum(p => p.Users ?? 0);
}

/// <summary>
/// Reads a <see cref="DashboardSnapshot"/> from Core for the dashboard pages. The directory and the
/// log are in memory; the user and post counts come from the database, at most every few seconds.
/// </summary>
public sealed class DashboardReader(
    PeerDirectory directory,
    FederationActivityLog log,
    InstanceInfo instance,
    AccountService accounts,
    PostService posts,
    FollowLinkReader follows,
    IOptions<FederationOptions> federation,
    TimeProvider time)
{
    // A projector does not need counts fresher than this, and five redraws a second should not mean
    // five database queries a second per open page.
    private static readonly TimeSpan CountsMaxAge = TimeSpan.FromSeconds(3);

    private Counts? _counts;

    /// <summary>Reads everything the dashboard shows, now.</summary>
    /// <param name="cancellationToken">Cancels the database queries.</param>
    /// <returns>The snapshot.</returns>
    public async Task<DashboardSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var counts = _counts;
        if (counts is null || now - counts.ReadAt > CountsMaxAge)
        {
            counts = new Counts(await accounts.CountUsersAsync(cancellationToken), await posts.CountLocalPostsAsync(cancellationToken),
                await follows.ReadAsync(cancellationToken), now);
            _counts = counts;
        }

        var self = new ThisServer(instance.Name, instance.BaseUrl, counts.Users, instance.Version);
        return new DashboardSnapshot(self, directory.Peers, log.Traffic, log.Recent, log.GetCounters(), counts.Posts, now, counts.Follows)
        {
            ClockWindow = federation.Value.ClockSkew,
            Relayed = log.Relayed,
        };
    }

    private sealed record Counts(int Users, int Posts, IReadOnlyList<FollowLink> Follows, DateTimeOffset ReadAt);
}
