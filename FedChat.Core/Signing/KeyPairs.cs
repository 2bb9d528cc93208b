using System.Formats.Asn1;
using System.Security.Cryptography;

namespace FedChat.Core.Signing;

/// <summary>
/// Creating, exporting and importing the two kinds of key pair every FedChat actor has, as Fedify
/// does: RSA-2048 for HTTP Signatures (what Mastodon and most of the fediverse verify), and ECDSA
/// P-256 for object integrity proofs (FEP-8b32). Public keys travel as SPKI PEM
/// ("-----BEGIN PUBLIC KEY-----", RFC 7468 §13) in an actor's <c>publicKey.publicKeyPem</c>;
/// private keys are stored as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----", RFC 7468 §10).
/// </summary>
public static class KeyPairs
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>Generates a new RSA-2048 key pair, for HTTP Signatures.</summary>
    /// <returns>The key pair; dispose it when done.</returns>
    public static RSA GenerateRsaKeyPair() => RSA.Create(2048);

    /// <summary>Generates a new ECDSA P-256 key pair, for object integrity proofs.</summary>
    /// <returns>The key pair; dispose it when done.</returns>
    public static ECDsa GenerateEcdsaKeyPair() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Exports the public half of a key as SPKI PEM ("-----BEGIN PUBLIC KEY-----").</summary>
    /// <param name="key">An RSA or ECDSA key.</param>
    /// <returns>The PEM text.</returns>
    public static string ExportPublicKeyPem(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>Exports the private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"). Keep it secret.</summary>
    /// <param name="key">An RSA or ECDSA key pair.</param>
    /// <returns>The PEM text.</returns>
    public static string ExportPrivateKeyPem(AsymmetricAlgorithm key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>
    /// Imports a public key from PEM: SPKI ("PUBLIC KEY", RSA or EC) or PKCS#1 ("RSA PUBLIC KEY"),
    /// the forms found in actor documents across the fediverse.
    /// </summary>
    /// <param name="pem">The PEM text.</param>
    /// <returns>An <see cref="RSA"/> or <see cref="ECDsa"/> instance.</returns>
    /// <exception cref="FormatException">The text holds no public key we understand.</exception>
    public static AsymmetricAlgorithm ImportPublicKeyPem(string pem) => Import(pem, isPrivate: false);

    /// <summary>
    /// Imports a private key from PEM: PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY") or
    /// SEC 1 ("EC PRIVATE KEY").
    /// </summary>
    /// <param name="pem">The PEM text.</param>
    /// <returns>An <see cref="RSA"/> or <see cref="ECDsa"/> instance.</returns>
    /// <exception cref="FormatException">The text holds no private key we understand.</exception>
    public static AsymmetricAlgorithm ImportPrivateKeyPem(string pem) => Import(pem, isPrivate: true);

    private static AsymmetricAlgorithm Import(string pem, bool isPrivate)
    {
        ArgumentNullException.ThrowIfNull(pem);
        if (!PemEncoding.TryFind(pem, out var fields))
        {
            throw new FormatException("No PEM block found.");
        }

        var label = pem[fields.Label];
        var der = Convert.FromBase64String(pem[fields.Base64Data]);
        AsymmetricAlgorithm key = (label, isPrivate) switch
        {
            ("RSA PUBLIC KEY", false) or ("RSA PRIVATE KEY", true) => RSA.Create(),
            ("EC PRIVATE KEY", true) => ECDsa.Create(),
            ("PUBLIC KEY", false) => CreateForAlgorithm(ReadSpkiAlgorithm(der)),
            ("PRIVATE KEY", true) => CreateForAlgorithm(ReadPkcs8Algorithm(der)),
            _ => throw new FormatException($"A PEM block labelled '{label}' is not a {(isPrivate ? "private" : "public")} key."),
        };

        try
        {
            key.ImportFromPem(pem);
            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new FormatException($"The {label} could not be imported: {e.Message}", e);
        }
    }

    private static AsymmetricAlgorithm CreateForAlgorithm(string oid) => oid switch
    {
        RsaEncryptionOid => RSA.Create(),
        EcPublicKeyOid => ECDsa.Create(),
        _ => throw new FormatException($"Keys of algorithm {oid} are not supported (only RSA and EC)."),
    };

    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } (RFC 5280 §4.1)
    private static string ReadSpkiAlgorithm(byte[] der)
    {
        try
        {
            var spki = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            return spki.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException e)
        {
            throw new FormatException("The public key is not valid SubjectPublicKeyInfo DER.", e);
        }
    }

    // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, ... } (RFC 5208 §5)
    private static string ReadPkcs8Algorithm(byte[] der)
    {
        try
        {
            var info = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            info.ReadInteger();
            return info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException e)
        {
            throw new FormatException("The private key is not valid PKCS#8 DER.", e);
        }
    }
}
