using System.Net;
using FedChat.Core.Identity;
using FedChat.Core.Signing;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>
/// The inbox and the two proof suites: eddsa-jcs-2022 (what FedChat signs with now) and ecdsa-jcs-2019
/// (older FedChat posts) verify; a suite FedChat does not know is recorded as "Unsupported" and judged
/// as if there were no proof; a known suite that does not verify is refused.
/// </summary>
public class InboxProofSuiteTests
{
    [Fact]
    public async Task BobsNote_IsProvedWithEd25519_AndVerified()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var note = await rig.BobsSignedNoteAsync("hello with ed25519");

        var response = await SignedSender.PostAsync(rig.AliceInbox, note, keys.Rsa, rig.BobKeyId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(("eddsa-jcs-2022", ActorUrls.EdKeyId(rig.BobActorId)), ((string?)note["proof"]!["cryptosuite"], (string?)note["proof"]!["verificationMethod"]));
        var record = await SingleRecordAsync(rig);
        Assert.Equal(("Verified", ActorUrls.EdKeyId(rig.BobActorId)), (record.ProofStatus, record.ProofMethod));
    }

    [Fact]
    public async Task AnOlderEcdsaJcs2019Proof_StillVerifies()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var note = await rig.BobsSignedNoteAsync("an older post");
        var old = ObjectProofs.CreateProof(note, keys.Ecdsa, ActorUrls.EcKeyId(rig.BobActorId), DateTimeOffset.UtcNow);

        var response = await SignedSender.PostAsync(rig.AliceInbox, old, keys.Rsa, rig.BobKeyId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(("Verified", ActorUrls.EcKeyId(rig.BobActorId)), ((await SingleRecordAsync(rig)).ProofStatus, (await SingleRecordAsync(rig)).ProofMethod));
    }

    [Fact]
    public async Task AProofInAnUnknownCryptosuite_FromTheAuthor_IsAcceptedAndRecordedAsUnsupported()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var note = await rig.BobsSignedNoteAsync("a suite from the future");
        note["proof"]!["cryptosuite"] = "eddsa-rdfc-2022";

        var response = await SignedSender.PostAsync(rig.AliceInbox, note, keys.Rsa, rig.BobKeyId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var record = await SingleRecordAsync(rig);
        Assert.Equal("Unsupported", record.ProofStatus);
        Assert.Contains("eddsa-rdfc-2022", record.ProofFailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AProofInAnUnknownCryptosuite_RelayedByAnotherSigner_IsRefusedLikeNoProof()
    {
        await using var rig = await FederationRig.StartAsync();
        var relay = await rig.B.Get<KeyStore>().GetInstanceKeysAsync();
        var note = await rig.BobsSignedNoteAsync("relayed, with a suite we cannot check");
        note["proof"]!["cryptosuite"] = "bbs-2023";

        var response = await SignedSender.PostAsync(rig.AliceInbox, note, relay.Rsa, ActorUrls.RsaKeyId(rig.B.Get<ActorUrls>().InstanceActorId));

        await AssertRefusedAsync(rig, response, "claims to be from");
    }

    [Fact]
    public async Task AnEd25519ProofThatDoesNotVerify_FromTheAuthor_IsRefused()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var note = await rig.BobsSignedNoteAsync("the original words");
        note["object"]!["content"] = "<p>changed after signing</p>";

        var response = await SignedSender.PostAsync(rig.AliceInbox, note, keys.Rsa, rig.BobKeyId);

        await AssertRefusedAsync(rig, response, "the document was changed after it was signed");
    }

    [Fact]
    public async Task AProofCreatedFarInTheFuture_IsRefused()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var note = await rig.BobsSignedNoteAsync("from tomorrow");
        var future = ObjectProofs.CreateProof(note, keys.Ed25519, ActorUrls.EdKeyId(rig.BobActorId), DateTimeOffset.UtcNow.AddDays(2));

        var response = await SignedSender.PostAsync(rig.AliceInbox, future, keys.Rsa, rig.BobKeyId);

        await AssertRefusedAsync(rig, response, "in the future");
    }

    [Fact]
    public async Task AProofByAnotherActorsKey_IsRefused()
    {
        // Bob signs the request, but the proof is Carol's: Bob's own document does not list that key.
        await using var rig = await FederationRig.StartAsync();
        var bob = await rig.BobKeysAsync();
        var carol = await rig.B.Get<KeyStore>().GetUserKeysAsync(rig.CarolId);
        var note = await rig.BobsSignedNoteAsync("proved by someone else");
        var carolsProof = ObjectProofs.CreateProof(note, carol.Ed25519, ActorUrls.EdKeyId(rig.B.Get<ActorUrls>().ActorId("carol")), DateTimeOffset.UtcNow);

        var response = await SignedSender.PostAsync(rig.AliceInbox, carolsProof, bob.Rsa, rig.BobKeyId);

        await AssertRefusedAsync(rig, response, "proof");
    }

    [Fact]
    public async Task AProofValueThatIsNotBase58btc_IsRefused()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var note = await rig.BobsSignedNoteAsync("bad proof value");
        note["proof"]!["proofValue"] = "uAAAA";

        var response = await SignedSender.PostAsync(rig.AliceInbox, note, keys.Rsa, rig.BobKeyId);

        await AssertRefusedAsync(rig, response, "base58btc");
    }

    private static async Task<Core.Storage.Entities.ReceivedActivity> SingleRecordAsync(FederationRig rig)
    {
        await using var db = await rig.A.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        return await db.ReceivedActivities.SingleAsync();
    }

    private static async Task AssertRefusedAsync(FederationRig rig, HttpResponseMessage response, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"expected 401, got {response.StatusCode}: {body}");
        Assert.Contains(reason, body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await rig.ReceivedCountAsync());
    }
}
