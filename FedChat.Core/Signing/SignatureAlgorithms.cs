using System.Security.Cryptography;

namespace FedChat.Core.Signing;

/// <summary>
/// The signature algorithms both HTTP signature schemes use, by their registered names, mapped to
/// .NET's cryptography. Kept in one place so that a student can see every algorithm FedChat accepts.
/// </summary>
internal static class SignatureAlgorithms
{
    /// <summary>draft-cavage §3.1 / hs2019 with an RSA key: RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2).</summary>
    public const string CavageRsaSha256 = "rsa-sha256";

    /// <summary>draft-cavage §3.1: "derive the algorithm from the key"; for an RSA key, Mastodon and Fedify use RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    public const string CavageHs2019 = "hs2019";

    /// <summary>RFC 9421 §3.3.2: RSASSA-PKCS1-v1_5 with SHA-256.</summary>
    public const string RsaV15Sha256 = "rsa-v1_5-sha256";

    /// <summary>RFC 9421 §3.3.1: RSASSA-PSS with SHA-512, MGF1 SHA-512 and a 64-byte salt.</summary>
    public const string RsaPssSha512 = "rsa-pss-sha512";

    /// <summary>RFC 9421 §3.3.4: ECDSA on P-256 with SHA-256; the signature is r||s, 32 bytes each (IEEE P1363).</summary>
    public const string EcdsaP256Sha256 = "ecdsa-p256-sha256";

    /// <summary>Returns the RFC 9421 algorithm a key stands for when nothing else says (RFC 9421 §3.3.7).</summary>
    public static string? DefaultFor(AsymmetricAlgorithm key) => key switch
    {
        RSA => RsaV15Sha256,
        ECDsa { KeySize: 256 } => EcdsaP256Sha256,
        _ => null,
    };

    /// <summary>Returns whether FedChat can verify signatures made with this algorithm at all.</summary>
    public static bool IsSupported(string algorithm) =>
        algorithm is CavageRsaSha256 or CavageHs2019 or RsaV15Sha256 or RsaPssSha512 or EcdsaP256Sha256;

    /// <summary>Returns a sentence saying that, and why, an algorithm is not supported.</summary>
    public static string DescribeUnsupported(string algorithm) => algorithm switch
    {
        "ed25519" => "The algorithm ed25519 is not supported: .NET's built-in cryptography has no Ed25519.",
        "hmac-sha256" => "The algorithm hmac-sha256 is not supported: it needs a secret shared in advance, which servers in a federation do not have.",
        _ => $"The algorithm '{algorithm}' is not supported (FedChat accepts rsa-sha256 and hs2019 for draft-cavage; rsa-v1_5-sha256, rsa-pss-sha512 and ecdsa-p256-sha256 for RFC 9421).",
    };

    /// <summary>Returns null when the key suits the algorithm, or a sentence saying why not.</summary>
    public static string? CheckKey(string algorithm, AsymmetricAlgorithm key)
    {
        if (!IsSupported(algorithm))
        {
            return DescribeUnsupported(algorithm);
        }

        var needsEcdsa = algorithm == EcdsaP256Sha256;
        var fits = needsEcdsa ? key is ECDsa { KeySize: 256 } : key is RSA;
        return fits ? null
            : $"The signature says '{algorithm}', which needs {(needsEcdsa ? "an ECDSA P-256 key" : "an RSA key")}, but the key is {Describe(key)}.";
    }

    /// <summary>Signs data. The caller has checked the key with <see cref="CheckKey"/>.</summary>
    public static byte[] Sign(string algorithm, AsymmetricAlgorithm key, byte[] data) => (algorithm, key) switch
    {
        (CavageRsaSha256 or CavageHs2019 or RsaV15Sha256, RSA rsa) => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        // .NET's PSS uses a salt as long as the hash (64 bytes for SHA-512), as RFC 9421 §3.3.1 requires.
        (RsaPssSha512, RSA rsa) => rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
        (EcdsaP256Sha256, ECDsa ecdsa) => ecdsa.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
        _ => throw new ArgumentException(CheckKey(algorithm, key) ?? $"Cannot sign with '{algorithm}'."),
    };

    /// <summary>Verifies a signature; never throws for a bad signature, returns false instead.</summary>
    public static bool Verify(string algorithm, AsymmetricAlgorithm key, byte[] data, byte[] signature)
    {
        try
        {
            return (algorithm, key) switch
            {
                (CavageRsaSha256 or CavageHs2019 or RsaV15Sha256, RSA rsa) => rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                (RsaPssSha512, RSA rsa) => rsa.VerifyData(data, signature, HashAlgorithmName.SHA512, RSASignaturePadding.Pss),
                (EcdsaP256Sha256, ECDsa ecdsa) => ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            // Some platforms throw instead of returning false for signatures of the wrong length.
            return false;
        }
    }

    private static string Describe(AsymmetricAlgorithm key) => key switch
    {
        RSA => $"an RSA-{key.KeySize} key",
        ECDsa => $"an ECDSA key of {key.KeySize} bits",
        _ => $"a {key.GetType().Name}",
    };
}
