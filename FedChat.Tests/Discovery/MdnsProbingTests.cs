using FedChat.Core.Discovery;
using Makaretu.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>Claiming a name: naming, probes, conflicts and tiebreaks (RFC 6762 §8, §9).</summary>
public class MdnsProbingTests
{
    [Theory]
    [InlineData(1, "alice")]
    [InlineData(2, "alice (2)")]
    [InlineData(3, "alice (3)")]
    public void InstanceName_AfterConflicts_GetsANumber(int attempt, string expected) =>
        Assert.Equal(expected, LocalService.InstanceNameFor("alice", attempt));

    [Fact]
    public void InstanceName_ThatIsTooLong_IsShortenedToOneLabel()
    {
        var name = LocalService.InstanceNameFor(new string('x', 100), 12);

        Assert.EndsWith(" (12)", name, StringComparison.Ordinal);
        Assert.Equal(MdnsRecords.MaxLabelBytes, name.Length);
    }

    [Theory]
    [InlineData("Alice's Laptop", 1, "alice-s-laptop-5080.local")]
    [InlineData("alice", 2, "alice-5080-2.local")]
    [InlineData("Ünïcode ✓", 1, "n-code-5080.local")]
    [InlineData("...", 1, "fedchat-5080.local")]
    public void HostName_IsDnsSafe_AndCarriesThePort(string name, int attempt, string expected) =>
        Assert.Equal(expected, LocalService.HostNameFor(name, 5080, attempt).ToString());

    [Fact]
    public void Probe_AsksAnyForBothNames_AndProposesOurRecords()
    {
        var probe = MdnsProbing.BuildProbe(DiscoveryRig.Alice(), unicastResponse: true);

        Assert.All(probe.Questions, q => Assert.Equal(DnsType.ANY, q.Type));
        Assert.Equal([DiscoveryRig.Alice().FullName, DiscoveryRig.Alice().HostName], probe.Questions.Select(q => q.Name));
        Assert.Equal([DnsType.SRV, DnsType.TXT, DnsType.A], probe.AuthorityRecords.Select(r => r.Type));
    }

    [Fact]
    public void AnotherHostAnsweringForAlice_IsAConflict_SoWeBecomeAlice2()
    {
        var theirs = DiscoveryRig.Bob() with { InstanceName = "alice" };
        var attempt = 1;

        // What MdnsService does: each conflicting answer moves to the next name.
        while (MdnsProbing.IsConflict(theirs.ToAnnouncementMessage(), DiscoveryRig.Alice(attempt)) && attempt < 10)
        {
            attempt++;
        }

        Assert.Equal("alice (2)", DiscoveryRig.Alice(attempt).InstanceName);
    }

    [Fact]
    public void OurOwnRecords_AGoodbye_OrAnotherName_AreNoConflict()
    {
        var alice = DiscoveryRig.Alice();

        Assert.False(MdnsProbing.IsConflict(alice.ToAnnouncementMessage(), alice));
        Assert.False(MdnsProbing.IsConflict(ServiceInstance.Response((DiscoveryRig.Bob() with { InstanceName = "alice" }).ToGoodbyeRecords()), alice));
        Assert.False(MdnsProbing.IsConflict(DiscoveryRig.Bob().ToAnnouncementMessage(), alice));
    }

    [Fact]
    public void SimultaneousProbe_TheLexicographicallyLaterRecordsWin()
    {
        var alice = DiscoveryRig.Alice();
        var later = alice with { Port = 9000 };   // SRV data compares higher
        var earlier = alice with { Port = 1000 };

        Assert.True(MdnsProbing.LosesTiebreak(MdnsProbing.BuildProbe(later, false), alice));
        Assert.False(MdnsProbing.LosesTiebreak(MdnsProbing.BuildProbe(earlier, false), alice));
        Assert.False(MdnsProbing.LosesTiebreak(MdnsProbing.BuildProbe(DiscoveryRig.Bob(), false), alice));
    }

    [Fact]
    public void AvahiProbe_ForItsOwnName_DoesNotConcernUs()
    {
        var probe = DnsFixture.Parse(("avahi-service-probe"));

        Assert.False(MdnsProbing.LosesTiebreak(probe, DiscoveryRig.Alice()));
        Assert.True(MdnsProbing.LosesTiebreak(probe, DiscoveryRig.Alice() with { InstanceName = "Avahi Test", Txt = new Dictionary<string, string?>() }));
    }
}
