using System.Collections.Concurrent;
using System.Text.Json;
using FedChat.Core.Signing;
using FedChat.Tests.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FedChat.Tests.Federation.Delivery;

/// <summary>What a test inbox saw in one request.</summary>
/// <param name="ActivityId">The <c>id</c> of the posted activity.</param>
/// <param name="Signature">The result of checking the draft-cavage signature with Alice's public key.</param>
/// <param name="Digest">The <c>Digest</c> header, if any.</param>
/// <param name="ContentType">The <c>Content-Type</c> header.</param>
internal sealed record ReceivedActivity(string ActivityId, SignatureVerification Signature, string? Digest, string? ContentType);

/// <summary>How a test inbox answers: a status, and optionally a <c>Retry-After</c> header.</summary>
internal sealed record InboxReply(int Status, string? RetryAfter = null);

/// <summary>
/// A receiving inbox for tests: a minimal Kestrel app on a free loopback port. It verifies each
/// request's signature like a real server, records everything it got, and, like a real server,
/// "shows" an activity only the first time its id arrives.
/// </summary>
internal sealed class TestInbox : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedActivity> _received = new();
    private readonly ConcurrentDictionary<string, bool> _seen = new();
    private readonly ConcurrentQueue<string> _shown = new();

    private TestInbox(WebApplication app) => _app = app;

    /// <summary>Gets the inbox URL.</summary>
    public Uri InboxUrl { get; private set; } = null!;

    /// <summary>Gets or sets how the inbox answers; the default accepts everything with 202.</summary>
    public Func<ReceivedActivity, Task<InboxReply>> Respond { get; set; } = _ => Task.FromResult(new InboxReply(202));

    /// <summary>Gets every request received, duplicates included.</summary>
    public IReadOnlyList<ReceivedActivity> Received => [.. _received];

    /// <summary>Gets the activity ids accepted and shown, each once (the receiver's dedupe by id).</summary>
    public IReadOnlyList<string> Shown => [.. _shown];

    /// <summary>Starts an inbox whose signature checks read <paramref name="clock"/>.</summary>
    public static async Task<TestInbox> StartAsync(TimeProvider clock)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var inbox = new TestInbox(app);
        var verifier = new HttpSignatureVerifier(clock);
        app.MapPost("/inbox", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var body = buffer.ToArray();
            var request = ToSignableRequest(context.Request, body);
            var signature = await verifier.VerifyRequestAsync(request, ResolveAliceKeyAsync);
            var activityId = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
            var received = new ReceivedActivity(activityId, signature, request.GetHeader("Digest"), request.GetHeader("Content-Type"));
            inbox._received.Enqueue(received);

            // Deliberately not watching context.RequestAborted: like a real server, the inbox finishes
            // its work even when the sender has gone away, so the sender cannot know it arrived.
            var reply = await inbox.Respond(received);
            if (reply.Status is >= 200 and <= 299 && inbox._seen.TryAdd(activityId, true))
            {
                inbox._shown.Enqueue(activityId);
            }
            if (reply.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = reply.RetryAfter;
            }
            return Results.StatusCode(reply.Status);
        });
        await app.StartAsync();
        inbox.InboxUrl = new Uri(new Uri(app.Urls.First()), "/inbox");
        return inbox;
    }

    /// <summary>Counts how often each activity id arrived.</summary>
    public int TimesReceived(string activityId) => _received.Count(r => r.ActivityId == activityId);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static SignableRequest ToSignableRequest(HttpRequest request, byte[] body)
    {
        var url = new Uri($"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}");
        var headers = request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString()));
        return new SignableRequest(request.Method, url, headers, body);
    }

    private static Task<PublicKeyInfo?> ResolveAliceKeyAsync(string keyId, CancellationToken cancellationToken) =>
        Task.FromResult(keyId == TestKeys.AliceKeyId ? new PublicKeyInfo(keyId, DeliveryRig.AliceKey) : null);
}
