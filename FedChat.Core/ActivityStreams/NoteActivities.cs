using System.Net;
using System.Text.Json.Nodes;
using FedChat.Core.Identity;
using FedChat.Core.Signing;

namespace FedChat.Core.ActivityStreams;

/// <summary>Someone a post names: their actor id and handle, e.g. <c>@bob@192.168.1.24:5080</c>.</summary>
/// <param name="ActorId">The actor's id (a URL).</param>
/// <param name="Handle">The handle as shown, with the leading @.</param>
public sealed record Mention(string ActorId, string Handle);

/// <summary>Who a Note is for and what it answers.</summary>
/// <param name="Mentions">The people the post names; they get it too.</param>
/// <param name="IsDirect">A direct message: only the mentioned people, never Public, never the followers.</param>
/// <param name="InReplyTo">The id of the Note this one answers, or <c>null</c>.</param>
public sealed record NoteAddressing(IReadOnlyList<Mention> Mentions, bool IsDirect = false, string? InReplyTo = null)
{
    /// <summary>A public post that names nobody and answers nothing.</summary>
    public static readonly NoteAddressing Public = new([]);
}

/// <summary>Turns a local post into the signed ActivityPub activities that carry it: Create, Update, Delete.</summary>
public static class NoteActivities
{
    /// <summary>Builds <c>Create { Note }</c> for a public post that mentions nobody (see the overload).</summary>
    public static JsonObject ToSignedCreateActivity(string username, long postId, string content, DateTimeOffset published, ActorKeyPair keys, ActorUrls urls) =>
        ToSignedCreateActivity(username, postId, content, published, NoteAddressing.Public, keys, urls);

    /// <summary>
    /// Builds <c>Create { Note }</c> and signs it with the author's P-256 key (FEP-8b32
    /// <c>DataIntegrityProof</c>, cryptosuite <c>ecdsa-jcs-2019</c>), so any server that receives it,
    /// directly or relayed, can check it was written by the author and not changed.
    /// A public post goes <c>to</c> Public, <c>cc</c> the followers and the mentioned; a direct message goes
    /// <c>to</c> the mentioned only.
    /// </summary>
    public static JsonObject ToSignedCreateActivity(string username, long postId, string content, DateTimeOffset published, NoteAddressing addressing, ActorKeyPair keys, ActorUrls urls)
    {
        var note = ToNote(username, postId, content, published, addressing, urls);
        var create = Activity(urls.CreateActivityId(username, postId), "Create", urls.ActorId(username), note);
        create["published"] = note["published"]!.DeepClone();
        return Sign(create, keys, urls.ActorId(username), published);
    }

    /// <summary>
    /// Builds <c>Update { Note }</c> after the author edited a post: the Note as first published, with the
    /// new content and an <c>updated</c> time, addressed like the original. Signed like the Create.
    /// </summary>
    public static JsonObject ToSignedUpdateActivity(JsonObject originalNote, string content, DateTimeOffset edited, ActorKeyPair keys)
    {
        var note = (JsonObject)originalNote.DeepClone();
        note["content"] = ToHtml(content);
        note["updated"] = Timestamp(edited);
        var actorId = (string)note["attributedTo"]!;
        // Each edit is a new activity, so each needs its own id (receivers drop repeated ids).
        var update = Activity($"{note["id"]}#updates/{edited.ToUnixTimeMilliseconds()}", "Update", actorId, note);
        return Sign(update, keys, actorId, edited);
    }

    /// <summary>
    /// Builds <c>Delete { Tombstone }</c> for a post its author removed, addressed like the post was
    /// (<paramref name="originalNote"/>), signed like the Create, so servers that show the post can check
    /// the deletion really comes from the author.
    /// </summary>
    public static JsonObject ToSignedDeleteActivity(JsonObject originalNote, DateTimeOffset when, ActorKeyPair keys)
    {
        var noteId = (string)originalNote["id"]!;
        var actorId = (string)originalNote["attributedTo"]!;
        var delete = Activity(noteId + "#delete", "Delete", actorId, new JsonObject { ["id"] = noteId, ["type"] = "Tombstone" });
        CopyAudience(originalNote, delete);
        return Sign(delete, keys, actorId, when);
    }

    /// <summary>Builds the Note itself, with <c>inReplyTo</c> and a <c>Mention</c> tag per person named.</summary>
    public static JsonObject ToNote(string username, long postId, string content, DateTimeOffset published, NoteAddressing addressing, ActorUrls urls)
    {
        var mentioned = addressing.Mentions.Select(m => m.ActorId).Distinct().ToArray();
        var note = new JsonObject
        {
            ["id"] = urls.NoteId(username, postId),
            ["type"] = "Note",
            ["attributedTo"] = urls.ActorId(username),
            ["content"] = ToHtml(content),
            ["published"] = Timestamp(published),
            ["url"] = urls.NoteId(username, postId),
            // A direct message is for the people named and nobody else: no Public, no followers.
            ["to"] = addressing.IsDirect ? ActivityStreamsJson.Strings(mentioned) : ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
            ["cc"] = addressing.IsDirect ? new JsonArray() : ActivityStreamsJson.Strings([urls.Followers(username), .. mentioned]),
            // Mastodon's shape for mentions: { type: Mention, href: actor id, name: @user@host }.
            ["tag"] = new JsonArray([.. addressing.Mentions.Select(m => (JsonNode)new JsonObject
            {
                ["type"] = "Mention",
                ["href"] = m.ActorId,
                ["name"] = m.Handle,
            })]),
        };
        if (addressing.InReplyTo is not null)
        {
            note["inReplyTo"] = addressing.InReplyTo;
        }
        return note;
    }

    /// <summary>
    /// ActivityStreams <c>content</c> is HTML. Our posts are plain text: escape it, so nothing a user
    /// types can become markup on another server, and keep line breaks.
    /// </summary>
    public static string ToHtml(string plainText) =>
        "<p>" + WebUtility.HtmlEncode(plainText).Replace("\r\n", "\n").Replace("\n", "<br>") + "</p>";

    /// <summary>Builds <c>{ @context, id, type, actor, to, cc, object }</c>, addressed like <paramref name="object"/> when it is a Note.</summary>
    internal static JsonObject Activity(string id, string type, string actorId, JsonNode @object)
    {
        var activity = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.DataIntegrityContext),
            ["id"] = id,
            ["type"] = type,
            ["actor"] = actorId,
        };
        if (@object is JsonObject note)
        {
            CopyAudience(note, activity);
        }
        activity["object"] = @object;
        return activity;
    }

    /// <summary>
    /// Signs with the actor's Ed25519 key (FEP-8b32, cryptosuite eddsa-jcs-2022), so relayed copies
    /// still prove who wrote them, to FedChat and to Fedify alike.
    /// </summary>
    internal static JsonObject Sign(JsonObject activity, ActorKeyPair keys, string actorId, DateTimeOffset when) =>
        ObjectProofs.CreateProof(activity, keys.Ed25519, ActorUrls.EdKeyId(actorId), when);

    private static void CopyAudience(JsonObject from, JsonObject to)
    {
        to["to"] = from["to"]?.DeepClone() ?? new JsonArray();
        to["cc"] = from["cc"]?.DeepClone() ?? new JsonArray();
    }

    // Milliseconds included (RFC 3339 allows fractions): posts written within one second must keep
    // their order on the servers that receive them.
    private static string Timestamp(DateTimeOffset when) =>
        when.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
