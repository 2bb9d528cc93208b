using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FedChat.Tests.Support;

/// <summary>
/// Mallory: a stranger's server on loopback that is not FedChat. It has its own honest actor
/// (<c>/users/mallory</c>, with an RSA key and a P-256 proof key) and serves any other document a test
/// gives it — key documents that lie about their owner, verification methods that claim another
/// controller — and counts how often each path is fetched.
/// </summary>
internal sealed class HostileActor : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _documents = new();
    private readonly ConcurrentDictionary<string, int> _fetches = new();

    private HostileActor(WebApplication app, Uri baseUrl, string username)
    {
        _app = app;
        BaseUrl = baseUrl;
        Username = username;
    }

    /// <summary>Gets the actor's username ("mallory" unless the test plays someone else).</summary>
    public string Username { get; }

    /// <summary>Gets Mallory's server, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Gets Mallory's RSA key (her HTTP signatures).</summary>
    public RSA Rsa { get; } = KeyPairs.GenerateRsaKeyPair();

    /// <summary>Gets Mallory's P-256 key (her object proofs).</summary>
    public ECDsa Ecdsa { get; } = KeyPairs.GenerateEcdsaKeyPair();

    /// <summary>Gets Mallory's actor id.</summary>
    public string ActorId => Url(ActorPath);

    /// <summary>Gets the path of the actor document, e.g. <c>/users/mallory</c>.</summary>
    public string ActorPath => "/users/" + Username;

    /// <summary>Gets the id of Mallory's honest RSA key.</summary>
    public string KeyId => ActorId + "#main-key";

    /// <summary>Gets the id of Mallory's honest proof key.</summary>
    public string ProofKeyId => ActorId + "#proof-key";

    /// <summary>Starts Mallory's server (or another stranger's, named <paramref name="username"/>) on a free loopback port.</summary>
    public static async Task<HostileActor> StartAsync(string username = "mallory")
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        HostileActor? self = null;
        app.Map("/{**path}", (HttpContext context) =>
        {
            var path = context.Request.Path.Value ?? "/";
            self!._fetches.AddOrUpdate(path, 1, (_, n) => n + 1);
            return self._documents.TryGetValue(path, out var document)
                ? Results.Text(document.ToJsonString(), ActivityStreamsJson.MediaType)
                : Results.NotFound();
        });
        await app.StartAsync();
        self = new HostileActor(app, new Uri(app.Urls.First()), username);
        self.Serve(self.ActorPath, new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.SecurityContext, ActivityStreamsJson.MultikeyContext),
            ["id"] = self.ActorId,
            ["type"] = "Person",
            ["preferredUsername"] = username,
            ["inbox"] = self.ActorId + "/inbox",
            ["publicKey"] = new JsonObject { ["id"] = self.KeyId, ["owner"] = self.ActorId, ["publicKeyPem"] = KeyPairs.ExportPublicKeyPem(self.Rsa) },
            ["assertionMethod"] = new JsonArray(new JsonObject
            {
                ["id"] = self.ProofKeyId,
                ["type"] = "Multikey",
                ["controller"] = self.ActorId,
                ["publicKeyMultibase"] = Multikey.EncodeP256PublicKey(self.Ecdsa),
            }),
        });
        return self;
    }

    /// <summary>A URL on Mallory's server.</summary>
    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    /// <summary>Serves <paramref name="document"/> at <paramref name="path"/> from now on.</summary>
    public void Serve(string path, JsonObject document) => _documents[path] = document;

    /// <summary>How many times <paramref name="path"/> was fetched.</summary>
    public int FetchCount(string path) => _fetches.TryGetValue(path, out var n) ? n : 0;

    /// <summary>
    /// Serves a key document at <paramref name="path"/> that says "this key, Mallory's own, belongs to
    /// <paramref name="claimedOwner"/>", and returns its key id.
    /// </summary>
    public string ServeKeyClaimingOwner(string path, string claimedOwner)
    {
        var keyId = Url(path) + "#main-key";
        Serve(path, new JsonObject
        {
            ["id"] = Url(path),
            ["publicKey"] = new JsonObject { ["id"] = keyId, ["owner"] = claimedOwner, ["publicKeyPem"] = KeyPairs.ExportPublicKeyPem(Rsa) },
        });
        return keyId;
    }

    /// <summary>
    /// Serves a Multikey document at <paramref name="path"/> that says "this proof key, Mallory's own, is
    /// controlled by <paramref name="claimedController"/>", and returns its id.
    /// </summary>
    public string ServeProofKeyClaimingController(string path, string claimedController)
    {
        var methodId = Url(path);
        Serve(path, new JsonObject
        {
            ["id"] = methodId,
            ["type"] = "Multikey",
            ["controller"] = claimedController,
            ["publicKeyMultibase"] = Multikey.EncodeP256PublicKey(Ecdsa),
        });
        return methodId;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Rsa.Dispose();
        Ecdsa.Dispose();
    }
}
