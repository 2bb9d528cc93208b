using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;

namespace FedChat.Core.Federation;

/// <summary>
/// Reads keys out of actor documents, as other servers write them: <c>publicKey</c> (one object or a
/// list) for HTTP signatures, <c>assertionMethod</c> (objects or ids) for proofs (FEP-521a).
/// Never throws for odd JSON: a field of the wrong type counts as missing.
/// </summary>
public static class KeyDocuments
{
    /// <summary>
    /// The <c>publicKey</c> entry with id <paramref name="keyId"/>, or the document itself when it is a
    /// bare key document with that id; <see langword="null"/> when there is none.
    /// </summary>
    public static JsonObject? FindPublicKey(JsonObject document, string keyId)
    {
        IEnumerable<JsonObject> candidates = document["publicKey"] switch
        {
            JsonObject single => [single],
            JsonArray many => many.OfType<JsonObject>(),
            _ => [document],
        };
        return candidates.FirstOrDefault(k => ActivityStreamsJson.StringOf(k, "id") == keyId);
    }

    /// <summary>
    /// The <c>assertionMethod</c> entry of an actor document for <paramref name="methodId"/>: the
    /// embedded Multikey object, or the id as a JSON string when it is listed by reference;
    /// <see langword="null"/> when the actor does not list it.
    /// </summary>
    public static JsonNode? FindAssertionMethod(JsonObject actor, string methodId)
    {
        IEnumerable<JsonNode?> entries = actor["assertionMethod"] switch
        {
            JsonArray many => many,
            { } single => [single],
            null => [],
        };
        return entries.FirstOrDefault(entry => entry switch
        {
            JsonObject method => ActivityStreamsJson.StringOf(method, "id") == methodId,
            JsonValue value => value.TryGetValue<string>(out var id) && id == methodId,
            _ => false,
        });
    }

    /// <summary>The Multikey with id <paramref name="methodId"/> in a fetched document: the document itself, or one of its assertion methods.</summary>
    public static JsonObject? FindMultikey(JsonObject document, string methodId) =>
        ActivityStreamsJson.StringOf(document, "id") == methodId && ActivityStreamsJson.StringOf(document, "type") == "Multikey"
            ? document
            : FindAssertionMethod(document, methodId) as JsonObject;
}
