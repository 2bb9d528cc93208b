using System.Net.Sockets;

namespace FedChat.Core.Discovery;

/// <summary>Whether a known peer can be reached right now.</summary>
public enum PeerStatus
{
    /// <summary>The peer announced itself or answered recently.</summary>
    Online,

    /// <summary>The peer said goodbye, or its records expired, or it stopped checking in.</summary>
    Gone,

    /// <summary>The peer is configured (a static peer) but did not answer the last check.</summary>
    Unreachable,
}

/// <summary>How this server learned about a peer. A peer can be known through several at once.</summary>
[Flags]
public enum PeerSources
{
    /// <summary>No current source.</summary>
    None = 0,

    /// <summary>mDNS / DNS-SD on the local network (RFC 6762, RFC 6763).</summary>
    Mdns = 1,

    /// <summary>Listed in <see cref="MdnsOptions.StaticPeers"/> and answered a check.</summary>
    Static = 2,

    /// <summary>Through the rendezvous server (<see cref="MdnsOptions.RendezvousUrl"/>), or checked in with us as one.</summary>
    Rendezvous = 4,
}

/// <summary>One other FedChat server as this server knows it, a snapshot that never changes.</summary>
public sealed record PeerInfo
{
    /// <summary>Gets the peer's public base URL, e.g. <c>http://192.168.1.40:5080/</c>; it identifies the peer.</summary>
    public required Uri Url { get; init; }

    /// <summary>Gets the peer's display name, e.g. "bob".</summary>
    public required string Name { get; init; }

    /// <summary>Gets whether the peer is online.</summary>
    public PeerStatus Status { get; init; }

    /// <summary>Gets the sources that currently report the peer.</summary>
    public PeerSources Sources { get; init; }

    /// <summary>Gets when this server first heard of the peer.</summary>
    public DateTimeOffset FirstSeen { get; init; }

    /// <summary>Gets when the peer was last announced, answered or checked in.</summary>
    public DateTimeOffset LastSeen { get; init; }

    /// <summary>Gets the peer's software version (TXT key <c>version</c>), if it said.</summary>
    public string? Version { get; init; }

    /// <summary>Gets the peer's number of local users (TXT key <c>users</c>, or NodeInfo), if it said.</summary>
    public int? Users { get; init; }

    /// <summary>Gets the software the peer runs (NodeInfo <c>software.name</c>, e.g. <c>fedchat</c>, <c>mastodon</c>), once known.</summary>
    public string? Software { get; init; }

    /// <summary>
    /// Gets how far the peer's clock is ahead of ours (negative: behind), from the Date header of its
    /// NodeInfo answer; <see langword="null"/> until read. See <see cref="ClockCheck"/>.
    /// </summary>
    public TimeSpan? ClockOffset { get; init; }
}

/// <summary>What one source says about a peer at one moment.</summary>
/// <param name="Url">The peer's base URL.</param>
/// <param name="Name">The peer's display name.</param>
/// <param name="Source">Where this came from.</param>
/// <param name="Version">The software version, if known.</param>
/// <param name="Users">The number of users, if known.</param>
public sealed record PeerSighting(Uri Url, string Name, PeerSources Source, string? Version = null, int? Users = null)
{
    /// <summary>Turns a DNS-SD instance into a peer: the URL from TXT <c>url</c>, else from its address and port.</summary>
    /// <param name="instance">A discovered instance.</param>
    /// <returns>The sighting, or <see langword="null"/> when no URL can be made.</returns>
    public static PeerSighting? FromService(ServiceInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var txt = instance.Txt;
        Uri? url = null;
        if (txt.TryGetValue("url", out var text) && Uri.TryCreate(text, UriKind.Absolute, out var fromTxt) && PeerDirectory.IsUsableUrl(fromTxt))
        {
            url = fromTxt;
        }
        else if (instance.Addresses
            .Where(a => !(a.IsIPv6LinkLocal && a.ScopeId == 0)) // AAAA records carry no scope, and fe80:: without one cannot be opened
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).FirstOrDefault() is { } address)
        {
            url = new UriBuilder(Uri.UriSchemeHttp, address.ToString(), instance.Port).Uri;
        }

        if (url is null)
        {
            return null;
        }

        var name = txt.TryGetValue("name", out var n) && !string.IsNullOrWhiteSpace(n) ? n : instance.InstanceName;
        int? users = txt.TryGetValue("users", out var u) && int.TryParse(u, out var count) && count >= 0 ? count : null;
        return new PeerSighting(url, name, PeerSources.Mdns, txt.GetValueOrDefault("version"), users);
    }
}

