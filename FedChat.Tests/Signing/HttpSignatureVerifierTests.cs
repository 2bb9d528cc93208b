using System.Globalization;
using System.Text;
using FedChat.Core.Signing;
using FedChat.Tests.Support;

namespace FedChat.Tests.Signing;

/// <summary>
/// The verifier entry point, with the rig's fixed keys: Alice on server-a signs deliveries to Bob's
/// inbox on server-b. Each negative control changes one thing and expects one precise reason.
/// </summary>
public partial class HttpSignatureVerifierTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 22, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualTimeProvider _clock = new(Now);

    [Fact]
    public async Task VerifyRequest_WithCavageSignatureFromAlice_IsValid()
    {
        var result = await Verify(SignedCavagePost());

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(DraftCavageSignatures.SchemeName, result.Scheme);
        Assert.Equal(TestKeys.AliceKeyId, result.KeyId);
        Assert.Equal("rsa-sha256", result.Algorithm);
        Assert.Equal("https://server-a.example/users/alice", result.Key!.Owner);
        Assert.Equal(["(request-target)", "host", "date", "digest"], result.CoveredComponents);
    }

    [Fact]
    public async Task VerifyRequest_WithoutAnySignature_FailsWithMissingSignature()
    {
        var result = await Verify(UnsignedPost());

        Assert.Equal(SignatureFailure.MissingSignature, result.Failure);
        Assert.Equal("none", result.Scheme);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task VerifyRequest_WithTamperedBody_FailsWithDigestMismatch(bool rfc9421)
    {
        var signed = rfc9421 ? SignedRfc9421Post() : SignedCavagePost();
        var tampered = new SignableRequest(signed.Method, signed.Url, signed.Headers, "{\"type\":\"Delete\"}"u8.ToArray());

        var result = await Verify(tampered);

        Assert.Equal(SignatureFailure.DigestMismatch, result.Failure);
        Assert.Contains("does not match", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequest_WithTamperedBodyAndRecomputedDigest_FailsWithSignatureMismatch()
    {
        var signed = SignedCavagePost();
        var body = "{\"type\":\"Delete\"}"u8.ToArray();
        var tampered = new SignableRequest(signed.Method, signed.Url, signed.Headers, body).WithHeader("Digest", Digests.CreateDigestHeader(body));

        var result = await Verify(tampered);

        Assert.Equal(SignatureFailure.SignatureMismatch, result.Failure);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task VerifyRequest_WithTamperedSignedHeader_FailsWithSignatureMismatch(bool rfc9421)
    {
        var signed = rfc9421 ? SignedRfc9421Post() : SignedCavagePost();
        var tampered = new SignableRequest(signed.Method, new Uri("https://server-b.example/users/carol/inbox"), signed.Headers, signed.Body);

        var result = await Verify(tampered);

        Assert.Equal(SignatureFailure.SignatureMismatch, result.Failure);
        Assert.Contains(TestKeys.AliceKeyId, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequest_SignedByBobButClaimingAlicesKey_FailsWithSignatureMismatch()
    {
        using var bob = TestKeys.BobRsa();
        var forged = DraftCavageSignatures.SignRequest(UnsignedPost(), bob, TestKeys.AliceKeyId, _clock);

        var result = await Verify(forged);

        Assert.Equal(SignatureFailure.SignatureMismatch, result.Failure);
    }

    [Fact]
    public async Task VerifyRequest_WithUnknownKeyId_FailsWithUnknownKey()
    {
        using var alice = TestKeys.AliceRsa();
        var signed = DraftCavageSignatures.SignRequest(UnsignedPost(), alice, "https://server-c.example/users/mallory#main-key", _clock);

        var result = await Verify(signed);

        Assert.Equal(SignatureFailure.UnknownKey, result.Failure);
        Assert.Contains("mallory", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(66, false)]
    public async Task VerifyRequest_AfterSomeMinutes_IsValidOnlyWithin65Minutes(int minutes, bool expectedValid)
    {
        var signed = SignedCavagePost();
        _clock.Advance(TimeSpan.FromMinutes(minutes));

        var result = await Verify(signed);

        Assert.Equal(expectedValid, result.IsValid);
        Assert.Equal(expectedValid ? SignatureFailure.None : SignatureFailure.OutsideTimeWindow, result.Failure);
    }

    [Fact]
    public async Task VerifyRequest_WithDateMoreThanAnHourAhead_FailsOutsideTimeWindow()
    {
        var signed = SignedCavagePost();
        _clock.Advance(TimeSpan.FromMinutes(-61));

        var result = await Verify(signed);

        Assert.Equal(SignatureFailure.OutsideTimeWindow, result.Failure);
        Assert.Contains("future", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequest_WithShorterConfiguredMaxAge_RejectsEarlier()
    {
        var signed = SignedCavagePost();
        _clock.Advance(TimeSpan.FromMinutes(6));
        var verifier = new HttpSignatureVerifier(_clock, new SignatureVerificationOptions { MaxAge = TimeSpan.FromMinutes(5) });

        var result = await verifier.VerifyRequestAsync(signed, TestKeys.Resolver());

        Assert.Equal(SignatureFailure.OutsideTimeWindow, result.Failure);
    }

    [Fact]
    public async Task VerifyRequest_PostWithoutDigestHeader_FailsWithDigestMissing()
    {
        var request = SignCavageManually(UnsignedPost().WithHeader("Date", Now.ToString("r", CultureInfo.InvariantCulture)),
            "rsa-sha256", ["(request-target)", "host", "date"]);

        var result = await Verify(request);

        Assert.Equal(SignatureFailure.DigestMissing, result.Failure);
    }

    [Fact]
    public async Task VerifyRequest_WhenDigestIsPresentButNotSigned_FailsWithRequiredComponentNotCovered()
    {
        var request = SignCavageManually(UnsignedPost().WithHeader("Date", Now.ToString("r", CultureInfo.InvariantCulture))
            .WithHeader("Digest", Digests.CreateDigestHeader(UnsignedPost().Body)), "rsa-sha256", ["(request-target)", "host", "date"]);

        var result = await Verify(request);

        Assert.Equal(SignatureFailure.RequiredComponentNotCovered, result.Failure);
        Assert.Contains("digest", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host date digest", "(request-target)")]
    [InlineData("(request-target) date digest", "host")]
    [InlineData("(request-target) host digest", "date")]
    public async Task VerifyRequest_WhenARequiredHeaderIsNotSigned_NamesIt(string headers, string missing)
    {
        var request = SignCavageManually(SignedCavagePost(), "rsa-sha256", headers.Split(' '));

        var result = await Verify(request);

        Assert.Equal(SignatureFailure.RequiredComponentNotCovered, result.Failure);
        Assert.Contains(missing, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequest_WithHs2019AndCreated_IsValid()
    {
        var request = SignCavageManually(SignedCavagePost(), "hs2019", ["(request-target)", "(created)", "host", "digest"], created: Now.ToUnixTimeSeconds());

        var result = await Verify(request);

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal("hs2019", result.Algorithm);
    }

    [Fact]
    public async Task VerifyRequest_WithHs2019PastItsExpires_FailsWithExpired()
    {
        var request = SignCavageManually(SignedCavagePost(), "hs2019", ["(request-target)", "(created)", "(expires)", "host", "digest"],
            created: Now.ToUnixTimeSeconds(), expires: Now.AddMinutes(5).ToUnixTimeSeconds());
        _clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var result = await new HttpSignatureVerifier(_clock, new SignatureVerificationOptions { MaxAge = TimeSpan.FromDays(1) })
            .VerifyRequestAsync(request, TestKeys.Resolver());

        Assert.Equal(SignatureFailure.Expired, result.Failure);
    }

    [Fact]
    public async Task VerifyRequest_WithRsaSha256CoveringCreated_FailsAsMalformed()
    {
        var request = SignCavageManually(SignedCavagePost(), "rsa-sha256", ["(request-target)", "(created)", "host", "digest"], created: Now.ToUnixTimeSeconds());

        var result = await Verify(request);

        Assert.Equal(SignatureFailure.MalformedHeader, result.Failure);
        Assert.Contains("hs2019", result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ecdsa-sha256")]
    [InlineData("hmac-sha256")]
    public async Task VerifyRequest_WithUnsupportedCavageAlgorithm_FailsWithUnsupportedAlgorithm(string algorithm)
    {
        var signed = SignedCavagePost();
        var header = signed.GetHeader("Signature")!.Replace("rsa-sha256", algorithm, StringComparison.Ordinal);

        var result = await Verify(signed.WithHeader("Signature", header));

        Assert.Equal(SignatureFailure.UnsupportedAlgorithm, result.Failure);
        Assert.Contains(algorithm, result.FailureReason, StringComparison.Ordinal);
    }

    internal static SignableRequest UnsignedPost() => new(
        "POST",
        new Uri("https://server-b.example/users/bob/inbox"),
        [new("Host", "server-b.example"), new("Content-Type", "application/activity+json")],
        Encoding.UTF8.GetBytes("{\"type\":\"Create\",\"actor\":\"https://server-a.example/users/alice\"}"));

    private SignableRequest SignedCavagePost()
    {
        using var alice = TestKeys.AliceRsa();
        return DraftCavageSignatures.SignRequest(UnsignedPost(), alice, TestKeys.AliceKeyId, _clock);
    }

    private SignableRequest SignedRfc9421Post()
    {
        using var alice = TestKeys.AliceRsa();
        return MessageSignatures.SignRequest(UnsignedPost(), alice, TestKeys.AliceKeyId, _clock);
    }

    /// <summary>Signs with Alice's key over exactly the given headers, as a careless or hostile sender might.</summary>
    private static SignableRequest SignCavageManually(SignableRequest request, string algorithm, string[] headers, long? created = null, long? expires = null)
    {
        using var alice = TestKeys.AliceRsa();
        Assert.True(DraftCavageSignatures.TryBuildSigningString(request, headers, created, expires, out var signingString, out var error), error);
        var signature = alice.SignData(Encoding.UTF8.GetBytes(signingString), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var header = new CavageSignatureHeader(TestKeys.AliceKeyId, algorithm, headers, signature, created, expires);
        return request.WithHeader("Signature", header.Format());
    }

    private Task<SignatureVerification> Verify(SignableRequest request) =>
        new HttpSignatureVerifier(_clock).VerifyRequestAsync(request, TestKeys.Resolver());
}
