using System.Reflection;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using FedChat.Core.Forge;
using FedChat.Core.Identity;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;

namespace FedChat.Workshop.Tests;

/// <summary>
/// Exercise 4: a new activity, <c>Wave</c>, sent by one real server and shown by another. Alice is on
/// server A, Bob on server B; both run on loopback ports in this process.
/// </summary>
[Trait("Workshop", "Exercise4")]
public class Exercise4WaveChecks
{
    [Fact]
    public async Task ServerB_ShowsAWaveItReceives_OnBobsProfile()
    {
        await using var a = await RunningServer.StartAsync("wave-a");
        await using var b = await RunningServer.StartAsync("wave-b");
        var alice = (await a.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        await b.Get<AccountManager>().RegisterAsync("bob", "correct horse", null);
        var aliceActor = a.Get<ActorUrls>().ActorId("alice");
        var bobActor = b.Get<ActorUrls>().ActorId("bob");

        // Server A sends the Wave as the forge lab's honest mode does: signed with Alice's own key.
        var wave = new JsonObject
        {
            ["@context"] = "https://www.w3.org/ns/activitystreams",
            ["id"] = $"{aliceActor}#waves/{Guid.NewGuid():N}",
            ["type"] = "Wave",
            ["actor"] = aliceActor,
            ["object"] = bobActor,
            ["to"] = new JsonArray(bobActor),
        };
        var sent = await a.Get<ForgeLab>().SendAsync(new ForgeAttempt(alice.Id, new Uri(b.BaseUrl, "users/bob/inbox").ToString(), wave.ToJsonString(), ForgeMode.SignedAsMe));
        Check.That(sent.Accepted, $"Server B refused the Wave with {sent.StatusCode} {sent.Reason} {sent.Error}; a signed activity of any type should be accepted (202) by the inbox.");

        var waves = await WavesOnProfileAsync(b, "bob", TimeSpan.FromSeconds(5));
        Check.That(waves.Any(w => w.Contains("alice", StringComparison.Ordinal)),
            "Server B accepted Alice's Wave, but Bob's profile page (/users/bob) shows no element with class 'wave' naming alice " +
            $"(found {waves.Count} 'wave' elements). Handle \"Wave\" in ActivityHandlers and show it on Profile.razor. See hints 2 and 3 of Exercise 4.");
    }

    [Fact]
    public async Task ServerA_SendsAWave_ThatArrivesOnServerB()
    {
        await using var a = await RunningServer.StartAsync("wave-a");
        await using var b = await RunningServer.StartAsync("wave-b");
        var alice = (await a.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        await b.Get<AccountManager>().RegisterAsync("bob", "correct horse", null);
        var bobActor = b.Get<ActorUrls>().ActorId("bob");

        // Found by name so that this check compiles before WaveService exists.
        var serviceType = typeof(ActorUrls).Assembly.GetTypes().FirstOrDefault(t => t.Name == "WaveService");
        Check.That(serviceType is not null, "There is no class WaveService in FedChat.Core yet. Add FedChat.Core/Federation/WaveService.cs. See hint 1 of Exercise 4.");
        var service = a.Services.GetService(serviceType!);
        Check.That(service is not null, "WaveService exists but the server cannot give it out: register it in FedChat.Core/ServiceCollectionExtensions.cs (services.AddSingleton<WaveService>()). See hint 1 of Exercise 4.");
        var method = serviceType!.GetMethod("WaveAsync", [typeof(int), typeof(string), typeof(string), typeof(CancellationToken)]);
        Check.That(method is not null && method.ReturnType == typeof(Task<string?>),
            "WaveService should have a method 'public async Task<string?> WaveAsync(int userId, string username, string actorId, CancellationToken cancellationToken = default)', like FollowService.FollowAsync. See hint 1 of Exercise 4.");

        string? error;
        try
        {
            error = await (Task<string?>)method!.Invoke(service, [alice.Id, "alice", bobActor, CancellationToken.None])!;
        }
        catch (TargetInvocationException crash)
        {
            Assert.Fail($"WaveAsync crashed with {crash.InnerException?.GetType().Name}: {crash.InnerException?.Message}");
            throw;
        }
        Check.That(error is null, $"WaveAsync answered \"{error}\" instead of null (no error) when Alice waved at Bob.");

        var waves = await WavesOnProfileAsync(b, "bob", TimeSpan.FromSeconds(15));
        Check.That(waves.Any(w => w.Contains("alice", StringComparison.Ordinal)),
            "Alice's server ran WaveAsync, but within 15 seconds no wave from alice showed on Bob's profile on server B. " +
            "Does WaveAsync put a signed Wave in the delivery queue, to Bob's inbox? See hint 1 of Exercise 4.");
    }

    /// <summary>Reads a profile page as a browser first gets it, every 200 ms until it shows a wave or <paramref name="timeout"/> passes.</summary>
    private static async Task<List<string>> WavesOnProfileAsync(RunningServer server, string username, TimeSpan timeout)
    {
        using var client = server.CreateClient();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var page = new HtmlParser().ParseDocument(await client.GetStringAsync($"/users/{username}"));
            var waves = page.QuerySelectorAll(".wave").Select(e => e.TextContent.Trim()).ToList();
            if (waves.Count > 0 || DateTime.UtcNow > deadline)
            {
                return waves;
            }
            await Task.Delay(200);
        }
    }
}
