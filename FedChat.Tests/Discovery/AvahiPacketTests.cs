using System.Net;
using FedChat.Core.Discovery.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>Real packets from Avahi 0.8 (how they were captured: Fixtures/README.md).</summary>
public class AvahiPacketTests
{
    private static readonly DnsName AvahiTest = DnsName.Parse("Avahi Test._fedchat._tcp.local");
    private static readonly DnsName AvahiHost = DnsName.Parse("fcmdns-avahi.local");

    public static TheoryData<string> AvahiPackets => new(DnsFixture.AvahiPacketNames);

    [Fact]
    public void Parse_ServiceAnnouncement_HasSrvPort5080AndTxtValues()
    {
        var message = DnsMessage.Parse(DnsFixture.Load("avahi-service-announcement"));

        Assert.True(message.IsResponse);
        Assert.True(message.IsAuthoritative);
        Assert.Empty(message.Questions);
        Assert.Equal(
            [DnsRecordType.Txt, DnsRecordType.Ptr, DnsRecordType.Srv, DnsRecordType.Aaaa, DnsRecordType.A, DnsRecordType.Ptr],
            message.Answers.Select(record => record.Type));

        var srvRecord = Assert.Single(message.Answers, record => record.Type == DnsRecordType.Srv);
        var srv = Assert.IsType<SrvRecordData>(srvRecord.Data);
        Assert.Equal(AvahiTest, srvRecord.Name);
        Assert.Equal(5080, srv.Port);
        Assert.Equal(AvahiHost, srv.Target);
        Assert.True(srvRecord.CacheFlush);
        Assert.Equal(120u, srvRecord.Ttl);

        var txt = Assert.IsType<TxtRecordData>(Assert.Single(message.Answers, record => record.Type == DnsRecordType.Txt).Data);
        Assert.Equal(["name=test", "version=1.0"], txt.Strings);
        Assert.Equal("1.0", txt.ToDictionary()["Version"]);

        var ptr = message.Answers[1];
        Assert.Equal(ServiceInstance.FedChatServiceType, ptr.Name);
        Assert.Equal(AvahiTest, Assert.IsType<PtrRecordData>(ptr.Data).Target);
        Assert.False(ptr.CacheFlush);
        Assert.Equal(4500u, ptr.Ttl);

        var services = message.Answers[5];
        Assert.Equal(ServiceInstance.ServiceTypeEnumerationName, services.Name);
        Assert.Equal(ServiceInstance.FedChatServiceType, Assert.IsType<PtrRecordData>(services.Data).Target);
    }

    [Fact]
    public void FromMessage_ServiceAnnouncement_FindsTheAvahiTestInstance()
    {
        var message = DnsMessage.Parse(DnsFixture.Load("avahi-service-announcement"));

        var instance = Assert.Single(ServiceInstance.FromMessage(message));

        Assert.Equal("Avahi Test", instance.InstanceName);
        Assert.Equal(AvahiHost, instance.HostName);
        Assert.Equal(5080, instance.Port);
        Assert.Equal("test", instance.Txt["name"]);
        Assert.Equal("1.0", instance.Txt["VERSION"]);
        Assert.Equal([IPAddress.Parse("fe80::d4d6:2eff:fee5:2333"), IPAddress.Parse("10.77.0.1")], instance.Addresses);
    }

    [Fact]
    public void Parse_Probe_HasAnyQuestionAndProposedRecordsInAuthority()
    {
        var message = DnsMessage.Parse(DnsFixture.Load("avahi-service-probe"));

        Assert.False(message.IsResponse);
        var question = Assert.Single(message.Questions);
        Assert.Equal(new DnsQuestion(AvahiTest, DnsRecordType.Any), question);
        Assert.Equal([DnsRecordType.Srv, DnsRecordType.Txt], message.Authorities.Select(record => record.Type));
        Assert.Equal(5080, Assert.IsType<SrvRecordData>(message.Authorities[0].Data).Port);

        // Probed records are only proposed, so they describe no instance yet (RFC 6762 §8.2).
        Assert.Empty(ServiceInstance.FromMessage(message));
    }

    [Fact]
    public void Parse_BrowseQuery_HasPtrQuestionAndKnownAnswer()
    {
        var message = DnsMessage.Parse(DnsFixture.Load("avahi-browse-query"));

        Assert.False(message.IsResponse);
        Assert.Equal(new DnsQuestion(ServiceInstance.FedChatServiceType, DnsRecordType.Ptr), Assert.Single(message.Questions));
        var knownAnswer = Assert.Single(message.Answers);
        Assert.Equal(AvahiTest, Assert.IsType<PtrRecordData>(knownAnswer.Data).Target);
    }

    [Fact]
    public void Parse_ServiceTypeEnumerationQuery_AsksForServicesDnsSdUdp()
    {
        var message = DnsMessage.Parse(DnsFixture.Load("avahi-services-enumeration-query"));

        Assert.Equal(
            [ServiceInstance.ServiceTypeEnumerationName, ServiceInstance.FedChatServiceType],
            message.Questions.Select(question => question.Name));
        Assert.All(message.Questions, question => Assert.Equal(DnsRecordType.Ptr, question.Type));
    }

    [Fact]
    public void Parse_Goodbye_HasTtlZeroAndNoInstance()
    {
        var message = DnsMessage.Parse(DnsFixture.Load("avahi-service-goodbye"));

        Assert.All(
            message.Answers.Where(record => record.Type is not (DnsRecordType.A or DnsRecordType.Aaaa)),
            record => Assert.Equal(0u, record.Ttl));
        Assert.Empty(ServiceInstance.FromMessage(message));
    }

    [Fact]
    public void Parse_HostAnnouncement_HasAddressesAndReversePointers()
    {
        var message = DnsMessage.Parse(DnsFixture.Load("avahi-host-announcement"));

        Assert.All(message.Answers, record => Assert.True(record.CacheFlush));
        var reverse = Assert.Single(message.Answers, record => record.Name == DnsName.Parse("1.0.77.10.in-addr.arpa"));
        Assert.Equal(AvahiHost, Assert.IsType<PtrRecordData>(reverse.Data).Target);
        Assert.Contains(message.Answers, record => record.Data == new ARecordData(IPAddress.Parse("10.77.0.1")));
    }

    [Theory]
    [MemberData(nameof(AvahiPackets))]
    public void ToBytes_OfParsedAvahiPacket_IsByteForByteTheSame(string name)
    {
        var packet = DnsFixture.Load(name);

        var rewritten = DnsMessage.Parse(packet).ToBytes();

        // Our compression picks the same earlier copies as Avahi's, so even the pointers match.
        Assert.Equal(Convert.ToHexString(packet), Convert.ToHexString(rewritten));
    }
}
