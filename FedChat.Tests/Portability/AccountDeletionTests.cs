using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Portability;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Portability;

/// <summary>Alice on server A deletes her account; Bob on server B followed her and she followed him.</summary>
public class AccountDeletionTests
{
    [Fact]
    public async Task DeletedAccount_TheOtherServerNoLongerShowsItsPostsOrFollows()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = (await a.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        var bob = (await b.Get<AccountManager>().RegisterAsync("bob", "correct horse", null)).User!;
        var (aliceId, bobId) = (a.Get<ActorUrls>().ActorId("alice"), b.Get<ActorUrls>().ActorId("bob"));
        await Follows.FollowAndWaitAsync(b, bob.Id, "bob", a, "alice");
        await Follows.FollowAndWaitAsync(a, alice.Id, "alice", b, "bob");
        await a.Get<PostService>().CreatePostAsync(alice.Id, "goodbye soon");
        await Eventually.WaitForAsync(() => b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob"), t => t.Count == 1, "Alice's post on B");
        // Alice likes one of Bob's posts: the like must go with her.
        var bobsPost = (await b.Get<PostService>().CreatePostAsync(bob.Id, "see you")).Post!;
        await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Home, "alice"), t => t.Any(p => p.ObjectId == bobsPost.ObjectId), "Bob's post on A");
        Assert.Null(await a.Get<ReactionService>().ReactAsync(alice.Id, bobsPost.ObjectId!, Core.Storage.Entities.ReactionKind.Like));
        await Eventually.WaitForAsync(() => b.Get<ReactionService>().CountAsync(bobsPost.ObjectId!), c => c.Likes == 1, "Alice's like on B");

        Assert.Contains("Type your username", await a.Get<AccountDeletion>().DeleteAsync(alice.Id, "bob"));
        Assert.Null(await a.Get<AccountDeletion>().DeleteAsync(alice.Id, "alice"));

        // Server B forgets her: posts, follows both ways, the cached actor.
        await Eventually.WaitForAsync(() => b.Get<TimelineService>().GetAsync(TimelineKind.Federated, null), t => t.All(p => p.AuthorActorId != aliceId), "the Delete on B");
        await Eventually.WaitForAsync(() => b.Get<FollowService>().GetFollowersAsync(bobId), f => f.Count == 0, "B to drop Alice's follow");
        Assert.Null(await b.Get<FollowService>().GetStateAsync(bobId, aliceId));
        Assert.Equal((0, 0), await b.Get<ReactionService>().CountAsync(bobsPost.ObjectId!));
        await using (var db = await PortabilityRig.OpenDbAsync(b))
        {
            Assert.False(await db.RemoteActors.AnyAsync(r => r.ActorId == aliceId));
        }

        // Server A: nothing of her left but the tombstone; her actor is Gone and her name stays taken.
        Assert.Equal(410, (await PortabilityRig.GetActivityJsonAsync(a, aliceId)).Status);
        await using (var db = await PortabilityRig.OpenDbAsync(a))
        {
            Assert.False(await db.Users.AnyAsync(u => u.Username == "alice"));
            Assert.False(await db.Posts.AnyAsync());
            Assert.False(await db.Follows.AnyAsync());
            Assert.False(await db.Reactions.AnyAsync());
        }
        Assert.False((await a.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).Succeeded);
    }

    [Fact]
    public async Task DeleteAccount_WhenRemovingTheDataFails_TellsNoOtherServer()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = (await a.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        var bob = (await b.Get<AccountManager>().RegisterAsync("bob", "correct horse", null)).User!;
        await Follows.FollowAndWaitAsync(b, bob.Id, "bob", a, "alice");
        // A real failure inside the transaction: SQLite refuses to write the tombstone.
        await using (var db = await PortabilityRig.OpenDbAsync(a))
        {
            await db.Database.ExecuteSqlRawAsync("CREATE TRIGGER refuse_tombstone BEFORE INSERT ON DeletedAccounts BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
        }

        await Assert.ThrowsAnyAsync<DbUpdateException>(() => a.Get<AccountDeletion>().DeleteAsync(alice.Id, "alice"));

        // Alice still lives here, so no server may be told to erase her.
        await using (var db = await PortabilityRig.OpenDbAsync(a))
        {
            Assert.True(await db.Users.AnyAsync(u => u.Id == alice.Id));
            Assert.False(await db.Deliveries.AnyAsync(d => d.ActivityId.EndsWith("#delete")));
        }
    }
}
