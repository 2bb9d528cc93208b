using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FedChat.Core.Signing;
using FedChat.Tests.Support;

namespace FedChat.Tests.Signing;

/// <summary>
/// draft-cavage-http-signatures-12 against its Appendix C vectors, and FedChat's own signing.
/// The vectors have known defects (Signing/TestVectors/README.upstream.md): C.1 signs "date" by
/// default, and C.3 lists (created) (expires) that its signature does not cover.
/// </summary>
public class DraftCavageSignaturesTests
{
    private static readonly JsonObject Vectors = TestVectorFiles.Load("draft-cavage-http-signatures-12.json");

    public static TheoryData<string> CaseIds => ["C.1", "C.2", "C.3"];

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void BuildSigningString_ForAppendixCCase_MatchesThePrintedSigningString(string caseId)
    {
        var vector = Case(caseId);
        var covered = vector["coveredHeaders"]!.AsArray().Select(h => h.Text()).ToList();

        var built = DraftCavageSignatures.TryBuildSigningString(VectorRequest(), covered, null, null, out var signingString, out var error);

        Assert.True(built, error);
        Assert.Equal(vector["signingString"].Text(), signingString);
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void VerifySignature_ForAppendixCCase_AcceptsThePublishedSignature(string caseId)
    {
        var vector = Case(caseId);
        var signature = Convert.FromBase64String(vector["signature"].Text());

        var valid = DraftCavageSignatures.VerifySignature(vector["signingString"].Text(), signature, VectorPublicKey());

        Assert.True(valid);
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Signing_TheAppendixCSigningString_ReproducesThePublishedSignatureByteForByte(string caseId)
    {
        // RSASSA-PKCS1-v1_5 is deterministic, so the same key and text give the same bytes.
        var vector = Case(caseId);
        using var key = (RSA)KeyPairs.ImportPrivateKeyPem(Vectors["key"]!["privateKeyPem"].Text());

        var signature = key.SignData(Encoding.UTF8.GetBytes(vector["signingString"].Text()), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        Assert.Equal(vector["signature"].Text(), Convert.ToBase64String(signature));
    }

    [Fact]
    public void VerifySignature_WithTamperedSigningString_Fails()
    {
        var vector = Case("C.2");
        var tampered = vector["signingString"].Text().Replace("example.com", "example.org", StringComparison.Ordinal);

        Assert.False(DraftCavageSignatures.VerifySignature(tampered, Convert.FromBase64String(vector["signature"].Text()), VectorPublicKey()));
    }

    [Fact]
    public void TryParse_C1SignatureHeaderWithoutHeadersParameter_DefaultsToDate()
    {
        var parsed = CavageSignatureHeader.TryParse(Case("C.1")["signatureHeader"].Text(), out var header, out var error);

        Assert.True(parsed, error);
        Assert.Equal(["date"], header!.Headers);
        Assert.False(header.HeadersGiven);
        Assert.True(DraftCavageSignatures.TryBuildSigningString(VectorRequest(), header, out var signingString, out _));
        Assert.Equal(Case("C.1")["signingString"].Text(), signingString);
    }

    [Fact]
    public void TryParse_C2AuthorizationHeader_ReadsTheParameters()
    {
        var parsed = CavageSignatureHeader.TryParse(Case("C.2")["authorizationHeader"].Text(), out var header, out var error);

        Assert.True(parsed, error);
        Assert.Equal("Test", header!.KeyId);
        Assert.Equal("rsa-sha256", header.Algorithm);
        Assert.Equal(["(request-target)", "host", "date"], header.Headers);
        Assert.True(DraftCavageSignatures.VerifySignature(Case("C.2")["signingString"].Text(), header.Signature, VectorPublicKey()));
    }

    [Fact]
    public void TryBuildSigningString_ForC3Header_RejectsCreatedWithAnRsaAlgorithm()
    {
        // C.3 is internally inconsistent: -12 §2.3 forbids (created) with "rsa-sha256".
        Assert.True(CavageSignatureHeader.TryParse(Case("C.3")["signatureHeader"].Text(), out var header, out _));
        Assert.Equal(1402170695, header!.Created);
        Assert.Equal(1402170699m, header.Expires);

        var built = DraftCavageSignatures.TryBuildSigningString(VectorRequest(), header, out _, out var error);

        Assert.False(built);
        Assert.Contains("(created)", error, StringComparison.Ordinal);
        Assert.Contains("§2.3", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequest_WithC2VectorAndDefaultRules_FailsBecauseDigestIsNotCovered()
    {
        var request = VectorRequest().WithHeader("Signature", Case("C.2")["authorizationHeader"].Text()["Signature ".Length..]);
        var verifier = new HttpSignatureVerifier(VectorClock());

        var result = await verifier.VerifyRequestAsync(request, VectorResolver());

        Assert.Equal(SignatureFailure.RequiredComponentNotCovered, result.Failure);
        Assert.Contains("digest", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequest_WithC2VectorWhenDigestIsNotRequired_IsValid()
    {
        var request = VectorRequest().WithHeader("Authorization", Case("C.2")["authorizationHeader"].Text());
        var verifier = new HttpSignatureVerifier(VectorClock(), new SignatureVerificationOptions { RequireDigest = false });

        var result = await verifier.VerifyRequestAsync(request, VectorResolver());

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal("Test", result.KeyId);
    }

    [Fact]
    public async Task SignRequest_ForPost_SignsRequestTargetHostDateAndDigest()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 11, 22, 10, 0, 0, TimeSpan.Zero));
        var request = new SignableRequest("POST", new Uri("https://server-b.example/users/bob/inbox"), [], "{\"type\":\"Create\"}"u8.ToArray());
        using var alice = TestKeys.AliceRsa();

        var signed = DraftCavageSignatures.SignRequest(request, alice, TestKeys.AliceKeyId, clock);

        Assert.Equal("Sat, 22 Nov 2025 10:00:00 GMT", signed.GetHeader("Date"));
        Assert.Equal("server-b.example", signed.GetHeader("Host"));
        Assert.Equal(Digests.CreateDigestHeader(request.Body), signed.GetHeader("Digest"));
        Assert.True(CavageSignatureHeader.TryParse(signed.GetHeader("Signature"), out var header, out _));
        Assert.Equal(["(request-target)", "host", "date", "digest"], header!.Headers);
        Assert.Equal("rsa-sha256", header.Algorithm);
        var result = await new HttpSignatureVerifier(clock).VerifyRequestAsync(signed, TestKeys.Resolver());
        Assert.True(result.IsValid, result.FailureReason);
    }

    [Fact]
    public void SignRequest_ForGet_SignsRequestTargetHostAndDateWithoutDigest()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 11, 22, 10, 0, 0, TimeSpan.Zero));
        var request = new SignableRequest("GET", new Uri("https://server-b.example:8443/users/bob"), [new("Accept", "application/activity+json")]);
        using var alice = TestKeys.AliceRsa();

        var signed = DraftCavageSignatures.SignRequest(request, alice, TestKeys.AliceKeyId, clock);

        Assert.Null(signed.GetHeader("Digest"));
        Assert.Equal("server-b.example:8443", signed.GetHeader("Host"));
        Assert.True(CavageSignatureHeader.TryParse(signed.GetHeader("Signature"), out var header, out _));
        Assert.Equal(["(request-target)", "host", "date"], header!.Headers);
        Assert.True(DraftCavageSignatures.TryBuildSigningString(signed, header, out var signingString, out _));
        Assert.Equal("(request-target): get /users/bob\nhost: server-b.example:8443\ndate: Sat, 22 Nov 2025 10:00:00 GMT", signingString);
    }

    private static JsonObject Case(string id) => Vectors["cases"]!.AsArray().Single(c => c!["id"].Text() == id)!.AsObject();

    private static SignableRequest VectorRequest()
    {
        var request = Vectors["request"]!;
        var headers = request["headers"]!.AsArray().Select(h => new KeyValuePair<string, string>(h![0].Text(), h[1].Text()));
        return new SignableRequest(request["method"].Text(), new Uri("https://example.com" + request["path"].Text()), headers,
            Encoding.UTF8.GetBytes(request["body"].Text()));
    }

    private static AsymmetricAlgorithm VectorPublicKey() => KeyPairs.ImportPublicKeyPem(Vectors["key"]!["publicKeyPem"].Text());

    private static PublicKeyResolver VectorResolver() => (keyId, _) =>
        Task.FromResult(keyId == "Test" ? new PublicKeyInfo("Test", VectorPublicKey()) : null);

    // The vectors' Date header: Sun, 05 Jan 2014 21:31:40 GMT.
    private static ManualTimeProvider VectorClock() => new(new DateTimeOffset(2014, 1, 5, 21, 31, 40, TimeSpan.Zero));
}
