using System.Net;
using System.Text.Json.Nodes;
using FedChat.Core.Identity;
using FedChat.Core.Signing;

namespace FedChat.Core.ActivityStreams;

/// <summary>Turns a local post into the signed ActivityPub <c>Create</c> activity that carries it.</summary>
public static class NoteActivities
{
    /// <summary>
    /// Builds <c>Create { Note }</c> for a public post and signs it with the author's P-256 key
    /// (FEP-8b32 <c>DataIntegrityProof</c>, cryptosuite <c>ecdsa-jcs-2019</c>), so any server that
    /// receives it, directly or relayed, can check it was written by the author and not changed.
    /// </summary>
    public static JsonObject ToSignedCreateActivity(string username, long postId, string content, DateTimeOffset published, ActorKeyPair keys, ActorUrls urls)
    {
        var actorId = urls.ActorId(username);
        var when = published.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ");
        var note = new JsonObject
        {
            ["id"] = urls.NoteId(username, postId),
            ["type"] = "Note",
            ["attributedTo"] = actorId,
            ["content"] = ToHtml(content),
            ["published"] = when,
            ["url"] = urls.NoteId(username, postId),
            ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
            ["cc"] = ActivityStreamsJson.Strings(urls.Followers(username)),
        };
        var create = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.DataIntegrityContext),
            ["id"] = urls.CreateActivityId(username, postId),
            ["type"] = "Create",
            ["actor"] = actorId,
            ["published"] = when,
            ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
            ["cc"] = ActivityStreamsJson.Strings(urls.Followers(username)),
            ["object"] = note,
        };
        return ObjectProofs.CreateProof(create, keys.Ecdsa, ActorUrls.EcKeyId(actorId), published);
    }

    /// <summary>
    /// Builds <c>Delete { Tombstone }</c> for a post its author removed, signed like the Create, so
    /// servers that show the post can check the deletion really comes from the author.
    /// </summary>
    public static JsonObject ToSignedDeleteActivity(string username, string noteId, DateTimeOffset when, ActorKeyPair keys, ActorUrls urls)
    {
        var actorId = urls.ActorId(username);
        var delete = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.DataIntegrityContext),
            ["id"] = noteId + "#delete",
            ["type"] = "Delete",
            ["actor"] = actorId,
            ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
            ["object"] = new JsonObject { ["id"] = noteId, ["type"] = "Tombstone" },
        };
        return ObjectProofs.CreateProof(delete, keys.Ecdsa, ActorUrls.EcKeyId(actorId), when);
    }

    /// <summary>
    /// ActivityStreams <c>content</c> is HTML. Our posts are plain text: escape it, so nothing a user
    /// types can become markup on another server, and keep line breaks.
    /// </summary>
    public static string ToHtml(string plainText) =>
        "<p>" + WebUtility.HtmlEncode(plainText).Replace("\r\n", "\n").Replace("\n", "<br>") + "</p>";
}
