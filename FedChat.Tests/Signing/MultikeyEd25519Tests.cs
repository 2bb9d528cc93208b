using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

/// <summary>Ed25519 Multikeys (FEP-521a, multicodec ed25519-pub 0xed01, text "z6Mk…").</summary>
public class MultikeyEd25519Tests
{
    // The Ed25519 key of the W3C vc-di-eddsa test vectors (TestVectors/vc-di-eddsa-jcs-2022.json).
    private const string W3cPublicKey = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";

    [Fact]
    public void DecodeEd25519PublicKey_W3cKey_Gives32BytesThatReencodeToTheSameText()
    {
        var key = Multikey.DecodeEd25519PublicKey(W3cPublicKey);

        Assert.Equal(32, key.Length);
        Assert.Equal(W3cPublicKey, Multikey.EncodeEd25519PublicKey(key));
    }

    [Fact]
    public void EncodeEd25519PublicKey_StartsWithZ6Mk_AndItsHeaderIs0xed01()
    {
        var encoded = Multikey.EncodeEd25519PublicKey(Ed25519Keys.PublicKeyOf(Ed25519Keys.GenerateKeyPair()));

        Assert.StartsWith("z6Mk", encoded, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0xed, 0x01 }, Base58Btc.Decode(encoded[1..])[..2]);
    }

    [Fact]
    public void Decode_TellsEd25519FromP256()
    {
        using var p256 = TestKeys.AliceEcdsa();

        Assert.Equal(MultikeyType.Ed25519, Multikey.Decode(W3cPublicKey).Type);
        Assert.Equal(MultikeyType.P256, Multikey.Decode(Multikey.EncodeP256PublicKey(p256)).Type);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void Decode_Ed25519HeaderWithAWrongLengthKey_SaysHowManyBytesItHolds(int length)
    {
        var text = "z" + Base58Btc.Encode([0xed, 0x01, .. new byte[length]]);

        var error = Assert.Throws<FormatException>(() => Multikey.Decode(text));

        Assert.Contains($"holds {length} key bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_AnotherCodec_NamesTheHeaderItFound()
    {
        // 0xe7 0x01 is secp256k1-pub: a real Multikey, but not one FedChat checks.
        var text = "z" + Base58Btc.Encode([0xe7, 0x01, .. new byte[33]]);

        var error = Assert.Throws<FormatException>(() => Multikey.Decode(text));

        Assert.Contains("0xe701", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecodeEd25519PublicKey_OfAP256Key_SaysItIsP256()
    {
        using var p256 = TestKeys.AliceEcdsa();

        var error = Assert.Throws<FormatException>(() => Multikey.DecodeEd25519PublicKey(Multikey.EncodeP256PublicKey(p256)));

        Assert.Contains("P-256", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    public void EncodeEd25519PublicKey_WrongLength_Throws(int length)
    {
        Assert.Throws<ArgumentException>(() => Multikey.EncodeEd25519PublicKey(new byte[length]));
    }
}
