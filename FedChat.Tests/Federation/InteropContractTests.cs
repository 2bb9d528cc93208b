using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FedChat.Core.Federation;
using FedChat.Core.Posts;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace FedChat.Tests.Federation;

/// <summary>
/// FedChat against a server that is not FedChat. No independent ActivityPub server can run on this
/// machine, so <see cref="ForeignServer"/> plays one: it serves Mastodon-shaped JSON (from Mastodon's
/// documentation of its actors and activities) and signs and verifies HTTP signatures with its own
/// few lines of draft-cavage code, not FedChat's. It follows a FedChat user, receives her posts, and is
/// followed back.
/// </summary>
public class InteropContractTests
{
    [Fact]
    public async Task AServerThatIsNotFedChat_CanFollow_ReceivePosts_AndBeFollowedBack()
    {
        await using var fedchat = await RunningServer.StartAsync("fedchat");
        var alice = await fedchat.RegisterAsync("alice");
        var aliceId = new Uri(fedchat.BaseUrl, "users/alice").ToString();
        await using var zoe = await ForeignServer.StartAsync();

        // 1. Zoe follows Alice, the way Mastodon sends it.
        var followId = zoe.ActorId + "#follows/1";
        var sent = await zoe.PostAsync(new Uri(aliceId + "/inbox"), new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = followId,
            ["type"] = "Follow",
            ["actor"] = zoe.ActorId,
            ["object"] = aliceId,
        });
        Assert.Equal(HttpStatusCode.Accepted, sent);
        var accept = await zoe.WaitForAsync("Accept", "Alice's Accept");
        Assert.Equal((aliceId, followId), ((string?)accept["actor"], ActivityIdOf(accept["object"])));

        // 2. Alice posts: it reaches Zoe's server as Mastodon expects it.
        await fedchat.Get<PostService>().CreatePostAsync(alice.Id, "hello, fediverse & friends");
        var create = await zoe.WaitForAsync("Create", "Alice's post");
        Assert.Contains("https://www.w3.org/ns/activitystreams", create["@context"]!.AsArray().Select(c => (string?)c));
        Assert.Contains("https://www.w3.org/ns/activitystreams#Public", create["to"]!.AsArray().Select(c => (string?)c));
        Assert.Contains(aliceId + "/followers", create["cc"]!.AsArray().Select(c => (string?)c));
        var note = create["object"]!;
        Assert.Equal(("Note", aliceId, "<p>hello, fediverse &amp; friends</p>"), ((string?)note["type"], (string?)note["attributedTo"], (string?)note["content"]));

        // 3. Alice follows Zoe back: WebFinger, actor, Follow; Zoe accepts; Zoe's Mastodon-shaped post reaches Alice's home.
        var found = await fedchat.Get<RemoteActors>().ResolveHandleAsync($"@zoe@127.0.0.1:{zoe.Port}");
        Assert.Equal(zoe.ActorId, found.Actor?.ActorId);
        Assert.Null(await fedchat.Get<FollowService>().FollowAsync(alice.Id, "alice", zoe.ActorId));
        var follow = await zoe.WaitForAsync("Follow", "Alice's Follow");
        Assert.Equal((aliceId, zoe.ActorId), ((string?)follow["actor"], ActivityIdOf(follow["object"])));
        Assert.Equal(HttpStatusCode.Accepted, await zoe.PostAsync(new Uri(aliceId + "/inbox"), new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = zoe.ActorId + "#accepts/follows/7",
            ["type"] = "Accept",
            ["actor"] = zoe.ActorId,
            ["object"] = new JsonObject { ["id"] = (string?)follow["id"], ["type"] = "Follow", ["actor"] = aliceId, ["object"] = zoe.ActorId },
        }));
        await Eventually.WaitForAsync(() => fedchat.Get<FollowService>().GetStateAsync(aliceId, zoe.ActorId), s => s == FollowState.Accepted, "the follow to be accepted");

        Assert.Equal(HttpStatusCode.Accepted, await zoe.PostAsync(new Uri(fedchat.BaseUrl, "inbox"), ForeignServer.MastodonCreate(zoe.ActorId, "Hi <span class=\"h-card\">@alice</span>, welcome!")));
        var home = await Eventually.WaitForAsync(() => fedchat.Get<TimelineService>().GetAsync(TimelineKind.Home, "alice"), t => t.Any(p => p.IsRemote), "Zoe's post in Alice's home");
        Assert.Equal("Hi @alice, welcome!", home.First(p => p.IsRemote).Content);
    }

    private static string? ActivityIdOf(JsonNode? node) => node is JsonObject o ? (string?)o["id"] : (string?)node;

    /// <summary>
    /// A stand-in for another ActivityPub server (think Mastodon) on a loopback port: one user, zoe, a
    /// WebFinger endpoint, a Mastodon-shaped actor, an inbox that checks every request's signature
    /// against the sender's published key, and its own draft-cavage signing.
    /// </summary>
    private sealed class ForeignServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly RSA _key = RSA.Create(2048);
        private readonly ConcurrentQueue<JsonObject> _received = new();

        private ForeignServer(WebApplication app) => _app = app;

        public int Port => new Uri(_app.Urls.First()).Port;

        public string ActorId => $"http://127.0.0.1:{Port}/users/zoe";

        public static async Task<ForeignServer> StartAsync()
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var server = new ForeignServer(builder.Build());
            server.Map();
            await server._app.StartAsync();
            return server;
        }

        /// <summary>A Create { Note } the way Mastodon sends one: HTML content, contentMap, sensitive, no proof.</summary>
        public static JsonObject MastodonCreate(string actorId, string html) => new()
        {
            ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", new JsonObject { ["sensitive"] = "as:sensitive" }),
            ["id"] = actorId + "/statuses/1/activity",
            ["type"] = "Create",
            ["actor"] = actorId,
            ["published"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
            ["cc"] = new JsonArray(actorId + "/followers"),
            ["object"] = new JsonObject
            {
                ["id"] = actorId + "/statuses/1",
                ["type"] = "Note",
                ["summary"] = null,
                ["inReplyTo"] = null,
                ["published"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
                ["url"] = actorId.Replace("/users/", "/@") + "/1",
                ["attributedTo"] = actorId,
                ["to"] = new JsonArray("https://www.w3.org/ns/activitystreams#Public"),
                ["cc"] = new JsonArray(actorId + "/followers"),
                ["sensitive"] = false,
                ["content"] = "<p>" + html + "</p>",
                ["contentMap"] = new JsonObject { ["en"] = "<p>" + html + "</p>" },
                ["attachment"] = new JsonArray(),
                ["tag"] = new JsonArray(),
            },
        };

        /// <summary>Signs and POSTs an activity: (request-target) host date digest content-type, rsa-sha256, as Mastodon does.</summary>
        public async Task<HttpStatusCode> PostAsync(Uri inbox, JsonObject activity)
        {
            var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
            var date = DateTimeOffset.UtcNow.ToString("r");
            var digest = "SHA-256=" + Convert.ToBase64String(SHA256.HashData(body));
            var signingString = $"(request-target): post {inbox.AbsolutePath}\nhost: {inbox.Authority}\ndate: {date}\ndigest: {digest}\ncontent-type: application/activity+json";
            var signature = Convert.ToBase64String(_key.SignData(Encoding.UTF8.GetBytes(signingString), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            using var client = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, inbox) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/activity+json");
            request.Headers.Host = inbox.Authority;
            request.Headers.TryAddWithoutValidation("Date", date);
            request.Headers.TryAddWithoutValidation("Digest", digest);
            request.Headers.TryAddWithoutValidation("Signature",
                $"keyId=\"{ActorId}#main-key\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date digest content-type\",signature=\"{signature}\"");
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        /// <summary>Waits for an activity of <paramref name="type"/> to arrive (signature already checked).</summary>
        public Task<JsonObject> WaitForAsync(string type, string what) =>
            Eventually.WaitForAsync(() => Task.FromResult(_received.FirstOrDefault(a => (string?)a["type"] == type)), a => a is not null, what)!;

        public async ValueTask DisposeAsync()
        {
            await _app.DisposeAsync();
            _key.Dispose();
        }

        private void Map()
        {
            _app.MapGet("/.well-known/webfinger", (string resource) => resource == $"acct:zoe@127.0.0.1:{Port}"
                ? Results.Text(new JsonObject
                {
                    ["subject"] = resource,
                    ["links"] = new JsonArray(new JsonObject { ["rel"] = "self", ["type"] = "application/activity+json", ["href"] = ActorId }),
                }.ToJsonString(), "application/jrd+json")
                : Results.NotFound());
            _app.MapGet("/users/zoe", () => Results.Text(new JsonObject
            {
                ["@context"] = new JsonArray("https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
                    new JsonObject { ["manuallyApprovesFollowers"] = "as:manuallyApprovesFollowers" }),
                ["id"] = ActorId,
                ["type"] = "Person",
                ["preferredUsername"] = "zoe",
                ["name"] = "Zoe (not FedChat)",
                ["summary"] = "<p>I run other software.</p>",
                ["inbox"] = ActorId + "/inbox",
                ["outbox"] = ActorId + "/outbox",
                ["followers"] = ActorId + "/followers",
                ["following"] = ActorId + "/following",
                ["manuallyApprovesFollowers"] = false,
                ["endpoints"] = new JsonObject { ["sharedInbox"] = $"http://127.0.0.1:{Port}/inbox" },
                ["publicKey"] = new JsonObject { ["id"] = ActorId + "#main-key", ["owner"] = ActorId, ["publicKeyPem"] = _key.ExportSubjectPublicKeyInfoPem() },
            }.ToJsonString(), "application/activity+json"));
            _app.MapPost("/users/zoe/inbox", ReceiveAsync);
            _app.MapPost("/inbox", ReceiveAsync);
        }

        /// <summary>An inbox that accepts only what verifies against the sender's published key, as Mastodon's does.</summary>
        private async Task<IResult> ReceiveAsync(HttpRequest request)
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            if (!request.ContentType!.StartsWith("application/activity+json", StringComparison.Ordinal))
            {
                return Results.StatusCode(415);
            }
            var fields = request.Headers["Signature"].ToString().Split(',')
                .Select(part => part.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1].Trim('"'));
            if (!fields.ContainsKey("headers") || !fields.ContainsKey("keyId") || !fields.ContainsKey("signature"))
            {
                // Like a Mastodon that reads only draft-cavage: an RFC 9421 signature is refused with 401,
                // and FedChat then knocks again with draft-cavage.
                return Results.Unauthorized();
            }
            var lines = fields["headers"].Split(' ').Select(name => name == "(request-target)"
                ? $"(request-target): post {request.Path}"
                : $"{name}: {request.Headers[name]}");
            // What Mastodon insists on for a POST: these headers signed, a Date within 12 hours, a matching Digest.
            var signedHeaders = fields["headers"].Split(' ');
            if (!new[] { "(request-target)", "host", "date", "digest" }.All(signedHeaders.Contains)
                || !DateTimeOffset.TryParse(request.Headers["Date"], out var date) || (DateTimeOffset.UtcNow - date).Duration() > TimeSpan.FromHours(12)
                || request.Headers["Digest"] != "SHA-256=" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(body))))
            {
                return Results.Unauthorized();
            }
            using var client = new HttpClient();
            client.DefaultRequestHeaders.Accept.ParseAdd("application/activity+json");
            var actor = JsonNode.Parse(await client.GetStringAsync(fields["keyId"].Split('#')[0]))!;
            using var senderKey = RSA.Create();
            senderKey.ImportFromPem((string)actor["publicKey"]!["publicKeyPem"]!);
            var valid = senderKey.VerifyData(Encoding.UTF8.GetBytes(string.Join('\n', lines)), Convert.FromBase64String(fields["signature"]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            if (!valid)
            {
                return Results.Unauthorized();
            }
            _received.Enqueue(JsonNode.Parse(body)!.AsObject());
            return Results.Accepted();
        }
    }
}
