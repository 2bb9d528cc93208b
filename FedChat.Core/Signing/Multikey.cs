using System.Numerics;
using System.Security.Cryptography;

namespace FedChat.Core.Signing;

/// <summary>The kinds of public key a Multikey can hold that FedChat understands.</summary>
public enum MultikeyType
{
    /// <summary>ECDSA P-256 (multicodec p256-pub, 0x1200, text "zDn…"): the ecdsa-jcs-2019 proofs.</summary>
    P256,

    /// <summary>Ed25519 (multicodec ed25519-pub, 0xed, text "z6Mk…"): the eddsa-jcs-2022 proofs.</summary>
    Ed25519,
}

/// <summary>A decoded Multikey: its type and the raw key bytes after the multicodec header.</summary>
/// <param name="Type">Which kind of key it is.</param>
/// <param name="KeyBytes">The key: 33 bytes (compressed point) for P-256, 32 bytes for Ed25519.</param>
public sealed record MultikeyPublicKey(MultikeyType Type, byte[] KeyBytes);

/// <summary>
/// Multikey encoding of public keys, as published in an actor's <c>assertionMethod</c> (FEP-521a) and
/// used by Data Integrity proofs (W3C Controlled Identifiers 1.0 §2.2.2 "Multikey"). The text is 'z'
/// (multibase base58btc) + base58btc(a multicodec header, then the key). Two headers are known here:
/// 0x1200 (p256-pub, varint bytes 0x80 0x24) followed by the 33-byte compressed curve point of SEC 1
/// §2.3.3, and 0xed (ed25519-pub, varint bytes 0xed 0x01) followed by the 32-byte Ed25519 key.
/// </summary>
public static class Multikey
{
    // The multicodec "p256-pub" (0x1200), written as an unsigned varint: 0x80 0x24.
    private static readonly byte[] P256PublicHeader = [0x80, 0x24];

    // The multicodec "ed25519-pub" (0xed), written as an unsigned varint: 0xed 0x01.
    private static readonly byte[] Ed25519PublicHeader = [0xed, 0x01];

    /// <summary>Encodes a 32-byte Ed25519 public key as a <c>publicKeyMultibase</c> value.</summary>
    /// <param name="publicKey">The raw public key (RFC 8032 §5.1.5).</param>
    /// <returns>The multibase text, starting with "z6Mk".</returns>
    public static string EncodeEd25519PublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != Ed25519Keys.KeyLength)
        {
            throw new ArgumentException($"An Ed25519 public key is {Ed25519Keys.KeyLength} bytes, not {publicKey.Length}.", nameof(publicKey));
        }
        return "z" + Base58Btc.Encode([.. Ed25519PublicHeader, .. publicKey]);
    }

    /// <summary>Decodes a <c>publicKeyMultibase</c> value holding an Ed25519 public key.</summary>
    /// <returns>The 32 raw key bytes.</returns>
    /// <exception cref="FormatException">The text is not an Ed25519 Multikey.</exception>
    public static byte[] DecodeEd25519PublicKey(string multibase)
    {
        var key = Decode(multibase);
        return key.Type == MultikeyType.Ed25519
            ? key.KeyBytes
            : throw new FormatException("This Multikey is a P-256 key, not an Ed25519 key.");
    }

    /// <summary>
    /// Decodes a <c>publicKeyMultibase</c> value by its multicodec header, so the caller can tell which
    /// kind of key (and so which cryptosuite) it is.
    /// </summary>
    /// <exception cref="FormatException">The text is not base58btc, has an unknown header, or the wrong length for its type.</exception>
    public static MultikeyPublicKey Decode(string multibase)
    {
        ArgumentNullException.ThrowIfNull(multibase);
        if (!multibase.StartsWith('z'))
        {
            throw new FormatException("A Multikey must start with 'z' (base58btc multibase).");
        }
        var bytes = Base58Btc.Decode(multibase[1..]);
        if (bytes.AsSpan().StartsWith(Ed25519PublicHeader))
        {
            return bytes.Length == 2 + Ed25519Keys.KeyLength
                ? new MultikeyPublicKey(MultikeyType.Ed25519, bytes[2..])
                : throw new FormatException($"This Ed25519 Multikey holds {bytes.Length - 2} key bytes; an Ed25519 key is {Ed25519Keys.KeyLength}.");
        }
        if (bytes.AsSpan().StartsWith(P256PublicHeader))
        {
            return bytes.Length == 35
                ? new MultikeyPublicKey(MultikeyType.P256, bytes[2..])
                : throw new FormatException($"This P-256 Multikey holds {bytes.Length - 2} key bytes; a compressed P-256 point is 33.");
        }
        var header = Convert.ToHexStringLower(bytes.AsSpan(0, Math.Min(2, bytes.Length)));
        throw new FormatException($"This Multikey has the multicodec header 0x{header}; FedChat knows ed25519-pub (0xed01) and p256-pub (0x8024).");
    }

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
