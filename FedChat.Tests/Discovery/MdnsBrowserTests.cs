using FedChat.Core.Discovery;
using FedChat.Tests.Support;
using Makaretu.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>Browsing: queries with back-off and known answers, and instances coming and going (RFC 6762 §5.2, §10.1).</summary>
public class MdnsBrowserTests
{
    private readonly ManualTimeProvider _clock = new();

    [Fact]
    public void Announcement_MakesAnInstanceAppear()
    {
        var cache = new MdnsCache(_clock);
        var browser = new MdnsBrowser(cache);

        cache.Add(DiscoveryRig.Bob().ToAnnouncementRecords());
        var changes = browser.Update();

        Assert.Equal([DiscoveryRig.Bob()], changes.Appeared);
        Assert.True(browser.Update().IsEmpty);
    }

    [Fact]
    public void Goodbye_MakesItGoAtOnce_WithReasonGoodbye()
    {
        var cache = new MdnsCache(_clock);
        var browser = new MdnsBrowser(cache);
        cache.Add(DiscoveryRig.Bob().ToAnnouncementRecords());
        browser.Update();

        cache.Add(DiscoveryRig.Bob().ToGoodbyeRecords());

        Assert.Equal("goodbye", Assert.Single(browser.Update().Gone).Reason);
    }

    [Fact]
    public void SrvExpiry_MakesItGo_WithReasonExpired()
    {
        var cache = new MdnsCache(_clock);
        var browser = new MdnsBrowser(cache);
        cache.Add(DiscoveryRig.Bob().ToAnnouncementRecords());
        browser.Update();

        _clock.Advance(TimeSpan.FromSeconds(ServiceInstance.HostRecordTtl));
        cache.RemoveExpired();

        Assert.Equal("records expired", Assert.Single(browser.Update().Gone).Reason);
    }

    [Fact]
    public void NewTxt_IsAChange()
    {
        var cache = new MdnsCache(_clock);
        var browser = new MdnsBrowser(cache);
        cache.Add(DiscoveryRig.Bob(users: 1).ToAnnouncementRecords());
        browser.Update();
        _clock.Advance(TimeSpan.FromSeconds(2));

        cache.Add(DiscoveryRig.Bob(users: 5).ToAnnouncementRecords());

        Assert.Equal("5", Assert.Single(browser.Update().Changed).Txt["users"]);
    }

    [Fact]
    public void QueryIntervals_Double_UpToAnHour()
    {
        var browser = new MdnsBrowser(new MdnsCache(_clock));

        var intervals = Enumerable.Range(0, 15).Select(_ => browser.NextQueryInterval().TotalSeconds).ToList();

        Assert.Equal([1, 2, 4, 8, 16], intervals.Take(5));
        Assert.Equal(3600, intervals[^1]);
    }

    [Fact]
    public void Query_AsksForThePtr_AndListsKnownInstancesAsKnownAnswers()
    {
        var cache = new MdnsCache(_clock);
        cache.Add(DiscoveryRig.Bob().ToAnnouncementRecords());

        var query = new MdnsBrowser(cache).BuildQuery();

        var question = Assert.Single(query.Questions);
        Assert.Equal((ServiceInstance.FedChatServiceType, DnsType.PTR), (question.Name, question.Type));
        Assert.Equal(DiscoveryRig.Bob().FullName, Assert.IsType<PTRRecord>(Assert.Single(query.Answers)).DomainName);
    }

    [Fact]
    public void AvahiAnnouncement_BecomesAPeerSighting_WithAnAddressUrl()
    {
        var cache = new MdnsCache(_clock);
        var browser = new MdnsBrowser(cache);
        cache.Add(DnsFixture.Parse(("avahi-service-announcement")).Answers);

        var sighting = PeerSighting.FromService(Assert.Single(browser.Update().Appeared));

        Assert.Equal(new Uri("http://10.77.0.1:5080/"), sighting!.Url); // no url= in its TXT: from A and SRV
        Assert.Equal("test", sighting.Name);
        Assert.Equal("1.0", sighting.Version);
    }
}
