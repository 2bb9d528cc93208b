using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
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
/// Multikey behind a proof's <c>verificationMethod</c>.
/// <para>
/// The rule that makes "you can tell who wrote this" true: <b>a key belongs to an actor only when the
/// actor's own document, fetched from the actor's id, lists it.</b> A key document anywhere can say
/// "my owner is bob"; only bob's server can put a key into bob's actor document. This is what
/// Mastodon checks too. Whatever a key document claims, we ask the claimed owner.
/// </para>
/// Keys are cached; a failed signature may ask again with <c>refresh</c>, at most once per
/// <see cref="FederationOptions.KeyRefetchInterval"/> per key, so forged requests cannot make us
/// hammer someone's server.
/// </summary>
public sealed class RemoteKeys(SignedHttpClient http, TimeProvider time, IOptions<FederationOptions> options, ILogger<RemoteKeys> logger)
{
    private readonly ConcurrentDictionary<string, (PublicKeyInfo Key, DateTimeOffset FetchedAt)> _keys = new();
    private readonly ConcurrentDictionary<string, (string Multibase, DateTimeOffset FetchedAt)> _proofKeys = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<KeyLookup>>> _inFlight = new();

    /// <summary>
    /// Fetches the public key named by an HTTP signature's <c>keyId</c>, e.g.
    /// <c>http://b:5080/users/bob#main-key</c>, together with its owner (the actor whose own document lists it).
    /// </summary>
    /// <param name="keyId">The signature's key id.</param>
    /// <param name="refresh">Ask the owner's server again (the actor may have a new key). Ignored when
    /// the key was fetched within the refetch interval: then the cached key is returned.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    public async Task<KeyLookup> FetchPublicKeyAsync(string keyId, bool refresh, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_keys.TryGetValue(keyId, out var cached))
        {
            var fresh = now - cached.FetchedAt < options.Value.KeyCacheDuration;
            var recentlyFetched = now - cached.FetchedAt < options.Value.KeyRefetchInterval;
            if ((fresh && !refresh) || recentlyFetched)
            {
                return new KeyLookup(cached.Key, null, FromCache: true);
            }
        }
        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var keyUrl))
        {
            return new KeyLookup(null, $"The keyId \"{Shorten(keyId)}\" is not a URL, so the key cannot be fetched.", false);
        }
        // A burst from a new actor (a relay fan-out, a load test) asks for the same key many times at
        // once: one fetch answers them all. It is bounded by RequestTimeout, not by one caller's token.
        var fetch = _inFlight.GetOrAdd(keyId, _ => new Lazy<Task<KeyLookup>>(() => FetchAndCacheAsync(keyId, keyUrl)));
        try
        {
            return await fetch.Value.WaitAsync(cancellationToken);
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<KeyLookup>>>(keyId, fetch));
        }
    }

    private async Task<KeyLookup> FetchAndCacheAsync(string keyId, Uri keyUrl)
    {
        var cancellationToken = CancellationToken.None;
        try
        {
            var key = await FetchOwnedKeyAsync(keyId, keyUrl, cancellationToken);
            _keys[keyId] = (key, time.GetUtcNow());
            logger.LogInformation("Fetched key {KeyId}, listed by its owner {Owner}", keyId, key.Owner);
            return new KeyLookup(key, null, FromCache: false);
        }
        catch (Exception ex) when (ex is FetchFailedException or FormatException or InvalidOperationException or CryptographicException or ArgumentException)
        {
            var error = $"Could not get the key {Shorten(keyId)}: {ex.Message}";
            logger.LogInformation("Could not get key {KeyId}: {Reason}", keyId, ex.Message);
            return new KeyLookup(null, error, false);
        }
    }

    /// <summary>
    /// Finds the key of a proof's <c>verificationMethod</c> (FEP-8b32), as the <c>publicKeyMultibase</c>
    /// text of a FEP-521a Multikey. Returns it only when <b><paramref name="actorId"/>'s own document</b>
    /// lists the method in its <c>assertionMethod</c>: a proof counts only if the claimed author vouches
    /// for the key. A method document elsewhere that says "controller: bob" proves nothing.
    /// </summary>
    /// <param name="verificationMethod">The proof's verification method id.</param>
    /// <param name="actorId">The actor the activity claims to be from.</param>
    /// <param name="refresh">Ask again (the actor may have a new key), at most once per refetch interval.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <returns>The multibase key text, or <see langword="null"/> (the reason is logged).</returns>
    public async Task<string?> FetchProofKeyAsync(string verificationMethod, string actorId, bool refresh, CancellationToken cancellationToken)
    {
        var cacheKey = verificationMethod + " " + actorId;
        var now = time.GetUtcNow();
        if (_proofKeys.TryGetValue(cacheKey, out var cached)
            && ((!refresh && now - cached.FetchedAt < options.Value.KeyCacheDuration) || now - cached.FetchedAt < options.Value.KeyRefetchInterval))
        {
            return cached.Multibase;
        }
        try
        {
            var actor = await FetchOwnDocumentAsync(actorId, cancellationToken);
            var listed = KeyDocuments.FindAssertionMethod(actor, verificationMethod);
            JsonObject? method = listed switch
            {
                JsonObject embedded => embedded,
                // Listed by reference only: the method's own document says which key it is.
                JsonValue => KeyDocuments.FindMultikey(await http.GetObjectAsync(WithoutFragment(new Uri(verificationMethod)), cancellationToken), verificationMethod),
                _ => throw new FormatException($"{actorId} does not list {verificationMethod} in its assertionMethod, so it is not that actor's key"),
            };
            if (method is null)
            {
                throw new FormatException($"{verificationMethod} is not a Multikey document");
            }
            if (ActivityStreamsJson.StringOf(method, "controller") is { } controller && controller != actorId)
            {
                throw new FormatException($"{verificationMethod} is controlled by {controller}, not {actorId}");
            }
            var multibase = ActivityStreamsJson.StringOf(method, "publicKeyMultibase")
                ?? throw new FormatException($"{verificationMethod} has no publicKeyMultibase");
            _proofKeys[cacheKey] = (multibase, time.GetUtcNow());
            return multibase;
        }
        catch (Exception ex) when (ex is FetchFailedException or FormatException or InvalidOperationException or UriFormatException or ArgumentException)
        {
            logger.LogInformation("Proof key {Method} not accepted for {Actor}: {Reason}", verificationMethod, actorId, ex.Message);
            return null;
        }
    }

    /// <summary>
    /// Fetches the key and checks its owner: the key document names an owner (or is the owner's
    /// document), and the owner's own document must list this key id with this key.
    /// </summary>
    private async Task<PublicKeyInfo> FetchOwnedKeyAsync(string keyId, Uri keyUrl, CancellationToken cancellationToken)
    {
        var keyDocumentUrl = WithoutFragment(keyUrl);
        var keyDocument = await http.GetObjectAsync(keyDocumentUrl, cancellationToken);
        var claimed = KeyDocuments.FindPublicKey(keyDocument, keyId)
            ?? throw new FormatException($"the document has no public key with id {keyId}");
        var owner = ActivityStreamsJson.StringOf(claimed, "owner") ?? ActivityStreamsJson.StringOf(claimed, "controller") ?? ActivityStreamsJson.StringOf(keyDocument, "id")
            ?? throw new FormatException("the key names no owner");

        // The usual case: the key id is a fragment of the actor's own document (…/users/bob#main-key),
        // which we just fetched from the actor's id. Otherwise ask the owner itself.
        var ownerDocument = owner == keyDocumentUrl.ToString() && ActivityStreamsJson.StringOf(keyDocument, "id") == owner
            ? keyDocument
            : await FetchOwnDocumentAsync(owner, cancellationToken);
        var listed = KeyDocuments.FindPublicKey(ownerDocument, keyId)
            ?? throw new FormatException($"the key names {owner} as its owner, but {owner} does not list {keyId} among its keys, so it is not theirs");
        if (ActivityStreamsJson.StringOf(listed, "owner") is { } listedOwner && listedOwner != owner)
        {
            throw new FormatException($"{owner} lists {keyId} with another owner ({listedOwner})");
        }
        var pem = ActivityStreamsJson.StringOf(listed, "publicKeyPem") ?? throw new FormatException("the key has no publicKeyPem");
        return PublicKeyInfo.FromPem(keyId, pem) with { Owner = owner };
    }

    /// <summary>Fetches an actor's document from its own id and checks that it says that id.</summary>
    private async Task<JsonObject> FetchOwnDocumentAsync(string actorId, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(actorId, UriKind.Absolute, out var actorUrl))
        {
            throw new FormatException($"the owner \"{Shorten(actorId)}\" is not a URL");
        }
        var document = await http.GetObjectAsync(actorUrl, cancellationToken);
        var id = ActivityStreamsJson.StringOf(document, "id");
        return id == actorId
            ? document
            : throw new FormatException($"the document at {Shorten(actorId)} says it is {Shorten(id ?? "nobody")}");
    }

    private static Uri WithoutFragment(Uri url) => new(url.GetLeftPart(UriPartial.Query));

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
