using System.Text;
using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

public class DigestsTests
{
    // The body of the draft-cavage and RFC 9421 examples, and its digests as they print them.
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"hello\": \"world\"}");

    [Fact]
    public void CreateDigestHeader_ForCavageExampleBody_MatchesTheDraftsDigest()
    {
        Assert.Equal("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", Digests.CreateDigestHeader(Body));
    }

    [Fact]
    public void CreateContentDigestHeader_ThenVerify_IsValid()
    {
        var header = Digests.CreateContentDigestHeader(Body);

        Assert.Equal("sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", header);
        Assert.True(Digests.VerifyContentDigestHeader(header, Body).IsValid);
    }

    [Fact]
    public void VerifyContentDigestHeader_WithRfc9421Sha512Example_IsValid()
    {
        const string Header = "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:";

        Assert.True(Digests.VerifyContentDigestHeader(Header, Body).IsValid);
    }

    [Theory]
    [InlineData("SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")]
    [InlineData("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")]
    [InlineData("MD5=Sd/dVLAcvNLSq16eXua5uQ==, SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=")]
    public void VerifyDigestHeader_WithMatchingSha256_IsValid(string header)
    {
        Assert.True(Digests.VerifyDigestHeader(header, Body).IsValid);
    }

    [Theory]
    [InlineData("SHA-256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", DigestFailure.Mismatch, "does not match")]
    [InlineData("MD5=Sd/dVLAcvNLSq16eXua5uQ==", DigestFailure.UnsupportedAlgorithm, "MD5")]
    [InlineData("SHA-256", DigestFailure.Malformed, "algorithm=value")]
    [InlineData("SHA-256=***", DigestFailure.Malformed, "base64")]
    [InlineData("", DigestFailure.UnsupportedAlgorithm, "nothing")]
    public void VerifyDigestHeader_WithBadHeader_FailsWithAReason(string header, DigestFailure failure, string reasonMentions)
    {
        var result = Digests.VerifyDigestHeader(header, Body);

        Assert.False(result.IsValid);
        Assert.Equal(failure, result.Failure);
        Assert.Contains(reasonMentions, result.FailureReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:", DigestFailure.Mismatch, "does not match")]
    [InlineData("md5=:Sd/dVLAcvNLSq16eXua5uQ==:", DigestFailure.UnsupportedAlgorithm, "md5")]
    [InlineData("sha-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", DigestFailure.Malformed, "structured-field")]
    [InlineData("sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\"", DigestFailure.Malformed, "byte sequence")]
    public void VerifyContentDigestHeader_WithBadHeader_FailsWithAReason(string header, DigestFailure failure, string reasonMentions)
    {
        var result = Digests.VerifyContentDigestHeader(header, Body);

        Assert.False(result.IsValid);
        Assert.Equal(failure, result.Failure);
        Assert.Contains(reasonMentions, result.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public void VerifyDigestHeader_WithTamperedBody_FailsWithMismatch()
    {
        var header = Digests.CreateDigestHeader(Body);

        var result = Digests.VerifyDigestHeader(header, Encoding.UTF8.GetBytes("{\"hello\": \"mallory\"}"));

        Assert.Equal(DigestFailure.Mismatch, result.Failure);
    }
}
