using System.Security.Cryptography;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Signing;

namespace FedChat.LoadGen;

/// <summary>
/// The remote actor the load comes from: a tiny Kestrel server on a free loopback port that serves one
/// actor document with its RSA-2048 public key, so the FedChat server under test can fetch and check
/// the key exactly as it would for a real server.
/// </summary>
internal sealed class RemoteActorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RemoteActorServer(WebApplication app, string actorId)
    {
        _app = app;
        ActorId = actorId;
    }

    /// <summary>Gets the actor's id, e.g. <c>http://127.0.0.1:41234/users/load-1a2b</c>.</summary>
    public string ActorId { get; }

    /// <summary>Gets the id of the actor's key (its <c>publicKey.id</c>).</summary>
    public string KeyId => ActorId + "#main-key";

    /// <summary>Gets the RSA-2048 key pair that signs every request.</summary>
    public RSA Key { get; } = KeyPairs.GenerateRsaKeyPair();

    /// <summary>Gets how many times the actor document was fetched (a well-cached server fetches it once or twice).</summary>
    public int Fetches => _fetches;

    private int _fetches;

    /// <summary>Starts the actor's server on 127.0.0.1 and a free port.</summary>
    public static async Task<RemoteActorServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        // A fresh name each run, so runs against the same server never collide on ids.
        var username = "load-" + Guid.NewGuid().ToString("N")[..8];
        RemoteActorServer? self = null;
        string? document = null;
        app.MapGet("/users/" + username, () =>
        {
            Interlocked.Increment(ref self!._fetches);
            return Results.Text(document!, ActivityStreamsJson.MediaType);
        });
        await app.StartAsync();
        self = new RemoteActorServer(app, new Uri(new Uri(app.Urls.First()), "/users/" + username).ToString());
        document = new JsonObject
        {
            ["@context"] = ActivityStreamsJson.Strings(ActivityStreamsJson.Context, ActivityStreamsJson.SecurityContext),
            ["id"] = self.ActorId,
            ["type"] = "Person",
            ["preferredUsername"] = username,
            ["name"] = "Load generator",
            ["inbox"] = self.ActorId + "/inbox",
            ["publicKey"] = new JsonObject { ["id"] = self.KeyId, ["owner"] = self.ActorId, ["publicKeyPem"] = KeyPairs.ExportPublicKeyPem(self.Key) },
        }.ToJsonString();
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Key.Dispose();
    }
}
