using FedChat.Core.Discovery;
using FedChat.Core.Discovery.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>Answering queries about our own service (RFC 6762 §6), without sockets.</summary>
public class MdnsResponderTests
{
    private static DnsMessage Query(DnsName name, DnsRecordType type, bool unicast = false, params DnsRecord[] known) =>
        new() { Questions = [new DnsQuestion(name, type) { UnicastResponse = unicast }], Answers = known };

    [Fact]
    public void PtrQuery_IsAnsweredWithPtr_AndSrvTxtAddressAsAdditionals()
    {
        var alice = DiscoveryRig.Alice();

        var reply = MdnsResponder.Answer(Query(ServiceInstance.FedChatServiceType, DnsRecordType.Ptr), DiscoveryRig.MdnsQuerier, alice);

        Assert.NotNull(reply);
        var ptr = Assert.Single(reply.Message.Answers);
        Assert.Equal(alice.FullName, ((PtrRecordData)ptr.Data).Target);
        Assert.Equal([DnsRecordType.Srv, DnsRecordType.Txt, DnsRecordType.A], reply.Message.Additionals.Select(r => r.Type));
        Assert.Null(reply.UnicastTo); // QM: multicast
        Assert.True(reply.Delay);     // a shared record: wait 20-120 ms
        Assert.Equal([alice], ServiceInstance.FromMessage(reply.Message));
    }

    [Theory]
    [InlineData(DnsRecordType.Srv, new[] { DnsRecordType.Srv })]
    [InlineData(DnsRecordType.Txt, new[] { DnsRecordType.Txt })]
    [InlineData(DnsRecordType.Any, new[] { DnsRecordType.Srv, DnsRecordType.Txt })]
    public void InstanceQuery_IsAnsweredAtOnce(DnsRecordType asked, DnsRecordType[] expected)
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

        var reply = MdnsResponder.Answer(Query(alice.HostName, DnsRecordType.A), DiscoveryRig.MdnsQuerier, alice);

        Assert.Equal(DiscoveryRig.AliceAddress, ((ARecordData)Assert.Single(reply!.Message.Answers).Data).Address);
    }

    [Fact]
    public void QuQuestion_IsAnsweredByUnicastToTheQuerier()
    {
        var reply = MdnsResponder.Answer(Query(ServiceInstance.FedChatServiceType, DnsRecordType.Ptr, unicast: true), DiscoveryRig.MdnsQuerier, DiscoveryRig.Alice());

        Assert.Equal(DiscoveryRig.MdnsQuerier, reply!.UnicastTo);
    }

    [Fact]
    public void LegacyUnicastQuery_GetsItsIdAndQuestionBack_AndTtlsOfAtMostTenSeconds()
    {
        var query = Query(ServiceInstance.FedChatServiceType, DnsRecordType.Ptr) with { Id = 4242 };

        var reply = MdnsResponder.Answer(query, DiscoveryRig.LegacyQuerier, DiscoveryRig.Alice());

        Assert.Equal(DiscoveryRig.LegacyQuerier, reply!.UnicastTo);
        Assert.Equal(4242, reply.Message.Id);
        Assert.Equal(query.Questions, reply.Message.Questions);
        Assert.All(reply.Message.AllRecords(), r => Assert.True(r.Ttl <= 10 && !r.CacheFlush));
    }

    [Fact]
    public void KnownAnswer_WithAtLeastHalfTheTtl_IsSuppressed()
    {
        var alice = DiscoveryRig.Alice();
        var ptr = alice.ToAnnouncementRecords()[0];

        var reply = MdnsResponder.Answer(Query(ServiceInstance.FedChatServiceType, DnsRecordType.Ptr, false, ptr with { Ttl = ptr.Ttl / 2 }), DiscoveryRig.MdnsQuerier, alice);

        Assert.Null(reply);
    }

    [Fact]
    public void KnownAnswer_WithLessThanHalfTheTtl_IsAnsweredAgain()
    {
        var alice = DiscoveryRig.Alice();
        var ptr = alice.ToAnnouncementRecords()[0];

        var reply = MdnsResponder.Answer(Query(ServiceInstance.FedChatServiceType, DnsRecordType.Ptr, false, ptr with { Ttl = (ptr.Ttl / 2) - 1 }), DiscoveryRig.MdnsQuerier, alice);

        Assert.NotNull(reply);
    }

    [Fact]
    public void AvahiBrowseQuery_WithSomeoneElseAsKnownAnswer_IsAnswered()
    {
        var query = DnsMessage.Parse(DnsFixture.Load("avahi-browse-query"));

        var reply = MdnsResponder.Answer(query, DiscoveryRig.MdnsQuerier, DiscoveryRig.Alice());

        Assert.Equal(DiscoveryRig.Alice().FullName, ((PtrRecordData)Assert.Single(reply!.Message.Answers).Data).Target);
    }

    [Fact]
    public void QueryForAnotherService_AndResponses_AreNotAnswered()
    {
        var alice = DiscoveryRig.Alice();

        Assert.Null(MdnsResponder.Answer(Query(DnsName.Parse("_http._tcp.local"), DnsRecordType.Ptr), DiscoveryRig.MdnsQuerier, alice));
        Assert.Null(MdnsResponder.Answer(alice.ToAnnouncementMessage(), DiscoveryRig.MdnsQuerier, alice));
    }

    [Fact]
    public void Probe_ForOurName_IsAnsweredAtOnce_SoTheProberPicksAnotherName()
    {
        var alice = DiscoveryRig.Alice();
        var probe = MdnsProbing.BuildProbe(DiscoveryRig.Bob() with { InstanceName = "alice" }, unicastResponse: false);

        var reply = MdnsResponder.Answer(probe, DiscoveryRig.MdnsQuerier, alice);

        Assert.False(reply!.Delay);
        Assert.Contains(reply.Message.Answers, r => r.Type == DnsRecordType.Srv);
    }
}
