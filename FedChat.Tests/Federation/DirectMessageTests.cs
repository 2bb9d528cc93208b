using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using FedChat.Core.Discovery;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>
/// Direct messages across three real servers: Alice and Dave on A, Bob and Erin on B, Carol on C.
/// Bob and Carol follow Alice, and every server knows the others (so a public post is relayed).
/// Alice writes to Bob only; everyone else, on every server, must find nothing.
/// </summary>
public class DirectMessageTests
{
    private const string Secret = "the surprise party is on friday";

    [Fact]
    public async Task DirectMessage_ReachesOnlyBob_AndNobodyElseFindsIt_Anywhere()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        await using var c = await RunningServer.StartAsync("server-c");
        var alice = await a.RegisterAsync("alice");
        await a.RegisterAsync("dave");
        var bob = await b.RegisterAsync("bob");
        await b.RegisterAsync("erin");
        var carol = await c.RegisterAsync("carol");
        foreach (var server in new[] { a, b, c })
        {
            foreach (var peer in new[] { a, b, c }.Where(p => p != server))
            {
                server.Get<PeerDirectory>().ReportSeen(new PeerSighting(peer.BaseUrl, peer.Name, PeerSources.Static));
            }
        }
        var aliceId = a.Get<ActorUrls>().ActorId("alice");
        await b.Get<FollowService>().FollowAsync(bob.Id, "bob", aliceId);
        await c.Get<FollowService>().FollowAsync(carol.Id, "carol", aliceId);
        await Eventually.WaitForAsync(() => a.Get<FollowService>().GetFollowersAsync(aliceId), f => f.Count == 2, "both follows");

        var dm = await a.Get<PostService>().CreatePostAsync(alice.Id, new PostDraft($"@bob@127.0.0.1:{b.Port} {Secret}", PostVisibility.Direct));
        Assert.True(dm.Succeeded, dm.Error);
        // A public post after it: once it has arrived everywhere, the DM would have too.
        await a.Get<PostService>().CreatePostAsync(alice.Id, "public hello");
        foreach (var (server, viewer) in new[] { (b, "erin"), (c, "carol") })
        {
            await Eventually.WaitForAsync(() => server.Get<TimelineService>().GetAsync(TimelineKind.Federated, viewer), t => t.Any(p => p.Content == "public hello"), $"the public post on {server.Name}");
        }

        // Bob has it, and so does Alice.
        var bobsHome = await Eventually.WaitForAsync(() => b.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob"), t => t.Any(p => p.Content.Contains(Secret)), "the DM in Bob's home");
        Assert.True(bobsHome.Single(p => p.Content.Contains(Secret)).IsDirect);
        Assert.Contains(await a.Get<TimelineService>().GetAsync(TimelineKind.Home, "alice"), p => p.Content.Contains(Secret));

        // Nobody else, in any timeline, on any server.
        foreach (var (server, viewer) in new[] { (a, "dave"), (b, "erin"), (c, "carol"), (a, (string?)null), (b, "bob") })
        {
            foreach (var kind in new[] { TimelineKind.Home, TimelineKind.Local, TimelineKind.Federated })
            {
                if (viewer == "bob" && kind == TimelineKind.Home)
                {
                    continue;
                }
                var timeline = await server.Get<TimelineService>().GetAsync(kind, viewer);
                Assert.DoesNotContain(timeline, p => p.Content.Contains(Secret));
            }
        }
        Assert.DoesNotContain(await a.Get<PostService>().GetPostsByAsync("alice"), p => p.Content.Contains(Secret));
        Assert.Null(await a.Get<PostService>().FindByNoteIdAsync(dm.Post!.ObjectId!, a.Get<ActorUrls>().ActorId("dave")));
        Assert.Null(await b.Get<PostService>().FindByNoteIdAsync(dm.Post.ObjectId!, b.Get<ActorUrls>().ActorId("erin")));
        Assert.NotNull(await b.Get<PostService>().FindByNoteIdAsync(dm.Post.ObjectId!, b.Get<ActorUrls>().ActorId("bob")));

        // Not over HTTP either: API, Note URL, outbox, profile page.
        using var client = a.CreateClient();
        Assert.DoesNotContain(Secret, await client.GetStringAsync("/api/timeline"));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/posts/{dm.Post.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetActivityJsonAsync(client, $"/users/alice/posts/{dm.Post.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GetActivityJsonAsync(client, $"/users/alice/posts/{dm.Post.Id}/activity")).StatusCode);
        var outbox = await (await GetActivityJsonAsync(client, "/users/alice/outbox?page=true")).Content.ReadAsStringAsync();
        Assert.Contains("public hello", outbox);
        Assert.DoesNotContain(Secret, outbox);
        Assert.Equal(1, JsonNode.Parse(await (await GetActivityJsonAsync(client, "/users/alice/outbox")).Content.ReadAsStringAsync())!["totalItems"]!.GetValue<int>());
        Assert.DoesNotContain(Secret, await client.GetStringAsync("/users/alice"));

        // Carol's server was never sent it: not by Alice's server, not relayed by Bob's.
        await using var cdb = await c.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        Assert.DoesNotContain(await cdb.ReceivedActivities.Select(r => r.Json).ToListAsync(), json => json.Contains(Secret));
        Assert.Empty(await cdb.RemotePosts.Where(p => p.Content.Contains(Secret)).ToListAsync());
        await using var bdb = await b.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        Assert.Empty(await bdb.Deliveries.Where(d => d.ActivityId == dm.Post.ObjectId + "/activity").ToListAsync());
        await using var adb = await a.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var sent = await adb.Deliveries.Where(d => d.ActivityId == dm.Post.ObjectId + "/activity").Select(d => d.InboxUrl).ToListAsync();
        Assert.Equal([new Uri(b.BaseUrl, "users/bob/inbox").ToString()], sent);
    }

    [Fact]
    public async Task DirectMessage_ToALocalUser_IsSeenByThemOnly()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        var alice = await a.RegisterAsync("alice");
        await a.RegisterAsync("bob");
        await a.RegisterAsync("dave");

        var dm = await a.Get<PostService>().CreatePostAsync(alice.Id, new PostDraft($"@bob {Secret}", PostVisibility.Direct));

        Assert.True(dm.Succeeded, dm.Error);
        Assert.Contains(await a.Get<TimelineService>().GetAsync(TimelineKind.Home, "bob"), p => p.Content.Contains(Secret));
        Assert.DoesNotContain(await a.Get<TimelineService>().GetAsync(TimelineKind.Home, "dave"), p => p.Content.Contains(Secret));
        Assert.DoesNotContain(await a.Get<TimelineService>().GetAsync(TimelineKind.Local, "dave"), p => p.Content.Contains(Secret));
        Assert.False(TimelineService.Belongs(TimelineKind.Home, dm.Post!, new HashSet<string> { dm.Post!.AuthorActorId! }, a.Get<ActorUrls>().ActorId("dave")));
        Assert.True(TimelineService.Belongs(TimelineKind.Home, dm.Post, new HashSet<string>(), a.Get<ActorUrls>().ActorId("bob")));
    }

    [Fact]
    public async Task DirectMessage_WithoutAMention_IsRefused()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        var alice = await a.RegisterAsync("alice");

        var result = await a.Get<PostService>().CreatePostAsync(alice.Id, new PostDraft("to whom?", PostVisibility.Direct));

        Assert.Contains("needs at least one mention", result.Error);
        Assert.Empty(await a.Get<PostService>().GetDirectMessagesAsync("alice"));
    }

    [Fact]
    public async Task PublicPost_WithAMention_CarriesAMentionTag_AndReachesTheMentionedServer()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        await b.RegisterAsync("bob");

        var post = (await a.Get<PostService>().CreatePostAsync(alice.Id, $"hi @bob@127.0.0.1:{b.Port}!")).Post!;

        using var client = a.CreateClient();
        var note = JsonNode.Parse(await (await GetActivityJsonAsync(client, $"/users/alice/posts/{post.Id}")).Content.ReadAsStringAsync())!;
        var tag = note["tag"]![0]!;
        Assert.Equal(("Mention", b.Get<ActorUrls>().ActorId("bob"), $"@bob@127.0.0.1:{b.Port}"), ((string?)tag["type"], (string?)tag["href"], (string?)tag["name"]));
        Assert.Contains(b.Get<ActorUrls>().ActorId("bob"), note["cc"]!.AsArray().Select(v => (string?)v));
        // Nobody on B follows Alice and B is not a known peer: the mention alone brings it there.
        await Eventually.WaitForAsync(() => b.Get<TimelineService>().GetAsync(TimelineKind.Federated, null), t => t.Any(p => p.Content.StartsWith("hi @bob")), "the post on B");
    }

    internal static Task<HttpResponseMessage> GetActivityJsonAsync(HttpClient client, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/activity+json"));
        return client.SendAsync(request);
    }
}
