using System.Reflection;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Portability;

/// <summary>Packs a user's account into one archive they can keep or take to another server (see <see cref="AccountArchive"/>).</summary>
public sealed class AccountExport(
    IDbContextFactory<FedChatDbContext> dbFactory,
    KeyStore keys,
    FollowService follows,
    ActorUrls urls,
    IOptions<PortabilityOptions> options,
    TimeProvider time,
    ILogger<AccountExport> logger)
{
    /// <summary>The name and version written into every manifest, e.g. <c>FedChat 1.0.0</c>.</summary>
    public static string Software => "FedChat " + (typeof(AccountExport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    /// <summary>
    /// Builds the archive (.zip bytes) of <paramref name="userId"/>'s account, private keys encrypted with
    /// <paramref name="passphrase"/>. Throws <see cref="AccountArchiveException"/> when the passphrase is too short.
    /// </summary>
    public async Task<byte[]> ExportAsync(int userId, string? passphrase, CancellationToken cancellationToken = default)
    {
        if (passphrase is null || passphrase.Length < ArchiveKeys.MinPassphraseLength)
        {
            throw new AccountArchiveException($"Choose a passphrase of at least {ArchiveKeys.MinPassphraseLength} characters: it protects your private keys inside the archive.");
        }
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken)
            ?? throw new AccountArchiveException("Your account no longer exists.");
        var actorId = urls.ActorId(user.Username);

        // Public posts only, each as the signed Create stored when it was published, so its proof still holds.
        // Posts this account imported (OriginalObjectId set) are left out: they are Creates by the old
        // account, under its ids, and the next server would rightly refuse them as not this account's.
        var posts = await db.Posts.AsNoTracking()
            .Where(p => p.AuthorId == userId && p.Audience == null && p.ActivityJson != null && p.OriginalObjectId == null)
            .OrderBy(p => p.Id).Select(p => p.ActivityJson!).ToListAsync(cancellationToken);
        var (rsaPem, ecPem, edPem) = await keys.ExportUserPrivateKeysAsync(userId, cancellationToken);
        var contents = new AccountArchiveContents(
            ActorDocuments.ToPerson(user, await keys.GetUserKeysAsync(userId, cancellationToken), urls),
            posts.ConvertAll(json => JsonNode.Parse(json)!.AsObject()),
            await follows.GetFollowingAsync(actorId, cancellationToken),
            await follows.GetFollowersAsync(actorId, cancellationToken),
            ArchiveKeys.Encrypt(rsaPem, ecPem, passphrase, options.Value.KeyDerivationIterations, edPem));
        var archive = AccountArchive.Write(contents, Software, time.GetUtcNow());
        logger.LogInformation("Exported {Actor}: {Posts} posts, {Following} following, {Followers} followers, {Bytes} bytes",
            actorId, contents.Activities.Count, contents.Following.Count, contents.Followers.Count, archive.Length);
        return archive;
    }
}
