using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
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
/// Everything is checked first; one failed check and nothing is written. Imports run one at a time.
/// </summary>
public sealed class AccountImport(
    IDbContextFactory<FedChatDbContext> dbFactory,
    KeyStore keys,
    FollowService follows,
    SignedHttpClient fetcher,
    ActorUrls urls,
    EventFeed events,
    IOptions<PortabilityOptions> options,
    TimeProvider time,
    ILogger<AccountImport> logger)
{
    // An import derives a key from the passphrase (hundreds of thousands of rounds), fetches the old
    // actor and writes one big transaction: one at a time keeps a burst of uploads from using up the
    // server's cores. A second import simply waits for the first.
    private readonly SemaphoreSlim _oneImportAtATime = new(1, 1);

    /// <summary>Imports <paramref name="archive"/> into <paramref name="userId"/>'s account. Throws <see cref="AccountArchiveException"/> saying why not.</summary>
    public async Task<ImportResult> ImportAsync(int userId, byte[] archive, string? passphrase, CancellationToken cancellationToken = default)
    {
        if (archive.Length > options.Value.MaxArchiveBytes)
        {
            throw new AccountArchiveException($"The archive is {archive.Length} bytes; this server accepts up to {options.Value.MaxArchiveBytes}.");
        }
        await _oneImportAtATime.WaitAsync(cancellationToken);
        try
        {
            return await ImportOneAsync(userId, archive, passphrase, cancellationToken);
        }
        finally
        {
            _oneImportAtATime.Release();
        }
    }

    private async Task<ImportResult> ImportOneAsync(int userId, byte[] archive, string? passphrase, CancellationToken cancellationToken)
    {
        // 1. Check everything before writing anything: format, checksums, proofs, passphrase, keys, owner.
        var (contents, rsaPem, ecPem, edPem) = await CheckArchiveAsync(archive, passphrase, cancellationToken);

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
            await keys.ReplaceUserKeysAsync(db, userId, rsaPem, ecPem, edPem, cancellationToken);
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
        // The posts are committed by now, so nothing below may throw: a failure is reported per followee.
        foreach (var followee in contents.Following)
        {
            string? error;
            try
            {
                error = await follows.FollowAsync(userId, user.Username, followee, cancellationToken);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not follow {Followee} again after importing into {User}", followee, user.Username);
                error = ex is OperationCanceledException ? "the import was interrupted before this follow was sent" : ex.Message;
            }
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
    /// Reads and checks the archive. Whatever shape of JSON the checks did not foresee still ends as an
    /// <see cref="AccountArchiveException"/> naming the file being checked, not as a server error.
    /// </summary>
    private async Task<(AccountArchiveContents Contents, string RsaPem, string EcPem, string? EdPem)> CheckArchiveAsync(byte[] archive, string? passphrase, CancellationToken cancellationToken)
    {
        var file = "manifest.json";
        try
        {
            var contents = AccountArchive.Read(archive, options.Value.MaxArchiveBytes);
            file = "outbox.json";
            AccountArchive.CheckActivities(contents);
            await AccountArchive.CheckProofsAsync(contents, cancellationToken);
            file = "keys.json";
            var (rsaPem, ecPem, edPem) = ArchiveKeys.Decrypt(contents.Keys, passphrase ?? "");
            CheckKeysMatchActor(contents, rsaPem, ecPem, edPem);
            file = "actor.json";
            await CheckOldServerPublishesTheseKeysAsync(contents, cancellationToken);
            return (contents, rsaPem, ecPem, edPem);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new AccountArchiveException($"{file} holds something a FedChat archive does not: {ex.Message}");
        }
    }

    /// <summary>
    /// Ties the archive to the account it names. Every other check compares the archive with itself, so
    /// anyone could pair their own keys with someone else's actor id, sign copies of that person's post
    /// ids, and have this server show their words under those ids. So we ask the old server, now, which
    /// keys that account publishes: they must be the ones in actor.json (whose private halves we hold).
    /// </summary>
    private async Task CheckOldServerPublishesTheseKeysAsync(AccountArchiveContents contents, CancellationToken cancellationToken)
    {
        var actorId = contents.ActorId;
        JsonObject live;
        try
        {
            live = await fetcher.GetObjectAsync(new Uri(actorId), cancellationToken);
        }
        catch (FetchFailedException ex)
        {
            throw new AccountArchiveException($"Could not confirm this archive belongs to {actorId}: {ex.Message.TrimEnd('.')}. Import while the old server is still running.");
        }
        var (livePem, liveMultibases) = PublishedKeys(live);
        var (archivedPem, archivedMultibases) = PublishedKeys(contents.Actor);
        if (AccountArchive.Text(live["id"]) != actorId || livePem is null || livePem != archivedPem || liveMultibases.Count == 0 || !liveMultibases.SetEquals(archivedMultibases))
        {
            throw new AccountArchiveException($"Could not confirm this archive belongs to {actorId}: that account publishes other keys than the archive's actor.json. Nothing was imported.");
        }
    }

    /// <summary>An actor's RSA key (publicKey.publicKeyPem) and proof keys (assertionMethod publicKeyMultibase: Ed25519, P-256).</summary>
    private static (string? Pem, HashSet<string> Multibases) PublishedKeys(JsonObject actor)
    {
        var pem = AccountArchive.Text(actor["publicKey"]?["publicKeyPem"])?.Trim();
        var methods = actor["assertionMethod"] as JsonArray ?? [];
        return (pem, [.. methods.Select(m => AccountArchive.Text(m?["publicKeyMultibase"])).OfType<string>()]);
    }

    /// <summary>
    /// The private keys must be the ones whose public halves actor.json publishes (and that signed the
    /// proofs); otherwise an archive could pair someone's posts with someone else's keys.
    /// </summary>
    private static void CheckKeysMatchActor(AccountArchiveContents contents, string rsaPem, string ecPem, string? edPem)
    {
        try
        {
            using var rsa = (RSA)KeyPairs.ImportPrivateKeyPem(rsaPem);
            using var ecdsa = (ECDsa)KeyPairs.ImportPrivateKeyPem(ecPem);
            var (publishedRsa, publishedEc) = PublishedKeys(contents.Actor);
            var edMultibase = edPem is null ? null : Multikey.EncodeEd25519PublicKey(Ed25519Keys.PublicKeyOf(Ed25519Keys.ImportPrivateKeyPem(edPem)));
            if (publishedRsa != KeyPairs.ExportPublicKeyPem(rsa).Trim() || !publishedEc.Contains(Multikey.EncodeP256PublicKey(ecdsa))
                || (edMultibase is not null && !publishedEc.Contains(edMultibase)))
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
    private static Post ToPost(int userId, JsonObject activity)
    {
        var note = activity["object"]!.AsObject();
        return new Post
        {
            AuthorId = userId,
            Content = RemoteActors.HtmlToText(AccountArchive.Text(note["content"]) ?? ""),
            CreatedAt = DateTimeOffset.TryParse(AccountArchive.Text(note["published"]), out var published) ? published.ToUniversalTime() : DateTimeOffset.UnixEpoch,
            ActivityJson = activity.ToJsonString(),
            OriginalObjectId = ActivityStreamsJson.IdOf(note),
            InReplyTo = ActivityStreamsJson.IdOf(note["inReplyTo"]),
        };
    }
}
