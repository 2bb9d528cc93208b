using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation;

/// <summary>
/// Sends what our users publish to the servers of their followers: one delivery per server when it
/// offers a shared inbox, through the durable delivery queue (so nothing is lost if a server is down).
/// </summary>
public sealed class OutboxPublisher(FollowService follows, RemoteActors remoteActors, DeliveryQueue deliveries, ActorUrls urls, ILogger<OutboxPublisher> logger)
{
    /// <summary>Queues <paramref name="activityJson"/> for every follower of <paramref name="username"/>.</summary>
    public async Task DeliverToFollowersAsync(int userId, string username, string activityId, string activityJson, CancellationToken cancellationToken = default)
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
        if (inboxes.Count == 0)
        {
            return;
        }
        var queued = await deliveries.EnqueueAsync(activityId, activityJson, userId, inboxes, cancellationToken);
        logger.LogInformation("Queued {Activity} for {Count} inbox(es) of {User}'s followers", activityId, queued, username);
    }
}
