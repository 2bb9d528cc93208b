using FedChat.Core.Forge;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace FedChat.Tests.Forge;

/// <summary>
/// Two real servers for the forge lab: the student Alice (and Bob) on <c>server-a</c>, who uses the
/// lab; Guilherme on <c>server-b</c>, the target.
/// </summary>
internal sealed class ForgeRig : IAsyncDisposable
{
    private ForgeRig(RunningServer a, RunningServer b, int aliceId, int bobId)
    {
        A = a;
        B = b;
        AliceId = aliceId;
        BobId = bobId;
    }

    public RunningServer A { get; }

    public RunningServer B { get; }

    public int AliceId { get; }

    public int BobId { get; }

    /// <summary>The lab on Alice's server.</summary>
    public ForgeLab Lab => A.Get<ForgeLab>();

    public string AliceActorId => A.Get<ActorUrls>().ActorId("alice");

    public string GuilhermeActorId => B.Get<ActorUrls>().ActorId("guilherme");

    public string GuilhermeInbox => B.Get<ActorUrls>().Inbox("guilherme");

    public static async Task<ForgeRig> StartAsync(params string[] studentArgs)
    {
        var a = await RunningServer.StartAsync("server-a", studentArgs);
        var b = await RunningServer.StartAsync("server-b");
        var alice = await a.RegisterAsync("alice");
        var bob = await a.RegisterAsync("bob");
        await b.RegisterAsync("guilherme");
        return new ForgeRig(a, b, alice.Id, bob.Id);
    }

    /// <summary>A post claiming to be Guilherme's, as the page pre-fills it.</summary>
    public string ForgedGuilhermePost() => ForgePosts.Forged(GuilhermeActorId, "Hello, I am guilherme!", DateTimeOffset.UtcNow);

    /// <summary>How many activities a server has stored from others.</summary>
    public static async Task<int> ReceivedCountAsync(RunningServer server)
    {
        await using var db = await server.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        return await db.ReceivedActivities.CountAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
