using System.Net;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>
/// Two real servers: <c>server-a</c> with Alice (the receiver) and <c>server-b</c> with Bob and Carol
/// (the senders), each on its own loopback port and SQLite file.
/// </summary>
internal sealed class FederationRig : IAsyncDisposable
{
    private FederationRig(RunningServer a, RunningServer b, int bobId, int carolId)
    {
        A = a;
        B = b;
        BobId = bobId;
        CarolId = carolId;
    }

    public RunningServer A { get; }

    public RunningServer B { get; }

    public int BobId { get; }

    public int CarolId { get; }

    public string BobActorId => B.Get<ActorUrls>().ActorId("bob");

    public string BobKeyId => ActorUrls.RsaKeyId(BobActorId);

    public Uri AliceInbox => new(A.BaseUrl, "users/alice/inbox");

    public static async Task<FederationRig> StartAsync(params string[] receiverArgs)
    {
        var a = await RunningServer.StartAsync("server-a", receiverArgs);
        var b = await RunningServer.StartAsync("server-b");
        await a.RegisterAsync("alice");
        var bob = await b.RegisterAsync("bob");
        var carol = await b.RegisterAsync("carol");
        return new FederationRig(a, b, bob.Id, carol.Id);
    }

    /// <summary>Bob's keys on server-b.</summary>
    public Task<ActorKeyPair> BobKeysAsync() => B.Get<KeyStore>().GetUserKeysAsync(BobId);

    /// <summary>A Create { Note } by Bob, with Bob's proof, as server-b would publish it.</summary>
    public async Task<JsonObject> BobsSignedNoteAsync(string text, long postId = 1) =>
        NoteActivities.ToSignedCreateActivity("bob", postId, text, DateTimeOffset.UtcNow, await BobKeysAsync(), B.Get<ActorUrls>());

    /// <summary>How many activities server-a has stored from other servers.</summary>
    public async Task<int> ReceivedCountAsync()
    {
        await using var db = await A.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        return await db.ReceivedActivities.CountAsync();
    }

    /// <summary>
    /// Asserts what a refused inbox request must look like: the expected status, a problem+json body that
    /// names the reason, and nothing stored on server-a (no received activity, no post).
    /// </summary>
    public async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string? reason = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (reason is not null)
        {
            Assert.Contains(reason, body, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(0, await ReceivedCountAsync());
        await using var db = await A.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await db.RemotePosts.CountAsync());
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
