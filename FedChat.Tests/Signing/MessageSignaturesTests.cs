using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FedChat.Core.Signing;
using FedChat.Tests.Support;

namespace FedChat.Tests.Signing;

/// <summary>
/// RFC 9421 against the examples of its Appendix B and Sections 2.4, 3.1 and 4.3
/// (Signing/TestVectors/rfc9421.json), and FedChat's own RFC 9421 signing.
/// </summary>
public class MessageSignaturesTests
{
    private static readonly JsonObject Vectors = TestVectorFiles.Load("rfc9421.json");

    // Response signatures (@status, ;req) are outside FedChat's request model; see the README.
    private static readonly string[] ResponseCases = ["B.2.4", "2.4-reqres-1", "2.4-reqres-2"];

    public static TheoryData<string> RequestCaseIds => [.. Cases().Select(c => c["id"].Text()).Where(id => !ResponseCases.Contains(id))];

    public static TheoryData<string> PrintedBaseCaseIds =>
        [.. Cases().Where(c => c["signatureBase"] is not null).Select(c => c["id"].Text()).Where(id => !ResponseCases.Contains(id))];

    public static TheoryData<string> VerifiableCaseIds =>
        [.. Cases().Where(c => c["algorithm"].Text() is "rsa-pss-sha512" or "ecdsa-p256-sha256" or "rsa-v1_5-sha256").Select(c => c["id"].Text()).Where(id => !ResponseCases.Contains(id))];

    [Theory]
    [MemberData(nameof(RequestCaseIds))]
    public void TryParse_ForEveryRequestCase_ReadsLabelKeyIdAndAlgorithm(string caseId)
    {
        var vector = Case(caseId);

        var parsed = MessageSignature.TryParse(vector["signatureInputField"].Text(), vector["signatureField"].Text(), vector["label"].Text(), out var signature, out var error);

        Assert.True(parsed, error);
        Assert.Equal(vector["keyid"].Text(), signature!.KeyId);
        Assert.Contains($"created={signature.Created}", vector["signatureInputField"].Text(), StringComparison.Ordinal);
        Assert.Equal(vector["signatureInputField"].Text().Contains(";alg=", StringComparison.Ordinal) ? vector["algorithm"].Text() : null, signature.Algorithm);
        Assert.NotEmpty(signature.Signature);
    }

    [Theory]
    [MemberData(nameof(PrintedBaseCaseIds))]
    public void TryBuildSignatureBase_ForCaseWithPrintedBase_MatchesItByteForByte(string caseId)
    {
        var (request, signature) = Parse(caseId);

        var built = MessageSignatures.TryBuildSignatureBase(request, signature.Components, signature.SignatureParams, out var signatureBase, out var error);

        Assert.True(built, error);
        Assert.Equal(Case(caseId)["signatureBase"].Text(), signatureBase);
    }

    [Theory]
    [MemberData(nameof(VerifiableCaseIds))]
    public void VerifySignature_ForRsaAndEcdsaCases_AcceptsThePublishedSignature(string caseId)
    {
        var vector = Case(caseId);
        var (request, signature) = Parse(caseId);
        Assert.True(MessageSignatures.TryBuildSignatureBase(request, signature.Components, signature.SignatureParams, out var signatureBase, out var error), error);

        var valid = MessageSignatures.VerifySignature(signatureBase, signature.Signature, PublicKey(vector["keyid"].Text()), vector["algorithm"].Text());

        Assert.True(valid);
    }

    [Theory]
    [MemberData(nameof(VerifiableCaseIds))]
    public void VerifySignature_ForRsaAndEcdsaCases_RejectsAChangedBase(string caseId)
    {
        var vector = Case(caseId);
        var (request, signature) = Parse(caseId);
        Assert.True(MessageSignatures.TryBuildSignatureBase(request, signature.Components, signature.SignatureParams, out var signatureBase, out _));

        var valid = MessageSignatures.VerifySignature(signatureBase + " ", signature.Signature, PublicKey(vector["keyid"].Text()), vector["algorithm"].Text());

        Assert.False(valid);
    }

    [Theory]
    [InlineData("B.2.4")]
    [InlineData("2.4-reqres-1")]
    [InlineData("2.4-reqres-2")]
    public void VerifySignature_ForResponseCases_AcceptsThePublishedSignatureOverThePrintedBase(string caseId)
    {
        // FedChat cannot build a response's base (no @status, no ;req), but the ECDSA check itself
        // must accept the RFC's signatures over the printed bases.
        var vector = Case(caseId);
        var signatureBytes = Convert.FromBase64String(vector["signatureField"].Text().Split(":")[1]);

        var valid = MessageSignatures.VerifySignature(vector["signatureBase"].Text(), signatureBytes, PublicKey(vector["keyid"].Text()), vector["algorithm"].Text());

        Assert.True(valid);
    }

    [Fact]
    public void SignRequest_ProxySignatureOfSection43_ReproducesThePublishedSignatureByteForByte()
    {
        // rsa-v1_5-sha256 is deterministic, so signing the same base again must give the same bytes.
        var vector = Case("4.3-proxy_sig");
        var request = TestVectorFiles.ParseRawRequest(Vectors["messages"]!["proxy-forwarded-request"]!["raw"].Text());
        using var key = KeyPairs.ImportPrivateKeyPem(Vectors["keys"]!["test-key-rsa"]!["privateKeyPem"].Text());
        var parameters = new MessageSignatureParameters("test-key-rsa",
            ["@method", "@authority", "@path", "content-digest", "content-type", "content-length", "forwarded"],
            DateTimeOffset.FromUnixTimeSeconds(1618884480))
        {
            Label = "proxy_sig",
            Algorithm = "rsa-v1_5-sha256",
            Expires = DateTimeOffset.FromUnixTimeSeconds(1618884540),
        };

        var signed = MessageSignatures.SignRequest(request, key, parameters);

        Assert.Equal("proxy_sig=:" + vector["signatureValueBase64"].Text() + ":", signed.GetHeader("Signature"));
        Assert.EndsWith(signed.GetHeader("Signature-Input")!, vector["signatureInputField"].Text(), StringComparison.Ordinal);
    }

    [Fact]
    public void HmacOfB25SignatureBase_ReproducesThePublishedSignatureByteForByte()
    {
        // FedChat does not accept HMAC signatures, but the base it builds must still be the RFC's.
        var (request, signature) = Parse("B.2.5");
        Assert.True(MessageSignatures.TryBuildSignatureBase(request, signature.Components, signature.SignatureParams, out var signatureBase, out _));
        var secret = Convert.FromBase64String(Vectors["keys"]!["test-shared-secret"]!["secretBase64"].Text());

        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(signatureBase));

        Assert.Equal(signature.Signature, mac);
    }

    [Theory]
    [InlineData("B.4-method-authority")]
    [InlineData("B.4-accept-order")]
    public void TryBuildSignatureBase_ForTransformationThatBreaksTheSignature_DiffersFromTheSignedBase(string caseId)
    {
        // B.4's ed25519 signature cannot be checked with .NET; a different base is why it must fail.
        var (request, signature) = Parse(caseId);

        Assert.True(MessageSignatures.TryBuildSignatureBase(request, signature.Components, signature.SignatureParams, out var signatureBase, out _));

        Assert.NotEqual(Case("B.4-original")["signatureBase"].Text(), signatureBase);
    }

    [Theory]
    [InlineData("B.2.4", "@status")]
    [InlineData("2.4-reqres-1", ";req")]
    public void TryParseOrBuild_ForResponseSignature_ExplainsThatResponsesAreNotSupported(string caseId, string expected)
    {
        var vector = Case(caseId);
        var request = TestVectorFiles.ParseRawRequest(Vectors["messages"]!["test-request"]!["raw"].Text());
        string? error;
        if (MessageSignature.TryParse(vector["signatureInputField"].Text(), vector["signatureField"].Text(), null, out var signature, out error))
        {
            Assert.False(MessageSignatures.TryBuildSignatureBase(request, signature.Components, signature.SignatureParams, out _, out error));
        }

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("B.2.6")]
    [InlineData("B.4-original")]
    public async Task VerifyRequest_WithEd25519VectorNamingItsAlgorithm_FailsWithUnsupportedAlgorithm(string caseId)
    {
        // The ed25519 examples leave alg out (the key would say); with alg="ed25519" added, the
        // verifier can tell before looking for a key that it cannot check this signature.
        var vector = Case(caseId);
        var input = vector["signatureInputField"].Text().Replace(";keyid=", ";alg=\"ed25519\";keyid=", StringComparison.Ordinal);
        var request = MessageRequest(vector).WithHeader("Signature-Input", input).WithHeader("Signature", vector["signatureField"].Text());
        var verifier = new HttpSignatureVerifier(Clock(), Relaxed());

        var result = await verifier.VerifyRequestAsync(request, (_, _) => Task.FromResult<PublicKeyInfo?>(null));

        Assert.Equal(SignatureFailure.UnsupportedAlgorithm, result.Failure);
        Assert.Contains("Ed25519", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequest_WithSection32Example_IsValidWhenTheKeySaysRsaPss()
    {
        var request = MessageRequest(Case("3.1-sig1"));
        var verifier = new HttpSignatureVerifier(Clock(), new SignatureVerificationOptions { RequireCoveredComponents = false });

        var result = await verifier.VerifyRequestAsync(request, Resolver());

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal("rsa-pss-sha512", result.Algorithm);
        Assert.Equal(MessageSignatures.SchemeName, result.Scheme);
    }

    [Fact]
    public async Task VerifyRequest_WithEcdsaSignatureFromSection43_IsValid()
    {
        var request = MessageRequest(Case("4.3-sig1"));
        var verifier = new HttpSignatureVerifier(Clock(), new SignatureVerificationOptions { RequireCoveredComponents = false });

        var result = await verifier.VerifyRequestAsync(request, Resolver());

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal("ecdsa-p256-sha256", result.Algorithm);
    }

    [Theory]
    [InlineData("rsa-pss-sha512")]
    [InlineData("ecdsa-p256-sha256")]
    [InlineData(null)]
    public async Task SignRequest_ThenVerifyRequest_RoundTripsForEveryAlgorithm(string? algorithm)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 11, 22, 10, 0, 0, TimeSpan.Zero));
        using AsymmetricAlgorithm key = algorithm == "ecdsa-p256-sha256" ? TestKeys.AliceEcdsa() : TestKeys.AliceRsa();
        var request = new SignableRequest("POST", new Uri("https://server-b.example/users/bob/inbox?x=1"), [new("Content-Type", "application/activity+json")], "{}"u8.ToArray());
        var parameters = new MessageSignatureParameters(TestKeys.AliceKeyId, ["@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query", "content-digest", "content-type"], clock.GetUtcNow())
        {
            Algorithm = algorithm,
            Nonce = "n-1",
            Tag = "fedchat",
        };

        var signed = MessageSignatures.SignRequest(request, key, parameters);
        var result = await new HttpSignatureVerifier(clock).VerifyRequestAsync(signed, (id, _) =>
            Task.FromResult<PublicKeyInfo?>(new PublicKeyInfo(id, TestKeys.Public(key))));

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(algorithm ?? "rsa-v1_5-sha256", result.Algorithm);
        Assert.Equal("sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:", signed.GetHeader("Content-Digest"));
    }

    private static IEnumerable<JsonObject> Cases() => Vectors["cases"]!.AsArray().Select(c => c!.AsObject());

    private static JsonObject Case(string id) => Cases().Single(c => c["id"].Text() == id);

    private static SignableRequest MessageRequest(JsonObject vector) =>
        TestVectorFiles.ParseRawRequest(Vectors["messages"]![vector["message"].Text()]!["raw"].Text());

    private static (SignableRequest Request, MessageSignature Signature) Parse(string caseId)
    {
        var vector = Case(caseId);
        Assert.True(MessageSignature.TryParse(vector["signatureInputField"].Text(), vector["signatureField"].Text(), vector["label"].Text(), out var signature, out var error), error);
        return (MessageRequest(vector), signature!);
    }

    private static AsymmetricAlgorithm PublicKey(string keyId) => KeyPairs.ImportPublicKeyPem(Vectors["keys"]![keyId]!["publicKeyPem"].Text());

    private static PublicKeyResolver Resolver() => (keyId, _) => Task.FromResult<PublicKeyInfo?>(keyId switch
    {
        // RFC 9421's examples leave alg out; the key's publisher says what it is for (§3.3.7).
        "test-key-rsa-pss" => new PublicKeyInfo(keyId, PublicKey(keyId)) { Algorithm = "rsa-pss-sha512" },
        "test-key-ecc-p256" or "test-key-rsa" => new PublicKeyInfo(keyId, PublicKey(keyId)),
        _ => null,
    });

    private static SignatureVerificationOptions Relaxed() => new() { RequireCoveredComponents = false, RequireDigest = false };

    // created=1618884473 in most examples: Tue, 20 Apr 2021 02:07:53 GMT.
    private static ManualTimeProvider Clock() => new(DateTimeOffset.FromUnixTimeSeconds(1618884480));
}
