using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation;

/// <summary>
/// Sends what our users publish: to the servers of their followers (one delivery per server when it
/// offers a shared inbox) and, because every post is public, to every other FedChat server on the LAN
/// (see <see cref="RelayService"/>). All through the durable delivery queue, so nothing is lost if a
/// server is down.
/// </summary>
public sealed class OutboxPublisher(FollowService follows, RemoteActors remoteActors, RelayService relay, DeliveryQueue deliveries, ActorUrls urls, ILogger<OutboxPublisher> logger)
{
    /// <summary>Queues a public activity by <paramref name="username"/> for their followers and every other server on the LAN.</summary>
    public async Task PublishAsync(int userId, string username, string activityId, string activityJson, CancellationToken cancellationToken = default)
    {
        var inboxes = new List<Uri>();
        foreach (var follower in await follows.GetFollowersAsync(urls.ActorId(username), cancellationToken))
        {
            var actor = (await remoteActors.GetAsync(follower, cancellationToken)).Actor;
            if (actor is null)
            {
                logger.LogWarning("Cannot deliver {Activity} to follower {Follower}: their actor cannot be fetched", activityId, follower);
                continue;
            }
            inboxes.Add(DeliveryQueue.ChooseInbox(new Uri(actor.Inbox), actor.SharedInbox is null ? null : new Uri(actor.SharedInbox)));
        }
        // Every delivery carries the relay headers, so followers' servers know who else was sent it.
        var (relayInboxes, headers) = relay.Plan(null, inboxes);
        var queued = await deliveries.EnqueueAsync(activityId, activityJson, userId, [.. inboxes, .. relayInboxes], cancellationToken, headers);
        logger.LogInformation("Queued {Activity} for {Count} inbox(es): {Followers} of {User}'s followers, {Others} other servers",
            activityId, queued, inboxes.Count, username, relayInboxes.Count);
    }
}
