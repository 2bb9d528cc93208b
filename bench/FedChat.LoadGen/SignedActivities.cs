using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Signing;

namespace FedChat.LoadGen;

/// <summary>One request, signed ahead of time, and what the inbox must answer.</summary>
/// <param name="ActivityId">The activity's id.</param>
/// <param name="ObjectId">The Note's id.</param>
/// <param name="Request">The signed request, sent exactly as it is.</param>
/// <param name="Tampered">True when the body was changed after signing: the inbox must refuse it.</param>
internal sealed record SignedActivity(string ActivityId, string ObjectId, SignableRequest Request, bool Tampered);

/// <summary>
/// Makes the load: distinct <c>Create(Note)</c> activities of about 620 bytes, each signed with
/// draft-cavage (rsa-sha256 over <c>(request-target) host date digest</c>) before the clock starts, so
/// the generator spends its time sending, not signing.
/// </summary>
internal static class SignedActivities
{
    /// <summary>Signs <paramref name="count"/> activities numbered from <paramref name="first"/>.</summary>
    public static List<SignedActivity> Sign(RemoteActorServer actor, Uri inbox, string runTag, int first, int count)
    {
        var list = new List<SignedActivity>(count);
        for (var i = first; i < first + count; i++)
        {
            var (activityId, objectId, body) = Body(actor.ActorId, runTag, i, "A post from the load generator, number " + i.ToString(CultureInfo.InvariantCulture));
            list.Add(new SignedActivity(activityId, objectId, SignRequest(actor, inbox, body), Tampered: false));
        }
        return list;
    }

    /// <summary>
    /// Signs activities and then changes one character of the text, as an attacker on the path would:
    /// the digest no longer matches, so each must get a 401 and leave no row.
    /// </summary>
    public static List<SignedActivity> SignTampered(RemoteActorServer actor, Uri inbox, string runTag, int first, int count)
    {
        var list = new List<SignedActivity>(count);
        for (var i = first; i < first + count; i++)
        {
            var (activityId, objectId, body) = Body(actor.ActorId, runTag, i, "An honest text, number " + i.ToString(CultureInfo.InvariantCulture));
            var signed = SignRequest(actor, inbox, body);
            var forged = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("An honest text", "A forged text!", StringComparison.Ordinal));
            list.Add(new SignedActivity(activityId, objectId, new SignableRequest(signed.Method, signed.Url, signed.Headers, forged), Tampered: true));
        }
        return list;
    }

    private static SignableRequest SignRequest(RemoteActorServer actor, Uri inbox, byte[] body)
    {
        var unsigned = new SignableRequest("POST", inbox, [new("Content-Type", ActivityStreamsJson.MediaType)], body);
        return DraftCavageSignatures.SignRequest(unsigned, actor.Key, actor.KeyId, TimeProvider.System);
    }

    private static (string ActivityId, string ObjectId, byte[] Body) Body(string actorId, string runTag, int number, string text)
    {
        var objectId = $"{actorId}/notes/{runTag}-{number}";
        var activityId = objectId + "/activity";
        // Padding brings the body to about 620 bytes, the size of a short real post.
        var padded = text + " " + new string('x', Math.Max(0, 150 - text.Length - actorId.Length));
        var activity = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Context,
            ["id"] = activityId,
            ["type"] = "Create",
            ["actor"] = actorId,
            ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
            ["object"] = new JsonObject
            {
                ["id"] = objectId,
                ["type"] = "Note",
                ["attributedTo"] = actorId,
                ["content"] = padded,
                ["published"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
            },
        };
        return (activityId, objectId, Encoding.UTF8.GetBytes(activity.ToJsonString()));
    }
}
