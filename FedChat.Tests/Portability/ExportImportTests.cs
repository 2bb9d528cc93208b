using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Portability;
using FedChat.Core.Posts;
using FedChat.Core.Signing;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Portability;

/// <summary>
/// Alice leaves server A for server B, taking her archive. Bob on server C is whom she follows; Carol on
/// C follows her. Real servers on loopback.
/// </summary>
public class ExportImportTests
{
    private const string Passphrase = "correct horse battery";

    [Fact]
    public async Task ExportThenImport_OnAnotherServer_KeepsEveryPostProofAndFollow()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        await using var c = await RunningServer.StartAsync("server-c");
        var alice = (await a.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        var newAlice = (await b.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        await c.Get<AccountManager>().RegisterAsync("bob", "correct horse", null);
        var carol = (await c.Get<AccountManager>().RegisterAsync("carol", "correct horse", null)).User!;
        await Follows.FollowAndWaitAsync(a, alice.Id, "alice", c, "bob");
        await Follows.FollowAndWaitAsync(c, carol.Id, "carol", a, "alice");
        foreach (var text in new[] { "first post", "second post", "third, with a line\nbreak & <markup>" })
        {
            Assert.True((await a.Get<PostService>().CreatePostAsync(alice.Id, text)).Succeeded);
        }
        var oldId = a.Get<ActorUrls>().ActorId("alice");
        var newId = b.Get<ActorUrls>().ActorId("alice");
        var bobId = c.Get<ActorUrls>().ActorId("bob");
        List<Post> originals;
        await using (var db = await PortabilityRig.OpenDbAsync(a))
        {
            originals = await db.Posts.AsNoTracking().OrderBy(p => p.Id).ToListAsync();
        }

        var archive = await a.Get<AccountExport>().ExportAsync(alice.Id, Passphrase);
        var result = await b.Get<AccountImport>().ImportAsync(newAlice.Id, archive, Passphrase);

        // Every post, with its original id and exactly its original signed JSON.
        Assert.Equal((oldId, 3), (result.OldActorId, result.PostsImported));
        Assert.Equal([bobId], result.Refollowed);
        Assert.Empty(result.FollowProblems);
        List<Post> imported;
        await using (var db = await PortabilityRig.OpenDbAsync(b))
        {
            imported = await db.Posts.AsNoTracking().Where(p => p.AuthorId == newAlice.Id).OrderBy(p => p.Id).ToListAsync();
        }
        Assert.Equal(originals.Select(p => p.ActivityJson), imported.Select(p => p.ActivityJson));
        Assert.Equal(originals.Select(p => a.Get<ActorUrls>().NoteId("alice", p.Id)), imported.Select(p => p.OriginalObjectId));
        Assert.Equal(originals.Select(p => p.Content), imported.Select(p => p.Content));
        var profile = await b.Get<PostService>().GetPostsByAsync("alice");
        Assert.Equal(imported.Select(p => p.OriginalObjectId).Reverse(), profile.Select(p => p.ObjectId));

        // Every proof still verifies, with the key the NEW actor document publishes: the same person.
        var (_, newActor) = await PortabilityRig.GetActivityJsonAsync(b, newId);
        var (_, oldActor) = await PortabilityRig.GetActivityJsonAsync(a, oldId);
        Assert.Contains(oldId, newActor!["alsoKnownAs"]!.AsArray().Select(x => (string?)x));
        var newKeys = newActor["assertionMethod"]!.AsArray().Select(m => (string?)m!["publicKeyMultibase"]).ToList();
        Assert.Equal(oldActor!["assertionMethod"]!.AsArray().Select(m => (string?)m!["publicKeyMultibase"]), newKeys);
        Assert.Equal((string)oldActor["publicKey"]!["publicKeyPem"]!, (string)newActor["publicKey"]!["publicKeyPem"]!);
        var edKey = newKeys.Single(k => Multikey.Decode(k!).Type == MultikeyType.Ed25519);
        foreach (var post in imported)
        {
            var proof = await ObjectProofs.VerifyProofAsync(JsonNode.Parse(post.ActivityJson!)!.AsObject(), (_, _) => Task.FromResult(edKey));
            Assert.True(proof.IsValid, proof.FailureReason);
        }

        // The following list is followed again: Bob's server shows the new follower.
        await Eventually.WaitForAsync(() => c.Get<FollowService>().GetFollowersAsync(bobId), f => f.Contains(newId), "Bob's server to accept the new Alice");
        await Eventually.WaitForAsync(() => b.Get<FollowService>().GetStateAsync(newId, bobId), s => s == FollowState.Accepted, "the Accept to reach the new Alice's server");

        // The followers list travels too (they move themselves when the old account announces Move).
        var contents = AccountArchive.Read(archive, 20_000_000);
        Assert.Equal([c.Get<ActorUrls>().ActorId("carol")], contents.Followers);
        Assert.Equal([bobId], contents.Following);
    }

    [Fact]
    public async Task ExportAfterImport_LeavesImportedPostsOut_SoTheAccountCanMoveAgain()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        await using var c = await RunningServer.StartAsync("server-c");
        var alice = (await a.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        var aliceOnB = (await b.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        var aliceOnC = (await c.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        await a.Get<PostService>().CreatePostAsync(alice.Id, "written on A");
        await b.Get<AccountImport>().ImportAsync(aliceOnB.Id, await a.Get<AccountExport>().ExportAsync(alice.Id, Passphrase), Passphrase);
        var writtenOnB = (await b.Get<PostService>().CreatePostAsync(aliceOnB.Id, "written on B")).Post!;

        var result = await c.Get<AccountImport>().ImportAsync(aliceOnC.Id, await b.Get<AccountExport>().ExportAsync(aliceOnB.Id, Passphrase), Passphrase);

        // C gets only B's own post. The post from A is a Create by the account on A, under A's ids: only A
        // can vouch for it, and it is still there (and on B). Claiming it from B's archive would be refused.
        Assert.Equal((b.Get<ActorUrls>().ActorId("alice"), 1), (result.OldActorId, result.PostsImported));
        var onC = Assert.Single(await c.Get<PostService>().GetPostsByAsync("alice"));
        Assert.Equal(("written on B", writtenOnB.ObjectId), (onC.Content, onC.ObjectId));
    }
}
