using FedChat.Core.Discovery;
using FedChat.Tests.Support;
using Makaretu.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>The record cache: TTLs, goodbyes, cache-flush, known answers, refresh (RFC 6762 §5.2, §7.1, §10).</summary>
public class MdnsCacheTests
{
    private readonly ManualTimeProvider _clock = new();

    private static SRVRecord Srv(ushort port, uint ttl = 120) =>
        new() { Name = "bob._fedchat._tcp.local", Class = MdnsRecords.CacheFlushIn, TTL = TimeSpan.FromSeconds(ttl), Port = port, Target = "bob-5080.local" };

    [Fact]
    public void Record_IsKeptForItsTtl_ThenExpires()
    {
        var cache = new MdnsCache(_clock);
        cache.Add([Srv(5080)]);

        _clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Empty(cache.RemoveExpired());
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Single(cache.RemoveExpired());
        Assert.Empty(cache.Records);
    }

    [Fact]
    public void Goodbye_ExpiresTheRecordOneSecondLater()
    {
        var cache = new MdnsCache(_clock);
        cache.Add([Srv(5080)]);

        cache.Add([Srv(5080, ttl: 0)]);
        Assert.Equal(0u, MdnsRecords.Ttl(Assert.Single(cache.Records)));
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Single(cache.RemoveExpired());
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void GoodbyeForAnUnknownRecord_IsNotStored()
    {
        var cache = new MdnsCache(_clock);

        Assert.Equal(0, cache.Add([Srv(5080, ttl: 0)]));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void CacheFlush_ReplacesOlderDataOfTheSameNameAndType_AfterOneSecond()
    {
        var cache = new MdnsCache(_clock);
        cache.Add([Srv(5080)]);
        _clock.Advance(TimeSpan.FromSeconds(5));

        cache.Add([Srv(6080)]);
        _clock.Advance(TimeSpan.FromSeconds(1));
        cache.RemoveExpired();

        Assert.Equal(6080, Assert.IsType<SRVRecord>(Assert.Single(cache.Records)).Port);
    }

    [Fact]
    public void KnownAnswers_AreOnlyRecordsWithMoreThanHalfTheirTtlLeft_WithTheTtlLeft()
    {
        var cache = new MdnsCache(_clock);
        var ptr = DiscoveryRig.Bob().ToAnnouncementRecords()[0];
        cache.Add([ptr]);

        _clock.Advance(TimeSpan.FromSeconds(1000));
        Assert.Equal(MdnsRecords.Ttl(ptr) - 1000, MdnsRecords.Ttl(Assert.Single(cache.KnownAnswers(ptr.Name, DnsType.PTR))));
        _clock.Advance(TimeSpan.FromSeconds(1300));

        Assert.Empty(cache.KnownAnswers(ptr.Name, DnsType.PTR));
    }

    [Fact]
    public void Refresh_IsDueAt80Percent_AndAskedOnlyOncePerPoint()
    {
        var cache = new MdnsCache(_clock);
        cache.Add([Srv(5080)]);

        _clock.Advance(TimeSpan.FromSeconds(95));
        Assert.Empty(cache.DueForRefresh(_ => true));
        _clock.Advance(TimeSpan.FromSeconds(1)); // 96 s = 80% of 120 s

        Assert.Equal(DnsType.SRV, Assert.Single(cache.DueForRefresh(_ => true)).Type);
        Assert.Empty(cache.DueForRefresh(_ => true));
    }

    [Fact]
    public void Cache_IsBounded()
    {
        var cache = new MdnsCache(_clock, maxRecords: 10);

        cache.Add(Enumerable.Range(1, 50).Select(i => Srv((ushort)i)));

        Assert.Equal(10, cache.Count);
    }
}
