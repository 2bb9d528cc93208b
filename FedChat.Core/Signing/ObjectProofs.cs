using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

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

    /// <summary>The proof is not a DataIntegrityProof with the ecdsa-jcs-2019 cryptosuite and assertionMethod purpose.</summary>
    UnsupportedProof,

    /// <summary>The verification method could not be resolved to a key.</summary>
    UnknownVerificationMethod,

    /// <summary>The signature does not match: the document was changed after it was signed.</summary>
    SignatureMismatch,
}

/// <summary>The result of <see cref="ObjectProofs.VerifyProofAsync"/>.</summary>
/// <param name="IsValid">Whether the proof is valid.</param>
/// <param name="Failure">Why it was rejected, or <see cref="ProofFailure.None"/>.</param>
/// <param name="FailureReason">A sentence for people, or <see langword="null"/> when valid.</param>
/// <param name="VerificationMethod">The proof's verification method, when it could be read.</param>
public sealed record ProofVerification(bool IsValid, ProofFailure Failure, string? FailureReason, string? VerificationMethod);

/// <summary>
/// Object integrity proofs (FEP-8b32) with the W3C Data Integrity cryptosuite <c>ecdsa-jcs-2019</c>
/// (https://www.w3.org/TR/vc-di-ecdsa/ §3.3). The proof travels inside the activity, so anyone who
/// relays it can pass it on and every receiver can still check the author, unlike an HTTP
/// signature, which only says which server sent the request.
/// </summary>
public static class ObjectProofs
{
    private const string ProofType = "DataIntegrityProof";
    private const string Cryptosuite = "ecdsa-jcs-2019";
    private const string AssertionMethod = "assertionMethod";

    /// <summary>
    /// Signs a document: returns a copy with a <c>proof</c> (vc-di-ecdsa §3.3.1 "Create Proof").
    /// </summary>
    /// <param name="document">The document, for example a Create activity. Any existing proof is replaced.</param>
    /// <param name="key">The author's ECDSA P-256 private key.</param>
    /// <param name="verificationMethod">The key's id, for example <c>https://server-a/users/alice#proof-key</c>.</param>
    /// <param name="created">The proof's creation time (whole seconds are kept).</param>
    /// <returns>The signed copy.</returns>
    public static JsonObject CreateProof(JsonObject document, ECDsa key, string verificationMethod, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrEmpty(verificationMethod);

        var unsecured = (JsonObject)document.DeepClone();
        unsecured.Remove("proof");
        var proof = new JsonObject
        {
            ["type"] = ProofType,
            ["cryptosuite"] = Cryptosuite,
            ["verificationMethod"] = verificationMethod,
            ["proofPurpose"] = AssertionMethod,
            // XML Schema dateTimeStamp in UTC, as the spec's examples write it: 2023-02-24T23:36:38Z.
            ["created"] = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        };
        // §3.3.5 "Proof Configuration": the proof carries the document's @context when it has one.
        if (unsecured["@context"] is { } context)
        {
            proof["@context"] = context.DeepClone();
        }

        var signature = key.SignData(HashData(proof, unsecured), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        // §3.3.1 step 4: proofValue is the multibase base58btc encoding of the signature.
        proof["proofValue"] = "z" + Base58Btc.Encode(signature);
        unsecured["proof"] = proof;
        return unsecured;
    }

    /// <summary>Checks a document's proof (vc-di-ecdsa §3.3.2 "Verify Proof").</summary>
    /// <param name="document">The signed document.</param>
    /// <param name="resolveKey">Finds the public key for a verification method id, or returns null.</param>
    /// <param name="cancellationToken">Cancels the key look-up.</param>
    /// <returns>The result, with a reason when it is not valid.</returns>
    public static async Task<ProofVerification> VerifyProofAsync(JsonObject document,
        Func<string, CancellationToken, Task<ECDsa?>> resolveKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(resolveKey);
        if (document["proof"] is not { } proofNode)
        {
            return Fail(ProofFailure.MissingProof, "The document has no proof, so nothing says who wrote it.", null);
        }

        if (proofNode is not JsonObject proof)
        {
            return Fail(ProofFailure.MalformedProof, "The proof must be a single JSON object (several proofs are not supported).", null);
        }

        var method = ReadString(proof, "verificationMethod");
        if (method is null || ReadString(proof, "proofValue") is not { } proofValue || ReadString(proof, "type") is not { } type)
        {
            return Fail(ProofFailure.MalformedProof, "The proof needs string fields type, verificationMethod and proofValue.", method);
        }

        var cryptosuite = ReadString(proof, "cryptosuite");
        if (type != ProofType || cryptosuite != Cryptosuite)
        {
            return Fail(ProofFailure.UnsupportedProof, $"The proof is a {type} with cryptosuite '{cryptosuite}'; FedChat checks {ProofType} with {Cryptosuite}.", method);
        }

        if (ReadString(proof, "proofPurpose") != AssertionMethod)
        {
            return Fail(ProofFailure.UnsupportedProof, $"The proof's purpose is '{ReadString(proof, "proofPurpose")}', not assertionMethod, so it does not vouch for the content.", method);
        }

        byte[] signature;
        try
        {
            signature = proofValue.StartsWith('z') ? Base58Btc.Decode(proofValue[1..]) : throw new FormatException();
        }
        catch (FormatException)
        {
            return Fail(ProofFailure.MalformedProof, "The proofValue is not base58btc multibase text (it must start with 'z').", method);
        }

        var unsecured = (JsonObject)document.DeepClone();
        unsecured.Remove("proof");
        var config = (JsonObject)proof.DeepClone();
        config.Remove("proofValue");
        // §3.3.2 step 4: a proof @context must match the start of the document's @context.
        if (config["@context"] is { } proofContext && !ContextMatches(proofContext, unsecured["@context"]))
        {
            return Fail(ProofFailure.SignatureMismatch, "The proof's @context differs from the document's, so the document was changed after it was signed.", method);
        }

        // The key belongs to the caller (it may be cached), so we do not dispose it.
        var key = await resolveKey(method, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return Fail(ProofFailure.UnknownVerificationMethod, $"The verification method '{method}' could not be found, so the proof cannot be checked.", method);
        }

        var valid = signature.Length == 64 && key.KeySize == 256
            && key.VerifyData(HashData(config, unsecured), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return valid
            ? new ProofVerification(true, ProofFailure.None, null, method)
            : Fail(ProofFailure.SignatureMismatch, $"The signature does not match: the document was changed after it was signed, or it was not signed with '{method}'.", method);
    }

    /// <summary>
    /// §3.3.4 "Hashing": SHA-256 of the canonical proof configuration, followed by SHA-256 of the
    /// canonical document without its proof (64 bytes), which is what ECDSA signs.
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

    private static string? ReadString(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static ProofVerification Fail(ProofFailure failure, string reason, string? method) => new(false, failure, reason, method);
}
