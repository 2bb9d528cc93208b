using FedChat.Core.Federation;
using FedChat.Core.Federation.Inbox;
using FedChat.Tests.Support;
using Microsoft.Extensions.Options;

namespace FedChat.Tests.Federation;

/// <summary>The replay guard: a captured request sent again is refused, with bounded memory.</summary>
public sealed class ReplayGuardTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly FederationOptions _options = new() { MaxSignatureAge = TimeSpan.FromMinutes(5), ClockSkew = TimeSpan.FromMinutes(1) };

    private ReplayGuard NewGuard() => new(_clock, Options.Create(_options));

    [Fact]
    public void TheSameSignatureTwice_IsAReplay()
    {
        var guard = NewGuard();

        Assert.True(guard.TryRecord("keyId=\"a\",signature=\"one\""));
        Assert.True(guard.TryRecord("keyId=\"a\",signature=\"two\""));
        Assert.False(guard.TryRecord("keyId=\"a\",signature=\"one\""));
    }

    [Fact]
    public void ASignature_IsForgottenOnlyOnceItWouldHaveExpiredAnyway()
    {
        var guard = NewGuard();
        guard.TryRecord("sig-1");

        _clock.Advance(TimeSpan.FromMinutes(5)); // still inside age + skew (6 minutes)
        Assert.False(guard.TryRecord("sig-1"));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(guard.TryRecord("sig-1"));
        Assert.Equal(1, guard.Count);
    }

    [Fact]
    public void ExpiredSignatures_AreDropped_SoMemoryFollowsTheTraffic()
    {
        var guard = NewGuard();
        for (var i = 0; i < 1_000; i++)
        {
            guard.TryRecord($"old-{i}");
        }

        _clock.Advance(TimeSpan.FromMinutes(7));
        guard.TryRecord("new");

        Assert.Equal(1, guard.Count);
    }

    [Fact]
    public void AFloodBeyondCapacity_DropsTheOldest_AndStillRefusesRecentReplays()
    {
        var guard = NewGuard();
        for (var i = 0; i < ReplayGuard.Capacity + 10; i++)
        {
            Assert.True(guard.TryRecord($"flood-{i}"));
        }

        Assert.Equal(ReplayGuard.Capacity, guard.Count);
        Assert.True(guard.TryRecord("flood-0")); // the oldest made room
        Assert.False(guard.TryRecord($"flood-{ReplayGuard.Capacity + 9}")); // the newest is still known
    }
}
