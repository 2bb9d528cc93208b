using System.Text.Json.Nodes;
using FedChat.Core.Federation;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Identity;
using FedChat.Core.Portability;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Portability;

/// <summary>Alice moves from server A to server B; Carol on server C follows her. Real servers on loopback.</summary>
public class MoveTests
{
    private const string Passphrase = "correct horse battery";

    [Fact]
    public async Task Move_AcrossThreeServers_TheFollowerEndsUpFollowingTheNewAccountOnly()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        await using var c = await RunningServer.StartAsync("server-c");
        var alice = (await a.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        var newAlice = (await b.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        var carol = (await c.Get<AccountManager>().RegisterAsync("carol", "correct horse", null)).User!;
        var (oldId, newId, carolId) = (a.Get<ActorUrls>().ActorId("alice"), b.Get<ActorUrls>().ActorId("alice"), c.Get<ActorUrls>().ActorId("carol"));
        await Follows.FollowAndWaitAsync(c, carol.Id, "carol", a, "alice");
        var newHandle = $"@alice@127.0.0.1:{b.Port}";

        // Before the new account names the old one, the old server refuses to move.
        var refused = await a.Get<AccountMove>().MoveAsync(alice.Id, newHandle);
        Assert.Contains("does not list this account", refused);

        // The import sets alsoKnownAs on the new account; then the old one announces the Move.
        await b.Get<AccountImport>().ImportAsync(newAlice.Id, await a.Get<AccountExport>().ExportAsync(alice.Id, Passphrase), Passphrase);
        Assert.Null(await a.Get<AccountMove>().MoveAsync(alice.Id, newHandle));

        await Eventually.WaitForAsync(() => c.Get<FollowService>().GetStateAsync(carolId, newId), s => s == FollowState.Accepted, "Carol to follow the new Alice");
        await Eventually.WaitForAsync(() => c.Get<FollowService>().GetStateAsync(carolId, oldId), s => s is null, "Carol to stop following the old Alice");
        Assert.Contains(carolId, await b.Get<FollowService>().GetFollowersAsync(newId));
        await Eventually.WaitForAsync(() => a.Get<FollowService>().GetFollowersAsync(oldId), f => f.Count == 0, "the old account to lose Carol (Undo)");

        // The old profile points to the new one.
        var (_, oldActor) = await PortabilityRig.GetActivityJsonAsync(a, oldId);
        Assert.Equal(newId, (string?)oldActor!["movedTo"]);
    }

    [Fact]
    public async Task ForgedMove_ToAnAccountThatDoesNotNameTheOldOne_IsRefusedByTheReceiver()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        await using var c = await RunningServer.StartAsync("server-c");
        var alice = (await a.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        var bob = (await b.Get<AccountManager>().RegisterAsync("bob", "correct horse", null)).User!;
        await c.Get<AccountManager>().RegisterAsync("mallory", "correct horse", null);
        var (aliceId, bobId, malloryId) = (a.Get<ActorUrls>().ActorId("alice"), b.Get<ActorUrls>().ActorId("bob"), c.Get<ActorUrls>().ActorId("mallory"));
        await Follows.FollowAndWaitAsync(b, bob.Id, "bob", a, "alice");

        // A Move properly signed by Alice's server, but to Mallory, who never said she is Alice.
        var moveId = aliceId + "#moves/forged";
        var move = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = moveId,
            ["type"] = "Move",
            ["actor"] = aliceId,
            ["object"] = aliceId,
            ["target"] = malloryId,
        };
        await a.Get<DeliveryQueue>().EnqueueAsync(moveId, move.ToJsonString(), alice.Id, [new Uri(b.BaseUrl, "inbox")]);
        await Eventually.WaitForAsync(() => a.Get<DeliveryQueue>().GetStatusAsync(moveId), d => d.Count == 1 && d[0].Status == DeliveryStatus.Delivered, "the Move to reach B");

        // B took the Move in (it is stored), checked Mallory's alsoKnownAs, and changed nothing.
        await using var db = await PortabilityRig.OpenDbAsync(b);
        Assert.True(await db.ReceivedActivities.AnyAsync(r => r.ActivityId == moveId));
        Assert.Equal(FollowState.Accepted, await b.Get<FollowService>().GetStateAsync(bobId, aliceId));
        Assert.Null(await b.Get<FollowService>().GetStateAsync(bobId, malloryId));
        Assert.Empty(await c.Get<FollowService>().GetPendingRequestsAsync(malloryId));
    }
}
