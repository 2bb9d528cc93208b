using System.Net;
using System.Text.Json.Nodes;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>Likes, boosts (Announce) and their Undo between three real servers.</summary>
public class LikeAndBoostTests
{
    [Fact]
    public async Task Like_IsCountedOnTheAuthorsServer_UndoTakesItBack_AndNobodyElseCanUndoIt()
    {
        await using var room = await Room.StartAsync("cake in the kitchen");
        var (a, b, c, alice, bob, carol, post) = (room.A, room.B, room.C, room.Alice, room.Bob, room.Carol, room.Post);

        Assert.Null(await b.Get<ReactionService>().ReactAsync(bob.Id, post.ObjectId!, ReactionKind.Like));

        var onA = await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Local, "alice"), t => t.Single().Likes == 1, "the like counted on A");
        Assert.False(onA.Single().LikedByViewer);
        var onB = (await b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob")).Single();
        Assert.Equal((1, true), (onB.Likes, onB.LikedByViewer));

        // Carol (a real actor on C) sends "Undo" of Bob's like: signed by her, so it can only undo her own likes.
        var bobsLikeId = await SingleReactionActivityIdAsync(a);
        var forged = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = c.Get<ActorUrls>().ActorId("carol") + "#undo-1",
            ["type"] = "Undo",
            ["actor"] = c.Get<ActorUrls>().ActorId("carol"),
            ["object"] = new JsonObject { ["id"] = bobsLikeId, ["type"] = "Like", ["actor"] = b.Get<ActorUrls>().ActorId("bob"), ["object"] = post.ObjectId },
        };
        var carolKeys = await c.Get<KeyStore>().GetUserKeysAsync(carol.Id);
        using var response = await SignedSender.PostAsync(new Uri(a.BaseUrl, "inbox"), forged, carolKeys.Rsa, ActorUrls.RsaKeyId(c.Get<ActorUrls>().ActorId("carol")));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await a.InboxHandledAsync();
        Assert.Equal(1, (await a.Get<TimelineService>().GetAsync(TimelineKind.Local, null)).Single().Likes);

        // Liking twice is still one like; taking it back reaches A.
        Assert.Null(await b.Get<ReactionService>().ReactAsync(bob.Id, post.ObjectId!, ReactionKind.Like));
        Assert.Null(await b.Get<ReactionService>().ReactAsync(bob.Id, post.ObjectId!, ReactionKind.Like, undo: true));
        await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Local, null), t => t.Single().Likes == 0, "the Undo on A");
        Assert.Equal(0, (await b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob")).Single().Likes);
    }

    [Fact]
    public async Task Boost_ShowsInTheBoostersFollowersHome_EvenOnAServerThatNeverSawThePost_AndUndoRemovesIt()
    {
        await using var room = await Room.StartAsync("the projector is on the left");
        var (a, b, c, alice, bob, carol, post) = (room.A, room.B, room.C, room.Alice, room.Bob, room.Carol, room.Post);
        // Carol follows Bob only after the post went out: C has never seen Alice or her post.
        await Follows.FollowAndWaitAsync(c, carol.Id, "carol", b, "bob");
        Assert.Empty(await c.Get<TimelineService>().GetAsync(TimelineKind.Federated, null));

        Assert.Null(await b.Get<ReactionService>().ReactAsync(bob.Id, post.ObjectId!, ReactionKind.Announce));

        var home = await Eventually.WaitForAsync(() => c.Get<TimelineService>().GetAsync(TimelineKind.Home, "carol"), t => t.Count == 1, "the boost in Carol's home on C");
        var entry = home.Single();
        Assert.Equal(("the projector is on the left", $"@alice@127.0.0.1:{a.Port}", "bob", post.ObjectId), (entry.Content, entry.AuthorHandle, entry.BoostedBy, entry.ObjectId));
        Assert.Equal(1, entry.Boosts);
        await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Local, null), t => t.Single().Boosts == 1, "the boost counted on A");
        // Bob's own home shows his boost too, and the button shows he boosted it.
        Assert.Contains(await b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob"), p => p.BoostedBy == "bob" && p.BoostedByViewer);

        Assert.Null(await b.Get<ReactionService>().ReactAsync(bob.Id, post.ObjectId!, ReactionKind.Announce, undo: true));

        await Eventually.WaitForAsync(() => c.Get<TimelineService>().GetAsync(TimelineKind.Home, "carol"), t => t.Count == 0, "the boost gone from Carol's home");
        await Eventually.WaitForAsync(() => a.Get<TimelineService>().GetAsync(TimelineKind.Local, null), t => t.Single().Boosts == 0, "the Undo on A");
    }

    [Fact]
    public async Task LikeOrBoostOfAPostThatDoesNotExist_IsIgnored_AndADirectMessageCannotBeBoosted()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        var bobId = b.Get<ActorUrls>().ActorId("bob");
        var bobKeys = await b.Get<KeyStore>().GetUserKeysAsync(bob.Id);
        var missing = a.Get<ActorUrls>().NoteId("alice", 999);

        foreach (var type in new[] { "Like", "Announce" })
        {
            var activity = new JsonObject
            {
                ["@context"] = "https://www.w3.org/ns/activitystreams",
                ["id"] = $"{bobId}#{type}-missing",
                ["type"] = type,
                ["actor"] = bobId,
                ["object"] = missing,
                ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
            };
            using var response = await SignedSender.PostAsync(new Uri(a.BaseUrl, "inbox"), activity, bobKeys.Rsa, ActorUrls.RsaKeyId(bobId));
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        await a.InboxHandledAsync();
        await using (var db = await a.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync())
        {
            Assert.Empty(await db.Reactions.ToListAsync());
            Assert.Empty(await db.RemotePosts.ToListAsync());
        }

        var direct = await a.Get<PostService>().CreatePostAsync(alice.Id, new PostDraft($"@bob@127.0.0.1:{b.Port} just us", Visibility: PostVisibility.Direct));
        Assert.Equal("A message only for the people mentioned cannot be boosted.",
            await a.Get<ReactionService>().ReactAsync(alice.Id, direct.Post!.ObjectId!, ReactionKind.Announce));
    }

    [Fact]
    public async Task ADoubleClick_LikesOnce_AndUndoesOnce_WithoutAnError()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        var alice = await a.RegisterAsync("alice");
        var post = (await a.Get<PostService>().CreatePostAsync(alice.Id, "click me twice")).Post!;
        var reactions = a.Get<ReactionService>();

        for (var round = 0; round < 5; round++)
        {
            // Both clicks run at once, as a double-click does on a live page.
            var likes = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => reactions.ReactAsync(alice.Id, post.ObjectId!, ReactionKind.Like))));
            Assert.All(likes, Assert.Null);
            Assert.Equal((1, 0), await reactions.CountAsync(post.ObjectId!));

            var undos = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => reactions.ReactAsync(alice.Id, post.ObjectId!, ReactionKind.Like, undo: true))));
            Assert.All(undos, Assert.Null);
            Assert.Equal((0, 0), await reactions.CountAsync(post.ObjectId!));
        }
    }

    [Fact]
    public async Task ABoostOfADirectMessage_FromAnotherServer_IsNotStored()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        var direct = await a.Get<PostService>().CreatePostAsync(alice.Id, new PostDraft($"@bob@127.0.0.1:{b.Port} just us", Visibility: PostVisibility.Direct));
        Assert.True(direct.Succeeded, direct.Error);
        var bobId = b.Get<ActorUrls>().ActorId("bob");
        var bobKeys = await b.Get<KeyStore>().GetUserKeysAsync(bob.Id);

        // Bob may see the message, but a boost would show it to his followers: refused.
        var announce = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = bobId + "#boosts/dm",
            ["type"] = "Announce",
            ["actor"] = bobId,
            ["object"] = direct.Post!.ObjectId,
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
        };
        using var response = await SignedSender.PostAsync(new Uri(a.BaseUrl, "inbox"), announce, bobKeys.Rsa, ActorUrls.RsaKeyId(bobId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await a.InboxHandledAsync();
        Assert.Equal((0, 0), await a.Get<ReactionService>().CountAsync(direct.Post.ObjectId!));
        // A like from Bob, whom the message names, is fine: it only tells Alice.
        announce["type"] = "Like";
        announce["id"] = bobId + "#likes/dm";
        using var like = await SignedSender.PostAsync(new Uri(a.BaseUrl, "inbox"), announce, bobKeys.Rsa, ActorUrls.RsaKeyId(bobId));
        await a.InboxHandledAsync();
        Assert.Equal((1, 0), await a.Get<ReactionService>().CountAsync(direct.Post.ObjectId!));
    }

    [Fact]
    public async Task WhenTheAuthorsAccountIsDeleted_TheLikesOfTheirPostsGoToo()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        await Follows.FollowAndWaitAsync(b, bob.Id, "bob", a, "alice");
        var post = (await a.Get<PostService>().CreatePostAsync(alice.Id, "soon deleted with me")).Post!;
        await Eventually.WaitForAsync(() => b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob"), t => t.Count == 1, "Alice's post on B");
        Assert.Null(await b.Get<ReactionService>().ReactAsync(bob.Id, post.ObjectId!, ReactionKind.Like));

        Assert.Null(await a.Get<Core.Portability.AccountDeletion>().DeleteAsync(alice.Id, "alice"));

        await Eventually.WaitForAsync(() => b.Get<ReactionService>().CountAsync(post.ObjectId!), c => c == (0, 0), "B to forget the likes of Alice's posts");
        Assert.Empty(await b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob"));
    }

    [Fact]
    public async Task DeletingAPost_RemovesItsLikes()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        var alice = await a.RegisterAsync("alice");
        var post = (await a.Get<PostService>().CreatePostAsync(alice.Id, "soon gone")).Post!;
        Assert.Null(await a.Get<ReactionService>().ReactAsync(alice.Id, post.ObjectId!, ReactionKind.Like));
        Assert.Equal((1, 0), await a.Get<ReactionService>().CountAsync(post.ObjectId!));

        Assert.True(await a.Get<PostService>().DeletePostAsync(alice.Id, post.Id));

        Assert.Equal((0, 0), await a.Get<ReactionService>().CountAsync(post.ObjectId!));
        Assert.Equal("That post does not exist any more.", await a.Get<ReactionService>().ReactAsync(alice.Id, post.ObjectId!, ReactionKind.Like));
    }

    private static async Task<string> SingleReactionActivityIdAsync(RunningServer server)
    {
        await using var db = await server.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        return (await db.Reactions.SingleAsync()).ActivityId;
    }

    /// <summary>Three servers: Alice on A posts; Bob on B follows her and has the post; Carol on C follows nobody yet.</summary>
    private sealed record Room(RunningServer A, RunningServer B, RunningServer C, UserAccount Alice, UserAccount Bob, UserAccount Carol, PostView Post) : IAsyncDisposable
    {
        public static async Task<Room> StartAsync(string text)
        {
            var a = await RunningServer.StartAsync("server-a");
            var b = await RunningServer.StartAsync("server-b");
            var c = await RunningServer.StartAsync("server-c");
            var (alice, bob, carol) = (await a.RegisterAsync("alice"), await b.RegisterAsync("bob"), await c.RegisterAsync("carol"));
            await Follows.FollowAndWaitAsync(b, bob.Id, "bob", a, "alice");
            var post = (await a.Get<PostService>().CreatePostAsync(alice.Id, text)).Post!;
            await Eventually.WaitForAsync(() => b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob"), t => t.Count == 1, "Alice's post on B");
            return new Room(a, b, c, alice, bob, carol, post);
        }

        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await C.DisposeAsync();
        }
    }
}
