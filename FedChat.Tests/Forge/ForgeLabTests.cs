using System.Diagnostics;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Forge;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Forge;

/// <summary>
/// "Who is guilherme?": Alice on server-a uses the forge lab against Guilherme's inbox on server-b.
/// Every forged mode is refused with its own reason and nothing is stored; only the honest post gets through.
/// </summary>
public class ForgeLabTests
{
    [Theory]
    [InlineData(ForgeMode.Unsigned, false, "not signed")]
    [InlineData(ForgeMode.Unsigned, true, "not signed")]
    [InlineData(ForgeMode.SignedAsMeClaimingSomeoneElse, false, "claims to be from")]
    [InlineData(ForgeMode.TamperedAfterSigning, true, "signature does not match")]
    [InlineData(ForgeMode.ReplayedOld, true, "old; we accept signatures up to")]
    [InlineData(ForgeMode.WrongDigest, true, "does not match its Digest header")]
    public async Task ForgedMode_IsRefusedByTheTarget_WithItsOwnReason_AndNothingIsStored(ForgeMode mode, bool honestPost, string reason)
    {
        await using var rig = await ForgeRig.StartAsync();
        // Where it makes sense, the post itself is honest: only the way it is sent is wrong.
        var json = honestPost ? await rig.Lab.HonestPostAsync(rig.AliceId, "hello") : rig.ForgedGuilhermePost();

        var result = await rig.Lab.SendAsync(new ForgeAttempt(rig.AliceId, rig.GuilhermeInbox, json, mode));

        Assert.True(result.StatusCode == 401, $"expected 401, got {result.StatusCode}: {result.Reason} {result.Error}");
        Assert.Contains(reason, result.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.False(result.Accepted);
        Assert.Equal(0, await ForgeRig.ReceivedCountAsync(rig.B));
    }

    [Fact]
    public async Task SignedAsMe_WithTheHonestPrefilledPost_IsAccepted_WithAVerifiedProof()
    {
        await using var rig = await ForgeRig.StartAsync();
        var json = await rig.Lab.HonestPostAsync(rig.AliceId, "Hello from the forge lab");

        var result = await rig.Lab.SendAsync(new ForgeAttempt(rig.AliceId, rig.GuilhermeInbox, json, ForgeMode.SignedAsMe));

        Assert.True(result.StatusCode == 202, $"expected 202, got {result.StatusCode}: {result.Reason} {result.Error}");
        Assert.True(result.Accepted);
        await using var db = await rig.B.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var record = await db.ReceivedActivities.SingleAsync();
        Assert.Equal((rig.AliceActorId, rig.AliceActorId, "Verified"), (record.ActorId, record.TransportSigner, record.ProofStatus));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ClaimingSomeoneElse_NeverSucceeds_EvenForARealActorOnMyOwnServer_WithTheirGenuineProof(bool targetIsMyOwnServer)
    {
        await using var rig = await ForgeRig.StartAsync();
        // Bob is real and lives on Alice's own server; the post even carries Bob's genuine proof.
        var bobsKeys = await rig.A.Get<KeyStore>().GetUserKeysAsync(rig.BobId);
        var bobsPost = NoteActivities.ToSignedCreateActivity("bob", 7, "I am bob", DateTimeOffset.UtcNow, bobsKeys, rig.A.Get<ActorUrls>());
        var target = targetIsMyOwnServer ? rig.A.Get<ActorUrls>().SharedInbox : rig.GuilhermeInbox;

        var result = await rig.Lab.SendAsync(new ForgeAttempt(rig.AliceId, target, ForgePosts.ToText(bobsPost), ForgeMode.SignedAsMeClaimingSomeoneElse));

        Assert.Equal(401, result.StatusCode);
        Assert.Contains($"signed by {rig.AliceActorId}", result.Reason);
        Assert.Contains("proof", result.Note);
        Assert.DoesNotContain("\"proof\"", result.Request!.Body);
        Assert.Equal(0, await ForgeRig.ReceivedCountAsync(targetIsMyOwnServer ? rig.A : rig.B));
    }

    [Fact]
    public async Task EveryRequest_IsSignedWithTheStudentsOwnKey_OrNotAtAll()
    {
        await using var rig = await ForgeRig.StartAsync();
        var json = rig.ForgedGuilhermePost();

        foreach (var mode in Enum.GetValues<ForgeMode>().Where(m => m != ForgeMode.SignedAsMe))
        {
            var result = await rig.Lab.SendAsync(new ForgeAttempt(rig.AliceId, rig.GuilhermeInbox, json, mode));
            var signature = result.Request!.Headers.Where(h => h.Key == "Signature").Select(h => h.Value).SingleOrDefault();

            if (mode == ForgeMode.Unsigned)
            {
                Assert.Null(signature);
            }
            else
            {
                Assert.StartsWith($"keyId=\"{rig.AliceActorId}#main-key\"", signature);
            }
        }
        Assert.Equal(0, await ForgeRig.ReceivedCountAsync(rig.B));
    }

    [Theory]
    [InlineData("not a url", "{}", ForgeMode.Unsigned, "absolute http")]
    [InlineData("ftp://127.0.0.1/inbox", "{}", ForgeMode.Unsigned, "absolute http")]
    [InlineData("INBOX", "{ \"type\": ", ForgeMode.Unsigned, "not valid JSON")]
    [InlineData("INBOX", "[1, 2]", ForgeMode.Unsigned, "must be a JSON object")]
    [InlineData("INBOX", "{ \"actor\": \"a\", \"actor\": \"b\" }", ForgeMode.Unsigned, "not valid JSON")]
    [InlineData("INBOX", "FORGED", ForgeMode.SignedAsMe, "must be you")]
    public async Task BadInput_IsNotSent_AndSaysWhy(string target, string json, ForgeMode mode, string error)
    {
        await using var rig = await ForgeRig.StartAsync();

        var result = await rig.Lab.SendAsync(new ForgeAttempt(rig.AliceId, target.Replace("INBOX", rig.GuilhermeInbox),
            json.Replace("FORGED", rig.ForgedGuilhermePost()), mode));

        Assert.Null(result.Request);
        Assert.Contains(error, result.Error);
        Assert.Equal(0, await ForgeRig.ReceivedCountAsync(rig.B));
    }

    [Fact]
    public async Task ClaimingSomeoneElse_WhenTheActorIsMe_IsNotSent()
    {
        await using var rig = await ForgeRig.StartAsync();

        var result = await rig.Lab.SendAsync(new ForgeAttempt(rig.AliceId, rig.GuilhermeInbox,
            await rig.Lab.HonestPostAsync(rig.AliceId, "me"), ForgeMode.SignedAsMeClaimingSomeoneElse));

        Assert.Null(result.Request);
        Assert.Contains("the actor is you", result.Error);
    }

    [Fact]
    public async Task TargetThatNeverAnswers_GivesUpAfterTheRequestTimeout()
    {
        await using var rig = await ForgeRig.StartAsync("--FedChat:Federation:RequestTimeout=00:00:01");
        using var silent = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0); // accepts, never answers
        silent.Start();
        var port = ((System.Net.IPEndPoint)silent.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();

        var result = await rig.Lab.SendAsync(new ForgeAttempt(rig.AliceId, $"http://127.0.0.1:{port}/inbox", rig.ForgedGuilhermePost(), ForgeMode.Unsigned));

        Assert.Null(result.StatusCode);
        Assert.Contains("did not answer within 1 s", result.Error);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task DeadTarget_SaysItCouldNotBeReached()
    {
        await using var rig = await ForgeRig.StartAsync();

        var result = await rig.Lab.SendAsync(new ForgeAttempt(rig.AliceId, $"http://127.0.0.1:{RunningServer.FreePort()}/inbox", rig.ForgedGuilhermePost(), ForgeMode.Unsigned));

        Assert.Null(result.StatusCode);
        Assert.Contains("Could not reach", result.Error);
    }

    [Fact]
    public async Task TamperedAfterSigning_SendsAChangedBody_WithAMatchingDigest()
    {
        await using var rig = await ForgeRig.StartAsync();
        var json = await rig.Lab.HonestPostAsync(rig.AliceId, "the original words");

        var result = await rig.Lab.SendAsync(new ForgeAttempt(rig.AliceId, rig.GuilhermeInbox, json, ForgeMode.TamperedAfterSigning));

        var sent = JsonNode.Parse(result.Request!.Body)!;
        Assert.Contains("(changed in transit)", (string?)sent["object"]!["content"]);
        var digest = result.Request.Headers.Single(h => h.Key == "Digest").Value;
        Assert.True(Core.Signing.Digests.VerifyDigestHeader(digest, System.Text.Encoding.UTF8.GetBytes(result.Request.Body)).IsValid);
        Assert.Contains("Digest", result.Note);
    }
}
