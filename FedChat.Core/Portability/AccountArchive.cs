using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Identity;
using FedChat.Core.Signing;

namespace FedChat.Core.Portability;

/// <summary>Why an archive could not be exported or imported, in words for the user. Nothing was changed.</summary>
public sealed class AccountArchiveException(string message) : Exception(message);

/// <summary>What an account archive holds, once read and checked.</summary>
/// <param name="Actor">The actor document (<c>actor.json</c>), with the public keys.</param>
/// <param name="Activities">The signed Create activities (<c>outbox.json</c>), oldest first, exactly as published.</param>
/// <param name="Following">The actor ids the account followed (<c>following.json</c>).</param>
/// <param name="Followers">The actor ids that followed the account (<c>followers.json</c>).</param>
/// <param name="Keys">The encrypted private keys (<c>keys.json</c>, see <see cref="ArchiveKeys"/>).</param>
public sealed record AccountArchiveContents(JsonObject Actor, IReadOnlyList<JsonObject> Activities, IReadOnlyList<string> Following, IReadOnlyList<string> Followers, JsonObject Keys)
{
    /// <summary>Gets the archived account's actor id.</summary>
    public string ActorId => AccountArchive.Text(Actor["id"]) ?? "";
}

/// <summary>
/// The account archive format, version 1: a .zip with <c>manifest.json</c> (format version, software,
/// export time and the SHA-256 of every other file), <c>actor.json</c>, <c>outbox.json</c>,
/// <c>following.json</c>, <c>followers.json</c>, <c>keys.json</c> and a <c>README.md</c>. Reading checks
/// everything (version, checksums, every post's proof) before the caller writes anything.
/// </summary>
public static class AccountArchive
{
    /// <summary>The format version this server writes and reads.</summary>
    public const int FormatVersion = 1;

    private const string ManifestFile = "manifest.json";
    private static readonly string[] DataFiles = ["actor.json", "outbox.json", "following.json", "followers.json", "keys.json", "README.md"];
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Writes an archive: the files, then a manifest with their checksums.</summary>
    public static byte[] Write(AccountArchiveContents contents, string software, DateTimeOffset exportedAt)
    {
        var outbox = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.DataIntegrityContext),
            ["type"] = "OrderedCollection",
            ["totalItems"] = contents.Activities.Count,
            // Newest first, like every outbox (ActivityPub §5.1).
            ["orderedItems"] = new JsonArray([.. contents.Activities.Reverse().Select(a => a.DeepClone())]),
        };
        var files = new Dictionary<string, byte[]>
        {
            ["actor.json"] = Json(contents.Actor),
            ["outbox.json"] = Json(outbox),
            ["following.json"] = Json(ActorCollection(contents.Following)),
            ["followers.json"] = Json(ActorCollection(contents.Followers)),
            ["keys.json"] = Json(contents.Keys),
            ["README.md"] = Encoding.UTF8.GetBytes(Readme(contents.ActorId, exportedAt)),
        };
        var manifest = new JsonObject
        {
            ["formatVersion"] = FormatVersion,
            ["software"] = software,
            ["exportedAt"] = exportedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["actor"] = contents.ActorId,
            ["sha256"] = new JsonObject([.. files.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)Sha256(f.Value)))]),
        };

        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in files.Append(KeyValuePair.Create(ManifestFile, Json(manifest))))
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(bytes);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Reads an archive and checks its format version and every checksum. Throws
    /// <see cref="AccountArchiveException"/> with the reason when anything is wrong.
    /// </summary>
    public static AccountArchiveContents Read(byte[] archive, long maxFileBytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
            var manifest = ParseObject(ReadEntry(zip, ManifestFile, maxFileBytes), ManifestFile);
            var version = manifest["formatVersion"] is JsonValue v && v.TryGetValue<int>(out var number) ? number : 0;
            if (version > FormatVersion)
            {
                throw new AccountArchiveException($"This archive was made by a newer FedChat (format {version}); this server reads format {FormatVersion}. Update this server, then import again.");
            }
            if (version < 1)
            {
                throw new AccountArchiveException("manifest.json has no valid formatVersion: this is not a FedChat account archive.");
            }
            var sums = manifest["sha256"] as JsonObject ?? throw new AccountArchiveException("manifest.json lists no checksums.");
            var files = new Dictionary<string, byte[]>();
            foreach (var name in DataFiles)
            {
                var bytes = ReadEntry(zip, name, maxFileBytes);
                // A checksum that differs means the file was changed or cut short after export.
                if (Text(sums[name]) is not string expected || !string.Equals(expected, Sha256(bytes), StringComparison.OrdinalIgnoreCase))
                {
                    throw new AccountArchiveException($"{name} does not match its SHA-256 in manifest.json: the archive was changed or damaged after export.");
                }
                files[name] = bytes;
            }
            var outbox = ParseObject(files["outbox.json"], "outbox.json");
            var activities = (outbox["orderedItems"] as JsonArray ?? throw new AccountArchiveException("outbox.json has no orderedItems."))
                .Select(item => item as JsonObject ?? throw new AccountArchiveException("outbox.json holds something that is not an activity."))
                .Reverse().ToList();
            var contents = new AccountArchiveContents(ParseObject(files["actor.json"], "actor.json"), activities,
                ReadIds(files["following.json"], "following.json"), ReadIds(files["followers.json"], "followers.json"), ParseObject(files["keys.json"], "keys.json"));
            // The manifest is not checksummed itself, so it must at least agree with the actor it describes.
            if (Text(manifest["actor"]) != contents.ActorId)
            {
                throw new AccountArchiveException($"manifest.json names the account {Text(manifest["actor"]) ?? "(none)"}, but actor.json is {contents.ActorId}: the archive was put together from different accounts.");
            }
            return contents;
        }
        catch (InvalidDataException ex)
        {
            throw new AccountArchiveException($"The archive is damaged or incomplete (cut short during the download?): {ex.Message}");
        }
    }

    /// <summary>
    /// Checks the shape of every activity, before any proof: a Create by the archived actor of a Note
    /// attributed to that actor, whose id is on the actor's own server (scheme, host and port), and no
    /// Note id twice. Throws <see cref="AccountArchiveException"/> naming the post.
    /// </summary>
    public static void CheckActivities(AccountArchiveContents contents)
    {
        var actorId = contents.ActorId;
        if (!Uri.TryCreate(actorId, UriKind.Absolute, out var actorUrl) || actorUrl.Scheme is not ("http" or "https"))
        {
            throw new AccountArchiveException("actor.json has no valid id (an http or https URL).");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var activity in contents.Activities)
        {
            var note = activity["object"] as JsonObject;
            var noteId = Text(note?["id"]);
            if (Text(activity["type"]) != "Create" || ActivityStreamsJson.IdOf(activity["actor"]) != actorId || note is null || Text(note["type"]) != "Note")
            {
                throw new AccountArchiveException($"outbox.json: the post {noteId ?? "(a post without an id)"} is not a Create of a Note by {actorId}.");
            }
            // Imported posts keep their id (Post.OriginalObjectId), so an id is a must, and it must be one of
            // this actor's: otherwise an archive could put its own words under someone else's post ids.
            if (noteId is null)
            {
                throw new AccountArchiveException("outbox.json holds a post without an id.");
            }
            if (ActivityStreamsJson.IdOf(note["attributedTo"]) != actorId || !Uri.TryCreate(noteId, UriKind.Absolute, out var noteUrl)
                || !string.Equals(noteUrl.GetLeftPart(UriPartial.Authority), actorUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            {
                throw new AccountArchiveException($"outbox.json: the post {noteId} is not {actorId}'s own (it must be attributed to it, with an id on its server).");
            }
            if (!seen.Add(noteId))
            {
                throw new AccountArchiveException($"outbox.json holds the post {noteId} twice.");
            }
            if (note["content"] is { } content && Text(content) is null || note["published"] is { } published && Text(published) is null)
            {
                throw new AccountArchiveException($"outbox.json: the post {noteId} has a content or published date that is not text.");
            }
        }
    }

    /// <summary>
    /// Checks that every activity is a Create of a Note by the archived actor, and that its proof still
    /// verifies with one of the actor's own keys from <c>actor.json</c> (<c>assertionMethod</c>: the
    /// Ed25519 key of newer posts, or the P-256 key of older ones). A post changed after export fails
    /// here, and the error names it.
    /// </summary>
    public static async Task CheckProofsAsync(AccountArchiveContents contents, CancellationToken cancellationToken)
    {
        var actorId = contents.ActorId;
        var methods = (contents.Actor["assertionMethod"] as JsonArray)?.OfType<JsonObject>()
            .Where(m => Text(m["id"]) is not null && Text(m["publicKeyMultibase"]) is not null)
            .ToDictionary(m => Text(m["id"])!, m => Text(m["publicKeyMultibase"])!) ?? [];
        if (methods.Count == 0)
        {
            throw new AccountArchiveException("actor.json has no proof key (assertionMethod), so the posts' proofs cannot be checked.");
        }
        foreach (var activity in contents.Activities)
        {
            var noteId = ActivityStreamsJson.IdOf(activity["object"]) ?? "(a post without an id)";
            if (Text(activity["type"]) != "Create" || ActivityStreamsJson.IdOf(activity["actor"]) != actorId || activity["object"] is not JsonObject)
            {
                throw new AccountArchiveException($"The post {noteId} is not a Create by {actorId}.");
            }
            // Archived posts may be old: only the future check of created applies, as for any proof.
            var proof = await ObjectProofs.VerifyProofAsync(activity, (id, _) => Task.FromResult(methods.GetValueOrDefault(id)), null, cancellationToken);
            if (!proof.IsValid)
            {
                throw new AccountArchiveException($"The post {noteId} was changed after it was signed: its proof does not verify ({proof.FailureReason})");
            }
        }
    }

    /// <summary>The text of a JSON string value; null when it is missing or not a string (a number, an object…).</summary>
    internal static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static byte[] ReadEntry(ZipArchive zip, string name, long maxBytes)
    {
        var entry = zip.GetEntry(name) ?? throw new AccountArchiveException($"The archive has no {name}: it is incomplete or not a FedChat account archive.");
        if (entry.Length > maxBytes)
        {
            throw new AccountArchiveException($"{name} is larger than this server accepts ({maxBytes} bytes).");
        }
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static JsonObject ParseObject(byte[] bytes, string name)
    {
        try
        {
            return JsonNode.Parse(bytes) as JsonObject ?? throw new AccountArchiveException($"{name} is not a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new AccountArchiveException($"{name} is not valid JSON: {ex.Message}");
        }
    }

    private static List<string> ReadIds(byte[] bytes, string name) =>
        [.. (ParseObject(bytes, name)["orderedItems"] as JsonArray ?? [])
            .Select(item => ActivityStreamsJson.IdOf(item) ?? throw new AccountArchiveException($"{name} holds an entry that is not an actor id."))];

    private static JsonObject ActorCollection(IEnumerable<string> ids) => new()
    {
        ["@context"] = ActivityStreamsJson.Context,
        ["type"] = "OrderedCollection",
        ["totalItems"] = ids.Count(),
        ["orderedItems"] = ActivityStreamsJson.Strings([.. ids]),
    };

    private static byte[] Json(JsonObject value) => Encoding.UTF8.GetBytes(value.ToJsonString(Indented));

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Readme(string actorId, DateTimeOffset exportedAt) => $"""
        # FedChat account archive

        The account {actorId}, exported {exportedAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC. Format version {FormatVersion}.

        | file | what it holds |
        | --- | --- |
        | manifest.json | format version, software, export time, and the SHA-256 of every other file |
        | actor.json | the actor document (ActivityStreams Person) with the public keys |
        | outbox.json | an OrderedCollection of the public posts written on this account: the signed Create activities exactly as published, newest first, each with its FEP-8b32 integrity proof. Posts this account imported from an earlier one are left out: they belong to that earlier account. |
        | following.json | an OrderedCollection of the actor ids you follow |
        | followers.json | an OrderedCollection of the actor ids that follow you |
        | keys.json | your RSA-2048 and P-256 private keys, encrypted with your passphrase (PBKDF2-SHA256, then AES-256-GCM) |

        To move, in this order and while this server is still running: export (this file), then create an
        account on another FedChat server, open "Your data" there and import this file with the same
        passphrase, then start the move here. The new server asks this one whether the keys in actor.json
        are really this account's; once this account is deleted (or this server is gone), the archive can
        no longer be imported. Your posts keep their ids and proofs, and the people you followed are
        followed again. Direct messages, received posts and the server's settings are not in the archive.
        Keep this file safe: with the passphrase, it lets anyone sign as you.

        """;
}
