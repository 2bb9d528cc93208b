namespace FedChat.Core.Identity;

/// <summary>
/// The URLs that identify actors and their collections on this server. An ActivityPub id is a URL
/// that anyone can fetch, so every id here is built from the server's public base URL.
/// </summary>
public sealed class ActorUrls(InstanceInfo instance)
{
    /// <summary>The actor id of a user, e.g. <c>http://192.168.1.23:5080/users/alice</c>. It is also the profile page.</summary>
    public string ActorId(string username) => Url($"users/{username}");

    /// <summary>The user's personal inbox.</summary>
    public string Inbox(string username) => Url($"users/{username}/inbox");

    /// <summary>The user's outbox: everything they published.</summary>
    public string Outbox(string username) => Url($"users/{username}/outbox");

    /// <summary>The collection of the user's followers.</summary>
    public string Followers(string username) => Url($"users/{username}/followers");

    /// <summary>The collection of the actors the user follows.</summary>
    public string Following(string username) => Url($"users/{username}/following");

    /// <summary>The id of a post's Note object.</summary>
    public string NoteId(string username, long postId) => Url($"users/{username}/posts/{postId}");

    /// <summary>Reads an actor id of this server (<c>…/users/alice</c>) back into the username; false for any other URL.</summary>
    public bool TryParseActorId(string? actorId, out string username)
    {
        var prefix = ActorId("");
        username = actorId is not null && actorId.StartsWith(prefix, StringComparison.Ordinal) ? actorId[prefix.Length..] : "";
        return username.Length > 0 && !username.Contains('/') && !username.Contains('#');
    }

    /// <summary>Reads a Note id of this server back into the author's username and post id; false for any other URL.</summary>
    public bool TryParseNoteId(string? noteId, out string username, out long postId)
    {
        (username, postId) = ("", 0);
        var prefix = Url("users/");
        if (noteId is null || !noteId.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var parts = noteId[prefix.Length..].Split('/');
        if (parts.Length != 3 || parts[1] != "posts" || !long.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out postId))
        {
            return false;
        }
        username = parts[0];
        return true;
    }

    /// <summary>The id of the Create activity that published a post.</summary>
    public string CreateActivityId(string username, long postId) => NoteId(username, postId) + "/activity";

    /// <summary>The server-wide inbox that accepts deliveries for every user (one request instead of many).</summary>
    public string SharedInbox => Url("inbox");

    /// <summary>The server's own actor (type Application), used to sign server-level requests.</summary>
    public string InstanceActorId => Url("actor");

    /// <summary>The key id of an actor's RSA key: the actor id with <c>#main-key</c>, as Mastodon does.</summary>
    public static string RsaKeyId(string actorId) => actorId + "#main-key";

    /// <summary>The id of an actor's P-256 key in <c>assertionMethod</c> (FEP-521a).</summary>
    public static string EcKeyId(string actorId) => actorId + "#ecdsa-p256";

    /// <summary>The id of an actor's Ed25519 key in <c>assertionMethod</c> (FEP-521a): what its proofs name.</summary>
    public static string EdKeyId(string actorId) => actorId + "#ed25519-key";

    /// <summary>Tells whether an id is one of this server's (a user, a post, a collection here), by its URL.</summary>
    public bool IsOurs(string id) => id.StartsWith(Url(""), StringComparison.Ordinal);

    /// <summary>Builds an absolute URL on this server.</summary>
    public string Url(string relative) => new Uri(instance.BaseUrl, relative).ToString();
}
