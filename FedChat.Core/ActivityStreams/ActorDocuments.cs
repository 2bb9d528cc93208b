using System.Net;
using System.Text.Json.Nodes;
using FedChat.Core.Identity;
using FedChat.Core.Storage.Entities;

namespace FedChat.Core.ActivityStreams;

/// <summary>Builds the actor documents other servers fetch to learn who someone is and how to check their signatures.</summary>
public static class ActorDocuments
{
    /// <summary>
    /// The <c>Person</c> for a local user: names, inbox and outbox, the RSA key for HTTP Signatures
    /// (<c>publicKey</c>, as Mastodon reads it) and the Ed25519 and P-256 keys for proofs (<c>assertionMethod</c>, FEP-521a).
    /// </summary>
    public static JsonObject ToPerson(UserAccount user, ActorKeyPair keys, ActorUrls urls)
    {
        var id = urls.ActorId(user.Username);
        var person = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.SecurityContext,
                ActivityStreamsJson.DataIntegrityContext, ActivityStreamsJson.DidContext, ActivityStreamsJson.MultikeyContext),
            ["id"] = id,
            ["type"] = "Person",
            ["preferredUsername"] = user.Username,
            ["name"] = user.DisplayName,
            ["summary"] = string.IsNullOrEmpty(user.Bio) ? "" : $"<p>{WebUtility.HtmlEncode(user.Bio)}</p>",
            ["url"] = id,
            ["icon"] = new JsonObject { ["type"] = "Image", ["mediaType"] = "image/svg+xml", ["url"] = id + "/avatar.svg" },
            ["published"] = user.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["manuallyApprovesFollowers"] = user.ManuallyApprovesFollowers,
            ["discoverable"] = true,
            ["inbox"] = urls.Inbox(user.Username),
            ["outbox"] = urls.Outbox(user.Username),
            ["followers"] = urls.Followers(user.Username),
            ["following"] = urls.Following(user.Username),
            ["endpoints"] = new JsonObject { ["sharedInbox"] = urls.SharedInbox },
            ["publicKey"] = PublicKey(id, keys),
            ["assertionMethod"] = AssertionMethods(id, keys),
        };
        // Account moves, as Mastodon writes them: the new account lists the old one in alsoKnownAs,
        // and the old one points at the new one with movedTo.
        if (!string.IsNullOrWhiteSpace(user.AlsoKnownAs))
        {
            person["alsoKnownAs"] = ActivityStreamsJson.Strings(user.AlsoKnownAs.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        if (user.MovedTo is not null)
        {
            person["movedTo"] = user.MovedTo;
        }
        return person;
    }

    /// <summary>
    /// The server's own actor (type <c>Application</c>): it signs requests made on behalf of the server
    /// as a whole, such as fetching another actor's key, and relayed deliveries.
    /// </summary>
    public static JsonObject ToInstanceActor(InstanceInfo instance, ActorKeyPair keys, ActorUrls urls)
    {
        var id = urls.InstanceActorId;
        return new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.SecurityContext,
                ActivityStreamsJson.DataIntegrityContext, ActivityStreamsJson.DidContext, ActivityStreamsJson.MultikeyContext),
            ["id"] = id,
            ["type"] = "Application",
            ["preferredUsername"] = instance.Authority,
            ["name"] = instance.Name,
            ["summary"] = "The FedChat server itself. It signs requests made for the whole server.",
            ["url"] = urls.Url(""),
            ["manuallyApprovesFollowers"] = true,
            ["inbox"] = urls.SharedInbox,
            ["outbox"] = id + "/outbox",
            ["endpoints"] = new JsonObject { ["sharedInbox"] = urls.SharedInbox },
            ["publicKey"] = PublicKey(id, keys),
            ["assertionMethod"] = AssertionMethods(id, keys),
        };
    }

    private static JsonObject PublicKey(string actorId, ActorKeyPair keys) => new()
    {
        ["id"] = ActorUrls.RsaKeyId(actorId),
        ["owner"] = actorId,
        ["publicKeyPem"] = keys.RsaPublicKeyPem,
    };

    /// <summary>
    /// The keys that may sign this actor's proofs (FEP-521a): the Ed25519 Multikey (what FedChat signs
    /// with now, and what Fedify verifies), then the P-256 key, so older FedChat posts keep verifying.
    /// </summary>
    /// <remarks>
    /// The P-256 entry has no <c>type</c> on purpose: Fedify 2.3 refuses a whole actor document when
    /// <c>assertionMethod</c> holds a <c>Multikey</c> of a kind it does not know ("Unsupported key type
    /// 0x1200"), while an untyped entry is kept as a reference and skipped. FedChat reads entries by id.
    /// </remarks>
    private static JsonArray AssertionMethods(string actorId, ActorKeyPair keys)
    {
        var legacy = Multikey(ActorUrls.EcKeyId(actorId), actorId, keys.EcPublicKeyMultibase);
        legacy.Remove("type");
        return new(Multikey(ActorUrls.EdKeyId(actorId), actorId, keys.EdPublicKeyMultibase), legacy);
    }

    private static JsonObject Multikey(string keyId, string actorId, string publicKeyMultibase) => new()
    {
        ["id"] = keyId,
        ["type"] = "Multikey",
        ["controller"] = actorId,
        ["publicKeyMultibase"] = publicKeyMultibase,
    };
}
