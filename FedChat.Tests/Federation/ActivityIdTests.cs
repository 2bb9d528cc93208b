using System.Net;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>
/// Follow, Accept, Like and Announce ids are paths of their own, never fragments of the actor, and
/// dereferencing one gets a deliberate 410 Gone (FedChat does not serve them as documents).
/// </summary>
public class ActivityIdTests
{
    [Fact]
    public async Task FollowAcceptLikeAndBoostIds_ArePaths_ThatAnswer410()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        await Follows.FollowAndWaitAsync(a, alice.Id, "alice", b, "bob");
        var post = (await b.Get<PostService>().CreatePostAsync(bob.Id, "like me")).Post!;
        var noteId = b.Get<ActorUrls>().NoteId("bob", post.Id);
        await Eventually.WaitForAsync(() => a.Get<PostService>().FindByNoteIdAsync(noteId, null), p => p is not null, "Bob's post on A");
        Assert.Null(await a.Get<ReactionService>().ReactAsync(alice.Id, noteId, ReactionKind.Like));
        Assert.Null(await a.Get<ReactionService>().ReactAsync(alice.Id, noteId, ReactionKind.Announce));

        await using var dbA = await a.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var follow = (await dbA.Follows.SingleAsync()).FollowActivityId;
        var accept = (await dbA.ReceivedActivities.SingleAsync(r => r.Type == "Accept")).ActivityId;
        var reactions = await dbA.Reactions.Select(r => r.ActivityId).ToListAsync();
        string[] ids = [follow, accept, .. reactions, reactions[0] + "/undo"];

        using var http = new HttpClient();
        foreach (var id in ids)
        {
            Assert.DoesNotContain('#', id);
            using var response = await http.GetAsync(id);
            Assert.True(response.StatusCode == HttpStatusCode.Gone, $"{id} answered {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Equal(5, ids.Length);
    }
}
