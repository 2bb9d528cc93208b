using System.Text.Json.Nodes;
using FedChat.Core.Identity;
using FedChat.Core.Storage.Entities;

namespace FedChat.Core.ActivityStreams;

/// <summary>
/// Builds the signed <c>Like</c>, <c>Announce</c> (boost) and <c>Undo</c> activities. Shapes follow
/// Mastodon: the <c>object</c> is the Note's id; a Like goes to the post's author only, a boost is
/// public and goes to the booster's followers and the author.
/// </summary>
public static class ReactionActivities
{
    /// <summary>Builds the signed Like or Announce for <paramref name="reaction"/> (a reaction by one of our users).</summary>
    public static JsonObject ToSigned(Reaction reaction, string postAuthorId, string boosterFollowers, ActorKeyPair keys) =>
        NoteActivities.Sign(ToActivity(reaction, postAuthorId, boosterFollowers), keys, reaction.ActorId, reaction.CreatedAt);

    /// <summary>Builds the signed <c>Undo</c> that takes <paramref name="reaction"/> back, addressed like the reaction was.</summary>
    public static JsonObject ToSignedUndo(Reaction reaction, string postAuthorId, string boosterFollowers, ActorKeyPair keys, DateTimeOffset when)
    {
        var original = ToActivity(reaction, postAuthorId, boosterFollowers);
        original.Remove("@context");
        var undo = NoteActivities.Activity(reaction.ActivityId + "/undo", "Undo", reaction.ActorId, original.DeepClone());
        undo["to"] = original["to"]!.DeepClone();
        undo["cc"] = original["cc"]!.DeepClone();
        return NoteActivities.Sign(undo, keys, reaction.ActorId, when);
    }

    /// <summary>The activity type for a kind of reaction: <c>Like</c> or <c>Announce</c>.</summary>
    public static string TypeOf(ReactionKind kind) => kind == ReactionKind.Like ? "Like" : "Announce";

    private static JsonObject ToActivity(Reaction reaction, string postAuthorId, string boosterFollowers)
    {
        var activity = NoteActivities.Activity(reaction.ActivityId, TypeOf(reaction.Kind), reaction.ActorId, reaction.ObjectId);
        activity["published"] = reaction.CreatedAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ");
        if (reaction.Kind == ReactionKind.Like)
        {
            // A like is a note to the author, not a public statement: it is not relayed.
            activity["to"] = ActivityStreamsJson.Strings(postAuthorId);
            activity["cc"] = new JsonArray();
        }
        else
        {
            activity["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public);
            activity["cc"] = ActivityStreamsJson.Strings(boosterFollowers, postAuthorId);
        }
        return activity;
    }
}
