using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace FedChat.Core.Portability;

/// <summary>
/// Encrypts the private keys in an account archive (<c>keys.json</c>) with a passphrase the user
/// chooses: PBKDF2-SHA256 with a random 16-byte salt turns the passphrase into a 256-bit key
/// (RFC 8018 §5.2), and AES-256-GCM encrypts each PEM private key with its own random 12-byte nonce
/// (NIST SP 800-38D). GCM's tag also tells a wrong passphrase from a right one: decryption fails.
/// </summary>
public static class ArchiveKeys
{
    /// <summary>The shortest passphrase accepted.</summary>
    public const int MinPassphraseLength = 8;

    // Bounds on the iteration count read from an archive: too few would mean a weak archive was
    // crafted for us; too many would let an archive keep the server busy for long (2,000,000 rounds
    // take about a second; our own default is 600,000).
    private const int MinIterations = 100_000;

    /// <summary>The most PBKDF2 rounds an archive may ask for.</summary>
    public const int MaxIterations = 2_000_000;

    /// <summary>Encrypts the PEM private keys into the JSON object stored as <c>keys.json</c>.</summary>
    public static JsonObject Encrypt(string rsaPrivateKeyPem, string ecPrivateKeyPem, string passphrase, int iterations, string? edPrivateKeyPem = null)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var key = DeriveKey(passphrase, salt, iterations);
        return new JsonObject
        {
            ["description"] = "The account's private keys, encrypted with the passphrase chosen at export. See README.md.",
            ["kdf"] = new JsonObject
            {
                ["algorithm"] = "PBKDF2-SHA256",
                ["iterations"] = iterations,
                ["salt"] = Convert.ToBase64String(salt),
            },
            ["cipher"] = "AES-256-GCM",
            ["rsa"] = Seal(key, rsaPrivateKeyPem),
            ["ecdsaP256"] = Seal(key, ecPrivateKeyPem),
            ["ed25519"] = edPrivateKeyPem is null ? null : Seal(key, edPrivateKeyPem),
        };
    }

    /// <summary>
    /// Decrypts <c>keys.json</c>. Throws <see cref="AccountArchiveException"/> for a wrong passphrase.
    /// Archives made before Ed25519 keys existed have no <c>ed25519</c> entry: then its key is null.
    /// </summary>
    public static (string RsaPrivateKeyPem, string EcPrivateKeyPem, string? EdPrivateKeyPem) Decrypt(JsonObject keys, string passphrase)
    {
        try
        {
            var kdf = keys["kdf"] as JsonObject ?? throw new FormatException("it has no kdf object");
            var iterations = (int?)kdf["iterations"] ?? throw new FormatException("it has no iteration count");
            if ((string?)kdf["algorithm"] != "PBKDF2-SHA256" || (string?)keys["cipher"] != "AES-256-GCM")
            {
                throw new AccountArchiveException("keys.json uses an encryption this server does not know (it reads PBKDF2-SHA256 with AES-256-GCM).");
            }
            if (iterations is < MinIterations or > MaxIterations)
            {
                throw new AccountArchiveException($"keys.json asks for {iterations} PBKDF2 rounds; this server accepts {MinIterations} to {MaxIterations}.");
            }
            var key = DeriveKey(passphrase, Convert.FromBase64String((string?)kdf["salt"] ?? ""), iterations);
            return (Open(key, keys["rsa"]), Open(key, keys["ecdsaP256"]), keys["ed25519"] is null ? null : Open(key, keys["ed25519"]));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new AccountArchiveException("The passphrase is wrong: the keys in this archive could not be decrypted with it. Nothing was imported.");
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or CryptographicException)
        {
            throw new AccountArchiveException($"keys.json is not readable: {ex.Message}");
        }
    }

    private static byte[] DeriveKey(string passphrase, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, 32);

    private static JsonObject Seal(byte[] key, string plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var data = Encoding.UTF8.GetBytes(plaintext);
        var ciphertext = new byte[data.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using var aes = new AesGcm(key, tag.Length);
        aes.Encrypt(nonce, data, ciphertext, tag);
        return new JsonObject
        {
            ["nonce"] = Convert.ToBase64String(nonce),
            ["ciphertext"] = Convert.ToBase64String(ciphertext),
            ["tag"] = Convert.ToBase64String(tag),
        };
    }

    private static string Open(byte[] key, JsonNode? sealedKey)
    {
        byte[] Read(string name) => Convert.FromBase64String((string?)sealedKey?[name] ?? throw new FormatException($"a sealed key has no {name}"));
        var (nonce, ciphertext, tag) = (Read("nonce"), Read("ciphertext"), Read("tag"));
        var plaintext = new byte[ciphertext.Length];
        using var aes = new AesGcm(key, tag.Length);
        aes.Decrypt(nonce, ciphertext, tag, plaintext);
        return Encoding.UTF8.GetString(plaintext);
    }
}
