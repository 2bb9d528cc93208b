using System.Security.Cryptography;

namespace FedChat.Core.Signing;

/// <summary>
/// A public key that a verifier found for a key id, for example from the <c>publicKey</c> of a remote
/// actor document. Returned by the <see cref="PublicKeyResolver"/> that callers give to
/// <see cref="HttpSignatureVerifier"/>.
/// </summary>
/// <param name="KeyId">The key id, usually a URL such as <c>https://server-a/users/alice#main-key</c>.</param>
/// <param name="Key">The key: an <see cref="RSA"/> or <see cref="ECDsa"/> instance.</param>
public sealed record PublicKeyInfo(string KeyId, AsymmetricAlgorithm Key)
{
    /// <summary>Gets the actor that owns the key (<c>publicKey.owner</c>), when known.</summary>
    public string? Owner { get; init; }

    /// <summary>
    /// Gets the RFC 9421 algorithm this key is meant for (for example <c>rsa-pss-sha512</c>), when the
    /// key's publisher said so. RFC 9421 §3.3.7 lets the key decide the algorithm when a signature has
    /// no <c>alg</c> parameter; without this hint an RSA key means <c>rsa-v1_5-sha256</c>, the
    /// fediverse's usual choice.
    /// </summary>
    public string? Algorithm { get; init; }

    /// <summary>Creates the record from a PEM public key.</summary>
    /// <param name="keyId">The key id.</param>
    /// <param name="publicKeyPem">The key as SPKI or PKCS#1 PEM.</param>
    /// <returns>The record.</returns>
    public static PublicKeyInfo FromPem(string keyId, string publicKeyPem) =>
        new(keyId, KeyPairs.ImportPublicKeyPem(publicKeyPem));
}

/// <summary>
/// Finds the public key for a key id, or returns <see langword="null"/> when there is none. Fetching
/// keys over HTTP lives in the Federation layer; tests pass a dictionary look-up.
/// </summary>
/// <param name="keyId">The key id named by the signature.</param>
/// <param name="cancellationToken">Cancels the look-up.</param>
/// <returns>The key, or <see langword="null"/> when it is unknown.</returns>
public delegate Task<PublicKeyInfo?> PublicKeyResolver(string keyId, CancellationToken cancellationToken);
