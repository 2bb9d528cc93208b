using System.Security.Cryptography;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Signing;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Portability;

/// <summary>What an import did.</summary>
/// <param name="OldActorId">The account the archive came from.</param>
/// <param name="PostsImported">How many posts were added.</param>
/// <param name="Refollowed">The actors a Follow was sent to again.</param>
/// <param name="FollowProblems">Actors that could not be followed again, with why.</param>
public sealed record ImportResult(string OldActorId, int PostsImported, IReadOnlyList<string> Refollowed, IReadOnlyList<string> FollowProblems);

/// <summary>
/// Brings an account archive into an account on this server: the posts (original ids and proofs),
/// the key pairs (so the actor shows the same public keys: the same person), <c>alsoKnownAs</c> pointing at
/// the old account (so it can then announce a Move here), and the follows, sent again.
/// Everything is checked first; one failed check and nothing is written.
/// </summary>
public sealed class AccountImport(
    IDbContextFactory<FedChatDbContext> dbFactory,
    KeyStore keys,
    FollowService follows,
    ActorUrls urls,
    EventFeed events,
    IOptions<PortabilityOptions> options,
    TimeProvider time,
    ILogger<AccountImport> logger)
{
    /// <summary>Imports <paramref name="archive"/> into <paramref name="userId"/>'s account. Throws <see cref="AccountArchiveException"/> saying why not.</summary>
    public async Task<ImportResult> ImportAsync(int userId, byte[] archive, string? passphrase, CancellationToken cancellationToken = default)
    {
        if (archive.Length > options.Value.MaxArchiveBytes)
        {
            throw new AccountArchiveException($"The archive is {archive.Length} bytes; this server accepts up to {options.Value.MaxArchiveBytes}.");
        }
        // 1. Check everything before writing anything: format, checksums, proofs, passphrase, keys.
        var contents = AccountArchive.Read(archive, options.Value.MaxArchiveBytes);
        await AccountArchive.CheckProofsAsync(contents, cancellationToken);
        var (rsaPem, ecPem) = ArchiveKeys.Decrypt(contents.Keys, passphrase ?? "");
        CheckKeysMatchActor(contents, rsaPem, ecPem);

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new AccountArchiveException("Your account no longer exists.");
        var oldActorId = contents.ActorId;
        if (oldActorId == urls.ActorId(user.Username))
        {
            throw new AccountArchiveException("This archive is of this very account: import it into a new account instead.");
        }
        // Keeping it simple: an import starts an account, it does not merge two histories.
        if (await db.Posts.AnyAsync(p => p.AuthorId == userId, cancellationToken))
        {
            throw new AccountArchiveException("Import works only into an account with no posts yet; this one has posts.");
        }
        var noteIds = contents.Activities.Select(a => ActivityStreamsJson.IdOf(a["object"])!).ToList();
        if (await db.Posts.AnyAsync(p => noteIds.Contains(p.OriginalObjectId!), cancellationToken))
        {
            throw new AccountArchiveException("Some of these posts were already imported on this server.");
        }

        // 2. Write it all in one transaction.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            foreach (var activity in contents.Activities)
            {
                db.Posts.Add(ToPost(userId, activity));
            }
            await keys.ReplaceUserKeysAsync(db, userId, rsaPem, ecPem, cancellationToken);
            var aliases = (user.AlsoKnownAs ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Append(oldActorId).Distinct();
            user.AlsoKnownAs = string.Join(' ', aliases);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        keys.ForgetLoadedKeys(userId);
        logger.LogInformation("Imported {Posts} posts of {OldActor} into {User}, with its key pairs", contents.Activities.Count, oldActorId, user.Username);

        // 3. Follow again everyone the old account followed: their servers answer with Accept as usual.
        var refollowed = new List<string>();
        var problems = new List<string>();
        foreach (var followee in contents.Following)
        {
            var error = await follows.FollowAsync(userId, user.Username, followee, cancellationToken);
            if (error is null)
            {
                refollowed.Add(followee);
            }
            else
            {
                problems.Add($"{followee}: {error}");
            }
        }
        events.Publish(new AccountImported(time.GetUtcNow(), user.Username, oldActorId, contents.Activities.Count));
        events.Publish(new ProfileUpdated(time.GetUtcNow(), user.Username));
        return new ImportResult(oldActorId, contents.Activities.Count, refollowed, problems);
    }

    /// <summary>
    /// The private keys must be the ones whose public halves actor.json publishes (and that signed the
    /// proofs); otherwise an archive could pair someone's posts with someone else's keys.
    /// </summary>
    private static void CheckKeysMatchActor(AccountArchiveContents contents, string rsaPem, string ecPem)
    {
        try
        {
            using var rsa = (RSA)KeyPairs.ImportPrivateKeyPem(rsaPem);
            using var ecdsa = (ECDsa)KeyPairs.ImportPrivateKeyPem(ecPem);
            var publishedRsa = (string?)contents.Actor["publicKey"]?["publicKeyPem"];
            var publishedEc = (contents.Actor["assertionMethod"] as System.Text.Json.Nodes.JsonArray)?.Select(m => (string?)m?["publicKeyMultibase"]);
            if (publishedRsa?.Trim() != KeyPairs.ExportPublicKeyPem(rsa).Trim() || publishedEc?.Contains(Multikey.EncodeP256PublicKey(ecdsa)) != true)
            {
                throw new AccountArchiveException("The keys in keys.json are not the ones actor.json publishes: the archive was put together from different accounts.");
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or InvalidOperationException)
        {
            throw new AccountArchiveException($"The keys in keys.json cannot be read: {ex.Message}");
        }
    }

    /// <summary>An imported post: the original signed JSON and Note id, shown as plain text like any post.</summary>
    private static Post ToPost(int userId, System.Text.Json.Nodes.JsonObject activity)
    {
        var note = activity["object"]!.AsObject();
        return new Post
        {
            AuthorId = userId,
            Content = RemoteActors.HtmlToText((string?)note["content"] ?? ""),
            CreatedAt = DateTimeOffset.TryParse((string?)note["published"], out var published) ? published.ToUniversalTime() : DateTimeOffset.UnixEpoch,
            ActivityJson = activity.ToJsonString(),
            OriginalObjectId = ActivityStreamsJson.IdOf(note),
            InReplyTo = ActivityStreamsJson.IdOf(note["inReplyTo"]),
        };
    }
}
