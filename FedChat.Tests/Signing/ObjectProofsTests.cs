using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

/// <summary>FEP-8b32 proofs with ecdsa-jcs-2019 (older FedChat posts), checked against the W3C vc-di-ecdsa example.</summary>
public class ObjectProofsTests
{
    private static readonly JsonObject Vector = TestVectorFiles.Load("vc-di-ecdsa-jcs-2019-p256.json");
    private static readonly DateTimeOffset Created = new(2025, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task VerifyProof_W3cExample_IsValid()
    {
        var result = await ObjectProofs.VerifyProofAsync(SignedVectorDocument(), VectorKeyResolver);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(Vector["signedDocument"]!["proof"]!["verificationMethod"].Text(), result.VerificationMethod);
    }

    [Fact]
    public void HashData_W3cExample_MatchesThePublishedHashesAndCanonicalForms()
    {
        var document = SignedVectorDocument();
        var config = (JsonObject)document["proof"]!.DeepClone();
        config.Remove("proofValue");
        document.Remove("proof");

        var hash = ObjectProofs.HashData(config, document);

        Assert.Equal(Vector["canonicalProofConfig"].Text(), JsonCanonicalization.Canonicalize(config));
        Assert.Equal(Vector["canonicalDocument"].Text(), JsonCanonicalization.Canonicalize(document));
        Assert.Equal(Vector["proofConfigHashHex"].Text() + Vector["documentHashHex"].Text(), Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void ProofValue_W3cExample_IsTheBase58SignatureOfThePublishedHex()
    {
        var proofValue = Vector["signedDocument"]!["proof"]!["proofValue"].Text();

        Assert.Equal(Vector["signatureHex"].Text(), Convert.ToHexStringLower(Base58Btc.Decode(proofValue[1..])));
    }

    [Fact]
    public async Task CreateProof_WithW3cKeyAndInputs_GivesTheSameProofConfigurationAndAValidSignature()
    {
        // The spec's key pair: secretKeyMultibase is 0x86 0x26 (p256-priv) + the 32-byte scalar.
        var secret = Base58Btc.Decode(Vector["secretKeyMultibase"].Text()[1..]);
        Assert.Equal([0x86, 0x26], secret[..2]);
        using var publicKey = Multikey.DecodeP256PublicKey(Vector["publicKeyMultibase"].Text());
        var parameters = publicKey.ExportParameters(false);
        parameters.D = secret[2..];
        using var key = ECDsa.Create(parameters);
        var unsigned = SignedVectorDocument();
        var expectedProof = (JsonObject)unsigned["proof"]!.DeepClone();
        unsigned.Remove("proof");

        var signed = ObjectProofs.CreateProof(unsigned, key, expectedProof["verificationMethod"].Text(), DateTimeOffset.Parse("2023-02-24T23:36:38Z", System.Globalization.CultureInfo.InvariantCulture));

        var proof = (JsonObject)signed["proof"]!.DeepClone();
        proof.Remove("proofValue");
        expectedProof.Remove("proofValue");
        Assert.Equal(JsonCanonicalization.Canonicalize(expectedProof), JsonCanonicalization.Canonicalize(proof));
        Assert.True((await ObjectProofs.VerifyProofAsync(signed, VectorKeyResolver)).IsValid);
    }

    [Fact]
    public async Task VerifyProof_OfAlicesNote_IsValid()
    {
        var signed = SignedNote();

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.StartsWith("z", signed["proof"]!["proofValue"].Text(), StringComparison.Ordinal);
        Assert.Equal("2025-11-22T10:00:00Z", signed["proof"]!["created"].Text());
        Assert.NotNull(signed["proof"]!["@context"]);
    }

    [Fact]
    public async Task VerifyProof_WhenContentWasChanged_FailsSayingTheDocumentWasChanged()
    {
        var signed = SignedNote();
        signed["object"]!["content"] = "I owe Mallory 100 euros";

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.Equal(ProofFailure.SignatureMismatch, result.Failure);
        Assert.Contains("the document was changed after it was signed", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyProof_WhenProofCreatedWasChanged_FailsWithSignatureMismatch()
    {
        var signed = SignedNote();
        signed["proof"]!["created"] = "2025-11-22T10:00:01Z";

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.Equal(ProofFailure.SignatureMismatch, result.Failure);
    }

    [Theory]
    [InlineData("type", "Ed25519Signature2020", ProofFailure.UnsupportedCryptosuite)]
    [InlineData("cryptosuite", "bbs-2023", ProofFailure.UnsupportedCryptosuite)]
    [InlineData("cryptosuite", "eddsa-jcs-2022", ProofFailure.WrongKeyType)] // a P-256 key cannot check an Ed25519 proof
    [InlineData("proofPurpose", "authentication", ProofFailure.UnsupportedProof)]
    [InlineData("proofValue", "uNotBase58", ProofFailure.MalformedProof)]
    [InlineData("verificationMethod", "https://server-c.example/users/mallory#key", ProofFailure.UnknownVerificationMethod)]
    public async Task VerifyProof_WithChangedProofField_FailsWithAReason(string field, string value, ProofFailure expected)
    {
        var signed = SignedNote();
        signed["proof"]![field] = value;

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.Equal(expected, result.Failure);
        Assert.False(string.IsNullOrWhiteSpace(result.FailureReason));
    }

    [Fact]
    public async Task VerifyProof_WithoutProof_FailsWithMissingProof()
    {
        var result = await ObjectProofs.VerifyProofAsync(new JsonObject { ["type"] = "Note" }, AliceResolver);

        Assert.Equal(ProofFailure.MissingProof, result.Failure);
    }

    [Fact]
    public async Task VerifyProof_SignedWithAnotherKey_FailsWithSignatureMismatch()
    {
        using var other = KeyPairs.GenerateEcdsaKeyPair();
        var forged = ObjectProofs.CreateProof(Note(), other, TestKeys.AliceProofKeyId, Created);

        var result = await ObjectProofs.VerifyProofAsync(forged, AliceResolver);

        Assert.Equal(ProofFailure.SignatureMismatch, result.Failure);
    }

    private static JsonObject SignedVectorDocument() => (JsonObject)Vector["signedDocument"]!.DeepClone();

    private static Task<string?> VectorKeyResolver(string method, CancellationToken cancellationToken) =>
        Task.FromResult(method.EndsWith("#" + Vector["publicKeyMultibase"].Text(), StringComparison.Ordinal)
            ? Vector["publicKeyMultibase"].Text()
            : null);

    private static Task<string?> AliceResolver(string method, CancellationToken cancellationToken)
    {
        using var alice = TestKeys.AliceEcdsa();
        return Task.FromResult(method == TestKeys.AliceProofKeyId ? Multikey.EncodeP256PublicKey(alice) : null);
    }

    private static JsonObject Note() => new()
    {
        ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2"),
        ["id"] = "https://server-a.example/users/alice/statuses/1/activity",
        ["type"] = "Create",
        ["actor"] = "https://server-a.example/users/alice",
        ["object"] = new JsonObject
        {
            ["id"] = "https://server-a.example/users/alice/statuses/1",
            ["type"] = "Note",
            ["content"] = "Hello from server-a! Grüße 👋",
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
        },
    };

    private static JsonObject SignedNote()
    {
        using var alice = TestKeys.AliceEcdsa();
        return ObjectProofs.CreateProof(Note(), alice, TestKeys.AliceProofKeyId, Created);
    }
}
