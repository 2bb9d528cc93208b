using FedChat.Core.Discovery;
using Makaretu.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>Answering queries about our own service (RFC 6762 §6), without sockets.</summary>
public class MdnsResponderTests
{
    private static Message Query(DomainName name, DnsType type, bool unicast = false, params ResourceRecord[] known)
    {
        var query = new Message();
        query.Questions.Add(new Question { Name = name, Type = type, Class = unicast ? (DnsClass)0x8001 : DnsClass.IN });
        query.Answers.AddRange(known);
        return query;
    }

    private static ResourceRecord WithTtl(ResourceRecord record, uint seconds) => MdnsRecords.Copy(record, TimeSpan.FromSeconds(seconds), MdnsRecords.IsCacheFlush(record));

    [Fact]
    public void PtrQuery_IsAnsweredWithPtr_AndSrvTxtAddressAsAdditionals()
    {
        var alice = DiscoveryRig.Alice();

        var reply = MdnsResponder.Answer(Query(ServiceInstance.FedChatServiceType, DnsType.PTR), DiscoveryRig.MdnsQuerier, alice);

        Assert.NotNull(reply);
        var ptr = Assert.Single(reply.Message.Answers);
        Assert.Equal(alice.FullName, Assert.IsType<PTRRecord>(ptr).DomainName);
        Assert.Equal([DnsType.SRV, DnsType.TXT, DnsType.A], reply.Message.AdditionalRecords.Select(r => r.Type));
        Assert.Null(reply.UnicastTo); // QM: multicast
        Assert.True(reply.Delay);     // a shared record: wait 20-120 ms
        Assert.Equal([alice], ServiceInstance.FromMessage(reply.Message));
    }

    [Theory]
    [InlineData(DnsType.SRV, new[] { DnsType.SRV })]
    [InlineData(DnsType.TXT, new[] { DnsType.TXT })]
    [InlineData(DnsType.ANY, new[] { DnsType.SRV, DnsType.TXT })]
    public void InstanceQuery_IsAnsweredAtOnce(DnsType asked, DnsType[] expected)
    {
        var alice = DiscoveryRig.Alice();

        var reply = MdnsResponder.Answer(Query(alice.FullName, asked), DiscoveryRig.MdnsQuerier, alice);

        Assert.Equal(expected, reply!.Message.Answers.Select(r => r.Type));
        Assert.False(reply.Delay); // unique records only
    }

    [Fact]
    public void AddressQuery_ForOurHost_GetsTheARecord()
    {
        var alice = DiscoveryRig.Alice();

        var reply = MdnsResponder.Answer(Query(alice.HostName, DnsType.A), DiscoveryRig.MdnsQuerier, alice);

        Assert.Equal(DiscoveryRig.AliceAddress, Assert.IsType<ARecord>(Assert.Single(reply!.Message.Answers)).Address);
    }

    [Fact]
    public void QuQuestion_IsAnsweredByMulticast_BecauseServersOnOneLaptopSharePort5353()
    {
        var reply = MdnsResponder.Answer(Query(ServiceInstance.FedChatServiceType, DnsType.PTR, unicast: true), DiscoveryRig.MdnsQuerier, DiscoveryRig.Alice());

        Assert.Null(reply!.UnicastTo);
    }

    [Fact]
    public void LegacyUnicastQuery_GetsItsIdAndQuestionBack_AndTtlsOfAtMostTenSeconds()
    {
        var query = Query(ServiceInstance.FedChatServiceType, DnsType.PTR);
        query.Id = 4242;

        var reply = MdnsResponder.Answer(query, DiscoveryRig.LegacyQuerier, DiscoveryRig.Alice());

        Assert.Equal(DiscoveryRig.LegacyQuerier, reply!.UnicastTo);
        Assert.Equal(4242, reply.Message.Id);
        Assert.Equal(query.Questions.Select(q => q.Name), reply.Message.Questions.Select(q => q.Name));
        Assert.All(reply.Message.Answers.Concat(reply.Message.AdditionalRecords), r => Assert.True(MdnsRecords.Ttl(r) <= 10 && !MdnsRecords.IsCacheFlush(r)));
    }

    [Fact]
    public void KnownAnswer_WithAtLeastHalfTheTtl_IsSuppressed()
    {
        var alice = DiscoveryRig.Alice();
        var ptr = alice.ToAnnouncementRecords()[0];

        var reply = MdnsResponder.Answer(Query(ServiceInstance.FedChatServiceType, DnsType.PTR, false, WithTtl(ptr, MdnsRecords.Ttl(ptr) / 2)), DiscoveryRig.MdnsQuerier, alice);

        Assert.Null(reply);
    }

    [Fact]
    public void KnownAnswer_WithLessThanHalfTheTtl_IsAnsweredAgain()
    {
        var alice = DiscoveryRig.Alice();
        var ptr = alice.ToAnnouncementRecords()[0];

        var reply = MdnsResponder.Answer(Query(ServiceInstance.FedChatServiceType, DnsType.PTR, false, WithTtl(ptr, (MdnsRecords.Ttl(ptr) / 2) - 1)), DiscoveryRig.MdnsQuerier, alice);

        Assert.NotNull(reply);
    }

    [Fact]
    public void AvahiBrowseQuery_WithSomeoneElseAsKnownAnswer_IsAnswered()
    {
        var query = DnsFixture.Parse(("avahi-browse-query"));

        var reply = MdnsResponder.Answer(query, DiscoveryRig.MdnsQuerier, DiscoveryRig.Alice());

        Assert.Equal(DiscoveryRig.Alice().FullName, Assert.IsType<PTRRecord>(Assert.Single(reply!.Message.Answers)).DomainName);
    }

    [Fact]
    public void QueryForAnotherService_AndResponses_AreNotAnswered()
    {
        var alice = DiscoveryRig.Alice();

        Assert.Null(MdnsResponder.Answer(Query(new DomainName("_http._tcp.local"), DnsType.PTR), DiscoveryRig.MdnsQuerier, alice));
        Assert.Null(MdnsResponder.Answer(alice.ToAnnouncementMessage(), DiscoveryRig.MdnsQuerier, alice));
    }

    [Fact]
    public void Probe_ForOurName_IsAnsweredAtOnce_SoTheProberPicksAnotherName()
    {
        var alice = DiscoveryRig.Alice();
        var probe = MdnsProbing.BuildProbe(DiscoveryRig.Bob() with { InstanceName = "alice" }, unicastResponse: false);

        var reply = MdnsResponder.Answer(probe, DiscoveryRig.MdnsQuerier, alice);

        Assert.False(reply!.Delay);
        Assert.Contains(reply.Message.Answers, r => r.Type == DnsType.SRV);
    }
}
