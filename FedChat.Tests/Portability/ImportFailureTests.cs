using FedChat.Core.Portability;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;

namespace FedChat.Tests.Portability;

/// <summary>Alice on server A exported her account; each test offers a spoiled copy to her new account on B.</summary>
public sealed class ImportFailureFixture : IAsyncLifetime
{
    public const string Passphrase = "correct horse battery";

    public RunningServer A { get; private set; } = null!;

    public RunningServer B { get; private set; } = null!;

    public byte[] Archive { get; private set; } = [];

    public int NewAliceId { get; private set; }

    public async Task InitializeAsync()
    {
        A = await RunningServer.StartAsync("server-a");
        B = await RunningServer.StartAsync("server-b");
        var alice = (await A.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        await A.Get<PostService>().CreatePostAsync(alice.Id, "hello");
        await A.Get<PostService>().CreatePostAsync(alice.Id, "I really wrote this");
        Archive = await A.Get<AccountExport>().ExportAsync(alice.Id, Passphrase);
        NewAliceId = (await B.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!.Id;
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

    private async Task<string> ImportExpectingErrorAsync(byte[] archive, string passphrase)
    {
        var before = await PortabilityRig.SnapshotAsync(rig.B);

        var error = await Assert.ThrowsAsync<AccountArchiveException>(() => rig.B.Get<AccountImport>().ImportAsync(rig.NewAliceId, archive, passphrase));

        Assert.Equal(before, await PortabilityRig.SnapshotAsync(rig.B));
        return error.Message;
    }
}
