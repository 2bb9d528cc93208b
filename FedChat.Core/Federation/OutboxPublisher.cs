using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation;

/// <summary>
/// Sends what our users publish, to exactly the audience the activity names in <c>to</c> and <c>cc</c>:
/// the author's followers when their collection is named (one delivery per server when it offers a
/// shared inbox), each named actor on another server, and, only when the activity is public, every
/// other FedChat server on the LAN (see <see cref="RelayService"/>). A direct message names neither
/// Public nor the followers, so it reaches the people it names and nobody else. All through the
/// durable delivery queue, so nothing is lost if a server is down.
/// </summary>
public sealed class OutboxPublisher(FollowService follows, RemoteActors remoteActors, RelayService relay, DeliveryQueue deliveries, ActorUrls urls, ILogger<OutboxPublisher> logger)
{
    /// <summary>Queues an activity by <paramref name="username"/> for the audience in its <c>to</c> and <c>cc</c>.</summary>
    public async Task PublishAsync(int userId, string username, string activityId, string activityJson, CancellationToken cancellationToken = default)
    {
        var activity = JsonNode.Parse(activityJson)!.AsObject();
        var audience = ActivityStreamsJson.Audience(activity);
        var isPublic = ActivityStreamsJson.IsPublic(activity);
        var followersId = urls.Followers(username);

        var recipients = new List<string>();
        if (audience.Contains(followersId))
        {
            recipients.AddRange(await follows.GetFollowersAsync(urls.ActorId(username), cancellationToken));
        }
        // Named actors on other servers (mentions, addressees, a liked post's author). Our own users
        // need no delivery: they read this server's database.
        recipients.AddRange(audience.Where(id => id != followersId && !ActivityStreamsJson.IsPublicId(id) && !id.StartsWith(urls.Url(""), StringComparison.Ordinal)));

        // Only public activities may use a shared inbox: a direct message goes to each person's own.
        var inboxes = await remoteActors.InboxesOfAsync(recipients, sharedInboxAllowed: isPublic, cancellationToken);

        // Only public activities are relayed; every delivery of one carries the relay headers, so
        // followers' servers know who else was sent it.
        var (relayInboxes, headers) = isPublic ? relay.Plan(null, inboxes) : ([], null);
        var queued = await deliveries.EnqueueAsync(activityId, activityJson, userId, [.. inboxes, .. relayInboxes], cancellationToken, headers);
        logger.LogInformation("Queued {Activity} for {Count} inbox(es): {Named} named or following {User}, {Others} other servers",
            activityId, queued, inboxes.Count, username, relayInboxes.Count);
    }
}
