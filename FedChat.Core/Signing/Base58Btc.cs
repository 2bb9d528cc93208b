using System.Numerics;
using System.Text;

namespace FedChat.Core.Signing;

/// <summary>
/// Base58 with the Bitcoin alphabet ("base58btc"), the encoding behind multibase strings that start
/// with 'z' (draft-multiformats-multibase, W3C Controlled Identifiers §2.4). It leaves out 0, O, I
/// and l, which people mix up when they read keys aloud.
/// </summary>
public static class Base58Btc
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>Encodes bytes as base58btc (without the multibase 'z' prefix).</summary>
    /// <param name="data">The bytes to encode.</param>
    /// <returns>The base58btc text.</returns>
    public static string Encode(ReadOnlySpan<byte> data)
    {
        // Each leading zero byte becomes a '1': a big number alone would lose them.
        var leadingZeros = 0;
        while (leadingZeros < data.Length && data[leadingZeros] == 0)
        {
            leadingZeros++;
        }

        var number = new BigInteger(data, isUnsigned: true, isBigEndian: true);
        var digits = new StringBuilder();
        while (number > 0)
        {
            number = BigInteger.DivRem(number, 58, out var remainder);
            digits.Insert(0, Alphabet[(int)remainder]);
        }

        return new string('1', leadingZeros) + digits;
    }

    /// <summary>Decodes base58btc text (without the multibase 'z' prefix).</summary>
    /// <param name="text">The base58btc text.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="FormatException">The text contains a character outside the alphabet.</exception>
    public static byte[] Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var leadingOnes = 0;
        while (leadingOnes < text.Length && text[leadingOnes] == '1')
        {
            leadingOnes++;
        }

        var number = BigInteger.Zero;
        foreach (var c in text)
        {
            var digit = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                throw new FormatException($"'{c}' is not a base58btc character.");
            }

            number = (number * 58) + digit;
        }

        var body = number.IsZero ? [] : number.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[leadingOnes + body.Length];
        body.CopyTo(result, leadingOnes);
        return result;
    }
}
