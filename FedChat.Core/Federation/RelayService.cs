using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Discovery;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation;

/// <summary>
/// Relay: public activities reach every FedChat server on the LAN, not only the servers of followers,
/// without a central relay and without N² messages.
/// </summary>
/// <remarks>
/// The algorithm ("covered set"): every delivery of a public activity carries two headers, the path of
/// servers that carried it and the set of servers already sent it. A server that sees the activity for
/// the first time sends it on only to the servers it knows that are not yet covered, adding them to the
/// set. Each server forwards at most once (duplicates are dropped by activity id before this runs), and
/// nobody is sent it by a server that knew it was covered. Where everyone knows everyone (the usual
/// case with mDNS) the origin alone sends N−1 messages and nobody forwards; where servers know only part
/// of the room, the activity spreads along the gaps. A hop limit stops any loop. The original activity
/// is forwarded unchanged, so the author's proof still verifies; the relaying server signs only the
/// transport, as its instance actor.
/// </remarks>
public sealed class RelayService(PeerDirectory peers, InstanceInfo instance, DeliveryQueue deliveries, ILogger<RelayService> logger)
{
    /// <summary>The most servers an activity may pass through.</summary>
    public const int MaxHops = 8;

    /// <summary>
    /// Works out the relay targets and headers for a public activity this server has for the first time:
    /// its own (<paramref name="received"/> null) or one that arrived (with the headers it came with).
    /// <paramref name="alreadyTargeted"/> are servers the caller is delivering to anyway (followers).
    /// </summary>
    public (IReadOnlyList<Uri> Inboxes, RelayHeaders? Headers) Plan(RelayHeaders? received, IEnumerable<Uri> alreadyTargeted)
    {
        var self = PeerDirectory.KeyOf(instance.BaseUrl);
        var path = RelayHeaders.Split(received?.Path);
        path.Add(self);
        if (path.Count > MaxHops)
        {
            logger.LogInformation("Not relaying further: the activity already passed {Hops} servers", path.Count - 1);
            return ([], null);
        }
        var covered = new HashSet<string>(RelayHeaders.Split(received?.Covered), StringComparer.Ordinal);
        covered.UnionWith(path);
        covered.UnionWith(alreadyTargeted.Select(PeerDirectory.KeyOf));
        var targets = peers.Peers
            .Where(p => p.Status == PeerStatus.Online && p.Software is null or "fedchat")
            .Select(p => PeerDirectory.KeyOf(p.Url))
            .Where(key => !covered.Contains(key))
            .Distinct()
            .ToList();
        covered.UnionWith(targets);
        var headers = new RelayHeaders(string.Join(' ', path), string.Join(' ', covered.Order(StringComparer.Ordinal)));
        return ([.. targets.Select(key => new Uri(key + "/inbox"))], headers);
    }

    /// <summary>Sends a received public activity on to the servers not yet covered (signed as the instance actor).</summary>
    public async Task RelayOnwardAsync(JsonObject activity, string activityId, RelayHeaders? received, CancellationToken cancellationToken)
    {
        // Only activities that carry their author's proof can be relayed: receivers must be able to
        // check the author, since the relaying server is not the author.
        if (activity["proof"] is null)
        {
            return;
        }
        // Never pass on what was not meant for everyone: a direct message, a like.
        if (!ActivityStreamsJson.IsPublic(activity))
        {
            return;
        }
        var (inboxes, headers) = Plan(received, []);
        if (inboxes.Count == 0)
        {
            return;
        }
        await deliveries.EnqueueAsync(activityId, activity.ToJsonString(), signerUserId: null, inboxes, cancellationToken, headers);
        logger.LogInformation("Relaying {ActivityId} to {Count} more server(s)", activityId, inboxes.Count);
    }
}
