using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FedChat.Core.Signing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation;

/// <summary>A key lookup: the key, or why there is none.</summary>
/// <param name="Key">The key, when found.</param>
/// <param name="Error">Why it could not be found.</param>
/// <param name="FromCache">Whether the key came from the cache (and may be stale).</param>
public sealed record KeyLookup(PublicKeyInfo? Key, string? Error, bool FromCache);

/// <summary>
/// Finds other actors' public keys: the RSA key behind an HTTP signature's <c>keyId</c>, and the
/// Multikey behind a proof's <c>verificationMethod</c>. Keys are fetched from their owner's server
/// (a signed GET) and cached; a failed signature makes the caller ask again with <c>refresh</c>.
/// </summary>
public sealed class RemoteKeys(SignedHttpClient http, TimeProvider time, IOptions<FederationOptions> options, ILogger<RemoteKeys> logger)
{
    private readonly ConcurrentDictionary<string, (PublicKeyInfo Key, DateTimeOffset FetchedAt)> _cache = new();

    /// <summary>
    /// Fetches the public key named by an HTTP signature's <c>keyId</c>, e.g.
    /// <c>http://b:5080/users/bob#main-key</c>, together with its owner (the actor).
    /// </summary>
    public async Task<KeyLookup> FetchPublicKeyAsync(string keyId, bool refresh, CancellationToken cancellationToken)
    {
        if (!refresh && TryCached(keyId) is { } cached)
        {
            return new KeyLookup(cached, null, FromCache: true);
        }
        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var keyUrl))
        {
            return new KeyLookup(null, $"The keyId \"{Shorten(keyId)}\" is not a URL, so the key cannot be fetched.", false);
        }
        try
        {
            var document = await http.GetObjectAsync(WithoutFragment(keyUrl), cancellationToken);
            var key = ReadRsaKey(document, keyId);
            _cache[keyId] = (key, time.GetUtcNow());
            logger.LogInformation("Fetched key {KeyId} (owner {Owner})", keyId, key.Owner);
            return new KeyLookup(key, null, FromCache: false);
        }
        catch (Exception ex) when (ex is FetchFailedException or FormatException or InvalidOperationException or CryptographicException)
        {
            logger.LogInformation("Could not get key {KeyId}: {Reason}", keyId, ex.Message);
            return new KeyLookup(null, $"Could not get the key {Shorten(keyId)}: {ex.Message}", false);
        }
    }

    /// <summary>
    /// Fetches the <c>publicKeyMultibase</c> of a proof's <c>verificationMethod</c> (Ed25519 or P-256):
    /// the actor document's <c>assertionMethod</c> entry with that id (FEP-521a). Returns the key only when its
    /// <c>controller</c> is <paramref name="expectedController"/> — a proof counts only if the claimed
    /// author controls the key.
    /// </summary>
    public async Task<string?> FetchProofKeyAsync(string verificationMethod, string expectedController, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(verificationMethod, UriKind.Absolute, out var methodUrl))
        {
            return null;
        }
        try
        {
            var document = await http.GetObjectAsync(WithoutFragment(methodUrl), cancellationToken);
            var methods = document["assertionMethod"] switch
            {
                JsonArray array => array.OfType<JsonObject>(),
                JsonObject single => [single],
                _ => document["type"]?.GetValue<string>() == "Multikey" ? [document] : [],
            };
            var method = methods.FirstOrDefault(m => (string?)m["id"] == verificationMethod);
            if (method is null || (string?)method["controller"] != expectedController || method["publicKeyMultibase"] is not JsonValue multibase)
            {
                logger.LogInformation("Proof key {Method} is not an assertion method controlled by {Actor}", verificationMethod, expectedController);
                return null;
            }
            return multibase.GetValue<string>();
        }
        catch (Exception ex) when (ex is FetchFailedException or FormatException or InvalidOperationException or CryptographicException)
        {
            logger.LogInformation("Could not get proof key {Method}: {Reason}", verificationMethod, ex.Message);
            return null;
        }
    }

    /// <summary>Reads <c>publicKey</c> (object or array) from an actor, or a bare key document.</summary>
    private static PublicKeyInfo ReadRsaKey(JsonObject document, string keyId)
    {
        IEnumerable<JsonObject> candidates = document["publicKey"] switch
        {
            JsonObject single => [single],
            JsonArray many => many.OfType<JsonObject>(),
            _ => [document], // the keyId may point at the key document itself
        };
        var key = candidates.FirstOrDefault(k => (string?)k["id"] == keyId)
            ?? throw new FormatException($"the document has no public key with id {keyId}");
        var pem = (string?)key["publicKeyPem"] ?? throw new FormatException("the key has no publicKeyPem");
        var owner = (string?)key["owner"] ?? (string?)key["controller"] ?? (string?)document["id"];
        return PublicKeyInfo.FromPem(keyId, pem) with { Owner = owner };
    }

    private PublicKeyInfo? TryCached(string keyId) =>
        _cache.TryGetValue(keyId, out var entry) && time.GetUtcNow() - entry.FetchedAt < options.Value.KeyCacheDuration
            ? entry.Key
            : null;

    private static Uri WithoutFragment(Uri url) => new(url.GetLeftPart(UriPartial.Query));

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
