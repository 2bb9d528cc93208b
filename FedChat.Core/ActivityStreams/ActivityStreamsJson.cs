using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace FedChat.Core.ActivityStreams;

/// <summary>Names and media types of ActivityStreams 2.0 / ActivityPub JSON.</summary>
public static class ActivityStreamsJson
{
    /// <summary>The ActivityStreams JSON-LD context.</summary>
    public const string Context = "https://www.w3.org/ns/activitystreams";

    /// <summary>The security vocabulary that defines <c>publicKey</c> (what Mastodon reads).</summary>
    public const string SecurityContext = "https://w3id.org/security/v1";

    /// <summary>The Data Integrity context that defines <c>proof</c> (FEP-8b32).</summary>
    public const string DataIntegrityContext = "https://w3id.org/security/data-integrity/v1";

    /// <summary>
    /// The DID context that defines <c>assertionMethod</c> (FEP-521a). JSON-LD readers such as Fedify
    /// do not see an actor's <c>assertionMethod</c> at all without it.
    /// </summary>
    public const string DidContext = "https://www.w3.org/ns/did/v1";

    /// <summary>The Multikey context that defines <c>publicKeyMultibase</c> (FEP-521a).</summary>
    public const string MultikeyContext = "https://w3id.org/security/multikey/v1";

    /// <summary>The special "everyone" audience of public posts.</summary>
    public const string Public = "https://www.w3.org/ns/activitystreams#Public";

    /// <summary>The media type servers send and ask for.</summary>
    public const string MediaType = "application/activity+json";

    /// <summary>The other media type ActivityPub allows (ActivityPub §3.2).</summary>
    public const string LdMediaType = "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"";

    /// <summary>
    /// Tells whether an <c>Accept</c> header asks for ActivityPub JSON rather than a web page:
    /// <c>application/activity+json</c>, or <c>application/ld+json</c> with the ActivityStreams profile.
    /// </summary>
    public static bool IsActivityPubRequest(string? accept)
    {
        if (string.IsNullOrWhiteSpace(accept))
        {
            return false;
        }
        foreach (var part in accept.Split(','))
        {
            if (!MediaTypeWithQualityHeaderValue.TryParse(part.Trim(), out var mediaType))
            {
                continue;
            }
            if (string.Equals(mediaType.MediaType, "application/activity+json", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
            if (string.Equals(mediaType.MediaType, "application/ld+json", StringComparison.OrdinalIgnoreCase))
            {
                // Mastodon sends ld+json with the profile; accept it with or without, as most servers do.
                return true;
            }
        }
        return false;
    }

    /// <summary>Builds a JSON array of strings.</summary>
    public static JsonArray Strings(params string[] values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    /// <summary>Tells whether an activity or object is addressed to everyone (<c>Public</c> in <c>to</c> or <c>cc</c>).</summary>
    public static bool IsPublic(JsonObject json) =>
        Audience(json).Any(IsPublicId);

    /// <summary>Tells whether an audience id means "everyone" (the full IRI, or its short forms).</summary>
    public static bool IsPublicId(string id) => id is Public or "as:Public" or "Public";

    /// <summary>Reads the ids in <c>to</c> and <c>cc</c>, each written as a string, an object with an id, or a list of those.</summary>
    public static IReadOnlyList<string> Audience(JsonObject json) =>
        [.. new[] { json["to"], json["cc"] }.SelectMany(field => field switch
        {
            JsonArray list => list.Select(IdOf),
            null => [],
            _ => [IdOf(field)],
        }).OfType<string>()];

    /// <summary>Reads an id that may be written as a string or as an object with an <c>id</c>.</summary>
    public static string? IdOf(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonObject obj => IdOf(obj["id"]),
        _ => null,
    };

    /// <summary>A string field, or <see langword="null"/> when it is missing or not a string (a number, an object...).</summary>
    public static string? StringOf(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
