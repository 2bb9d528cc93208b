using System.Security.Cryptography;
using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

public class MultikeyTests
{
    // The P-256 key of the W3C vc-di-ecdsa test vectors (TestVectors/p256KeyPair.json).
    private const string W3cPublicKey = "zDnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP";

    [Fact]
    public void DecodeP256PublicKey_W3cKey_ReencodesToTheSameText()
    {
        using var key = Multikey.DecodeP256PublicKey(W3cPublicKey);

        Assert.Equal(256, key.KeySize);
        Assert.Equal(W3cPublicKey, Multikey.EncodeP256PublicKey(key));
    }

    [Fact]
    public void EncodeThenDecode_ForManyKeys_GivesBackTheSamePoint()
    {
        // Twenty keys make it practically certain that both parities of y (0x02 and 0x03) occur.
        var prefixes = new HashSet<byte>();
        for (var i = 0; i < 20; i++)
        {
            using var key = KeyPairs.GenerateEcdsaKeyPair();
            var encoded = Multikey.EncodeP256PublicKey(key);
            using var decoded = Multikey.DecodeP256PublicKey(encoded);

            Assert.StartsWith("zDn", encoded, StringComparison.Ordinal);
            Assert.Equal(key.ExportParameters(false).Q.Y, decoded.ExportParameters(false).Q.Y);
            prefixes.Add(Base58Btc.Decode(encoded[1..])[2]);
        }

        Assert.Equal(new byte[] { 0x02, 0x03 }, prefixes.Order().ToArray());
    }

    [Fact]
    public void DecodeP256PublicKey_ThenVerify_AcceptsASignatureOfTheOriginalKey()
    {
        using var key = TestKeys.AliceEcdsa();
        var data = "hello"u8.ToArray();
        var signature = key.SignData(data, HashAlgorithmName.SHA256);

        using var decoded = Multikey.DecodeP256PublicKey(Multikey.EncodeP256PublicKey(key));

        Assert.True(decoded.VerifyData(data, signature, HashAlgorithmName.SHA256));
    }

    [Theory]
    [InlineData("DnaepBuvsQ8cpsWrVKw8fbpGpvPeNSjVPTWoq6cRqaYzBKVP", "'z'")]
    [InlineData("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2", "not a P-256")] // an Ed25519 Multikey
    [InlineData("z0", "base58btc")]
    public void DecodeP256PublicKey_WithWrongInput_ThrowsFormatException(string text, string messageMentions)
    {
        var error = Assert.Throws<FormatException>(() => Multikey.DecodeP256PublicKey(text));

        Assert.Contains(messageMentions, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeP256PublicKey_WithXNotOnTheCurve_ThrowsFormatException()
    {
        // x = 1 has no y on P-256: 1 − 3 + b is not a square modulo p.
        var bytes = new byte[35];
        bytes[0] = 0x80;
        bytes[1] = 0x24;
        bytes[2] = 0x02;
        bytes[34] = 1;

        var error = Assert.Throws<FormatException>(() => Multikey.DecodeP256PublicKey("z" + Base58Btc.Encode(bytes)));

        Assert.Contains("curve", error.Message, StringComparison.Ordinal);
    }
}
