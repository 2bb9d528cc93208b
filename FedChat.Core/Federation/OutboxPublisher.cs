using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Federation;

/// <summary>
/// Sends what our users publish, to exactly the audience the activity names in <c>to</c> and <c>cc</c>:
/// the author's followers on other servers when their collection is named (one delivery per server when
/// it offers a shared inbox), each named actor on another server, and, only when the activity is public, every
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

        // The followers, when their collection is named, and the actors named (mentions, addressees,
        // a liked post's author).
        var audienceActors = new List<string>();
        if (audience.Contains(followersId))
        {
            audienceActors.AddRange(await follows.GetFollowersAsync(urls.ActorId(username), cancellationToken));
        }
        audienceActors.AddRange(audience.Where(id => id != followersId && !ActivityStreamsJson.IsPublicId(id)));
        // Only those on other servers get an HTTP delivery. Our own users, followers included, already
        // have it: their Home timeline reads this server's posts, likes and boosts from the database,
        // and open pages hear of new ones from the event feed. Sent to our own inbox, it would cost a
        // signed request and a key fetch, and the inbox would drop it as our own.
        var recipients = audienceActors.Where(id => !urls.IsOurs(id));

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
