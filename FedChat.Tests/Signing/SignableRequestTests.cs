using System.Net.Http.Headers;
using System.Text;
using FedChat.Core.Signing;
using FedChat.Tests.Support;

namespace FedChat.Tests.Signing;

public class SignableRequestTests
{
    [Fact]
    public void GetHeader_IgnoresCaseAndJoinsRepeatedLines()
    {
        var request = new SignableRequest("GET", new Uri("https://server-a.example/"), [new("Accept", "application/json"), new("accept", "*/*")]);

        Assert.Equal("application/json, */*", request.GetHeader("ACCEPT"));
        Assert.Null(request.GetHeader("Date"));
    }

    [Fact]
    public void WithHeader_ReturnsACopyAndLeavesTheOriginalAlone()
    {
        var original = new SignableRequest("GET", new Uri("https://server-a.example/"), [new("Date", "old")]);

        var changed = original.WithHeader("date", "new");

        Assert.Equal("old", original.GetHeader("Date"));
        Assert.Equal("new", changed.GetHeader("Date"));
        Assert.Single(changed.Headers);
    }

    [Fact]
    public void Constructor_WithRelativeUrl_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SignableRequest("GET", new Uri("/inbox", UriKind.Relative), []));
    }

    [Fact]
    public async Task FromHttpRequestMessage_ReadsBodyContentHeadersAndHost()
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://server-b.example:8443/users/bob/inbox")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}")),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
        message.Headers.Accept.ParseAdd("application/activity+json");

        var request = await SignableRequest.FromHttpRequestMessageAsync(message);

        Assert.Equal("POST", request.Method);
        Assert.Equal("{}"u8.ToArray(), request.Body);
        Assert.Equal("application/activity+json", request.GetHeader("Content-Type"));
        Assert.Equal("application/activity+json", request.GetHeader("Accept"));
        Assert.Equal("server-b.example:8443", request.GetHeader("Host"));
    }

    [Fact]
    public async Task SigningAnHttpRequestMessage_ThenReadingItBack_VerifiesAsSent()
    {
        // What the delivery queue will do: build the model, sign it, copy the headers onto the
        // message; and what the receiver sees is the message as sent.
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 11, 22, 10, 0, 0, TimeSpan.Zero));
        using var message = new HttpRequestMessage(HttpMethod.Post, "https://server-b.example/users/bob/inbox")
        {
            Content = new StringContent("{\"type\":\"Follow\"}", Encoding.UTF8, "application/activity+json"),
        };
        using var alice = TestKeys.AliceRsa();
        var signed = DraftCavageSignatures.SignRequest(await SignableRequest.FromHttpRequestMessageAsync(message), alice, TestKeys.AliceKeyId, clock);

        signed.CopyHeadersTo(message);
        var received = await SignableRequest.FromHttpRequestMessageAsync(message);
        var result = await new HttpSignatureVerifier(clock).VerifyRequestAsync(received, TestKeys.Resolver());

        Assert.True(result.IsValid, result.FailureReason);
        Assert.Equal("Sat, 22 Nov 2025 10:00:00 GMT", message.Headers.GetValues("Date").Single());
        Assert.NotNull(message.Headers.GetValues("Signature").Single());
    }
}
