using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;

namespace FedChat.Core.Forge;

/// <summary>The activities the forge lab starts from, as editable JSON text.</summary>
public static class ForgePosts
{
    // Indented, and without escaping "<" as \u003C, so students can read and edit the HTML content.
    private static readonly JsonSerializerOptions Readable = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// A <c>Create { Note }</c> that claims to be by <paramref name="claimedActorId"/>, with no proof:
    /// what a forger can write, because only the real author's key could make the proof.
    /// </summary>
    /// <param name="claimedActorId">The actor the forgery pretends to be, e.g. <c>http://b:5080/users/guilherme</c>.</param>
    /// <param name="text">The post's text.</param>
    /// <param name="now">The time to put in <c>published</c>; also makes the id unique.</param>
    /// <returns>The activity as indented JSON.</returns>
    public static string Forged(string claimedActorId, string text, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(claimedActorId);
        var when = now.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ");
        var noteId = $"{claimedActorId}/posts/{now.ToUnixTimeMilliseconds()}";
        var create = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Context,
            ["id"] = noteId + "/activity",
            ["type"] = "Create",
            ["actor"] = claimedActorId,
            ["published"] = when,
            ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
            ["object"] = new JsonObject
            {
                ["id"] = noteId,
                ["type"] = "Note",
                ["attributedTo"] = claimedActorId,
                ["content"] = NoteActivities.ToHtml(text),
                ["published"] = when,
                ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
            },
        };
        return ToText(create);
    }

    /// <summary>Formats an activity as indented, readable JSON.</summary>
    /// <param name="activity">The activity.</param>
    /// <returns>The JSON text.</returns>
    public static string ToText(JsonObject activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.ToJsonString(Readable);
    }

    /// <summary>Reads the activity's actor id as the inbox does: a string, or an object with an <c>id</c>.</summary>
    /// <param name="activity">The activity.</param>
    /// <returns>The actor id, or an empty string.</returns>
    public static string ActorOf(JsonObject activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity["actor"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var id) => id,
            JsonObject actor when actor["id"] is JsonValue id && id.TryGetValue<string>(out var text) => text,
            _ => "",
        };
    }

    /// <summary>
    /// Changes the post's text the way an attacker in the middle would: the object's <c>content</c>
    /// (or the activity's own), or, when there is none, an added <c>summary</c>.
    /// </summary>
    /// <param name="activity">The activity; changed in place.</param>
    /// <returns>What was changed, in words.</returns>
    public static string Tamper(JsonObject activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var holder = activity["object"] is JsonObject inner && inner["content"] is JsonValue ? inner : activity;
        if (holder["content"] is JsonValue content && content.TryGetValue<string>(out var text))
        {
            holder["content"] = text + "<p>(changed in transit)</p>";
            return "After signing, \"(changed in transit)\" was added to the content, and the Digest header was recomputed for the new body.";
        }
        activity["summary"] = "changed in transit";
        return "After signing, a \"summary\" was added to the activity, and the Digest header was recomputed for the new body.";
    }
}
