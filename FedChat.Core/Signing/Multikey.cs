using System.Numerics;
using System.Security.Cryptography;

namespace FedChat.Core.Signing;

/// <summary>
/// Multikey encoding of ECDSA P-256 public keys, as published in an actor's <c>assertionMethod</c>
/// (FEP-521a) and used by Data Integrity proofs (W3C Controlled Identifiers 1.0 §2.2.2 "Multikey").
/// The text is 'z' (multibase base58btc) + base58btc(multicodec header 0x1200 as the varint bytes
/// 0x80 0x24, followed by the 33-byte compressed curve point of SEC 1 §2.3.3).
/// </summary>
public static class Multikey
{
    // The multicodec "p256-pub" (0x1200), written as an unsigned varint: 0x80 0x24.
    private static readonly byte[] P256PublicHeader = [0x80, 0x24];

    // Curve parameters of P-256 (NIST FIPS 186-5 / SEC 2 §2.4.2 "secp256r1"): y² = x³ − 3x + b mod p.
    private static readonly BigInteger P = BigInteger.Parse("0FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF", System.Globalization.NumberStyles.HexNumber);
    private static readonly BigInteger B = BigInteger.Parse("05AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B", System.Globalization.NumberStyles.HexNumber);

    /// <summary>Encodes a P-256 public key as a <c>publicKeyMultibase</c> value.</summary>
    /// <param name="key">A P-256 key (only its public part is used).</param>
    /// <returns>The multibase text, starting with "zDn".</returns>
    public static string EncodeP256PublicKey(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var point = key.ExportParameters(includePrivateParameters: false).Q;
        if (key.KeySize != 256 || point.X is null || point.Y is null)
        {
            throw new ArgumentException("Only P-256 keys can be encoded as this kind of Multikey.", nameof(key));
        }

        // Compressed point: 0x02 when y is even, 0x03 when y is odd, then x (SEC 1 §2.3.3).
        var bytes = new byte[2 + 33];
        P256PublicHeader.CopyTo(bytes, 0);
        bytes[2] = (byte)((point.Y[^1] & 1) == 0 ? 0x02 : 0x03);
        point.X.CopyTo(bytes, 3);
        return "z" + Base58Btc.Encode(bytes);
    }

    /// <summary>Decodes a <c>publicKeyMultibase</c> value holding a P-256 public key.</summary>
    /// <param name="multibase">The text, starting with 'z'.</param>
    /// <returns>An ECDSA key with the public point.</returns>
    /// <exception cref="FormatException">The text is not a P-256 Multikey, or the point is not on the curve.</exception>
    public static ECDsa DecodeP256PublicKey(string multibase)
    {
        ArgumentNullException.ThrowIfNull(multibase);
        if (!multibase.StartsWith('z'))
        {
            throw new FormatException("A Multikey must start with 'z' (base58btc multibase).");
        }

        var bytes = Base58Btc.Decode(multibase[1..]);
        if (bytes.Length != 35 || bytes[0] != P256PublicHeader[0] || bytes[1] != P256PublicHeader[1])
        {
            throw new FormatException("This Multikey is not a P-256 public key (expected header 0x80 0x24 and a 33-byte point).");
        }

        if (bytes[2] is not (0x02 or 0x03))
        {
            throw new FormatException("The P-256 point is not in compressed form (first byte must be 0x02 or 0x03).");
        }

        var x = new BigInteger(bytes.AsSpan(3), isUnsigned: true, isBigEndian: true);
        var y = DecompressY(x, yIsOdd: bytes[2] == 0x03);
        var parameters = new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = bytes[3..], Y = ToFixedBytes(y) },
        };
        return ECDsa.Create(parameters);
    }

    /// <summary>Solves y² = x³ − 3x + b (mod p) for y with the requested parity.</summary>
    private static BigInteger DecompressY(BigInteger x, bool yIsOdd)
    {
        if (x >= P)
        {
            throw new FormatException("The x coordinate is not smaller than the field prime.");
        }

        var rhs = Mod((BigInteger.ModPow(x, 3, P) - (3 * x)) + B);
        // p ≡ 3 (mod 4), so a square root is rhs^((p+1)/4) mod p (if rhs is a square at all).
        var y = BigInteger.ModPow(rhs, (P + 1) / 4, P);
        if (BigInteger.ModPow(y, 2, P) != rhs)
        {
            throw new FormatException("The x coordinate is not on the P-256 curve.");
        }

        return y.IsEven == yIsOdd ? P - y : y;
    }

    private static BigInteger Mod(BigInteger value)
    {
        var result = value % P;
        return result.Sign < 0 ? result + P : result;
    }

    private static byte[] ToFixedBytes(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var result = new byte[32];
        bytes.CopyTo(result, 32 - bytes.Length);
        return result;
    }
}
