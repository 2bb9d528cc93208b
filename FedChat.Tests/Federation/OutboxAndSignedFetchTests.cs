using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FedChat.Core.Federation;
using FedChat.Core.Posts;
using FedChat.Core.Signing;
using FedChat.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace FedChat.Tests.Federation;

public class OutboxAndSignedFetchTests
{
    [Fact]
    public async Task SignedFetch_ThatRedirectsToAnotherServer_IsRefused_ButARedirectOnTheSameServerIsFollowed()
    {
        await using var server = await RunningServer.StartAsync();
        // "elsewhere" serves a document; "origin" redirects one path there and one path to itself.
        await using var elsewhere = await StartAsync(app => app.MapGet("/note", () => Results.Text("{\"id\":\"x\"}", "application/activity+json")));
        var elsewhereUrl = elsewhere.Urls.First();
        await using var origin = await StartAsync(app =>
        {
            app.MapGet("/away", () => Results.Redirect(elsewhereUrl + "/note"));
            app.MapGet("/here", () => Results.Redirect("/note"));
            app.MapGet("/note", () => Results.Text("{\"id\":\"y\"}", "application/activity+json"));
        });
        var http = server.Get<SignedHttpClient>();

        var refused = await Assert.ThrowsAsync<FetchFailedException>(() => http.GetObjectAsync(new Uri(origin.Urls.First() + "/away")));
        Assert.Contains("redirected to another server", refused.Message);
        Assert.Equal("y", (string?)(await http.GetObjectAsync(new Uri(origin.Urls.First() + "/here")))["id"]);
    }

    [Fact]
    public async Task TheSameActorFetchedFourTimesAtOnce_IsStoredOnce_WithoutAnError()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var actors = a.Get<RemoteActors>();

        for (var i = 0; i < 5; i++)
        {
            await b.RegisterAsync($"bob{i}");
            var bobId = new Uri(b.BaseUrl, $"users/bob{i}").ToString();
            // As when a post, a like and a follow from someone new arrive together.
            var lookups = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => actors.FetchActorAsync(bobId))));
            Assert.All(lookups, lookup => Assert.Equal(bobId, lookup.Actor?.ActorId));
        }
    }

    private static async Task<WebApplication> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task Outbox_ServesSignedCreateActivities_WhoseProofsVerifyAgainstTheActor()
    {
        await using var server = await ActorDocumentTests.StartWithAliceAsync();
        var alice = (await server.Get<Core.Accounts.AccountService>().FindByUsernameAsync("alice"))!;
        await server.Get<PostService>().CreatePostAsync(alice.Id, "first <b>post</b>");
        await server.Get<PostService>().CreatePostAsync(alice.Id, "second post");

        var (_, outbox) = await ActorDocumentTests.GetJsonAsync(server, "users/alice/outbox", "application/activity+json");
        var firstPage = new Uri((string)outbox["first"]!).PathAndQuery.TrimStart('/');
        var (_, page) = await ActorDocumentTests.GetJsonAsync(server, firstPage, "application/activity+json");
        var items = page["orderedItems"]!.AsArray().Select(i => i!.AsObject()).ToList();

        Assert.Equal(("OrderedCollection", 2), ((string?)outbox["type"], (int)outbox["totalItems"]!));
        Assert.Equal(["Create", "Create"], items.Select(i => (string?)i["type"]));
        Assert.Equal("<p>second post</p>", (string?)items[0]["object"]!["content"]);
        Assert.Equal("<p>first &lt;b&gt;post&lt;/b&gt;</p>", (string?)items[1]["object"]!["content"]);
        foreach (var activity in items)
        {
            var result = await ObjectProofs.VerifyProofAsync(activity, (method, ct) => FetchMultikeyAsync(server, method));
            Assert.True(result.IsValid, result.FailureReason);
            Assert.Equal(ObjectProofs.EddsaJcs2022, result.Cryptosuite);
        }
    }

    [Fact]
    public async Task Note_IsFetchableAtItsId()
    {
        await using var server = await ActorDocumentTests.StartWithAliceAsync();
        var alice = (await server.Get<Core.Accounts.AccountService>().FindByUsernameAsync("alice"))!;
        var post = (await server.Get<PostService>().CreatePostAsync(alice.Id, "fetch me")).Post!;

        var (_, note) = await ActorDocumentTests.GetJsonAsync(server, $"users/alice/posts/{post.Id}", "application/activity+json");

        Assert.Equal("Note", (string?)note["type"]);
        Assert.Equal($"http://127.0.0.1:{server.Port}/users/alice", (string?)note["attributedTo"]);
    }

    [Fact]
    public async Task OutgoingFetch_IsASignedGet_ThatAnIndependentVerifierAccepts()
    {
        await using var server = await ActorDocumentTests.StartWithAliceAsync();
        SignableRequest? seen = null;
        // An independent "remote server": records the request it gets and answers with a document.
        var remote = WebApplication.CreateBuilder();
        remote.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = remote.Build();
        app.MapGet("/thing", (HttpRequest request) =>
        {
            var url = new Uri($"http://{request.Host}{request.Path}");
            seen = new SignableRequest("GET", url, request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value.ToString())));
            return Results.Text("{\"id\":\"x\",\"type\":\"Note\"}", "application/activity+json");
        });
        await app.StartAsync();
        var remoteUrl = new Uri(app.Urls.First() + "/thing");

        var fetched = await server.Get<SignedHttpClient>().GetObjectAsync(remoteUrl);
        var verification = await new HttpSignatureVerifier(TimeProvider.System).VerifyRequestAsync(seen!,
            async (keyId, ct) =>
            {
                var (_, actor) = await ActorDocumentTests.GetJsonAsync(server, "actor", "application/activity+json");
                return PublicKeyInfo.FromPem(keyId, (string)actor["publicKey"]!["publicKeyPem"]!) with { Owner = (string?)actor["id"] };
            });

        Assert.Equal("Note", (string?)fetched["type"]);
        Assert.True(verification.IsValid, verification.FailureReason);
        Assert.Equal($"http://127.0.0.1:{server.Port}/actor#main-key", verification.KeyId);
        Assert.Equal(["(request-target)", "host", "date"], verification.CoveredComponents);
    }

    private static async Task<string?> FetchMultikeyAsync(RunningServer server, string method)
    {
        var path = new Uri(method).AbsolutePath.TrimStart('/');
        var (_, actor) = await ActorDocumentTests.GetJsonAsync(server, path, "application/activity+json");
        var entry = actor["assertionMethod"]!.AsArray().Single(m => (string?)m!["id"] == method)!;
        return (string?)entry["publicKeyMultibase"];
    }
}
