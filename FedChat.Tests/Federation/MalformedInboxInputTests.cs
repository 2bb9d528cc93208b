using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FedChat.Core.Signing;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>
/// Input a careless or hostile sender can make: numbers and dates out of range, JSON that two readers
/// read differently, bodies too large. Each gets a 4xx with a reason, never a 500; what is stored stays
/// bounded.
/// </summary>
public partial class MalformedInboxInputTests
{
    [Fact]
    public async Task CavageSignatureWithAHugeCreatedTime_IsA401_NotA500()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();

        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("x"), keys.Rsa, rig.BobKeyId,
            tamper: r => r.WithHeader("Signature", r.GetHeader("Signature") + ",created=99999999999999"));

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "future");
    }

    [Fact]
    public async Task CavageSignatureWithAHugeExpiresTime_IsNotA500()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();

        // expires is not among the signed headers here, so it changes nothing: the request stays valid.
        var response = await SignedSender.PostAsync(rig.AliceInbox, await rig.BobsSignedNoteAsync("x"), keys.Rsa, rig.BobKeyId,
            tamper: r => r.WithHeader("Signature", r.GetHeader("Signature") + ",expires=99999999999999999999999999"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task Rfc9421SignatureWithAHugeCreatedTime_IsA401_NotA500()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var body = Encoding.UTF8.GetBytes((await rig.BobsSignedNoteAsync("x")).ToJsonString());
        var signed = MessageSignatures.SignRequest(new SignableRequest("POST", rig.AliceInbox, [], body), keys.Rsa, rig.BobKeyId, TimeProvider.System);

        var response = await SignedSender.SendAsync(signed.WithHeader("Signature-Input", CreatedPattern().Replace(signed.GetHeader("Signature-Input")!, "created=99999999999999")));

        await rig.AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "future");
    }

    [Fact]
    public async Task ActivityWithADuplicateKey_IsA400()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var json = (await rig.BobsSignedNoteAsync("x")).ToJsonString();
        var duplicated = Encoding.UTF8.GetBytes("{\"id\":\"http://elsewhere/a\"," + json[1..]);
        var unsigned = new SignableRequest("POST", rig.AliceInbox, [new("Content-Type", "application/activity+json")], duplicated);

        var response = await SignedSender.SendAsync(DraftCavageSignatures.SignRequest(unsigned, keys.Rsa, rig.BobKeyId, TimeProvider.System));

        await rig.AssertRefusedAsync(response, HttpStatusCode.BadRequest, "duplicate");
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("\"\\ud800\"")]
    public async Task ProofOverJsonThatCannotBeCanonicalized_IsA4xx(string value)
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var json = (await rig.BobsSignedNoteAsync("x")).ToJsonString();
        var body = Encoding.UTF8.GetBytes("{\"odd\":" + value + "," + json[1..]);
        var unsigned = new SignableRequest("POST", rig.AliceInbox, [new("Content-Type", "application/activity+json")], body);

        var response = await SignedSender.SendAsync(DraftCavageSignatures.SignRequest(unsigned, keys.Rsa, rig.BobKeyId, TimeProvider.System));

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await rig.ReceivedCountAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task BodyOverTheLimit_IsA413_InProduction(bool chunked)
    {
        await using var rig = await FederationRig.StartAsync("--environment", "Production");
        using var client = new HttpClient();
        using var content = chunked
            ? (HttpContent)new StreamContent(new MemoryStream(new byte[2 * 1024 * 1024]))
            : new ByteArrayContent(new byte[2 * 1024 * 1024]);
        using var request = new HttpRequestMessage(HttpMethod.Post, rig.AliceInbox) { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        request.Headers.ExpectContinue = !chunked;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await rig.ReceivedCountAsync());
    }

    [Fact]
    public async Task AHugeSignedNote_IsKeptAndShownCutToTheLimit()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var activity = await rig.BobsSignedNoteAsync("x");
        activity.Remove("proof");
        activity["object"]!["content"] = "<p>" + new string('A', 900_000) + "</p>";

        var response = await SignedSender.PostAsync(rig.AliceInbox, activity, keys.Rsa, rig.BobKeyId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var db = await rig.A.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        await rig.A.InboxHandledAsync();
        var post = await db.RemotePosts.SingleAsync();
        Assert.Equal(Core.Storage.Entities.RemotePost.MaxContentLength, post.Content.Length);
        Assert.EndsWith("…", post.Content);
        var record = await db.ReceivedActivities.SingleAsync();
        Assert.True(record.Json.Length < 1000, $"the raw activity kept is {record.Json.Length} characters");
        using var page = rig.A.CreateClient();
        var html = await page.GetStringAsync("/?feed=federated");
        Assert.True(html.Length < 200_000, $"the federated page is {html.Length} characters");
    }

    [Fact]
    public async Task APostDatedInTheFarFuture_IsDatedWhenItArrived()
    {
        await using var rig = await FederationRig.StartAsync();
        var keys = await rig.BobKeysAsync();
        var activity = await rig.BobsSignedNoteAsync("from the future");
        activity.Remove("proof");
        activity["object"]!["published"] = "9999-12-31T23:59:59Z";
        var before = DateTimeOffset.UtcNow;

        var response = await SignedSender.PostAsync(rig.AliceInbox, activity, keys.Rsa, rig.BobKeyId);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await rig.A.InboxHandledAsync();
        await using var db = await rig.A.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var post = await db.RemotePosts.SingleAsync();
        Assert.InRange(post.PublishedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [GeneratedRegex("created=[0-9]+")]
    private static partial Regex CreatedPattern();
}
