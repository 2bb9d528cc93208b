using FedChat.Core.Signing;
using FedChat.Tests.Support;

namespace FedChat.Tests.Signing;

public class CavageSignatureHeaderTests
{
    [Fact]
    public void TryParse_WithSpacesAroundCommasAndEquals_ReadsEveryParameter()
    {
        const string Value = " keyId = \"https://a.example/u#k\" ,  algorithm=\"hs2019\",created=1402170695 , expires = 1402170699.5, headers=\"(request-target) (created) Host\", signature=\"AQID\" ";

        var parsed = CavageSignatureHeader.TryParse(Value, out var header, out var error);

        Assert.True(parsed, error);
        Assert.Equal("https://a.example/u#k", header!.KeyId);
        Assert.Equal("hs2019", header.Algorithm);
        Assert.Equal(1402170695, header.Created);
        Assert.Equal(1402170699.5m, header.Expires);
        Assert.Equal(["(request-target)", "(created)", "host"], header.Headers);
        Assert.Equal([1, 2, 3], header.Signature);
    }

    [Fact]
    public void TryParse_WithoutAlgorithmOrHeaders_DefaultsToHs2019AndCreated()
    {
        Assert.True(CavageSignatureHeader.TryParse("keyId=\"k\",signature=\"AQID\"", out var header, out _));

        Assert.Equal("hs2019", header!.EffectiveAlgorithm);
        Assert.Equal(["(created)"], header.Headers);
    }

    [Fact]
    public void Format_ThenTryParse_RoundTrips()
    {
        var header = new CavageSignatureHeader("https://a.example/u#k", "rsa-sha256", ["(request-target)", "host", "date"], [9, 8, 7], null, null);

        Assert.True(CavageSignatureHeader.TryParse(header.Format(), out var parsed, out _));

        Assert.Equal(header.Format(), parsed!.Format());
        Assert.Equal("keyId=\"https://a.example/u#k\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"CQgH\"", header.Format());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("algorithm=\"rsa-sha256\",signature=\"AQID\"", "keyId")]
    [InlineData("keyId=\"k\"", "signature")]
    [InlineData("keyId=\"k\",signature=\"not base64!\"", "base64")]
    [InlineData("keyId=\"k\",keyId=\"j\",signature=\"AQID\"", "twice")]
    [InlineData("keyId=\"k,signature=\"AQID\"", "comma")]
    [InlineData("keyId=\"k\",signature=\"AQID", "closing quote")]
    [InlineData("keyId \"k\"", "name=\"value\"")]
    [InlineData("keyId=\"k\",created=soon,signature=\"AQID\"", "created")]
    [InlineData("keyId=\"k\",expires=-1,signature=\"AQID\"", "expires")]
    [InlineData("keyId=\"k\",headers=\"  \",signature=\"AQID\"", "headers")]
    [InlineData("keyId=\"k\" signature=\"AQID\"", "comma")]
    public void TryParse_WithMalformedHeader_FailsWithAReason(string value, string reasonMentions)
    {
        var parsed = CavageSignatureHeader.TryParse(value, out var header, out var error);

        Assert.False(parsed);
        Assert.Null(header);
        Assert.Contains(reasonMentions, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task VerifyRequest_WithRandomlyMutatedSignatureHeaders_NeverThrowsAndAlwaysGivesAReason()
    {
        // Fuzz-ish: a fixed seed keeps failures reproducible.
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 11, 22, 10, 0, 0, TimeSpan.Zero));
        using var alice = TestKeys.AliceRsa();
        var signed = DraftCavageSignatures.SignRequest(HttpSignatureVerifierTests.UnsignedPost(), alice, TestKeys.AliceKeyId, clock);
        var original = signed.GetHeader("Signature")!;
        var verifier = new HttpSignatureVerifier(clock);
        var random = new Random(20251122);

        for (var i = 0; i < 400; i++)
        {
            var mutated = Mutate(original, random);
            var result = await verifier.VerifyRequestAsync(signed.WithHeader("Signature", mutated), TestKeys.Resolver());

            Assert.True(result.IsValid || !string.IsNullOrWhiteSpace(result.FailureReason), mutated);
            Assert.True(result.IsValid == (result.Failure == SignatureFailure.None), mutated);
        }
    }

    internal static string Mutate(string text, Random random)
    {
        const string Interesting = "\"=,;() :?*\\\t\n-1aZ\u00e9";
        var chars = text.ToList();
        for (var edits = random.Next(1, 4); edits > 0 && chars.Count > 0; edits--)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(3))
            {
                case 0:
                    chars.RemoveAt(at);
                    break;
                case 1:
                    chars.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                default:
                    chars[at] = Interesting[random.Next(Interesting.Length)];
                    break;
            }
        }

        return new string([.. chars]);
    }
}
