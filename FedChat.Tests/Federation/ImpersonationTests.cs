using System.Net;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Signing;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>
/// "Who is guilherme?": Mallory, a stranger with her own server and honest keys, tries to get posts
/// accepted as Bob's. A key or a proof counts only when the actor's own document vouches for it, an
/// actor can only name things on its own server, and an object must be written by the actor.
/// </summary>
public class ImpersonationTests
{
    [Fact]
    public async Task KeyDocumentThatNamesBobAsOwner_DoesNotMakeMallorysSignatureBobs()
    {
        await using var rig = await FederationRig.StartAsync();
        await using var mallory = await HostileActor.StartAsync();
        var keyId = mallory.ServeKeyClaimingOwner("/keys/1", rig.BobActorId);
        var forged = Create(rig.BobActorId, rig.BobActorId + "/posts/99", "I am bob, really");

        var response = await SignedSender.PostAsync(rig.AliceInbox, forged, mallory.Rsa, keyId);

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "does not list");
    }

    [Fact]
    public async Task SpoofedUpdateAsBob_WithALyingKeyDocument_LeavesBobsPostAsHeWroteIt()
    {
        await using var rig = await FederationRig.StartAsync();
        await using var mallory = await HostileActor.StartAsync();
        var bobsKeys = await rig.BobKeysAsync();
        var original = await rig.BobsSignedNoteAsync("bob's own words");
        Assert.Equal(HttpStatusCode.Accepted, (await SignedSender.PostAsync(rig.AliceInbox, original, bobsKeys.Rsa, rig.BobKeyId)).StatusCode);
        await rig.A.InboxHandledAsync();
        var note = (JsonObject)original["object"]!.DeepClone();
        note["content"] = "EDITED BY MALLORY";
        var update = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Context,
            ["id"] = note["id"] + "#updates/mallory",
            ["type"] = "Update",
            ["actor"] = rig.BobActorId,
            ["object"] = note,
        };

        var response = await SignedSender.PostAsync(rig.AliceInbox, update, mallory.Rsa, mallory.ServeKeyClaimingOwner("/keys/2", rig.BobActorId));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await using var db = await rig.A.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var post = await db.RemotePosts.SingleAsync();
        Assert.Equal(("bob's own words", null), (post.Content, post.EditedAt));
    }

    [Fact]
    public async Task ProofWhoseVerificationMethodClaimsBobAsController_IsNotBobsProof()
    {
        await using var rig = await FederationRig.StartAsync();
        await using var mallory = await HostileActor.StartAsync();
        var method = mallory.ServeProofKeyClaimingController("/proof-keys/1", rig.BobActorId);
        var forged = ObjectProofs.CreateProof(Create(rig.BobActorId, rig.BobActorId + "/posts/98", "proven bob, honest"), mallory.Ecdsa, method, DateTimeOffset.UtcNow);

        // Signed by Mallory as herself (an honest key): only a valid proof by Bob could let her carry it.
        var response = await SignedSender.PostAsync(rig.AliceInbox, forged, mallory.Rsa, mallory.KeyId);

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "proof");
    }

    [Fact]
    public async Task NoteIdsOnBobsServer_CannotBeTakenByMallory_AndBobsRealPostsArrive()
    {
        await using var rig = await FederationRig.StartAsync();
        await using var mallory = await HostileActor.StartAsync();
        var bobsFirstPost = (string)(await rig.BobsSignedNoteAsync("x", 1))["object"]!["id"]!;
        var squat = Create(mallory.ActorId, bobsFirstPost, "squatted", activityId: mallory.Url("/activities/1"));

        var response = await SignedSender.PostAsync(rig.AliceInbox, squat, mallory.Rsa, mallory.KeyId);
        var bobs = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("bob's real first post", 1), (await rig.BobKeysAsync()).Rsa, rig.BobKeyId);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("own server", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Accepted, bobs.StatusCode);
        await rig.A.InboxHandledAsync();
        await using var db = await rig.A.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var post = await db.RemotePosts.SingleAsync();
        Assert.Equal(("bob's real first post", rig.BobActorId), (post.Content, post.ActorId));
    }

    [Fact]
    public async Task ActivityIdOnAnotherServer_IsRefused_SoItCannotShadowTheRealOne()
    {
        await using var rig = await FederationRig.StartAsync();
        await using var mallory = await HostileActor.StartAsync();
        var bobsActivityId = (string)(await rig.BobsSignedNoteAsync("x", 1))["id"]!;

        var response = await SignedSender.PostAsync(rig.AliceInbox,
            Create(mallory.ActorId, mallory.Url("/notes/1"), "mine", activityId: bobsActivityId), mallory.Rsa, mallory.KeyId);

        await rig.AssertRefusedAsync(response, HttpStatusCode.BadRequest, "not on the server of its actor");
    }

    [Theory]
    [InlineData("array")]
    [InlineData("object")]
    [InlineData("array-of-objects")]
    public async Task AttributedToBob_InAnyShape_FromMallory_IsRefused(string shape)
    {
        await using var rig = await FederationRig.StartAsync();
        await using var mallory = await HostileActor.StartAsync();
        var note = Create(mallory.ActorId, mallory.Url("/notes/2"), "written by bob?", activityId: mallory.Url("/activities/2"));
        note["object"]!["attributedTo"] = shape switch
        {
            "array" => ActivityStreamsJson.Strings(rig.BobActorId),
            "object" => new JsonObject { ["id"] = rig.BobActorId, ["type"] = "Person" },
            _ => new JsonArray(new JsonObject { ["id"] = mallory.ActorId }, new JsonObject { ["id"] = rig.BobActorId }),
        };

        var response = await SignedSender.PostAsync(rig.AliceInbox, note, mallory.Rsa, mallory.KeyId);

        await rig.AssertRefusedAsync(response, HttpStatusCode.BadRequest, "written by " + rig.BobActorId);
    }

    [Fact]
    public async Task HonestPostFromAStranger_WithHerOwnProof_IsAcceptedAndVerified()
    {
        await using var rig = await FederationRig.StartAsync();
        await using var mallory = await HostileActor.StartAsync();
        var honest = ObjectProofs.CreateProof(Create(mallory.ActorId, mallory.Url("/notes/3"), "hello, I am mallory", activityId: mallory.Url("/activities/3")),
            mallory.Ecdsa, mallory.ProofKeyId, DateTimeOffset.UtcNow);

        var response = await SignedSender.PostAsync(rig.AliceInbox, honest, mallory.Rsa, mallory.KeyId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var db = await rig.A.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var record = await db.ReceivedActivities.SingleAsync();
        Assert.Equal((mallory.ActorId, mallory.ActorId, "Verified"), (record.ActorId, record.TransportSigner, record.ProofStatus));
    }

    [Fact]
    public async Task ManyForgedRequestsNamingACachedKey_FetchTheKeyAgainAtMostOnce()
    {
        await using var rig = await FederationRig.StartAsync();
        await using var dave = await HostileActor.StartAsync("dave"); // an honest stranger this time
        using var wrongKey = System.Security.Cryptography.RSA.Create(2048);
        var first = await SignedSender.PostAsync(rig.AliceInbox, Create(dave.ActorId, dave.Url("/notes/1"), "hi", activityId: dave.Url("/activities/1")), dave.Rsa, dave.KeyId);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var fetchesBefore = dave.FetchCount(dave.ActorPath);

        for (var i = 0; i < 20; i++)
        {
            var forged = Create(dave.ActorId, dave.Url($"/notes/f{i}"), "forged", activityId: dave.Url($"/activities/f{i}"));
            var response = await SignedSender.PostAsync(rig.AliceInbox, forged, wrongKey, dave.KeyId);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.True(dave.FetchCount(dave.ActorPath) - fetchesBefore <= 1, $"{dave.FetchCount(dave.ActorPath) - fetchesBefore} fetches for 20 forged requests");
    }

    /// <summary>A Create { Note } claiming <paramref name="actorId"/>, with no proof.</summary>
    internal static JsonObject Create(string actorId, string noteId, string text, string? activityId = null) => new()
    {
        ["@context"] = ActivityStreamsJson.Context,
        ["id"] = activityId ?? noteId + "/activity",
        ["type"] = "Create",
        ["actor"] = actorId,
        ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
        ["object"] = new JsonObject
        {
            ["id"] = noteId,
            ["type"] = "Note",
            ["attributedTo"] = actorId,
            ["content"] = text,
            ["published"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
            ["to"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Public),
        },
    };
}
