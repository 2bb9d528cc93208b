using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Identity;
using FedChat.Core.Portability;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;

namespace FedChat.Tests.Portability;

/// <summary>
/// Alice on server A exported her account; each test offers a spoiled copy to her new account on B.
/// Mallory on A exported hers too, to forge from; Dora on A exported hers, then deleted her account.
/// </summary>
public sealed class ImportFailureFixture : IAsyncLifetime
{
    public const string Passphrase = "correct horse battery";

    public RunningServer A { get; private set; } = null!;

    public RunningServer B { get; private set; } = null!;

    public byte[] Archive { get; private set; } = [];

    public int NewAliceId { get; private set; }

    public byte[] MalloryArchive { get; private set; } = [];

    public ActorKeyPair MalloryKeys { get; private set; } = null!;

    public byte[] DeletedDoraArchive { get; private set; } = [];

    public async Task InitializeAsync()
    {
        A = await RunningServer.StartAsync("server-a");
        B = await RunningServer.StartAsync("server-b");
        var alice = (await A.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        await A.Get<PostService>().CreatePostAsync(alice.Id, "hello");
        await A.Get<PostService>().CreatePostAsync(alice.Id, "I really wrote this");
        Archive = await A.Get<AccountExport>().ExportAsync(alice.Id, Passphrase);
        NewAliceId = (await B.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!.Id;
        // An import asks the old server for the actor with a GET signed by B's instance key, which B makes
        // the first time it needs it: make it now, so the tests' "nothing written" snapshots hold.
        await B.Get<KeyStore>().GetInstanceKeysAsync();

        var mallory = (await A.Get<AccountManager>().RegisterAsync("mallory", "correct horse", null)).User!;
        await A.Get<PostService>().CreatePostAsync(mallory.Id, "words Mallory wants Alice to have said");
        MalloryArchive = await A.Get<AccountExport>().ExportAsync(mallory.Id, Passphrase);
        MalloryKeys = await A.Get<KeyStore>().GetUserKeysAsync(mallory.Id);

        var dora = (await A.Get<AccountManager>().RegisterAsync("dora", "correct horse", null)).User!;
        await A.Get<PostService>().CreatePostAsync(dora.Id, "soon gone");
        DeletedDoraArchive = await A.Get<AccountExport>().ExportAsync(dora.Id, Passphrase);
        Assert.Null(await A.Get<AccountDeletion>().DeleteAsync(dora.Id, "dora"));
    }

    public async Task DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}

public class ImportFailureTests(ImportFailureFixture rig) : IClassFixture<ImportFailureFixture>
{
    [Fact]
    public async Task Import_WithTheWrongPassphrase_SaysSoAndImportsNothing()
    {
        var error = await ImportExpectingErrorAsync(rig.Archive, "not my passphrase");

        Assert.Contains("passphrase is wrong", error);
    }

    [Fact]
    public async Task Import_OfATruncatedArchive_SaysItIsIncompleteAndImportsNothing()
    {
        var error = await ImportExpectingErrorAsync(rig.Archive[..(rig.Archive.Length * 2 / 3)], ImportFailureFixture.Passphrase);

        Assert.Contains("damaged or incomplete", error);
    }

    [Fact]
    public async Task Import_OfAPostChangedAfterExport_NamesThePostAndImportsNothing()
    {
        // The checksum is updated too, as a careful forger would: the post's own proof still catches it.
        var tampered = PortabilityRig.ChangeFile(rig.Archive, "outbox.json", json => json.Replace("I really wrote this", "I never wrote this"), updateChecksum: true);

        var error = await ImportExpectingErrorAsync(tampered, ImportFailureFixture.Passphrase);

        Assert.Contains("was changed after it was signed", error);
        Assert.Contains($"{rig.A.Get<Core.Identity.ActorUrls>().ActorId("alice")}/posts/2", error);
    }

    [Fact]
    public async Task Import_OfAFileChangedWithoutItsChecksum_NamesTheFileAndImportsNothing()
    {
        var tampered = PortabilityRig.ChangeFile(rig.Archive, "following.json", json => json.Replace("[]", "[\"http://127.0.0.1:1/users/mallory\"]"), updateChecksum: false);

        var error = await ImportExpectingErrorAsync(tampered, ImportFailureFixture.Passphrase);

        Assert.Contains("following.json does not match its SHA-256", error);
    }

    [Fact]
    public async Task Import_OfANewerFormatVersion_SaysWhichFormatsAreReadAndImportsNothing()
    {
        var newer = PortabilityRig.ChangeFile(rig.Archive, "manifest.json", json => json.Replace("\"formatVersion\":1", "\"formatVersion\":2").Replace("\"formatVersion\": 1", "\"formatVersion\": 2"), updateChecksum: false);

        var error = await ImportExpectingErrorAsync(newer, ImportFailureFixture.Passphrase);

        Assert.Equal("This archive was made by a newer FedChat (format 2); this server reads format 1. Update this server, then import again.", error);
    }

    [Fact]
    public async Task Import_OfAnArchiveWithSomeoneElsesActorIdAndItsOwnKeys_IsRefusedByAskingTheOldServer()
    {
        // Mallory's own archive, every mention of her replaced with Alice's id, her posts re-signed with
        // her own key under Alice's ids, checksums recomputed: consistent with itself, so only the real
        // Alice's server, which publishes other keys, can tell.
        var urls = rig.A.Get<ActorUrls>();
        var (malloryId, aliceId) = (urls.ActorId("mallory"), urls.ActorId("alice"));
        var forged = PortabilityRig.ChangeFile(rig.MalloryArchive, "actor.json", json => json.Replace(malloryId, aliceId), updateChecksum: true);
        forged = PortabilityRig.ChangeFile(forged, "manifest.json", json => json.Replace(malloryId, aliceId), updateChecksum: false);
        forged = PortabilityRig.ChangeFile(forged, "outbox.json", json => ReSign(json.Replace(malloryId, aliceId), aliceId, _ => { }), updateChecksum: true);

        var error = await ImportExpectingErrorAsync(forged, ImportFailureFixture.Passphrase);

        Assert.Equal($"Could not confirm this archive belongs to {aliceId}: that account publishes other keys than the archive's actor.json. Nothing was imported.", error);
    }

    [Fact]
    public async Task Import_OfAPostWhoseIdIsOnAnotherServer_IsRefused()
    {
        // Mallory signs, with her own real key, a post that claims an id on someone else's server.
        var stolenId = "http://server-c.example/users/bob/posts/1";
        var forged = PortabilityRig.ChangeFile(rig.MalloryArchive, "outbox.json",
            json => ReSign(json, rig.A.Get<ActorUrls>().ActorId("mallory"), note => note["id"] = stolenId), updateChecksum: true);

        var error = await ImportExpectingErrorAsync(forged, ImportFailureFixture.Passphrase);

        Assert.Contains($"the post {stolenId} is not", error);
    }

    [Fact]
    public async Task Import_OfADeletedAccountsArchive_SaysTheOldServerCouldNotConfirmIt()
    {
        var error = await ImportExpectingErrorAsync(rig.DeletedDoraArchive, ImportFailureFixture.Passphrase);

        Assert.StartsWith($"Could not confirm this archive belongs to {rig.A.Get<ActorUrls>().ActorId("dora")}:", error);
        Assert.Contains("410", error);
        Assert.EndsWith("Import while the old server is still running.", error);
    }

    [Fact]
    public async Task Import_OfAnActivityWhoseTypeIsANumber_NamesTheFileAndImportsNothing()
    {
        var malformed = PortabilityRig.ChangeFile(rig.Archive, "outbox.json", json => ReplaceFirst(json, "\"type\": \"Create\"", "\"type\": 5"), updateChecksum: true);

        var error = await ImportExpectingErrorAsync(malformed, ImportFailureFixture.Passphrase);

        Assert.StartsWith("outbox.json: the post", error);
        Assert.Contains("is not a Create of a Note", error);
    }

    [Fact]
    public async Task Import_OfAnOutboxWithTheSamePostTwice_SaysSoAndImportsNothing()
    {
        var doubled = PortabilityRig.ChangeFile(rig.Archive, "outbox.json", json =>
        {
            var outbox = JsonNode.Parse(json)!.AsObject();
            var items = outbox["orderedItems"]!.AsArray();
            items.Add(items[0]!.DeepClone());
            return outbox.ToJsonString();
        }, updateChecksum: true);

        var error = await ImportExpectingErrorAsync(doubled, ImportFailureFixture.Passphrase);

        Assert.Matches("^outbox.json holds the post .* twice.$", error);
    }

    [Fact]
    public async Task Import_WhenTheManifestNamesAnotherAccount_IsRefused()
    {
        var urls = rig.A.Get<ActorUrls>();
        var mixed = PortabilityRig.ChangeFile(rig.Archive, "manifest.json", json => json.Replace(urls.ActorId("alice"), urls.ActorId("mallory")), updateChecksum: false);

        var error = await ImportExpectingErrorAsync(mixed, ImportFailureFixture.Passphrase);

        Assert.Contains($"manifest.json names the account {urls.ActorId("mallory")}", error);
    }

    /// <summary>Changes each post of an outbox.json, then signs it again with Mallory's key as <paramref name="signerId"/>.</summary>
    private string ReSign(string outboxJson, string signerId, Action<JsonObject> changeNote)
    {
        var outbox = JsonNode.Parse(outboxJson)!.AsObject();
        var signed = new JsonArray();
        foreach (var item in outbox["orderedItems"]!.AsArray())
        {
            var activity = item!.DeepClone().AsObject();
            activity.Remove("proof");
            changeNote(activity["object"]!.AsObject());
            signed.Add(NoteActivities.Sign(activity, rig.MalloryKeys, signerId, DateTimeOffset.UtcNow));
        }
        outbox["orderedItems"] = signed;
        return outbox.ToJsonString();
    }

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{old} is not in the file");
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + old.Length));
    }

    private async Task<string> ImportExpectingErrorAsync(byte[] archive, string passphrase)
    {
        var before = await PortabilityRig.SnapshotAsync(rig.B);

        var error = await Assert.ThrowsAsync<AccountArchiveException>(() => rig.B.Get<AccountImport>().ImportAsync(rig.NewAliceId, archive, passphrase));

        Assert.Equal(before, await PortabilityRig.SnapshotAsync(rig.B));
        return error.Message;
    }
}
