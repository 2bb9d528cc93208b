using System.Text.Json.Nodes;
using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Interop;

/// <summary>
/// FedChat against an independent ActivityPub server: the Fedify peer (fedify-peer/peer.mjs, user
/// <c>fred</c>, with an RSA key for HTTP signatures and an Ed25519 key for eddsa-jcs-2022 proofs), both
/// ways, with both HTTP signature specs as Fedify's first knock.
/// </summary>
[Trait("Speed", "Slow")]
public class FedifyInteropTests
{
    [FedifyFact]
    public async Task Lookup_BothWays_FedifySeesOurEd25519AssertionMethod_AndWeParseFred()
    {
        await using var peer = await FedifyPeer.StartAsync();
        await using var server = await RunningServer.StartAsync("server-a");
        await server.RegisterAsync("alice");
        var aliceId = server.Get<ActorUrls>().ActorId("alice");

        var seen = await peer.LookUpAsync($"alice@127.0.0.1:{server.Port}");
        var fred = await server.Get<RemoteActors>().ResolveHandleAsync(peer.FredHandle);

        Assert.True((bool)seen["found"]!, peer.Output);
        Assert.Equal(("Person", aliceId, "alice"), ((string?)seen["type"], (string?)seen["id"], (string?)seen["preferredUsername"]));
        var ed25519 = seen["assertionMethods"]!.AsArray().FirstOrDefault(m => (string?)m!["algorithm"] == "Ed25519");
        Assert.True(ed25519 is not null, $"Fedify parsed no Ed25519 assertionMethod: {seen.ToJsonString()}\n{peer.Output}");
        Assert.Equal((ActorUrls.EdKeyId(aliceId), aliceId), ((string?)ed25519["id"], (string?)ed25519["controller"]));
        Assert.Contains(seen["publicKeys"]!.AsArray(), k => (string?)k!["id"] == ActorUrls.RsaKeyId(aliceId));
        Assert.True(fred.Actor is not null, fred.Error);
        Assert.Equal(("Fred on Fedify", peer.FredId), (fred.Actor!.DisplayName, fred.Actor.ActorId));
    }

    [FedifyTheory]
    [InlineData("rfc9421")]
    [InlineData("draft-cavage-http-signatures-12")]
    public async Task FollowBothWays_AndEveryVerb_TravelsWithVerifiedEd25519Proofs(string firstKnock)
    {
        await using var peer = await FedifyPeer.StartAsync(firstKnock);
        await using var server = await RunningServer.StartAsync("server-a");
        var alice = await server.RegisterAsync("alice");
        var aliceId = server.Get<ActorUrls>().ActorId("alice");
        var aliceHandle = $"alice@127.0.0.1:{server.Port}";
        await WithDiagnosticsAsync(peer, server, async () =>
        {
            // Alice follows fred: Fedify accepts at once, and its Accept carries fred's Ed25519 proof.
            Assert.Null(await server.Get<FollowService>().FollowAsync(alice.Id, "alice", peer.FredId));
            await Eventually.WaitForAsync(() => server.Get<FollowService>().GetStateAsync(aliceId, peer.FredId), s => s == FollowState.Accepted, "fred's Accept");
            Assert.Contains(await peer.AcceptedAsync(), a => (string?)a["type"] == "Follow" && (string?)a["actor"] == aliceId);
            Assert.Equal("Verified", (await ReceivedAsync(server, "Accept", peer.FredId)).ProofStatus);

            // Fred follows alice: FedChat accepts, and Fedify checks our Accept's proof.
            await peer.SendAsync(new JsonObject { ["type"] = "Follow", ["to"] = aliceHandle });
            var accept = await WaitForAtPeerAsync(peer, "Accept", aliceId);
            await AssertFedifyVerifiedOurProofAsync(peer, accept);
            Assert.Contains(peer.FredId, await server.Get<FollowService>().GetFollowersAsync(aliceId));

            // Fedify → FedChat: a note, shown as "author's proof verified".
            var sent = await peer.SendAsync(new JsonObject { ["type"] = "Create", ["to"] = aliceHandle, ["content"] = "hello from Fedify" });
            var fredsNote = await Eventually.WaitForAsync(() => server.Get<TimelineService>().GetAsync(TimelineKind.Federated, null),
                t => t.Any(p => p.Content == "hello from Fedify"), "fred's note on server-a");
            var shown = fredsNote.Single(p => p.Content == "hello from Fedify");
            Assert.True(shown.Verification is { ProofVerified: true, ProofStatus: "Verified" }, $"{shown.Verification}");
            var fredsNoteId = (string)sent["noteId"]!;

            // FedChat → Fedify: a post, a reply, a like, a boost, an undo, an edit and a delete, each proved.
            var post = (await server.Get<PostService>().CreatePostAsync(alice.Id, "hello Fedify, from FedChat")).Post!;
            var create = await WaitForAtPeerAsync(peer, "Create", aliceId, a => (string?)a["content"] == "<p>hello Fedify, from FedChat</p>");
            await AssertFedifyVerifiedOurProofAsync(peer, create);
            var reply = (await server.Get<PostService>().CreatePostAsync(alice.Id, new PostDraft("a reply to fred", InReplyTo: fredsNoteId))).Post!;
            var replyAtPeer = await WaitForAtPeerAsync(peer, "Create", aliceId, a => (string?)a["inReplyTo"] == fredsNoteId);
            await AssertFedifyVerifiedOurProofAsync(peer, replyAtPeer);
            Assert.Null(await server.Get<ReactionService>().ReactAsync(alice.Id, fredsNoteId, ReactionKind.Like));
            await AssertFedifyVerifiedOurProofAsync(peer, await WaitForAtPeerAsync(peer, "Like", aliceId));
            Assert.Null(await server.Get<ReactionService>().ReactAsync(alice.Id, fredsNoteId, ReactionKind.Announce));
            await AssertFedifyVerifiedOurProofAsync(peer, await WaitForAtPeerAsync(peer, "Announce", aliceId));
            Assert.Null(await server.Get<ReactionService>().ReactAsync(alice.Id, fredsNoteId, ReactionKind.Like, undo: true));
            await AssertFedifyVerifiedOurProofAsync(peer, await WaitForAtPeerAsync(peer, "Undo", aliceId));
            Assert.True((await server.Get<PostService>().EditPostAsync(alice.Id, post.Id, "hello Fedify, edited")).Post is not null);
            await AssertFedifyVerifiedOurProofAsync(peer, await WaitForAtPeerAsync(peer, "Update", aliceId));
            Assert.True(await server.Get<PostService>().DeletePostAsync(alice.Id, reply.Id));
            await AssertFedifyVerifiedOurProofAsync(peer, await WaitForAtPeerAsync(peer, "Delete", aliceId));

            // Fedify → FedChat: a reply, a like, a boost, an undo, an edit and a delete of fred's note.
            var aliceNoteId = server.Get<ActorUrls>().NoteId("alice", post.Id);
            await peer.SendAsync(new JsonObject { ["type"] = "Create", ["to"] = aliceHandle, ["content"] = "fred replies", ["inReplyTo"] = aliceNoteId });
            await Eventually.WaitForAsync(() => server.Get<PostService>().GetRepliesAsync(aliceNoteId, null), r => r.Any(p => p.Content == "fred replies"), "fred's reply");
            var like = await peer.SendAsync(new JsonObject { ["type"] = "Like", ["to"] = aliceHandle, ["object"] = aliceNoteId });
            await peer.SendAsync(new JsonObject { ["type"] = "Announce", ["to"] = aliceHandle, ["object"] = aliceNoteId });
            await Eventually.WaitForAsync(() => server.Get<ReactionService>().CountAsync(aliceNoteId), c => c == (1, 1), "fred's like and boost");
            await peer.SendAsync(new JsonObject { ["type"] = "Undo", ["to"] = aliceHandle, ["undo"] = (string)like["id"]! });
            await Eventually.WaitForAsync(() => server.Get<ReactionService>().CountAsync(aliceNoteId), c => c == (0, 1), "fred's like undone");
            await peer.SendAsync(new JsonObject { ["type"] = "Update", ["to"] = aliceHandle, ["noteId"] = fredsNoteId, ["content"] = "hello from Fedify, edited" });
            await Eventually.WaitForAsync(() => server.Get<TimelineService>().GetAsync(TimelineKind.Federated, null),
                t => t.Any(p => p.Content == "hello from Fedify, edited"), "fred's edit");
            await peer.SendAsync(new JsonObject { ["type"] = "Delete", ["to"] = aliceHandle, ["noteId"] = fredsNoteId });
            await Eventually.WaitForAsync(() => server.Get<TimelineService>().GetAsync(TimelineKind.Federated, null),
                t => !t.Any(p => p.ObjectId == fredsNoteId), "fred's delete");

            // Every activity from fred arrived with its Ed25519 proof verified by FedChat.
            await using var db = await server.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
            var fromFred = await db.ReceivedActivities.Where(a => a.ActorId == peer.FredId).ToListAsync();
            Assert.Equal(9, fromFred.Count);
            Assert.All(fromFred, a => Assert.Equal(("Verified", ObjectProofsKeyOfFred(peer)), (a.ProofStatus, a.ProofMethod?.Split('#')[0])));
        });
    }

    [FedifyFact]
    public async Task RelayedPost_ThroughAnotherFedChatServer_IsAcceptedByFedify_OnAlicesProofAlone()
    {
        await using var peer = await FedifyPeer.StartAsync();
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var aliceId = a.Get<ActorUrls>().ActorId("alice");
        // server-a knows only server-b; server-b also knows the Fedify peer (as discovery would tell it).
        a.Get<PeerDirectory>().ReportSeen(new PeerSighting(b.BaseUrl, b.Name, PeerSources.Static));
        b.Get<PeerDirectory>().ReportSeen(new PeerSighting(peer.BaseUrl, "fedify", PeerSources.Static));
        var attempts = new System.Collections.Concurrent.ConcurrentQueue<DeliveryAttempted>();
        using var subscription = b.Get<EventFeed>().Subscribe(e =>
        {
            if (e is DeliveryAttempted attempt)
            {
                attempts.Enqueue(attempt);
            }
        });

        await a.Get<PostService>().CreatePostAsync(alice.Id, "relayed to Fedify");

        var create = await WaitForAtPeerAsync(peer, "Create", aliceId, x => (string?)x["content"] == "<p>relayed to Fedify</p>");
        await AssertFedifyVerifiedOurProofAsync(peer, create);
        await using var db = await b.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var relayed = await db.Deliveries.SingleAsync(d => d.InboxUrl.StartsWith(peer.BaseUrl.ToString()));
        Assert.Null(relayed.SignerUserId); // signed by server-b's instance actor, not by alice
        // server-b tells its map: a relayed copy went to the Fedify peer, and it was accepted.
        var toPeer = await Eventually.WaitForAsync(() => Task.FromResult(attempts.FirstOrDefault(x => x.Destination == PeerDirectory.KeyOf(peer.BaseUrl))),
            x => x is not null, "the relayed delivery event");
        Assert.True(toPeer!.Relayed && toPeer.Succeeded, $"{toPeer}");
    }

    [FedifyFact]
    public async Task ForgedRequests_AreRefusedByBoth()
    {
        await using var peer = await FedifyPeer.StartAsync();
        await using var server = await RunningServer.StartAsync("server-a");
        await server.RegisterAsync("alice");
        var aliceHandle = $"alice@127.0.0.1:{server.Port}";

        // Fedify → FedChat: a note changed after fred proved it, and fred claiming to be alice.
        var tampered = await peer.ForgeAsync("tampered", aliceHandle);
        var impersonation = await peer.ForgeAsync("impersonate", aliceHandle);

        Assert.Equal(401, (int)tampered["status"]!);
        Assert.Contains("integrity proof does not verify", (string?)tampered["body"], StringComparison.Ordinal);
        Assert.Equal(401, (int)impersonation["status"]!);
        Assert.Contains("Signer is not the actor", (string?)impersonation["body"], StringComparison.Ordinal);

        // FedChat's side → Fedify: a Create "by fred" signed by alice's server, and one with a broken signature.
        var aliceKeys = await server.Get<KeyStore>().GetUserKeysAsync(1);
        var aliceId = server.Get<ActorUrls>().ActorId("alice");
        var forged = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = aliceId + "/forged/1",
            ["type"] = "Create",
            ["actor"] = peer.FredId,
            ["object"] = new JsonObject { ["id"] = aliceId + "/forged/1/note", ["type"] = "Note", ["attributedTo"] = peer.FredId, ["content"] = "not fred" },
        };
        var asAlice = await SignedPostAsync(new Uri(peer.BaseUrl, "users/fred/inbox"), forged.ToJsonString(), aliceKeys, aliceId, tamper: false);
        var broken = await SignedPostAsync(new Uri(peer.BaseUrl, "users/fred/inbox"), forged.ToJsonString().Replace("not fred", "NOT FRED", StringComparison.Ordinal), aliceKeys, aliceId, tamper: true);

        Assert.Equal(401, asAlice);
        Assert.Equal(401, broken);
        Assert.DoesNotContain(await peer.AcceptedAsync(), x => (string?)x["id"] == aliceId + "/forged/1");
    }

    private static string ObjectProofsKeyOfFred(FedifyPeer peer) => peer.FredId;

    /// <summary>Runs a test's steps; when one fails, adds what both sides saw, so the message says where it broke.</summary>
    private static async Task WithDiagnosticsAsync(FedifyPeer peer, RunningServer server, Func<Task> steps)
    {
        try
        {
            await steps();
        }
        catch (Xunit.Sdk.XunitException e)
        {
            await using var db = await server.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
            var deliveries = await db.Deliveries.Select(d => $"{d.ActivityId} → {d.InboxUrl}: {d.Status} {d.LastError}").ToListAsync();
            var received = await db.ReceivedActivities.Select(a => $"{a.Type} {a.ActivityId} proof {a.ProofStatus} {a.ProofFailureReason}").ToListAsync();
            throw new Xunit.Sdk.XunitException($"{e.Message}\n-- FedChat deliveries:\n{string.Join('\n', deliveries)}\n-- FedChat received:\n{string.Join('\n', received)}\n-- Fedify peer: {(await peer.ReceivedAsync()).ToJsonString()}\n{peer.Output}");
        }
    }

    private static async Task<ReceivedActivity> ReceivedAsync(RunningServer server, string type, string actorId)
    {
        await using var db = await server.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        return await db.ReceivedActivities.SingleAsync(a => a.Type == type && a.ActorId == actorId);
    }

    private static Task<JsonObject> WaitForAtPeerAsync(FedifyPeer peer, string type, string actorId, Func<JsonObject, bool>? also = null) =>
        Eventually.WaitForAsync(
            async () => (await peer.AcceptedAsync()).FirstOrDefault(x => (string?)x["type"] == type && (string?)x["actor"] == actorId && (also?.Invoke(x) ?? true))!,
            found => found is not null, $"a {type} by {actorId} at the Fedify peer");

    private static async Task AssertFedifyVerifiedOurProofAsync(FedifyPeer peer, JsonObject accepted)
    {
        // The peer checks the proof with Fedify's verifyObject right after its inbox answered.
        var id = (string)accepted["id"]!;
        var verdict = await Eventually.WaitForAsync(async () => (bool?)(await peer.ReceivedAsync())["proofs"]![id], v => v is not null, $"Fedify's verdict on {id}");
        Assert.True(verdict, $"Fedify did not verify the proof of {id}\n{peer.Output}");
    }

    /// <summary>POSTs a body signed (draft-cavage) with alice's RSA key; with <paramref name="tamper"/>, the body is changed after signing.</summary>
    private static async Task<int> SignedPostAsync(Uri inbox, string body, ActorKeyPair keys, string actorId, bool tamper)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(body);
        var unsigned = new Core.Signing.SignableRequest("POST", inbox, [new("Content-Type", "application/activity+json")], bytes);
        var signed = Core.Signing.DraftCavageSignatures.SignRequest(unsigned, keys.Rsa, ActorUrls.RsaKeyId(actorId), TimeProvider.System);
        var sentBytes = tamper ? System.Text.Encoding.UTF8.GetBytes(body + " ") : bytes;
        using var message = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(sentBytes) };
        message.Content.Headers.ContentType = new("application/activity+json");
        signed.CopyHeadersTo(message);
        using var http = new HttpClient();
        using var response = await http.SendAsync(message);
        return (int)response.StatusCode;
    }
}
