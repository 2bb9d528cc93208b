namespace FedChat.Core.Storage.Entities;

/// <summary>
/// The three key pairs of one actor (a user, or the server's own instance actor).
/// RSA-2048 signs HTTP requests (what Mastodon verifies); Ed25519 signs the activities themselves
/// (object integrity proofs, what Fedify verifies), so they stay verifiable whoever carries them;
/// ECDSA P-256 signed the proofs of older FedChat posts and stays published so those still verify. Private keys are stored
/// only in protected (encrypted) form, see <see cref="Identity.IKeyProtector"/>.
/// </summary>
public class ActorKey
{
    /// <summary>The <see cref="Owner"/> value of the server's instance actor.</summary>
    public const string InstanceOwner = "instance";

    /// <summary>Gets or sets the database key.</summary>
    public int Id { get; set; }

    /// <summary>Gets or sets whose keys these are: <c>user:42</c>, or <see cref="InstanceOwner"/>.</summary>
    public string Owner { get; set; } = "";

    /// <summary>Gets or sets the RSA public key (SPKI PEM), published in the actor's <c>publicKey</c>.</summary>
    public string RsaPublicKeyPem { get; set; } = "";

    /// <summary>Gets or sets the RSA private key, protected (never in clear).</summary>
    public string RsaPrivateKeyProtected { get; set; } = "";

    /// <summary>Gets or sets the P-256 public key (SPKI PEM), published as a Multikey in <c>assertionMethod</c>.</summary>
    public string EcPublicKeyPem { get; set; } = "";

    /// <summary>Gets or sets the P-256 private key, protected (never in clear).</summary>
    public string EcPrivateKeyProtected { get; set; } = "";

    /// <summary>
    /// Gets or sets the Ed25519 public key as a Multikey (<c>z6Mk…</c>), published in <c>assertionMethod</c>.
    /// <value>Null only between the upgrade that added it and the next start, which fills it in.</value>
    /// </summary>
    public string? EdPublicKeyMultibase { get; set; }

    /// <summary>Gets or sets the Ed25519 private key (PKCS#8 PEM), protected (never in clear).</summary>
    public string? EdPrivateKeyProtected { get; set; }

    /// <summary>Gets or sets when the keys were made (UTC).</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The <see cref="Owner"/> value for a user.</summary>
    public static string OwnerOf(int userId) => $"user:{userId}";
}
