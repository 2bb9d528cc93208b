using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace FedChat.Core.Signing;

/// <summary>
/// Ed25519 (RFC 8032 §5.1), the key type Fedify and several fediverse servers use for object
/// integrity proofs (<c>eddsa-jcs-2022</c>). .NET 10 has no Ed25519, so the maths comes from
/// BouncyCastle. A public key is 32 bytes, a signature 64 bytes, and signing is deterministic: the
/// same key and message always give the same signature, which is why the RFC's test vectors can be
/// compared byte for byte.
/// </summary>
public static class Ed25519Keys
{
    /// <summary>The length of a public key and of a private key seed, in bytes (RFC 8032 §5.1.5).</summary>
    public const int KeyLength = 32;

    /// <summary>The length of a signature, in bytes (RFC 8032 §5.1.6).</summary>
    public const int SignatureLength = 64;

    /// <summary>Generates a new Ed25519 key pair.</summary>
    /// <returns>The private key; its public half is <see cref="Ed25519PrivateKeyParameters.GeneratePublicKey"/>.</returns>
    public static Ed25519PrivateKeyParameters GenerateKeyPair() => new(new SecureRandom());

    /// <summary>Makes a private key from its 32-byte seed (the "secret key" of RFC 8032 §5.1.5).</summary>
    /// <exception cref="FormatException">The seed is not 32 bytes long.</exception>
    public static Ed25519PrivateKeyParameters FromSeed(ReadOnlySpan<byte> seed) =>
        seed.Length == KeyLength
            ? new Ed25519PrivateKeyParameters(seed)
            : throw new FormatException($"An Ed25519 private key is {KeyLength} bytes, not {seed.Length}.");

    /// <summary>Gets the 32 bytes of a key's public half.</summary>
    public static byte[] PublicKeyOf(Ed25519PrivateKeyParameters key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.GeneratePublicKey().GetEncoded();
    }

    /// <summary>Signs a message (RFC 8032 §5.1.6): 64 bytes.</summary>
    public static byte[] Sign(Ed25519PrivateKeyParameters key, ReadOnlySpan<byte> message)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signer = new Ed25519Signer();
        signer.Init(forSigning: true, key);
        signer.BlockUpdate(message);
        return signer.GenerateSignature();
    }

    /// <summary>
    /// Checks a signature (RFC 8032 §5.1.7). Wrong-length keys or signatures, and public keys that are
    /// not points on the curve, simply do not verify.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != KeyLength || signature.Length != SignatureLength)
        {
            return false;
        }
        var verifier = new Ed25519Signer();
        try
        {
            verifier.Init(forSigning: false, new Ed25519PublicKeyParameters(publicKey));
        }
        catch (ArgumentException)
        {
            return false; // not a valid encoding of a curve point
        }
        verifier.BlockUpdate(message);
        return verifier.VerifySignature(signature.ToArray());
    }

    /// <summary>Exports a private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----", RFC 8410 §7). Keep it secret.</summary>
    public static string ExportPrivateKeyPem(Ed25519PrivateKeyParameters key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var der = PrivateKeyInfoFactory.CreatePrivateKeyInfo(key).GetDerEncoded();
        return System.Security.Cryptography.PemEncoding.WriteString("PRIVATE KEY", der);
    }

    /// <summary>Imports a private key from PKCS#8 PEM (RFC 8410 §7).</summary>
    /// <exception cref="FormatException">The text is not an Ed25519 private key.</exception>
    public static Ed25519PrivateKeyParameters ImportPrivateKeyPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!System.Security.Cryptography.PemEncoding.TryFind(pem, out var fields) || pem[fields.Label] != "PRIVATE KEY")
        {
            throw new FormatException("No PKCS#8 PEM block (\"PRIVATE KEY\") found.");
        }
        try
        {
            return PrivateKeyFactory.CreateKey(Convert.FromBase64String(pem[fields.Base64Data])) as Ed25519PrivateKeyParameters
                ?? throw new FormatException("The PKCS#8 key is not an Ed25519 key.");
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException)
        {
            throw new FormatException($"The Ed25519 private key could not be read: {e.Message}", e);
        }
    }
}
