using System.Security.Cryptography;
using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

public class KeyPairsTests
{
    [Fact]
    public void GenerateRsaKeyPair_Gives2048BitKeyThatRoundTripsThroughPem()
    {
        using var key = KeyPairs.GenerateRsaKeyPair();

        var publicPem = KeyPairs.ExportPublicKeyPem(key);
        var privatePem = KeyPairs.ExportPrivateKeyPem(key);

        Assert.Equal(2048, key.KeySize);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", publicPem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", privatePem, StringComparison.Ordinal);
        using var publicKey = Assert.IsAssignableFrom<RSA>(KeyPairs.ImportPublicKeyPem(publicPem));
        using var privateKey = Assert.IsAssignableFrom<RSA>(KeyPairs.ImportPrivateKeyPem(privatePem));
        var signature = privateKey.SignData("x"u8.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        Assert.True(publicKey.VerifyData("x"u8.ToArray(), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void GenerateEcdsaKeyPair_GivesP256KeyThatRoundTripsThroughPem()
    {
        using var key = KeyPairs.GenerateEcdsaKeyPair();

        using var publicKey = Assert.IsAssignableFrom<ECDsa>(KeyPairs.ImportPublicKeyPem(KeyPairs.ExportPublicKeyPem(key)));
        using var privateKey = Assert.IsAssignableFrom<ECDsa>(KeyPairs.ImportPrivateKeyPem(KeyPairs.ExportPrivateKeyPem(key)));

        Assert.Equal(256, key.KeySize);
        Assert.Equal(key.ExportParameters(false).Q.X, publicKey.ExportParameters(false).Q.X);
        Assert.True(publicKey.VerifyData("x"u8.ToArray(), privateKey.SignData("x"u8.ToArray(), HashAlgorithmName.SHA256), HashAlgorithmName.SHA256));
    }

    [Theory]
    [InlineData("test-key-rsa", "publicKeyPem", typeof(RSA))]       // PKCS#1 "RSA PUBLIC KEY"
    [InlineData("test-key-rsa", "privateKeyPem", typeof(RSA))]      // PKCS#1 "RSA PRIVATE KEY"
    [InlineData("test-key-rsa-pss", "publicKeyPem", typeof(RSA))]   // SPKI
    [InlineData("test-key-ecc-p256", "publicKeyPem", typeof(ECDsa))] // SPKI
    [InlineData("test-key-ecc-p256", "privateKeyPem", typeof(ECDsa))] // SEC 1 "EC PRIVATE KEY"
    public void Import_Rfc9421TestKeys_GivesTheRightKeyType(string keyId, string field, Type expected)
    {
        var pem = TestVectorFiles.Load("rfc9421.json")["keys"]![keyId]![field].Text();

        using var key = field == "publicKeyPem" ? KeyPairs.ImportPublicKeyPem(pem) : KeyPairs.ImportPrivateKeyPem(pem);

        Assert.IsAssignableFrom(expected, key);
    }

    [Fact]
    public void ImportPublicKeyPem_ForEd25519Key_ThrowsFormatExceptionNamingTheAlgorithm()
    {
        var pem = TestVectorFiles.Load("rfc9421.json")["keys"]!["test-key-ed25519"]!["publicKeyPem"].Text();

        var error = Assert.Throws<FormatException>(() => KeyPairs.ImportPublicKeyPem(pem));

        Assert.Contains("1.3.101.112", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a pem")]
    [InlineData("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")]
    [InlineData("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")]
    public void ImportPublicKeyPem_WithGarbage_ThrowsFormatException(string pem)
    {
        Assert.Throws<FormatException>(() => KeyPairs.ImportPublicKeyPem(pem));
    }

    [Fact]
    public void ImportPrivateKeyPem_GivenAPublicKey_ThrowsFormatException()
    {
        using var key = KeyPairs.GenerateEcdsaKeyPair();

        Assert.Throws<FormatException>(() => KeyPairs.ImportPrivateKeyPem(KeyPairs.ExportPublicKeyPem(key)));
    }

    [Fact]
    public void PublicKeyInfo_FromPem_KeepsTheKeyId()
    {
        var info = PublicKeyInfo.FromPem("Test", TestVectorFiles.Load("draft-cavage-http-signatures-12.json")["key"]!["publicKeyPem"].Text());

        Assert.Equal("Test", info.KeyId);
        Assert.Equal(1024, info.Key.KeySize); // the draft says 2048; the published key is 1024-bit
    }
}
