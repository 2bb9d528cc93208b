using System.Net;
using FedChat.Core.Discovery;
using Makaretu.Dns;

namespace FedChat.Tests.Discovery;

public class ServiceInstanceTests
{
    private static readonly ServiceInstance Alice = new()
    {
        InstanceName = "alice (2)",
        HostName = new DomainName("alice-laptop.local"),
        Port = 5080,
        Txt = new Dictionary<string, string?> { ["name"] = "Alice Zoë", ["v"] = "0.1", ["relay"] = null },
        Addresses = [IPAddress.Parse("192.168.1.20"), IPAddress.Parse("fe80::1")],
    };

    [Fact]
    public void ToAnnouncementRecords_HasPtrSrvTxtAddressesAndServiceTypePtr()
    {
        var records = Alice.ToAnnouncementRecords();

        var fullName = new DomainName("alice (2)._fedchat._tcp.local");
        var flush = MdnsRecords.CacheFlushIn;
        ResourceRecord[] expected =
        [
            new PTRRecord { Name = ServiceInstance.FedChatServiceType, TTL = TimeSpan.FromSeconds(4500), DomainName = fullName },
            new SRVRecord { Name = fullName, Class = flush, TTL = TimeSpan.FromSeconds(120), Port = 5080, Target = Alice.HostName },
            new TXTRecord { Name = fullName, Class = flush, TTL = TimeSpan.FromSeconds(4500), Strings = ["name=Alice Zo%C3%AB", "v=0.1", "relay"] },
            new ARecord { Name = Alice.HostName, Class = flush, TTL = TimeSpan.FromSeconds(120), Address = IPAddress.Parse("192.168.1.20") },
            new AAAARecord { Name = Alice.HostName, Class = flush, TTL = TimeSpan.FromSeconds(120), Address = IPAddress.Parse("fe80::1") },
            new PTRRecord { Name = ServiceInstance.ServiceTypeEnumerationName, TTL = TimeSpan.FromSeconds(4500), DomainName = ServiceInstance.FedChatServiceType },
        ];

        // Compared on the wire: name, type, class (with the cache-flush bit), TTL and data.
        Assert.Equal(expected.Select(r => Convert.ToHexString(r.ToByteArray())), records.Select(r => Convert.ToHexString(r.ToByteArray())));
    }

    [Fact]
    public void ToGoodbyeRecords_AreTheAnnouncementWithTtlZero()
    {
        var goodbye = Alice.ToGoodbyeRecords();

        Assert.Equal(
            Alice.ToAnnouncementRecords().Select(r => Convert.ToHexString(MdnsRecords.Copy(r, TimeSpan.Zero, MdnsRecords.IsCacheFlush(r)).ToByteArray())),
            goodbye.Select(r => Convert.ToHexString(r.ToByteArray())));
    }

    [Fact]
    public void FromMessage_OfOwnAnnouncementSentOverTheWire_GivesTheInstanceBack()
    {
        var packet = Alice.ToAnnouncementMessage().ToByteArray();

        var received = new Message();
        received.Read(packet);
        var found = ServiceInstance.FromMessage(received);

        Assert.Equal(Alice, Assert.Single(found));
        Assert.Equal("Alice Zoë", found[0].Txt["name"]); // sent percent-encoded, as the package writes only ASCII
        Assert.Null(found[0].Txt["RELAY"]); // present without a value: boolean true
        Assert.True(found[0].Txt.ContainsKey("Relay"));
    }

    [Fact]
    public void FromMessage_Goodbye_FindsNothing()
    {
        var goodbye = ServiceInstance.Response(Alice.ToGoodbyeRecords());

        Assert.Empty(ServiceInstance.FromMessage(goodbye));
    }

    [Fact]
    public void FromMessage_UsesAnswersAndAdditionalsButNotAuthorities()
    {
        var records = Alice.ToAnnouncementRecords();
        var ptrAnswerRestAdditional = ServiceInstance.Response([records[0]]);
        ptrAnswerRestAdditional.AdditionalRecords.AddRange(records.Skip(1));
        var probe = new Message();
        probe.Questions.Add(new Question { Name = Alice.FullName, Type = DnsType.ANY });
        probe.AuthorityRecords.AddRange(records);

        Assert.Equal(Alice, Assert.Single(ServiceInstance.FromMessage(ptrAnswerRestAdditional)));
        Assert.Empty(ServiceInstance.FromMessage(probe));
    }

    [Fact]
    public void FromRecords_PiecesFromSeveralMessages_AreAssembled()
    {
        var records = Alice.ToAnnouncementRecords();

        var found = ServiceInstance.FromRecords([records[0], records[2], records[1], records[4], records[3]]);

        Assert.Equal(
            Alice with { Addresses = [IPAddress.Parse("fe80::1"), IPAddress.Parse("192.168.1.20")] },
            Assert.Single(found));
    }

    [Fact]
    public void FromRecords_WithoutSrv_FindsNothing_WithoutTxt_HasEmptyTxt()
    {
        var records = Alice.ToAnnouncementRecords();

        Assert.Empty(ServiceInstance.FromRecords([records[0], records[2]]));
        Assert.Empty(Assert.Single(ServiceInstance.FromRecords([records[0], records[1]])).Txt);
    }

    [Fact]
    public void FromRecords_OtherServiceTypes_AreIgnored()
    {
        var printer = Alice with { InstanceName = "printer", ServiceType = new DomainName("_ipp._tcp.local") };

        var found = ServiceInstance.FromRecords([.. printer.ToAnnouncementRecords(), .. Alice.ToAnnouncementRecords()]);

        Assert.Equal("alice (2)", Assert.Single(found).InstanceName);
        Assert.Equal("printer", Assert.Single(ServiceInstance.FromRecords(printer.ToAnnouncementRecords(), printer.ServiceType)).InstanceName);
    }

    [Fact]
    public void FullName_InstanceNameWithDots_StaysOneLabel()
    {
        var bob = Alice with { InstanceName = "Bob's Laptop v2.0" };

        Assert.Equal(["Bob's Laptop v2.0", "_fedchat", "_tcp", "local"], bob.FullName.Labels);
        Assert.Equal("Bob's Laptop v2.0", Assert.Single(ServiceInstance.FromRecords(bob.ToAnnouncementRecords())).InstanceName);
    }

    [Fact]
    public void Txt_KeysAreCaseInsensitive_WhateverDictionaryWasGiven()
    {
        Assert.Equal("0.1", Alice.Txt["V"]);
        Assert.Throws<ArgumentException>(() => Alice with { Txt = new Dictionary<string, string?> { ["v"] = "1", ["V"] = "2" } });
    }

    [Fact]
    public void TxtPairs_FollowRfc6763Section6_4()
    {
        var pairs = MdnsRecords.TxtPairs(["Name=alice", "NAME=ignored, the first one counts", "empty=", "flag", "=no key", "", "a=b=c"]);

        Assert.Equal("alice", pairs["name"]);
        Assert.Equal("", pairs["empty"]);
        Assert.True(pairs.ContainsKey("FLAG"));
        Assert.Null(pairs["flag"]);
        Assert.Equal("b=c", pairs["a"]);
        Assert.Equal(4, pairs.Count);
    }

    [Fact]
    public void TxtStrings_LeaveOutWhatDoesNotFit_AndAreNeverEmpty()
    {
        var strings = MdnsRecords.TxtStrings([new("k", new string('v', 253)), new("long", new string('v', 260)), new("a=b", "c"), new("", "c")]);

        Assert.Equal(255, Assert.Single(strings).Length);
        Assert.Equal([""], MdnsRecords.TxtStrings([])); // RFC 6763 §6.1: one empty string, never no strings
    }
}
