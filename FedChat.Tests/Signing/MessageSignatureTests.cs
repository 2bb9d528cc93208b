using FedChat.Core.Signing;
using FedChat.Tests.Support;

namespace FedChat.Tests.Signing;

public class MessageSignatureTests
{
    private const string Input = "sig1=(\"@method\" \"@target-uri\" \"content-digest\");created=1618884473;keyid=\"k\";alg=\"rsa-v1_5-sha256\";expires=1618884500;nonce=\"n\";tag=\"t\"";
    private const string Signature = "sig1=:AQID:";

    [Fact]
    public void TryParse_WithAllParameters_ReadsThemAndKeepsTheSerializedParams()
    {
        var parsed = MessageSignature.TryParse(Input, Signature, null, out var signature, out var error);

        Assert.True(parsed, error);
        Assert.Equal("sig1", signature!.Label);
        Assert.Equal(["@method", "@target-uri", "content-digest"], signature.Components.Select(c => c.Name));
        Assert.Equal(("k", "rsa-v1_5-sha256", 1618884473L, 1618884500L, "n", "t"),
            (signature.KeyId, signature.Algorithm, signature.Created!.Value, signature.Expires!.Value, signature.Nonce, signature.Tag));
        Assert.Equal(Input["sig1=".Length..], signature.SignatureParams);
        Assert.Equal([1, 2, 3], signature.Signature);
    }

    [Fact]
    public void TryParse_WithExtraSpacesAndTwoSignatures_PicksTheFirstLabelPresentInBoth()
    {
        var parsed = MessageSignature.TryParse("only=();keyid=\"x\",  sig2=( \"@method\"  \"@path\" );keyid=\"k\"", "sig2=:AQID:, other=:AA==:", null, out var signature, out _);

        Assert.True(parsed);
        Assert.Equal("sig2", signature!.Label);
        // The base uses the canonical serialization, not the spacing that arrived.
        Assert.Equal("(\"@method\" \"@path\");keyid=\"k\"", signature.SignatureParams);
    }

    [Fact]
    public void TryParse_WithQueryParamName_KeepsTheParameterInTheIdentifier()
    {
        Assert.True(MessageSignature.TryParse("s=(\"@query-param\";name=\"Pet\");keyid=\"k\"", "s=:AA==:", null, out var signature, out _));

        Assert.Equal("\"@query-param\";name=\"Pet\"", signature!.Components[0].Identifier);
        Assert.Equal("Pet", signature.Components[0].QueryParameterName);
    }

    [Theory]
    [InlineData("sig1=(\"@method\");created=1", "sig2=:AQID:", "no label")]
    [InlineData("sig1=(\"@method\"", Signature, "not closed")]
    [InlineData("sig1=(\"@method\");created=\"yesterday\"", Signature, "integer")]
    [InlineData("sig1=(\"@method\");keyid=k", Signature, "quoted string")]
    [InlineData("sig1=(\"@Method\")", Signature, "lowercase")]
    [InlineData("sig1=(\"@method\" \"@method\")", Signature, "twice")]
    [InlineData("sig1=(@method)", Signature, "Unexpected '@'")]
    [InlineData("sig1=(\"@method\");keyid=\"k\"", "sig1=AQID", "byte sequence")]
    [InlineData("sig1=\"@method\"", Signature, "list of components")]
    [InlineData("sig1=(\"@query-param\")", Signature, "name parameter")]
    [InlineData("sig1=(\"@authority\";req)", Signature, "response")]
    [InlineData("sig1=(\"date\";sf)", Signature, "not supported")]
    [InlineData("Sig1=(\"@method\")", Signature, "key")]
    [InlineData("sig1=(\"@method\"),", Signature, "comma")]
    [InlineData("sig1=(\"@method\")", "sig1=:AQ!D:", "base64")]
    public void TryParse_WithMalformedInput_FailsWithAReason(string input, string signature, string reasonMentions)
    {
        var parsed = MessageSignature.TryParse(input, signature, null, out var result, out var error);

        Assert.False(parsed);
        Assert.Null(result);
        Assert.Contains(reasonMentions, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task VerifyRequest_WithRandomlyMutatedSignatureInputAndSignature_NeverThrowsAndAlwaysGivesAReason()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 11, 22, 10, 0, 0, TimeSpan.Zero));
        using var alice = TestKeys.AliceRsa();
        var signed = MessageSignatures.SignRequest(HttpSignatureVerifierTests.UnsignedPost(), alice, TestKeys.AliceKeyId, clock);
        var verifier = new HttpSignatureVerifier(clock);
        var random = new Random(9421);

        for (var i = 0; i < 400; i++)
        {
            var header = i % 2 == 0 ? "Signature-Input" : "Signature";
            var mutated = CavageSignatureHeaderTests.Mutate(signed.GetHeader(header)!, random);
            var result = await verifier.VerifyRequestAsync(signed.WithHeader(header, mutated), TestKeys.Resolver());

            Assert.True(result.IsValid || !string.IsNullOrWhiteSpace(result.FailureReason), mutated);
        }
    }
}
