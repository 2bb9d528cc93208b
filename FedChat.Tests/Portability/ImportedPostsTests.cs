using FedChat.Core.Federation;
using FedChat.Core.Portability;
using FedChat.Core.Posts;
using FedChat.Tests.Support;

namespace FedChat.Tests.Portability;

/// <summary>Where imported posts show, and where they do not, on the server they were imported into.</summary>
public class ImportedPostsTests
{
    [Fact]
    public async Task ImportedPosts_ShowOnTheProfileByDate_NotInTheLocalTimeline_AndNeverHideTheRealAuthorsCopy()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        // Bob on B follows Alice on A, so B has her post as a received copy too.
        await Follows.FollowAndWaitAsync(b, bob.Id, "bob", a, "alice");
        var old = (await a.Get<PostService>().CreatePostAsync(alice.Id, "written on A")).Post!;
        await Eventually.WaitForAsync(() => b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob"), t => t.Count == 1, "Alice's post on B");

        var newAlice = await b.RegisterAsync("alice");
        var archive = await a.Get<AccountExport>().ExportAsync(alice.Id, "a long passphrase");
        await b.Get<AccountImport>().ImportAsync(newAlice.Id, archive, "a long passphrase");
        var fresh = (await b.Get<PostService>().CreatePostAsync(newAlice.Id, "written on B")).Post!;

        // The local timeline is what was written here; the profile has both, newest first.
        Assert.Equal(["written on B"], (await b.Get<TimelineService>().GetAsync(TimelineKind.Local, null)).Select(p => p.Content));
        Assert.Equal(["written on B", "written on A"], (await b.Get<PostService>().GetPostsByAsync("alice")).Select(p => p.Content));
        // Her outbox on B lists only what she wrote as the new account.
        Assert.Single(await b.Get<PostService>().GetOutboxPageAsync("alice", 20, null));
        // Asked for the old post by its id, B answers with the copy from A itself, not the imported one.
        var found = await b.Get<PostService>().FindByNoteIdAsync(old.ObjectId!, null);
        Assert.True(found?.IsRemote, "the copy received from the author's own server must come first");
        Assert.NotEqual(fresh.ObjectId, found!.ObjectId);
    }

    [Fact]
    public async Task ImportedPosts_SayWhereTheyWereWritten_AndCountsMatchWhatIsServed()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        foreach (var text in new[] { "one", "two", "three" })
        {
            await a.Get<PostService>().CreatePostAsync(alice.Id, text);
        }
        var newAlice = await b.RegisterAsync("alice");
        await b.Get<AccountImport>().ImportAsync(newAlice.Id, await a.Get<AccountExport>().ExportAsync(alice.Id, "a long passphrase"), "a long passphrase");

        var imported = (await b.Get<PostService>().GetPostsByAsync("alice"))[0];
        var outbox = (await PortabilityRig.GetActivityJsonAsync(b, new Uri(b.BaseUrl, "users/alice/outbox").ToString())).Document!;
        using var client = b.CreateClient();
        var nodeInfo = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync("/nodeinfo/2.1"))!;

        // Written and signed on A, checked on import: not "signed by the author (this server)".
        Assert.Equal("imported", PostProvenance.VerdictOf(imported));
        Assert.Equal($"imported from {a.BaseUrl.Authority}, proof checked on import", PostProvenance.WordsFor(imported));
        Assert.StartsWith($"Written on {a.BaseUrl.Authority} and signed there", PostProvenance.ExplanationFor(imported));
        // The outbox and NodeInfo count what they serve: nothing written on B yet.
        Assert.Equal(0, (int)outbox["totalItems"]!);
        Assert.Equal(0, (int)nodeInfo["usage"]!["localPosts"]!);
    }
}
