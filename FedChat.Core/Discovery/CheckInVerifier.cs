using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Discovery;

/// <summary>
/// Checks a rendezvous check-in (<c>POST /api/peers</c>) before the server goes on the map: the URL it
/// claims must be on the address the request came from, and that URL must answer with a NodeInfo
/// document. Otherwise anyone could put any name, any number of users and any URL on everyone's map.
/// </summary>
/// <param name="nodeInfo">Reads the claimed server's NodeInfo, from its own URL.</param>
/// <param name="logger">Where refused check-ins are logged.</param>
/// <param name="resolveTimeout">How long a host name in the claimed URL may take to resolve; 3 s when null.</param>
public sealed class CheckInVerifier(NodeInfoClient nodeInfo, ILogger<CheckInVerifier> logger, TimeSpan? resolveTimeout = null)
{
    /// <summary>
    /// Verifies a check-in that already passed <see cref="PeerCheckIn.Validate"/>, in this order: same
    /// host as the request (so we only ever contact the sender itself), then its NodeInfo.
    /// </summary>
    /// <param name="sighting">What the check-in claims.</param>
    /// <param name="from">The address the request came from.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>The sighting with what the server's own NodeInfo says, or why it was refused.</returns>
    public async Task<(PeerSighting? Sighting, string? Error)> VerifyAsync(PeerSighting sighting, IPAddress? from, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sighting);
        if (from is null || !await IsHostOfAsync(sighting.Url.Host, Normalize(from), cancellationToken))
        {
            logger.LogInformation("Refused a check-in for {Url} from {Address}: not the same host.", sighting.Url, from);
            return (null, $"The check-in came from {from}, but the URL names {sighting.Url.Host}: a server can only check itself in.");
        }
        if (await nodeInfo.FetchAsync(sighting.Url, cancellationToken) is not { } metadata)
        {
            logger.LogInformation("Refused a check-in for {Url}: no NodeInfo there.", sighting.Url);
            return (null, $"{sighting.Url} did not answer with a NodeInfo document (/.well-known/nodeinfo), so it was not added.");
        }
        // The server's own document wins over what the check-in said about it.
        return (sighting with
        {
            Name = string.IsNullOrWhiteSpace(metadata.Name) ? sighting.Name : metadata.Name,
            Version = metadata.Version ?? sighting.Version,
            Users = metadata.Users ?? sighting.Users,
        }, null);
    }

    // Is `address` one of the addresses of `host` (an IP literal, or a name to resolve)?
    private async Task<bool> IsHostOfAsync(string host, IPAddress address, CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return Normalize(literal).Equals(address);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(resolveTimeout ?? TimeSpan.FromSeconds(3));
        try
        {
            var addresses = await System.Net.Dns.GetHostAddressesAsync(host, deadline.Token);
            return addresses.Select(Normalize).Contains(address);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    // IPv4 clients may arrive as ::ffff:a.b.c.d on a dual-stack socket.
    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
