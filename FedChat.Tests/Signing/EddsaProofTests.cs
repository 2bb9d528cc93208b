using System.Text.Json.Nodes;
using FedChat.Core.Signing;
using FedChat.Tests.Support;

namespace FedChat.Tests.Signing;

/// <summary>
/// FEP-8b32 proofs with eddsa-jcs-2022 (what FedChat signs with and what Fedify checks), against the
/// W3C vc-di-eddsa example (TestVectors/vc-di-eddsa-jcs-2022.json), plus round trips, tampering and bad input.
/// </summary>
public class EddsaProofTests
{
    private static readonly JsonObject Vector = TestVectorFiles.Load("vc-di-eddsa-jcs-2022.json");
    private static readonly JsonObject EcdsaVector = TestVectorFiles.Load("vc-di-ecdsa-jcs-2019-p256.json");
    private static readonly DateTimeOffset Created = new(2025, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private const string MalloryEdKeyId = "https://server-c.example/users/mallory#ed25519-key";

    [Fact]
    public async Task VerifyProof_W3cExample_IsValid()
    {
        var result = await ObjectProofs.VerifyProofAsync(SignedVectorDocument(), VectorKeyResolver);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(ObjectProofs.EddsaJcs2022, result.Cryptosuite);
    }

    [Fact]
    public void CreateProof_WithW3cKeyAndDocument_ReproducesThePublishedProofValueExactly()
    {
        // privateKeyMultibase is 0x80 0x26 (ed25519-priv) + the 32-byte seed.
        var secret = Base58Btc.Decode(Vector["privateKeyMultibase"].Text()[1..]);
        Assert.Equal([0x80, 0x26], secret[..2]);
        var key = Ed25519Keys.FromSeed(secret[2..]);
        var unsigned = SignedVectorDocument();
        var expected = unsigned["proof"]!.AsObject();
        unsigned.Remove("proof");

        var signed = ObjectProofs.CreateProof(unsigned, key, expected["verificationMethod"].Text(), DateTimeOffset.Parse(expected["created"].Text(), System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(Vector["publicKeyMultibase"].Text(), Multikey.EncodeEd25519PublicKey(Ed25519Keys.PublicKeyOf(key)));
        Assert.Equal(JsonCanonicalization.Canonicalize(expected), JsonCanonicalization.Canonicalize(signed["proof"]));
    }

    [Fact]
    public void HashData_W3cExample_HashesTheDocumentLikeTheEcdsaExample()
    {
        // Same credential in both specs' examples: the second half of hashData is the same SHA-256.
        var document = SignedVectorDocument();
        var config = (JsonObject)document["proof"]!.DeepClone();
        config.Remove("proofValue");
        document.Remove("proof");

        var hash = ObjectProofs.HashData(config, document);

        Assert.Equal(EcdsaVector["documentHashHex"].Text(), Convert.ToHexStringLower(hash[32..]));
    }

    [Fact]
    public async Task VerifyProof_OfAlicesNote_IsValid_AndNamesHerEd25519Key()
    {
        var signed = SignedNote();

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(TestKeys.AliceEdKeyId, result.VerificationMethod);
        Assert.Equal("eddsa-jcs-2022", signed["proof"]!["cryptosuite"].Text());
        Assert.Equal(Ed25519Keys.SignatureLength, Base58Btc.Decode(signed["proof"]!["proofValue"].Text()[1..]).Length);
    }

    [Fact]
    public void CreateProof_IsDeterministic_SoTheSameNoteGivesTheSameProof()
    {
        Assert.Equal(SignedNote().ToJsonString(), SignedNote().ToJsonString());
    }

    [Theory]
    [InlineData("content", "I owe Mallory 100 euros")]
    [InlineData("attributedTo", "https://server-c.example/users/mallory")]
    public async Task VerifyProof_WhenTheNoteWasChanged_FailsSayingTheDocumentWasChanged(string field, string value)
    {
        var signed = SignedNote();
        signed["object"]![field] = value;

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.Equal(ProofFailure.SignatureMismatch, result.Failure);
        Assert.Contains("the document was changed after it was signed", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyProof_WithAProofValueThatIsNotBase58btc_IsRefusedWithAReason()
    {
        var signed = SignedNote();
        signed["proof"]!["proofValue"] = "z0OIl" + signed["proof"]!["proofValue"].Text()[5..]; // 0, O, I, l are not base58

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.Equal(ProofFailure.MalformedProof, result.Failure);
        Assert.Contains("base58btc", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyProof_CreatedFarInTheFuture_IsRefusedWithAReason()
    {
        var clock = new ManualTimeProvider(Created);
        var signed = ObjectProofs.CreateProof(Note(), TestKeys.AliceEd25519(), TestKeys.AliceEdKeyId, Created.AddDays(3));

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver, new ProofVerificationOptions { Time = clock, ClockSkew = TimeSpan.FromHours(1) });

        Assert.Equal(ProofFailure.CreatedInFuture, result.Failure);
        Assert.Contains("in the future", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyProof_CreatedWithinTheClockSkew_IsValid()
    {
        var clock = new ManualTimeProvider(Created);
        var signed = ObjectProofs.CreateProof(Note(), TestKeys.AliceEd25519(), TestKeys.AliceEdKeyId, Created.AddMinutes(30));

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver, new ProofVerificationOptions { Time = clock, ClockSkew = TimeSpan.FromHours(1) });

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Fact]
    public async Task VerifyProof_ByAnotherActorsKey_IsRefusedBecauseTheAuthorDoesNotListIt()
    {
        // Mallory signs "Alice's" note with her own key: the resolver (the author's own document) does not know it.
        var mallory = Ed25519Keys.GenerateKeyPair();
        var forged = ObjectProofs.CreateProof(Note(), mallory, MalloryEdKeyId, Created);

        var result = await ObjectProofs.VerifyProofAsync(forged, AliceResolver);

        Assert.Equal(ProofFailure.UnknownVerificationMethod, result.Failure);
        Assert.Contains("is not a key the author's own actor document lists", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyProof_SignedWithAnotherKeyUnderAlicesKeyId_FailsWithSignatureMismatch()
    {
        var forged = ObjectProofs.CreateProof(Note(), Ed25519Keys.GenerateKeyPair(), TestKeys.AliceEdKeyId, Created);

        var result = await ObjectProofs.VerifyProofAsync(forged, AliceResolver);

        Assert.Equal(ProofFailure.SignatureMismatch, result.Failure);
    }

    public static TheoryData<string, string> UnusableKeys()
    {
        using var p256 = TestKeys.AliceEcdsa();
        return new()
        {
            { Multikey.EncodeP256PublicKey(p256), "needs an Ed25519 key" },
            { "z" + Base58Btc.Encode([0xe7, 0x01, .. new byte[33]]), "0xe701" }, // secp256k1-pub
            { "z" + Base58Btc.Encode([0xed, 0x01, .. new byte[31]]), "holds 31 key bytes" },
            { "z" + Base58Btc.Encode([0xed, 0x01, .. new byte[33]]), "holds 33 key bytes" },
            { "uNotBase58", "must start with 'z'" },
        };
    }

    [Theory]
    [MemberData(nameof(UnusableKeys))]
    public async Task VerifyProof_WhenTheKeyIsOfAnotherKindOrLength_IsRefusedWithAReason(string publishedKey, string reasonMentions)
    {
        var result = await ObjectProofs.VerifyProofAsync(SignedNote(), (_, _) => Task.FromResult<string?>(publishedKey));

        Assert.Equal(ProofFailure.WrongKeyType, result.Failure);
        Assert.Contains(reasonMentions, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyProof_EcdsaProofWithAnEd25519Key_IsRefusedWithAReason()
    {
        using var p256 = TestKeys.AliceEcdsa();
        var signed = ObjectProofs.CreateProof(Note(), p256, TestKeys.AliceEdKeyId, Created);

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.Equal(ProofFailure.WrongKeyType, result.Failure);
        Assert.Contains("needs an P256 key", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyProof_WithATruncatedSignature_FailsWithSignatureMismatch()
    {
        var signed = SignedNote();
        var signature = Base58Btc.Decode(signed["proof"]!["proofValue"].Text()[1..]);
        signed["proof"]!["proofValue"] = "z" + Base58Btc.Encode(signature[..63]);

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.Equal(ProofFailure.SignatureMismatch, result.Failure);
    }

    [Fact]
    public async Task VerifyProof_WhenTheProofLeavesOutContext_HashesWithTheDocumentsContext()
    {
        // FEP-8b32 proofs (Fedify's) carry no @context; §3.3.5 puts the document's into the hashed configuration.
        var unsigned = Note();
        var proof = new JsonObject
        {
            ["type"] = "DataIntegrityProof",
            ["cryptosuite"] = "eddsa-jcs-2022",
            ["verificationMethod"] = TestKeys.AliceEdKeyId,
            ["proofPurpose"] = "assertionMethod",
            ["created"] = "2025-11-22T10:00:00Z",
        };
        var config = (JsonObject)proof.DeepClone();
        config["@context"] = unsigned["@context"]!.DeepClone();
        proof["proofValue"] = "z" + Base58Btc.Encode(Ed25519Keys.Sign(TestKeys.AliceEd25519(), ObjectProofs.HashData(config, unsigned)));
        var signed = (JsonObject)unsigned.DeepClone();
        signed["proof"] = proof;

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Fact]
    public async Task VerifyProof_WithALinkedDataSignatureAddedAfterTheProof_IsValid()
    {
        // Fedify signs with the proof first, then adds Mastodon's RsaSignature2017 over the result.
        var signed = SignedNote();
        signed["signature"] = new JsonObject { ["type"] = "RsaSignature2017", ["creator"] = "https://server-a.example/users/alice#main-key", ["signatureValue"] = "abc" };

        var result = await ObjectProofs.VerifyProofAsync(signed, AliceResolver);

        Assert.True(result.IsValid, result.FailureReason);
    }

    [Fact]
    public async Task VerifyProof_WithAnUnknownCryptosuite_SaysUnsupportedWithoutLookingUpTheKey()
    {
        var signed = SignedNote();
        signed["proof"]!["cryptosuite"] = "eddsa-rdfc-2022";
        var lookedUp = false;

        var result = await ObjectProofs.VerifyProofAsync(signed, (_, _) => { lookedUp = true; return Task.FromResult<string?>(null); });

        Assert.Equal(ProofFailure.UnsupportedCryptosuite, result.Failure);
        Assert.False(lookedUp);
    }

    private static JsonObject SignedVectorDocument() => (JsonObject)Vector["signedDocument"]!.DeepClone();

    private static Task<string?> VectorKeyResolver(string method, CancellationToken cancellationToken) =>
        Task.FromResult(method.EndsWith("#" + Vector["publicKeyMultibase"].Text(), StringComparison.Ordinal) ? Vector["publicKeyMultibase"].Text() : null);

    private static Task<string?> AliceResolver(string method, CancellationToken cancellationToken) =>
        Task.FromResult(method == TestKeys.AliceEdKeyId ? TestKeys.AliceEdMultibase() : null);

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
            ["attributedTo"] = "https://server-a.example/users/alice",
            ["content"] = "Hello from server-a! Grüße 👋",
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
        },
    };

    private static JsonObject SignedNote() => ObjectProofs.CreateProof(Note(), TestKeys.AliceEd25519(), TestKeys.AliceEdKeyId, Created);
}
