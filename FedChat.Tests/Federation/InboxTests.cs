using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FedChat.Core.Identity;
using FedChat.Core.Signing;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>
/// The inbox's checks, one attack at a time: each forged or damaged request is refused with its own
/// reason, and nothing is stored. Bob (server-b) delivers to Alice (server-a), both real servers.
/// </summary>
public class InboxTests
{
    [Fact]
    public async Task ValidRequestFromTheAuthor_IsAccepted_WithItsVerificationRecord()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("hi alice"), keys.Rsa, rig.BobKeyId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var db = await rig.A.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var record = await db.ReceivedActivities.SingleAsync();
        Assert.Equal(("Create", rig.BobActorId, rig.BobActorId), (record.Type, record.ActorId, record.TransportSigner));
        Assert.Equal(("draft-cavage-http-signatures-12", "Verified", rig.BobKeyId), (record.SignatureScheme, record.ProofStatus, record.TransportKeyId));
    }

    [Fact]
    public async Task ValidRfc9421Request_IsAccepted()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var body = Encoding.UTF8.GetBytes((await rig.BobsSignedNoteAsync("rfc 9421")).ToJsonString());
        var unsigned = new SignableRequest("POST", rig.AliceInbox, [new("Content-Type", "application/activity+json")], body);

        var response = await SignedSender.SendAsync(MessageSignatures.SignRequest(unsigned, keys.Rsa, rig.BobKeyId, TimeProvider.System));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, await rig.ReceivedCountAsync());
    }

    [Fact]
    public async Task BodyChangedAfterSigning_IsRefused_DigestMismatch()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var forged = Encoding.UTF8.GetBytes((await rig.BobsSignedNoteAsync("something else")).ToJsonString());

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("original"), keys.Rsa, rig.BobKeyId,
            tamper: r => new SignableRequest(r.Method, r.Url, r.Headers, forged));

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "digest");
    }

    [Fact]
    public async Task HeaderChangedAfterSigning_IsRefused_SignatureMismatch()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("hi"), keys.Rsa, rig.BobKeyId,
            tamper: r => r.WithHeader("Date", DateTimeOffset.UtcNow.AddSeconds(-30).ToString("r")));

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "signature");
    }

    [Fact]
    public async Task SignedWithAWrongKey_IsRefused()
    {
        await using var rig = await FederationRig.StartAsync();
        using var mallorysKey = RSA.Create(2048);

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("I am bob"), mallorysKey, rig.BobKeyId);

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "signature");
    }

    [Fact]
    public async Task SignedByAnotherActor_WithoutTheAuthorsProof_IsRefused()
    {
        await using var rig = await FederationRig.StartAsync();
        var carol = await rig.B.Get<KeyStore>().GetUserKeysAsync(rig.CarolId);
        var unproven = await rig.BobsSignedNoteAsync("I am bob, honest");
        unproven.Remove("proof");

        var response = await SignedSender.PostAsync(rig.AliceInbox, unproven, carol.Rsa, ActorUrls.RsaKeyId(rig.B.Get<ActorUrls>().ActorId("carol")));

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "claims to be from");
    }

    [Fact]
    public async Task RelayedByAServer_WithTheAuthorsValidProof_IsAccepted()
    {
        await using var rig = await FederationRig.StartAsync();
        var relay = await rig.B.Get<KeyStore>().GetInstanceKeysAsync();
        var relayKeyId = ActorUrls.RsaKeyId(rig.B.Get<ActorUrls>().InstanceActorId);

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("relayed"), relay.Rsa, relayKeyId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var db = await rig.A.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var record = await db.ReceivedActivities.SingleAsync();
        Assert.Equal((rig.B.Get<ActorUrls>().InstanceActorId, "Verified"), (record.TransportSigner, record.ProofStatus));
    }

    [Fact]
    public async Task RelayedWithATamperedProof_IsRefused()
    {
        await using var rig = await FederationRig.StartAsync();
        var relay = await rig.B.Get<KeyStore>().GetInstanceKeysAsync();
        var activity = await rig.BobsSignedNoteAsync("the original words");
        activity["object"]!["content"] = "<p>words bob never wrote</p>";

        var response = await SignedSender.PostAsync(rig.AliceInbox, activity, relay.Rsa, ActorUrls.RsaKeyId(rig.B.Get<ActorUrls>().InstanceActorId));

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "proof");
    }

    [Fact]
    public async Task DateTwoHoursOld_IsRefused_OutsideTheWindow()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var twoHoursAgo = new ManualTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("old"), keys.Rsa, rig.BobKeyId, twoHoursAgo);

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "old; we accept signatures up to");
    }

    [Fact]
    public async Task PostWithoutADigest_IsRefused()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var body = Encoding.UTF8.GetBytes((await rig.BobsSignedNoteAsync("no digest")).ToJsonString());
        var request = new SignableRequest("POST", rig.AliceInbox, [new("Host", rig.AliceInbox.Authority), new("Date", DateTimeOffset.UtcNow.ToString("r"))], body);
        // Sign only (request-target) host date: a signature that does not cover the body at all.
        Assert.True(DraftCavageSignatures.TryBuildSigningString(request, ["(request-target)", "host", "date"], null, null, out var signingString, out _));
        var signature = Convert.ToBase64String(keys.Rsa.SignData(Encoding.UTF8.GetBytes(signingString!), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        request = request.WithHeader("Signature", $"keyId=\"{rig.BobKeyId}\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date\",signature=\"{signature}\"");

        var response = await SignedSender.SendAsync(request);

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "digest");
    }

    [Fact]
    public async Task TheSameSignedRequestSentTwice_IsRefusedAsAReplay()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        SignableRequest? captured = null;
        var first = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("once"), keys.Rsa, rig.BobKeyId, tamper: r => captured = r);

        var replay = await SignedSender.SendAsync(captured!);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Contains("replay", await replay.Content.ReadAsStringAsync());
        Assert.Equal(1, await rig.ReceivedCountAsync());
    }

    [Fact]
    public async Task TheSameActivityDeliveredTwice_IsStoredOnce()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var activity = await rig.BobsSignedNoteAsync("twice");

        var first = await SignedSender.PostAsync(rig.AliceInbox, activity, keys.Rsa, rig.BobKeyId);
        var second = await SignedSender.PostAsync(rig.AliceInbox, activity, keys.Rsa, rig.BobKeyId, new ManualTimeProvider(DateTimeOffset.UtcNow.AddSeconds(1)));

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, second.StatusCode));
        Assert.Equal(1, await rig.ReceivedCountAsync());
    }

    [Theory]
    [InlineData("keyId=\"x\"", "malformed")]
    [InlineData("this is not a signature header", "malformed")]
    [InlineData("keyId=\"KEY\",algorithm=\"rot13\",headers=\"(request-target) host date digest\",signature=\"AAAA\"", "algorithm")]
    public async Task MalformedOrUnknownSignatures_AreRefusedWithAReason(string signatureHeader, string reason)
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("x"), keys.Rsa, rig.BobKeyId,
            tamper: r => r.WithHeader("Signature", signatureHeader.Replace("KEY", rig.BobKeyId)));

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, reason);
    }

    [Fact]
    public async Task UnsignedRequest_IsRefused()
    {
        await using var rig = await FederationRig.StartAsync();
        using var client = new HttpClient();

        var response = await client.PostAsync(rig.AliceInbox, new StringContent((await rig.BobsSignedNoteAsync("x")).ToJsonString(), Encoding.UTF8, "application/activity+json"));

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "signature");
    }

    [Fact]
    public async Task MalformedJson_IsA400()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var garbage = Encoding.UTF8.GetBytes("{\"type\": \"Create\", ");
        var unsigned = new SignableRequest("POST", rig.AliceInbox, [new("Content-Type", "application/activity+json")], garbage);

        var response = await SignedSender.SendAsync(DraftCavageSignatures.SignRequest(unsigned, keys.Rsa, rig.BobKeyId, TimeProvider.System));

        await rig.AssertRefusedAsync(response, HttpStatusCode.BadRequest, "JSON");
    }

    [Fact]
    public async Task BodyOverOneMegabyte_IsA413()
    {
        await using var rig = await FederationRig.StartAsync();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, rig.AliceInbox)
        {
            Content = new ByteArrayContent(new byte[(1024 * 1024) + 1]),
        };
        request.Headers.ExpectContinue = true;

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await rig.ReceivedCountAsync());
    }

    [Fact]
    public async Task KeyIdOnADeadServer_IsRefusedQuickly_WithTheReason()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var deadPort = RunningServer.FreePort(); // free, so nothing listens there

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("x"), keys.Rsa, $"http://127.0.0.1:{deadPort}/users/bob#main-key");

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "Could not");
    }

    [Fact]
    public async Task KeyIdOnAServerThatNeverAnswers_IsRefusedAfterTheTimeout()
    {
        await using var rig = await FederationRig.StartAsync("--FedChat:Federation:RequestTimeout=00:00:01");
        var keys = await rig.BobKeysAsync();
        using var silent = new TcpListener(IPAddress.Loopback, 0); // accepts connections, never answers
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var clock = Stopwatch.StartNew();

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("x"), keys.Rsa, $"http://127.0.0.1:{port}/users/bob#main-key");

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "did not answer within 1 s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task KeyIdOnAServerThatSendsAnEndlessDocument_IsCutOffAtTheSizeLimit_AndTheServerKeepsServing()
    {
        await using var rig = await FederationRig.StartAsync("--FedChat:Federation:RequestTimeout=00:00:20");
        var keys = await rig.BobKeysAsync();
        // A "server" whose actor document is a collection that never ends (no Content-Length, streamed forever).
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var endless = builder.Build();
        var sent = 0L;
        endless.MapGet("/users/bob", async (HttpContext context) =>
        {
            context.Response.ContentType = "application/activity+json";
            await context.Response.WriteAsync("{\"type\":\"OrderedCollection\",\"orderedItems\":[", context.RequestAborted);
            var item = System.Text.Encoding.UTF8.GetBytes(new string('x', 8190) + "\",\"");
            // Bounded here too: stop after 64 MB even if the reader never hangs up. (Kestrel accepts writes
            // to a closed connection silently, so this count says nothing about what the reader read.)
            while (!context.RequestAborted.IsCancellationRequested && Interlocked.Read(ref sent) < 64 * 1024 * 1024)
            {
                await context.Response.Body.WriteAsync(item, context.RequestAborted);
                Interlocked.Add(ref sent, item.Length);
            }
        });
        await endless.StartAsync();
        var clock = Stopwatch.StartNew();

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("x"), keys.Rsa, endless.Urls.First() + "/users/bob#main-key");

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "larger than the limit of 1048576 bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
        using var client = rig.A.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task KeyThatFailsToParse_IsRefusedWithTheReason()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        // A "server" whose actor publishes a key that is not a key at all.
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var broken = builder.Build();
        broken.MapGet("/users/bob", (HttpRequest request) =>
            Results.Text(new JsonObject
            {
                ["id"] = $"http://{request.Host}/users/bob",
                ["type"] = "Person",
                ["publicKey"] = new JsonObject { ["id"] = $"http://{request.Host}/users/bob#main-key", ["owner"] = $"http://{request.Host}/users/bob", ["publicKeyPem"] = "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----" },
            }.ToJsonString(), "application/activity+json"));
        await broken.StartAsync();

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("x"), keys.Rsa, broken.Urls.First() + "/users/bob#main-key");

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "Could not get the key");
    }

    [Fact]
    public async Task RotatedKey_IsFetchedAgain_AndTheNewSignatureIsAccepted()
    {
        // A key is fetched again at most once per KeyRefetchInterval (30 s); this test cannot wait that long.
        await using var rig = await FederationRig.StartAsync("--FedChat:Federation:KeyRefetchInterval=00:00:00");
        var oldKeys = await rig.BobKeysAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("old key", 1), oldKeys.Rsa, rig.BobKeyId)).StatusCode);

        // Bob's server forgets his keys and makes new ones (same key id): server-a still has the old one cached.
        await using (var db = await rig.B.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync())
        {
            await db.ActorKeys.Where(k => k.Owner == $"user:{rig.BobId}").ExecuteDeleteAsync();
        }
        await rig.B.RestartAsync();
        var newKeys = await rig.BobKeysAsync();
        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("new key", 2), newKeys.Rsa, rig.BobKeyId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, await rig.ReceivedCountAsync());
    }

    [Fact]
    public async Task ObjectAttributedToSomeoneElse_IsRefused()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var activity = await rig.BobsSignedNoteAsync("x");
        activity.Remove("proof");
        activity["object"]!["attributedTo"] = "http://127.0.0.1:1/users/guilherme";

        var response = await SignedSender.PostAsync(rig.AliceInbox, activity, keys.Rsa, rig.BobKeyId);

        await rig.AssertRefusedAsync(response, HttpStatusCode.BadRequest, "written by");
    }
}
