using System.Text;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;

namespace FedChat.Core.Federation.Inbox;

/// <summary>
/// The rules an activity must keep once we know who sent it: an actor speaks only for things on its
/// own server, and only for what it wrote itself. Pure functions, so each rule is easy to test.
/// </summary>
public static class ActivityRules
{
    /// <summary>The longest id (URL) accepted; real ids are far shorter.</summary>
    public const int MaxIdLength = 2048;

    /// <summary>The largest activity JSON kept as it came, in bytes; larger ones are kept as a short summary.</summary>
    public const int MaxStoredJsonBytes = 64 * 1024;

    /// <summary>
    /// Checks that <paramref name="actorId"/> may say this activity. Returns the reason when it may not.
    /// <list type="bullet">
    /// <item>The activity's id is on the actor's origin (scheme, host and port): otherwise anyone could
    /// take an id first and make the real activity look like a duplicate (FEP-fe34, same-origin rule).</item>
    /// <item>For Create, Update and Delete the object's id is on the actor's origin too: mallory cannot
    /// create, edit or delete <c>http://bob-server/users/bob/posts/1</c>.</item>
    /// <item>An object the activity carries is written by the actor: every <c>attributedTo</c> entry,
    /// however it is written (a string, an object, a list), names the actor. Likes and boosts carry
    /// someone else's post, so they are the exception.</item>
    /// </list>
    /// </summary>
    public static string? CheckAuthorship(JsonObject activity, string activityId, string type, string actorId)
    {
        if (!SameOrigin(activityId, actorId))
        {
            return $"The activity's id {activityId} is not on the server of its actor {actorId}; an actor can only name activities on its own server.";
        }
        if (type is "Create" or "Update" or "Delete")
        {
            var objectId = ActivityStreamsJson.IdOf(activity["object"]);
            if (objectId is null)
            {
                return $"The {type} has no object id.";
            }
            if (!SameOrigin(objectId, actorId))
            {
                return $"The object {objectId} is not on the server of {actorId}; an actor can only {type.ToLowerInvariant()} objects on its own server.";
            }
        }
        if (type is not ("Announce" or "Like") && activity["object"] is JsonObject inner)
        {
            var authors = AuthorsOf(inner["attributedTo"]);
            var stranger = authors.FirstOrDefault(author => author != actorId);
            if (stranger is not null || (inner.ContainsKey("attributedTo") && authors.Count == 0))
            {
                return $"The activity is from {actorId} but its object says it was written by {stranger ?? "someone it does not name"}.";
            }
        }
        return null;
    }

    /// <summary>The ids in an <c>attributedTo</c>: a string, an object with an id, or a list of those.</summary>
    public static IReadOnlyList<string> AuthorsOf(JsonNode? attributedTo) => attributedTo switch
    {
        null => [],
        JsonArray list => [.. list.Select(item => ActivityStreamsJson.IdOf(item) ?? "")],
        _ => [ActivityStreamsJson.IdOf(attributedTo) ?? ""],
    };

    /// <summary>Whether two URLs have the same origin: scheme, host and port (RFC 6454).</summary>
    public static bool SameOrigin(string a, string b) =>
        Uri.TryCreate(a, UriKind.Absolute, out var first) && Uri.TryCreate(b, UriKind.Absolute, out var second)
        && Uri.Compare(first, second, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0;

    /// <summary>Whether <paramref name="text"/> is an http or https URL no longer than <see cref="MaxIdLength"/>.</summary>
    public static bool IsHttpUrl(string text) =>
        text.Length <= MaxIdLength && Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https";

    /// <summary>
    /// The activity JSON to keep in the database: as it came when it is small (nearly always), else a
    /// short summary, so that a stranger's megabyte-sized activities cannot fill the disk.
    /// </summary>
    public static string JsonToKeep(byte[] body, string id, string type, string actorId) =>
        body.Length <= MaxStoredJsonBytes
            ? Encoding.UTF8.GetString(body)
            : new JsonObject
            {
                ["id"] = id,
                ["type"] = type,
                ["actor"] = actorId,
                ["fedchatNote"] = $"The activity was {body.Length} bytes; only this summary is kept (the limit is {MaxStoredJsonBytes}).",
            }.ToJsonString();
}
