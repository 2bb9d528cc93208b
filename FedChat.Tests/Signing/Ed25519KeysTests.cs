using System.Text.Json.Nodes;
using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

/// <summary>Ed25519 through BouncyCastle, checked against RFC 8032 §7.1 (TestVectors/rfc8032-ed25519.json).</summary>
public class Ed25519KeysTests
{
    public static TheoryData<string> RfcTests() => new(TestVectorFiles.Load("rfc8032-ed25519.json")["tests"]!.AsArray().Select(t => t!["name"].Text()));

    [Theory]
    [MemberData(nameof(RfcTests))]
    public void Sign_Rfc8032Test_GivesThePublishedPublicKeyAndSignature(string name)
    {
        var test = Test(name);
        var key = Ed25519Keys.FromSeed(Convert.FromHexString(test["secretKey"].Text()));

        var signature = Ed25519Keys.Sign(key, Convert.FromHexString(test["message"].Text()));

        Assert.Equal(test["publicKey"].Text(), Convert.ToHexStringLower(Ed25519Keys.PublicKeyOf(key)));
        Assert.Equal(test["signature"].Text(), Convert.ToHexStringLower(signature));
    }

    [Theory]
    [MemberData(nameof(RfcTests))]
    public void Verify_Rfc8032Test_AcceptsThePublishedSignature_AndRefusesItForAnotherMessage(string name)
    {
        var test = Test(name);
        var publicKey = Convert.FromHexString(test["publicKey"].Text());
        var message = Convert.FromHexString(test["message"].Text());
        var signature = Convert.FromHexString(test["signature"].Text());

        Assert.True(Ed25519Keys.Verify(publicKey, message, signature));
        Assert.False(Ed25519Keys.Verify(publicKey, [.. message, 0], signature));
    }

    [Fact]
    public void Verify_WithOneBitOfTheSignatureFlipped_Fails()
    {
        var key = Ed25519Keys.GenerateKeyPair();
        var signature = Ed25519Keys.Sign(key, "hello"u8);
        signature[10] ^= 1;

        Assert.False(Ed25519Keys.Verify(Ed25519Keys.PublicKeyOf(key), "hello"u8, signature));
    }

    [Theory]
    [InlineData(31, 64)]
    [InlineData(33, 64)]
    [InlineData(0, 64)]
    [InlineData(32, 63)]
    [InlineData(32, 65)]
    public void Verify_WithAWrongLengthKeyOrSignature_FailsWithoutThrowing(int keyLength, int signatureLength)
    {
        Assert.False(Ed25519Keys.Verify(new byte[keyLength], "hello"u8, new byte[signatureLength]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(64)]
    public void FromSeed_WithAWrongLengthSeed_SaysHowLongItMustBe(int length)
    {
        var error = Assert.Throws<FormatException>(() => Ed25519Keys.FromSeed(new byte[length]));

        Assert.Contains("32 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExportThenImportPrivateKeyPem_GivesTheSameKey()
    {
        var key = Ed25519Keys.GenerateKeyPair();

        var pem = Ed25519Keys.ExportPrivateKeyPem(key);
        var imported = Ed25519Keys.ImportPrivateKeyPem(pem);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
        Assert.Equal(Ed25519Keys.PublicKeyOf(key), Ed25519Keys.PublicKeyOf(imported));
    }

    [Fact]
    public void ImportPrivateKeyPem_OfAnRsaKey_SaysItIsNotEd25519()
    {
        using var rsa = TestKeys.AliceRsa();

        var error = Assert.Throws<FormatException>(() => Ed25519Keys.ImportPrivateKeyPem(KeyPairs.ExportPrivateKeyPem(rsa)));

        Assert.Contains("not an Ed25519 key", error.Message, StringComparison.Ordinal);
    }

    private static JsonObject Test(string name) =>
        TestVectorFiles.Load("rfc8032-ed25519.json")["tests"]!.AsArray().Single(t => t!["name"].Text() == name)!.AsObject();
}
