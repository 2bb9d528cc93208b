using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

/// <summary>The verifier's RFC 9421 checks (the rig and helpers are in HttpSignatureVerifierTests.cs).</summary>
public partial class HttpSignatureVerifierTests
{
    [Fact]
    public async Task VerifyRequest_WithRfc9421SignatureFromAlice_IsValid()
    {
        var result = await Verify(SignedRfc9421Post());

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal(MessageSignatures.SchemeName, result.Scheme);
        Assert.Equal("rsa-v1_5-sha256", result.Algorithm);
    }

    [Fact]
    public async Task VerifyRequest_WithStaleCreatedParameter_FailsOutsideTimeWindow()
    {
        var signed = SignedRfc9421Post();
        _clock.Advance(TimeSpan.FromHours(2));

        var result = await Verify(signed);

        Assert.Equal(SignatureFailure.OutsideTimeWindow, result.Failure);
        Assert.Contains("created time", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequest_WithAlgThatContradictsTheKey_FailsWithUnsupportedAlgorithm()
    {
        using var alice = TestKeys.AliceRsa();
        var parameters = new MessageSignatureParameters(TestKeys.AliceKeyId, ["@method", "@target-uri", "content-digest"], Now) { Algorithm = "rsa-pss-sha512" };
        var signed = MessageSignatures.SignRequest(UnsignedPost(), alice, parameters);
        PublicKeyResolver resolver = (id, _) => Task.FromResult<PublicKeyInfo?>(new PublicKeyInfo(id, TestKeys.Public(alice)) { Algorithm = "rsa-v1_5-sha256" });

        var result = await new HttpSignatureVerifier(_clock).VerifyRequestAsync(signed, resolver);

        Assert.Equal(SignatureFailure.UnsupportedAlgorithm, result.Failure);
    }

    [Fact]
    public async Task VerifyRequest_WithEcdsaSignatureButRsaKey_FailsWithUnsupportedAlgorithm()
    {
        using var ecdsa = TestKeys.AliceEcdsa();
        var signed = MessageSignatures.SignRequest(UnsignedPost(), ecdsa, new MessageSignatureParameters(TestKeys.AliceKeyId, ["@method", "@target-uri", "content-digest"], Now) { Algorithm = "ecdsa-p256-sha256" });

        var result = await Verify(signed);

        Assert.Equal(SignatureFailure.UnsupportedAlgorithm, result.Failure);
        Assert.Contains("RSA", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequest_WithSignatureInputButNoSignature_FailsWithMissingSignature()
    {
        var signed = SignedRfc9421Post();
        var withoutSignature = new SignableRequest(signed.Method, signed.Url, signed.Headers.Where(h => h.Key != "Signature"), signed.Body);

        var result = await Verify(withoutSignature);

        Assert.Equal(SignatureFailure.MissingSignature, result.Failure);
        Assert.Equal(MessageSignatures.SchemeName, result.Scheme);
    }

    [Fact]
    public async Task VerifyRequest_Rfc9421WithoutTargetUri_FailsWithRequiredComponentNotCovered()
    {
        using var alice = TestKeys.AliceRsa();
        var signed = MessageSignatures.SignRequest(UnsignedPost(), alice, new MessageSignatureParameters(TestKeys.AliceKeyId, ["@method", "content-digest"], Now));

        var result = await Verify(signed);

        Assert.Equal(SignatureFailure.RequiredComponentNotCovered, result.Failure);
        Assert.Contains("@target-uri", result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyRequest_Rfc9421PastExpires_FailsWithExpired()
    {
        using var alice = TestKeys.AliceRsa();
        var parameters = new MessageSignatureParameters(TestKeys.AliceKeyId, ["@method", "@target-uri", "content-digest"], Now) { Expires = Now.AddSeconds(30) };
        var signed = MessageSignatures.SignRequest(UnsignedPost(), alice, parameters);
        _clock.Advance(TimeSpan.FromMinutes(61));

        var result = await Verify(signed);

        Assert.Equal(SignatureFailure.Expired, result.Failure);
    }
}
