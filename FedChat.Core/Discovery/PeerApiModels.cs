namespace FedChat.Core.Discovery;

/// <summary>One server in the JSON of <c>GET /api/peers</c>.</summary>
/// <param name="Name">The display name.</param>
/// <param name="Url">The base URL.</param>
/// <param name="Status"><c>Online</c>, <c>Gone</c> or <c>Unreachable</c>.</param>
/// <param name="Version">The software version, if known.</param>
/// <param name="Users">The number of users, if known.</param>
/// <param name="Sources">How it was found, e.g. <c>Mdns, Static</c>; empty for the server itself.</param>
/// <param name="FirstSeen">When it was first seen; <see langword="null"/> for the server itself.</param>
/// <param name="LastSeen">When it was last seen; <see langword="null"/> for the server itself.</param>
public sealed record PeerSummary(string Name, string Url, string Status, string? Version, int? Users, string Sources, DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen)
{
    /// <summary>Converts a directory entry.</summary>
    /// <param name="peer">The peer.</param>
    /// <returns>The summary.</returns>
    public static PeerSummary From(PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return new(peer.Name, peer.Url.ToString(), peer.Status.ToString(), peer.Version, peer.Users, peer.Sources.ToString(), peer.FirstSeen, peer.LastSeen);
    }
}

/// <summary>What <c>GET /api/peers</c> and <c>POST /api/peers</c> return: the server itself and every peer it knows.</summary>
/// <param name="Self">The answering server.</param>
/// <param name="Peers">The peers it knows, online or not.</param>
public sealed record PeerListResponse(PeerSummary Self, IReadOnlyList<PeerSummary> Peers);

/// <summary>What a server sends to a rendezvous server with <c>POST /api/peers</c>: "I am here".</summary>
/// <param name="Url">The sender's public base URL (absolute http or https).</param>
/// <param name="Name">The sender's display name.</param>
/// <param name="Version">The sender's software version.</param>
/// <param name="Users">The sender's number of users.</param>
public sealed record PeerCheckIn(string? Url, string? Name, string? Version, int? Users)
{
    /// <summary>The longest URL accepted.</summary>
    public const int MaxUrlLength = 2048;

    /// <summary>The longest name or version accepted.</summary>
    public const int MaxTextLength = 100;

    /// <summary>Checks the check-in and turns it into a sighting.</summary>
    /// <param name="sighting">The sighting, when valid.</param>
    /// <returns>What is wrong, or <see langword="null"/> when it is valid.</returns>
    public string? Validate(out PeerSighting? sighting)
    {
        sighting = null;
        if (string.IsNullOrWhiteSpace(Url) || Url.Length > MaxUrlLength
            || !Uri.TryCreate(Url, UriKind.Absolute, out var url) || !PeerDirectory.IsUsableUrl(url))
        {
            return $"'url' must be an absolute http or https URL of at most {MaxUrlLength} characters.";
        }

        if (Name is { Length: > MaxTextLength } || Version is { Length: > MaxTextLength })
        {
            return $"'name' and 'version' may have at most {MaxTextLength} characters.";
        }

        if (Users is < 0 or > PeerDirectory.MaxUsers)
        {
            return $"'users' must be between 0 and {PeerDirectory.MaxUsers}.";
        }

        var name = string.IsNullOrWhiteSpace(Name) ? url.Authority : Name.Trim();
        sighting = new PeerSighting(url, name, PeerSources.Rendezvous, Version, Users);
        return null;
    }
}
