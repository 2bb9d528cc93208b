using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FedChat.Core.Signing;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Federation;

/// <summary>WebFinger, actor documents and NodeInfo, checked against what Mastodon requires.</summary>
public class ActorDocumentTests
{
    [Theory]
    [InlineData("application/activity+json")]
    [InlineData("application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"")]
    [InlineData("application/activity+json, application/ld+json")]
    public async Task Actor_AskedForActivityJson_IsAPersonWithEverythingMastodonReads(string accept)
    {
        await using var server = await StartWithAliceAsync();

        var (response, actor) = await GetJsonAsync(server, "users/alice", accept);

        Assert.Equal("application/activity+json", response.Content.Headers.ContentType?.MediaType);
        var id = $"http://127.0.0.1:{server.Port}/users/alice";
        Assert.Equal(id, (string?)actor["id"]);
        Assert.Equal("Person", (string?)actor["type"]);
        Assert.Equal("alice", (string?)actor["preferredUsername"]);
        Assert.Contains("https://www.w3.org/ns/activitystreams", actor["@context"]!.AsArray().Select(c => (string?)c));
        foreach (var collection in new[] { "inbox", "outbox", "followers", "following" })
        {
            Assert.Equal($"{id}/{collection}", (string?)actor[collection]);
        }
        Assert.Equal($"http://127.0.0.1:{server.Port}/inbox", (string?)actor["endpoints"]!["sharedInbox"]);
        Assert.Equal("image/svg+xml", (string?)actor["icon"]!["mediaType"]);
    }

    [Fact]
    public async Task Actor_PublicKey_IsAnRsa2048KeyOwnedByTheActor()
    {
        await using var server = await StartWithAliceAsync();

        var (_, actor) = await GetJsonAsync(server, "users/alice", "application/activity+json");

        var publicKey = actor["publicKey"]!;
        Assert.Equal((string?)actor["id"] + "#main-key", (string?)publicKey["id"]);
        Assert.Equal((string?)actor["id"], (string?)publicKey["owner"]);
        using var rsa = (RSA)KeyPairs.ImportPublicKeyPem((string)publicKey["publicKeyPem"]!);
        Assert.Equal(2048, rsa.KeySize);
    }

    [Fact]
    public async Task Actor_AssertionMethod_IsAnEd25519AndAP256MultikeyControlledByTheActor()
    {
        await using var server = await StartWithAliceAsync();

        var (_, actor) = await GetJsonAsync(server, "users/alice", "application/activity+json");

        var methods = actor["assertionMethod"]!.AsArray().Select(m => m!).ToList();
        Assert.Equal(2, methods.Count);
        Assert.All(methods, m => Assert.Equal((string?)actor["id"], (string?)m["controller"]));
        // Only the Ed25519 key is typed Multikey: Fedify refuses actors with P-256 Multikeys (see ActorDocuments).
        Assert.Equal(["Multikey", null], methods.Select(m => (string?)m["type"]));
        Assert.Contains("https://www.w3.org/ns/did/v1", actor["@context"]!.AsArray().Select(c => (string?)c));
        var ed = methods[0];
        Assert.Equal((string?)actor["id"] + "#ed25519-key", (string?)ed["id"]);
        Assert.StartsWith("z6Mk", (string)ed["publicKeyMultibase"]!, StringComparison.Ordinal);
        Assert.Equal(32, Multikey.DecodeEd25519PublicKey((string)ed["publicKeyMultibase"]!).Length);
        using var key = Multikey.DecodeP256PublicKey((string)methods[1]["publicKeyMultibase"]!);
        Assert.Equal(256, key.KeySize);
    }

    [Fact]
    public async Task Actor_AskedByABrowser_IsTheProfilePage()
    {
        await using var server = await StartWithAliceAsync();
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        var response = await client.GetAsync("users/alice");

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"@alice@127.0.0.1:{server.Port}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task WebFinger_RoundTrip_ActorToHandleToActor_HoldsAsMastodonChecks()
    {
        await using var server = await StartWithAliceAsync();
        var (_, actor) = await GetJsonAsync(server, "users/alice", "application/activity+json");
        var handle = $"{actor["preferredUsername"]}@{new Uri((string)actor["id"]!).Authority}";
        using var client = server.CreateClient();

        var response = await client.GetAsync($".well-known/webfinger?resource=acct:{handle}");
        var jrd = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("application/jrd+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"acct:{handle}", (string?)jrd["subject"]);
        var self = jrd["links"]!.AsArray().Single(l => (string?)l!["rel"] == "self")!;
        Assert.Equal("application/activity+json", (string?)self["type"]);
        Assert.Equal((string?)actor["id"], (string?)self["href"]);
        Assert.Contains((string?)actor["id"], jrd["aliases"]!.AsArray().Select(a => (string?)a));
    }

    [Theory]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("?resource=", HttpStatusCode.BadRequest)]
    [InlineData("?resource=alice", HttpStatusCode.BadRequest)]
    [InlineData("?resource=acct:alice", HttpStatusCode.BadRequest)]
    [InlineData("?resource=acct:@", HttpStatusCode.BadRequest)]
    [InlineData("?resource=acct:nobody@127.0.0.1:PORT", HttpStatusCode.NotFound)]
    [InlineData("?resource=acct:alice@elsewhere.example:5080", HttpStatusCode.NotFound)]
    [InlineData("?resource=acct:alice@127.0.0.1:PORT", HttpStatusCode.OK)]
    [InlineData("?resource=acct:Alice@127.0.0.1:PORT", HttpStatusCode.OK)]
    [InlineData("?resource=http://127.0.0.1:PORT/users/alice", HttpStatusCode.OK)]
    public async Task WebFinger_AnswersEachKindOfResource(string query, HttpStatusCode expected)
    {
        await using var server = await StartWithAliceAsync();
        using var client = server.CreateClient();

        var response = await client.GetAsync(".well-known/webfinger" + query.Replace("PORT", server.Port.ToString()));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task NodeInfo_IsDiscoverable_AndDescribesFedChat()
    {
        await using var server = await StartWithAliceAsync();
        using var client = server.CreateClient();

        var links = JsonNode.Parse(await client.GetStringAsync(".well-known/nodeinfo"))!;
        var href = (string)links["links"]![0]!["href"]!;
        var response = await client.GetAsync(href);
        var nodeinfo = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal("http://nodeinfo.diaspora.software/ns/schema/2.1", (string?)links["links"]![0]!["rel"]);
        Assert.Contains("nodeinfo.diaspora.software/ns/schema/2.1", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("2.1", (string?)nodeinfo["version"]);
        Assert.Equal("fedchat", (string?)nodeinfo["software"]!["name"]);
        Assert.False(string.IsNullOrEmpty((string?)nodeinfo["software"]!["version"]));
        Assert.Equal("activitypub", (string?)nodeinfo["protocols"]![0]);
        Assert.Equal(1, (int)nodeinfo["usage"]!["users"]!["total"]!);
        Assert.True((bool)nodeinfo["openRegistrations"]!);
        Assert.Equal("server-a", (string?)nodeinfo["metadata"]!["nodeName"]);
    }

    [Fact]
    public async Task InstanceActor_IsAnApplicationWithAKey()
    {
        await using var server = await StartWithAliceAsync();

        var (_, actor) = await GetJsonAsync(server, "actor", "application/activity+json");

        Assert.Equal("Application", (string?)actor["type"]);
        Assert.Equal((string?)actor["id"], (string?)actor["publicKey"]!["owner"]);
    }

    [Fact]
    public async Task PrivateKeys_AreNeverStoredInClear()
    {
        await using var server = await StartWithAliceAsync();

        await using var db = await server.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var keys = await db.ActorKeys.ToListAsync();

        Assert.NotEmpty(keys);
        Assert.All(keys, k =>
        {
            Assert.DoesNotContain("PRIVATE KEY", k.RsaPrivateKeyProtected);
            Assert.DoesNotContain("PRIVATE KEY", k.EcPrivateKeyProtected);
            Assert.Contains("PUBLIC KEY", k.RsaPublicKeyPem);
        });
    }

    internal static async Task<RunningServer> StartWithAliceAsync()
    {
        var server = await RunningServer.StartAsync();
        await server.RegisterAsync("alice");
        return server;
    }

    internal static async Task<(HttpResponseMessage Response, JsonObject Json)> GetJsonAsync(RunningServer server, string path, string accept)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }
}
