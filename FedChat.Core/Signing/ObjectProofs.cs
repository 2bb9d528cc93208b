using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using Org.BouncyCastle.Crypto.Parameters;

namespace FedChat.Core.Signing;

/// <summary>Why an object integrity proof was rejected.</summary>
public enum ProofFailure
{
    /// <summary>The proof is valid.</summary>
    None,

    /// <summary>The document has no proof.</summary>
    MissingProof,

    /// <summary>The proof is not an object with the fields a Data Integrity proof needs.</summary>
    MalformedProof,

    /// <summary>The proof's purpose is not assertionMethod, so it does not vouch for the content.</summary>
    UnsupportedProof,

    /// <summary>
    /// The proof is of a type or cryptosuite FedChat does not know. It is neither good nor bad: the
    /// activity is judged as if it had no proof.
    /// </summary>
    UnsupportedCryptosuite,

    /// <summary>The proof says it was made later than now (beyond the allowed clock difference).</summary>
    CreatedInFuture,

    /// <summary>The verification method could not be resolved to a key.</summary>
    UnknownVerificationMethod,

    /// <summary>The key is not of the kind the cryptosuite needs (for example a P-256 key for eddsa-jcs-2022).</summary>
    WrongKeyType,

    /// <summary>The signature does not match: the document was changed after it was signed.</summary>
    SignatureMismatch,
}

/// <summary>The result of <see cref="ObjectProofs.VerifyProofAsync"/>.</summary>
/// <param name="IsValid">Whether the proof is valid.</param>
/// <param name="Failure">Why it was rejected, or <see cref="ProofFailure.None"/>.</param>
/// <param name="FailureReason">A sentence for people, or <see langword="null"/> when valid.</param>
/// <param name="VerificationMethod">The proof's verification method, when it could be read.</param>
/// <param name="Cryptosuite">The proof's cryptosuite, when it could be read.</param>
public sealed record ProofVerification(bool IsValid, ProofFailure Failure, string? FailureReason, string? VerificationMethod, string? Cryptosuite = null);

/// <summary>Settings for <see cref="ObjectProofs.VerifyProofAsync"/>.</summary>
public sealed record ProofVerificationOptions
{
    /// <summary>Gets the clock that says what "now" is. <value>The default is the system clock.</value></summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Gets how far in the future a proof's <c>created</c> may be. <value>The default is 5 minutes.</value></summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Object integrity proofs (FEP-8b32) with two W3C Data Integrity cryptosuites:
/// <c>eddsa-jcs-2022</c> with Ed25519 keys (https://www.w3.org/TR/vc-di-eddsa/ §3.3), what FedChat
/// signs with and what Fedify issues and verifies, and <c>ecdsa-jcs-2019</c> with P-256 keys
/// (https://www.w3.org/TR/vc-di-ecdsa/ §3.3), what older FedChat posts carry and still verify with.
/// Both canonicalize with JCS (RFC 8785) and hash the same way; only the signature differs. The proof
/// travels inside the activity, so anyone who relays it can pass it on and every receiver can still
/// check the author, unlike an HTTP signature, which only says which server sent the request.
/// </summary>
public static class ObjectProofs
{
    /// <summary>The cryptosuite of Ed25519 proofs (vc-di-eddsa §3.3).</summary>
    public const string EddsaJcs2022 = "eddsa-jcs-2022";

    /// <summary>The cryptosuite of P-256 proofs (vc-di-ecdsa §3.3).</summary>
    public const string EcdsaJcs2019 = "ecdsa-jcs-2019";

    private const string ProofType = "DataIntegrityProof";
    private const string AssertionMethod = "assertionMethod";

    /// <summary>
    /// Signs a document with an Ed25519 key: returns a copy with an <c>eddsa-jcs-2022</c> proof
    /// (vc-di-eddsa §3.3.1 "Create Proof (eddsa-jcs-2022)").
    /// </summary>
    /// <param name="document">The document, for example a Create activity. Any existing proof is replaced.</param>
    /// <param name="key">The author's Ed25519 private key.</param>
    /// <param name="verificationMethod">The key's id, for example <c>https://server-a/users/alice#ed25519-key</c>.</param>
    /// <param name="created">The proof's creation time (whole seconds are kept).</param>
    /// <returns>The signed copy.</returns>
    public static JsonObject CreateProof(JsonObject document, Ed25519PrivateKeyParameters key, string verificationMethod, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Create(document, EddsaJcs2022, verificationMethod, created, hash => Ed25519Keys.Sign(key, hash));
    }

    /// <summary>
    /// Signs a document with a P-256 key: returns a copy with an <c>ecdsa-jcs-2019</c> proof
    /// (vc-di-ecdsa §3.3.1). FedChat now signs with Ed25519; this stays for tests and old archives.
    /// </summary>
    /// <param name="document">The document. Any existing proof is replaced.</param>
    /// <param name="key">The author's ECDSA P-256 private key.</param>
    /// <param name="verificationMethod">The key's id.</param>
    /// <param name="created">The proof's creation time (whole seconds are kept).</param>
    /// <returns>The signed copy.</returns>
    public static JsonObject CreateProof(JsonObject document, ECDsa key, string verificationMethod, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Create(document, EcdsaJcs2019, verificationMethod, created,
            hash => key.SignData(hash, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    private static JsonObject Create(JsonObject document, string cryptosuite, string verificationMethod, DateTimeOffset created, Func<byte[], byte[]> sign)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentException.ThrowIfNullOrEmpty(verificationMethod);

        var unsecured = (JsonObject)document.DeepClone();
        unsecured.Remove("proof");
        var proof = new JsonObject
        {
            ["type"] = ProofType,
            ["cryptosuite"] = cryptosuite,
            ["verificationMethod"] = verificationMethod,
            ["proofPurpose"] = AssertionMethod,
            // XML Schema dateTimeStamp in UTC, as the specs' examples write it: 2023-02-24T23:36:38Z.
            ["created"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        // §3.3.5 "Proof Configuration": the proof carries the document's @context when it has one.
        if (unsecured["@context"] is { } context)
        {
            proof["@context"] = context.DeepClone();
        }

        // §3.3.1 step 4: proofValue is the multibase base58btc encoding of the signature.
        proof["proofValue"] = "z" + Base58Btc.Encode(sign(HashData(proof, unsecured)));
        unsecured["proof"] = proof;
        return unsecured;
    }

    /// <summary>
    /// Checks a document's proof (vc-di-eddsa §3.3.2 and vc-di-ecdsa §3.3.2 "Verify Proof"). The key is
    /// found by <paramref name="resolvePublicKeyMultibase"/> as a Multikey text; its multicodec header
    /// says which kind of key it is, and that kind must match the cryptosuite.
    /// </summary>
    /// <param name="document">The signed document.</param>
    /// <param name="resolvePublicKeyMultibase">
    /// Finds the <c>publicKeyMultibase</c> of a verification method id, or returns null. The resolver
    /// decides whose key counts (for the inbox: only a key the actor's own document lists).
    /// </param>
    /// <param name="options">The clock and the allowed clock difference; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the key look-up.</param>
    /// <returns>The result, with a reason when it is not valid.</returns>
    public static async Task<ProofVerification> VerifyProofAsync(JsonObject document,
        Func<string, CancellationToken, Task<string?>> resolvePublicKeyMultibase, ProofVerificationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(resolvePublicKeyMultibase);
        options ??= new ProofVerificationOptions();
        if (document["proof"] is not { } proofNode)
        {
            return Fail(ProofFailure.MissingProof, "The document has no proof, so nothing says who wrote it.", null);
        }

        if (proofNode is not JsonObject proof)
        {
            return Fail(ProofFailure.MalformedProof, "The proof must be a single JSON object (several proofs are not supported).", null);
        }

        var method = ActivityStreamsJson.StringOf(proof, "verificationMethod");
        var cryptosuite = ActivityStreamsJson.StringOf(proof, "cryptosuite");
        if (method is null || ActivityStreamsJson.StringOf(proof, "proofValue") is not { } proofValue || ActivityStreamsJson.StringOf(proof, "type") is not { } type)
        {
            return Fail(ProofFailure.MalformedProof, "The proof needs string fields type, verificationMethod and proofValue.", method);
        }

        if (type != ProofType || cryptosuite is not (EddsaJcs2022 or EcdsaJcs2019))
        {
            return Fail(ProofFailure.UnsupportedCryptosuite, $"The proof is a {type} with cryptosuite '{cryptosuite}'; FedChat checks {ProofType} with {EddsaJcs2022} or {EcdsaJcs2019}.", method, cryptosuite);
        }

        if (ActivityStreamsJson.StringOf(proof, "proofPurpose") != AssertionMethod)
        {
            return Fail(ProofFailure.UnsupportedProof, $"The proof's purpose is '{ActivityStreamsJson.StringOf(proof, "proofPurpose")}', not assertionMethod, so it does not vouch for the content.", method, cryptosuite);
        }

        if (proof["created"] is { } createdNode)
        {
            var created = ActivityStreamsJson.StringOf(proof, "created");
            if (created is null || !DateTimeOffset.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var createdAt))
            {
                return Fail(ProofFailure.MalformedProof, $"The proof's created value {Shorten(createdNode.ToJsonString())} is not a date and time.", method, cryptosuite);
            }
            if (createdAt > options.Time.GetUtcNow() + options.ClockSkew)
            {
                return Fail(ProofFailure.CreatedInFuture, $"The proof says it was created at {created}, which is in the future; a proof cannot be older than its own signature.", method, cryptosuite);
            }
        }

        byte[] signature;
        try
        {
            signature = proofValue.StartsWith('z') ? Base58Btc.Decode(proofValue[1..]) : throw new FormatException();
        }
        catch (FormatException)
        {
            return Fail(ProofFailure.MalformedProof, "The proofValue is not base58btc multibase text (it must start with 'z').", method, cryptosuite);
        }

        var unsecured = (JsonObject)document.DeepClone();
        unsecured.Remove("proof");
        // A Linked Data Signature (Mastodon's RsaSignature2017 "signature" object) is added by Fedify
        // after the proof, over the proved document: it was not there when the proof was made.
        if (unsecured["signature"] is JsonObject)
        {
            unsecured.Remove("signature");
        }
        var config = (JsonObject)proof.DeepClone();
        config.Remove("proofValue");
        // §3.3.2 step 4: a proof @context must match the start of the document's @context.
        if (config["@context"] is { } proofContext && !ContextMatches(proofContext, unsecured["@context"]))
        {
            return Fail(ProofFailure.SignatureMismatch, "The proof's @context differs from the document's, so the document was changed after it was signed.", method, cryptosuite);
        }
        // §3.3.5 "Proof Configuration": the hashed configuration carries the document's @context even
        // when the proof itself does not (FEP-8b32 proofs, such as Fedify's, leave it out).
        if (config["@context"] is null && unsecured["@context"] is { } documentContext)
        {
            config["@context"] = documentContext.DeepClone();
        }

        var multibase = await resolvePublicKeyMultibase(method, cancellationToken).ConfigureAwait(false);
        if (multibase is null)
        {
            return Fail(ProofFailure.UnknownVerificationMethod, $"The verification method '{Shorten(method)}' is not a key the author's own actor document lists, so the proof cannot be checked.", method, cryptosuite);
        }

        MultikeyPublicKey key;
        try
        {
            key = Multikey.Decode(multibase);
        }
        catch (FormatException e)
        {
            return Fail(ProofFailure.WrongKeyType, $"The key '{Shorten(method)}' cannot be used: {e.Message}", method, cryptosuite);
        }

        var wanted = cryptosuite == EddsaJcs2022 ? MultikeyType.Ed25519 : MultikeyType.P256;
        if (key.Type != wanted)
        {
            return Fail(ProofFailure.WrongKeyType, $"The proof uses {cryptosuite}, which needs an {wanted} key, but '{Shorten(method)}' is a {key.Type} key.", method, cryptosuite);
        }

        var hash = HashData(config, unsecured);
        var valid = key.Type == MultikeyType.Ed25519
            ? Ed25519Keys.Verify(key.KeyBytes, hash, signature)
            : VerifyP256(multibase, hash, signature);
        return valid
            ? new ProofVerification(true, ProofFailure.None, null, method, cryptosuite)
            : Fail(ProofFailure.SignatureMismatch, $"The signature does not match: the document was changed after it was signed, or it was not signed with '{Shorten(method)}'.", method, cryptosuite);
    }

    private static bool VerifyP256(string multibase, byte[] hash, byte[] signature)
    {
        try
        {
            using var key = Multikey.DecodeP256PublicKey(multibase);
            return signature.Length == 64 && key.VerifyData(hash, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false; // x is not on the curve: no signature can match
        }
    }

    /// <summary>
    /// §3.3.4 "Hashing" (the same in both suites): SHA-256 of the canonical proof configuration,
    /// followed by SHA-256 of the canonical document without its proof (64 bytes), which is what
    /// Ed25519 or ECDSA signs.
    /// </summary>
    /// <param name="proofConfig">The proof without proofValue.</param>
    /// <param name="unsecuredDocument">The document without proof.</param>
    /// <returns>The 64 bytes to sign.</returns>
    public static byte[] HashData(JsonObject proofConfig, JsonObject unsecuredDocument) =>
        [.. SHA256.HashData(JsonCanonicalization.CanonicalizeToUtf8(proofConfig)),
         .. SHA256.HashData(JsonCanonicalization.CanonicalizeToUtf8(unsecuredDocument))];

    private static bool ContextMatches(JsonNode proofContext, JsonNode? documentContext)
    {
        var wanted = proofContext is JsonArray a ? a.ToList() : [proofContext];
        var have = documentContext is JsonArray b ? b.ToList() : documentContext is null ? [] : [documentContext];
        return wanted.Count <= have.Count
            && wanted.Select((item, i) => JsonCanonicalization.Canonicalize(item) == JsonCanonicalization.Canonicalize(have[i])).All(same => same);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    private static ProofVerification Fail(ProofFailure failure, string reason, string? method, string? cryptosuite = null) =>
        new(false, failure, reason, method, cryptosuite);
}
