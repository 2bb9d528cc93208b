using System.Net;
using FedChat.Core.Discovery;
using Makaretu.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>
/// Real packets from Avahi 0.8 (how they were captured: Fixtures/README.md), read by the package's
/// parser (Makaretu.Dns) and interpreted by FedChat's DNS-SD code.
/// </summary>
public class AvahiPacketTests
{
    private static readonly DomainName AvahiTest = new DomainName(["Avahi Test", "_fedchat", "_tcp", "local"]);
    private static readonly DomainName AvahiHost = new("fcmdns-avahi.local");

    public static TheoryData<string> AvahiPackets => new(DnsFixture.AvahiPacketNames);

    private static Message Parse(string name)
    {
        var message = new Message();
        message.Read(DnsFixture.Load(name));
        return message;
    }

    [Fact]
    public void Parse_ServiceAnnouncement_HasSrvPort5080AndTxtValues()
    {
        var message = Parse("avahi-service-announcement");

        Assert.True(message.IsResponse);
        Assert.True(message.AA);
        Assert.Empty(message.Questions);
        Assert.Equal([DnsType.TXT, DnsType.PTR, DnsType.SRV, DnsType.AAAA, DnsType.A, DnsType.PTR], message.Answers.Select(record => record.Type));

        var srv = Assert.IsType<SRVRecord>(Assert.Single(message.Answers, record => record.Type == DnsType.SRV));
        Assert.Equal(AvahiTest, srv.Name);
        Assert.Equal(5080, srv.Port);
        Assert.Equal(AvahiHost, srv.Target);
        Assert.True(MdnsRecords.IsCacheFlush(srv));
        Assert.Equal(120u, MdnsRecords.Ttl(srv));

        var txt = Assert.IsType<TXTRecord>(Assert.Single(message.Answers, record => record.Type == DnsType.TXT));
        Assert.Equal(["name=test", "version=1.0"], txt.Strings);
        Assert.Equal("1.0", MdnsRecords.TxtPairs(txt.Strings)["Version"]);

        var ptr = Assert.IsType<PTRRecord>(message.Answers[1]);
        Assert.Equal(ServiceInstance.FedChatServiceType, ptr.Name);
        Assert.Equal(AvahiTest, ptr.DomainName);
        Assert.False(MdnsRecords.IsCacheFlush(ptr));
        Assert.Equal(4500u, MdnsRecords.Ttl(ptr));

        var services = Assert.IsType<PTRRecord>(message.Answers[5]);
        Assert.Equal(ServiceInstance.ServiceTypeEnumerationName, services.Name);
        Assert.Equal(ServiceInstance.FedChatServiceType, services.DomainName);
    }

    [Fact]
    public void FromMessage_ServiceAnnouncement_FindsTheAvahiTestInstance()
    {
        var instance = Assert.Single(ServiceInstance.FromMessage(Parse("avahi-service-announcement")));

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
        var message = Parse("avahi-service-probe");

        Assert.False(message.IsResponse);
        var question = Assert.Single(message.Questions);
        Assert.Equal(AvahiTest, question.Name);
        Assert.Equal(DnsType.ANY, question.Type);
        Assert.Equal([DnsType.SRV, DnsType.TXT], message.AuthorityRecords.Select(record => record.Type));
        Assert.Equal(5080, Assert.IsType<SRVRecord>(message.AuthorityRecords[0]).Port);

        // Probed records are only proposed, so they describe no instance yet (RFC 6762 §8.2).
        Assert.Empty(ServiceInstance.FromMessage(message));
    }

    [Fact]
    public void Parse_BrowseQuery_HasPtrQuestionAndKnownAnswer()
    {
        var message = Parse("avahi-browse-query");

        Assert.False(message.IsResponse);
        var question = Assert.Single(message.Questions);
        Assert.Equal((ServiceInstance.FedChatServiceType, DnsType.PTR), (question.Name, question.Type));
        Assert.Equal(AvahiTest, Assert.IsType<PTRRecord>(Assert.Single(message.Answers)).DomainName);
    }

    [Fact]
    public void Parse_ServiceTypeEnumerationQuery_AsksForServicesDnsSdUdp()
    {
        var message = Parse("avahi-services-enumeration-query");

        Assert.Equal([ServiceInstance.ServiceTypeEnumerationName, ServiceInstance.FedChatServiceType], message.Questions.Select(question => question.Name));
        Assert.All(message.Questions, question => Assert.Equal(DnsType.PTR, question.Type));
    }

    [Fact]
    public void Parse_Goodbye_HasTtlZeroAndNoInstance()
    {
        var message = Parse("avahi-service-goodbye");

        Assert.All(message.Answers.Where(record => record.Type is not (DnsType.A or DnsType.AAAA)), record => Assert.Equal(0u, MdnsRecords.Ttl(record)));
        Assert.Empty(ServiceInstance.FromMessage(message));
    }

    [Fact]
    public void Parse_HostAnnouncement_HasAddressesAndReversePointers()
    {
        var message = Parse("avahi-host-announcement");

        Assert.All(message.Answers, record => Assert.True(MdnsRecords.IsCacheFlush(record)));
        var reverse = Assert.IsType<PTRRecord>(Assert.Single(message.Answers, record => record.Name == new DomainName("1.0.77.10.in-addr.arpa")));
        Assert.Equal(AvahiHost, reverse.DomainName);
        Assert.Contains(message.Answers, record => record is ARecord a && a.Address.Equals(IPAddress.Parse("10.77.0.1")));
    }

    [Theory]
    [MemberData(nameof(AvahiPackets))]
    public void Rewritten_AvahiPacket_ReadsBackToTheSameRecords(string name)
    {
        var parsed = Parse(name);

        var again = new Message();
        again.Read(parsed.ToByteArray());

        // FedChat's own goodbye and own-packet checks rely on the package writing what it read faithfully.
        Assert.Equal(parsed.ToString(), again.ToString());
        Assert.Equal(parsed.ToByteArray(), again.ToByteArray());
    }
}
