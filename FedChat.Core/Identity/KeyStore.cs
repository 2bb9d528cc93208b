using System.Collections.Concurrent;
using System.Security.Cryptography;
using FedChat.Core.Signing;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Org.BouncyCastle.Crypto.Parameters;

namespace FedChat.Core.Identity;

/// <summary>An actor's keys, ready to sign with.</summary>
/// <param name="Rsa">The RSA-2048 key for HTTP Signatures.</param>
/// <param name="Ecdsa">The P-256 key of older object integrity proofs (ecdsa-jcs-2019).</param>
/// <param name="RsaPublicKeyPem">The RSA public key as published in <c>publicKey.publicKeyPem</c>.</param>
/// <param name="EcPublicKeyMultibase">The P-256 public key as published in <c>assertionMethod</c> (Multikey).</param>
/// <param name="Ed25519">The Ed25519 key for object integrity proofs (eddsa-jcs-2022).</param>
/// <param name="EdPublicKeyMultibase">The Ed25519 public key as published in <c>assertionMethod</c> (Multikey, <c>z6Mk…</c>).</param>
public sealed record ActorKeyPair(RSA Rsa, ECDsa Ecdsa, string RsaPublicKeyPem, string EcPublicKeyMultibase,
    Ed25519PrivateKeyParameters Ed25519, string EdPublicKeyMultibase);

/// <summary>
/// Makes, stores and loads the key pairs of users and of the instance actor. Keys are created on
/// first use, so accounts made before keys existed get theirs too. Private keys are stored protected
/// and never leave the server.
/// </summary>
public sealed class KeyStore(IDbContextFactory<FedChatDbContext> dbFactory, IKeyProtector protector, TimeProvider time, ILogger<KeyStore> logger)
{
    // Decrypting and importing a key costs more than a signature: keep the loaded keys in memory.
    private readonly ConcurrentDictionary<string, ActorKeyPair> _loaded = new();
    private readonly SemaphoreSlim _createLock = new(1, 1);

    /// <summary>Gets the keys of a user, making them on first use.</summary>
    public Task<ActorKeyPair> GetUserKeysAsync(int userId, CancellationToken cancellationToken = default) =>
        GetOrCreateAsync(ActorKey.OwnerOf(userId), cancellationToken);

    /// <summary>Gets the keys of the server's instance actor, making them on first use.</summary>
    public Task<ActorKeyPair> GetInstanceKeysAsync(CancellationToken cancellationToken = default) =>
        GetOrCreateAsync(ActorKey.InstanceOwner, cancellationToken);

    /// <summary>
    /// Replaces a user's key pairs with ones brought from another server (an account import), so the
    /// user's actor document publishes the same public keys as before the move: that is how readers see
    /// that posts signed on the old server come from the same person. Give the private keys as PKCS#8 PEM.
    /// </summary>
    /// <remarks>Archives made before Ed25519 keys existed have none: then the user keeps (or gets) one of this server's.</remarks>
    public async Task ReplaceUserKeysAsync(FedChatDbContext db, int userId, string rsaPrivateKeyPem, string ecPrivateKeyPem, string? edPrivateKeyPem = null, CancellationToken cancellationToken = default)
    {
        using var rsa = (RSA)KeyPairs.ImportPrivateKeyPem(rsaPrivateKeyPem);
        using var ecdsa = (ECDsa)KeyPairs.ImportPrivateKeyPem(ecPrivateKeyPem);
        var owner = ActorKey.OwnerOf(userId);
        var stored = await db.ActorKeys.FirstOrDefaultAsync(k => k.Owner == owner, cancellationToken);
        if (stored is null)
        {
            stored = new ActorKey { Owner = owner };
            db.ActorKeys.Add(stored);
        }
        stored.RsaPublicKeyPem = KeyPairs.ExportPublicKeyPem(rsa);
        stored.RsaPrivateKeyProtected = protector.Protect(KeyPairs.ExportPrivateKeyPem(rsa));
        stored.EcPublicKeyPem = KeyPairs.ExportPublicKeyPem(ecdsa);
        stored.EcPrivateKeyProtected = protector.Protect(KeyPairs.ExportPrivateKeyPem(ecdsa));
        if (edPrivateKeyPem is not null || stored.EdPrivateKeyProtected is null)
        {
            SetEd25519(stored, edPrivateKeyPem is null ? Ed25519Keys.GenerateKeyPair() : Ed25519Keys.ImportPrivateKeyPem(edPrivateKeyPem));
        }
        stored.CreatedAt = time.GetUtcNow();
        // The caller saves (in its transaction), then calls ForgetLoadedKeys.
    }

    /// <summary>Drops a user's keys from memory, so the next use reads them from the database again.</summary>
    public void ForgetLoadedKeys(int userId) => _loaded.TryRemove(ActorKey.OwnerOf(userId), out _);

    /// <summary>Reads a user's private keys as PKCS#8 PEM, for an account export. Handle with care.</summary>
    public async Task<(string RsaPrivateKeyPem, string EcPrivateKeyPem, string EdPrivateKeyPem)> ExportUserPrivateKeysAsync(int userId, CancellationToken cancellationToken = default)
    {
        var keys = await GetUserKeysAsync(userId, cancellationToken);
        return (KeyPairs.ExportPrivateKeyPem(keys.Rsa), KeyPairs.ExportPrivateKeyPem(keys.Ecdsa), Ed25519Keys.ExportPrivateKeyPem(keys.Ed25519));
    }

    /// <summary>
    /// Gives every stored actor that has none an Ed25519 key pair, keeping its RSA and P-256 keys: the
    /// upgrade step for accounts made before Ed25519 keys existed. Run once at start-up, after the migrations.
    /// </summary>
    /// <returns>How many actors got a new key.</returns>
    public async Task<int> AddMissingEd25519KeysAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var missing = await db.ActorKeys.Where(k => k.EdPrivateKeyProtected == null || k.EdPublicKeyMultibase == null).ToListAsync(cancellationToken);
        foreach (var stored in missing)
        {
            SetEd25519(stored, Ed25519Keys.GenerateKeyPair());
            _loaded.TryRemove(stored.Owner, out _);
        }
        await db.SaveChangesAsync(cancellationToken);
        if (missing.Count > 0)
        {
            logger.LogInformation("Made Ed25519 key pairs for {Count} existing actors", missing.Count);
        }
        return missing.Count;
    }

    private async Task<ActorKeyPair> GetOrCreateAsync(string owner, CancellationToken cancellationToken)
    {
        if (_loaded.TryGetValue(owner, out var cached))
        {
            return cached;
        }
        await _createLock.WaitAsync(cancellationToken);
        try
        {
            if (_loaded.TryGetValue(owner, out cached))
            {
                return cached; // another caller made or loaded them while we waited
            }
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var stored = await db.ActorKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Owner == owner, cancellationToken);
            if (stored is null)
            {
                stored = NewKeys(owner);
                db.ActorKeys.Add(stored);
                await db.SaveChangesAsync(cancellationToken);
                logger.LogInformation("Made RSA-2048, ECDSA P-256 and Ed25519 key pairs for {Owner}", owner);
            }
            else if (stored.EdPrivateKeyProtected is null)
            {
                // An account from before the upgrade, used before AddMissingEd25519KeysAsync reached it.
                var tracked = await db.ActorKeys.FirstAsync(k => k.Id == stored.Id, cancellationToken);
                SetEd25519(tracked, Ed25519Keys.GenerateKeyPair());
                await db.SaveChangesAsync(cancellationToken);
                stored = tracked;
            }
            var pair = Load(stored);
            _loaded[owner] = pair;
            return pair;
        }
        finally
        {
            _createLock.Release();
        }
    }

    private ActorKey NewKeys(string owner)
    {
        using var rsa = KeyPairs.GenerateRsaKeyPair();
        using var ecdsa = KeyPairs.GenerateEcdsaKeyPair();
        var stored = new ActorKey
        {
            Owner = owner,
            RsaPublicKeyPem = KeyPairs.ExportPublicKeyPem(rsa),
            RsaPrivateKeyProtected = protector.Protect(KeyPairs.ExportPrivateKeyPem(rsa)),
            EcPublicKeyPem = KeyPairs.ExportPublicKeyPem(ecdsa),
            EcPrivateKeyProtected = protector.Protect(KeyPairs.ExportPrivateKeyPem(ecdsa)),
            CreatedAt = time.GetUtcNow(),
        };
        SetEd25519(stored, Ed25519Keys.GenerateKeyPair());
        return stored;
    }

    private void SetEd25519(ActorKey stored, Ed25519PrivateKeyParameters key)
    {
        stored.EdPublicKeyMultibase = Multikey.EncodeEd25519PublicKey(Ed25519Keys.PublicKeyOf(key));
        stored.EdPrivateKeyProtected = protector.Protect(Ed25519Keys.ExportPrivateKeyPem(key));
    }

    private ActorKeyPair Load(ActorKey stored)
    {
        var rsa = (RSA)KeyPairs.ImportPrivateKeyPem(protector.Unprotect(stored.RsaPrivateKeyProtected));
        var ecdsa = (ECDsa)KeyPairs.ImportPrivateKeyPem(protector.Unprotect(stored.EcPrivateKeyProtected));
        var ed25519 = Ed25519Keys.ImportPrivateKeyPem(protector.Unprotect(stored.EdPrivateKeyProtected
            ?? throw new InvalidOperationException($"The actor {stored.Owner} has no Ed25519 key yet.")));
        return new ActorKeyPair(rsa, ecdsa, stored.RsaPublicKeyPem, Multikey.EncodeP256PublicKey(ecdsa),
            ed25519, Multikey.EncodeEd25519PublicKey(Ed25519Keys.PublicKeyOf(ed25519)));
    }
}
