using System.Text;
using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

/// <summary>Examples from draft-msporny-base58 §5 ("Test Vectors").</summary>
public class Base58BtcTests
{
    [Theory]
    [InlineData("Hello World!", "2NEpo7TZRRrLZSi2U")]
    [InlineData("The quick brown fox jumps over the lazy dog.", "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z")]
    public void Encode_DraftExample_GivesThePrintedText(string text, string expected)
    {
        Assert.Equal(expected, Base58Btc.Encode(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(text, Encoding.UTF8.GetString(Base58Btc.Decode(expected)));
    }

    [Fact]
    public void Encode_WithLeadingZeroBytes_KeepsThemAsOnes()
    {
        byte[] data = [0x00, 0x00, 0x28, 0x7f, 0xb4, 0xcd];

        Assert.Equal("11233QC4", Base58Btc.Encode(data));
        Assert.Equal(data, Base58Btc.Decode("11233QC4"));
        Assert.Equal("", Base58Btc.Encode([]));
        Assert.Empty(Base58Btc.Decode(""));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("O")]
    [InlineData("I")]
    [InlineData("l")]
    [InlineData("abc+")]
    public void Decode_WithCharacterOutsideTheAlphabet_ThrowsFormatException(string text)
    {
        Assert.Throws<FormatException>(() => Base58Btc.Decode(text));
    }
}
