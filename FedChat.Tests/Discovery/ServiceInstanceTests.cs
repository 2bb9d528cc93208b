using System.Net;
using FedChat.Core.Discovery.Dns;

namespace FedChat.Tests.Discovery;

public class ServiceInstanceTests
{
    private static readonly ServiceInstance Alice = new()
    {
        InstanceName = "alice (2)",
        HostName = DnsName.Parse("alice-laptop.local"),
        Port = 5080,
        Txt = new Dictionary<string, string?> { ["name"] = "Alice Zoë", ["v"] = "0.1", ["relay"] = null },
        Addresses = [IPAddress.Parse("192.168.1.20"), IPAddress.Parse("fe80::1")],
    };

    [Fact]
    public void ToAnnouncementRecords_HasPtrSrvTxtAddressesAndServiceTypePtr()
    {
        var records = Alice.ToAnnouncementRecords();

        var fullName = DnsName.Parse("alice (2)._fedchat._tcp.local");
        Assert.Equal(
            [
                new DnsRecord(ServiceInstance.FedChatServiceType, 4500, new PtrRecordData(fullName)),
                new DnsRecord(fullName, 120, new SrvRecordData(0, 0, 5080, Alice.HostName)) { CacheFlush = true },
                new DnsRecord(fullName, 4500, new TxtRecordData(["name=Alice Zoë", "v=0.1", "relay"])) { CacheFlush = true },
                new DnsRecord(Alice.HostName, 120, new ARecordData(IPAddress.Parse("192.168.1.20"))) { CacheFlush = true },
                new DnsRecord(Alice.HostName, 120, new AaaaRecordData(IPAddress.Parse("fe80::1"))) { CacheFlush = true },
                new DnsRecord(ServiceInstance.ServiceTypeEnumerationName, 4500, new PtrRecordData(ServiceInstance.FedChatServiceType)),
            ],
            records);
    }

    [Fact]
    public void ToGoodbyeRecords_AreTheAnnouncementWithTtlZero()
    {
        var goodbye = Alice.ToGoodbyeRecords();

        Assert.Equal(Alice.ToAnnouncementRecords().Select(record => record with { Ttl = 0 }), goodbye);
    }

    [Fact]
    public void FromMessage_OfOwnAnnouncementSentOverTheWire_GivesTheInstanceBack()
    {
        var packet = Alice.ToAnnouncementMessage().ToBytes();

        var found = ServiceInstance.FromMessage(DnsMessage.Parse(packet));

        Assert.Equal(Alice, Assert.Single(found));
        Assert.Null(found[0].Txt["RELAY"]); // present without a value: boolean true
        Assert.True(found[0].Txt.ContainsKey("Relay"));
    }

    [Fact]
    public void FromMessage_Goodbye_FindsNothing()
    {
        var goodbye = new DnsMessage { IsResponse = true, Answers = Alice.ToGoodbyeRecords() };

        Assert.Empty(ServiceInstance.FromMessage(goodbye));
    }

    [Fact]
    public void FromMessage_UsesAnswersAndAdditionalsButNotAuthorities()
    {
        var records = Alice.ToAnnouncementRecords();
        var ptrAnswerRestAdditional = new DnsMessage { Answers = [records[0]], Additionals = [.. records.Skip(1)] };
        var probe = new DnsMessage { Questions = [new DnsQuestion(Alice.FullName, DnsRecordType.Any)], Authorities = records };

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
        var printer = Alice with { InstanceName = "printer", ServiceType = DnsName.Parse("_ipp._tcp.local") };

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
    public void TxtToDictionary_FollowsRfc6763Section6_4()
    {
        var txt = new TxtRecordData(["Name=alice", "NAME=ignored, the first one counts", "empty=", "flag", "=no key", "", "a=b=c"]);

        var pairs = txt.ToDictionary();

        Assert.Equal("alice", pairs["name"]);
        Assert.Equal("", pairs["empty"]);
        Assert.True(pairs.ContainsKey("FLAG"));
        Assert.Null(pairs["flag"]);
        Assert.Equal("b=c", pairs["a"]);
        Assert.Equal(4, pairs.Count);
    }

    [Fact]
    public void TxtFromDictionary_ValueUpTo255Bytes_LongerThrows()
    {
        var fits = TxtRecordData.FromDictionary([new("k", new string('v', 253))]);

        Assert.Equal(255, Assert.Single(fits.Strings).Length);
        Assert.Throws<ArgumentException>(() => TxtRecordData.FromDictionary([new("k", new string('v', 254))]));
    }

    [Fact]
    public void TxtFromDictionary_BadOrRepeatedKeys_Throw()
    {
        Assert.Throws<ArgumentException>(() => TxtRecordData.FromDictionary([new("a=b", "c")]));
        Assert.Throws<ArgumentException>(() => TxtRecordData.FromDictionary([new("", "c")]));
        Assert.Throws<ArgumentException>(() => TxtRecordData.FromDictionary([new("key", "1"), new("KEY", "2")]));
    }

    [Fact]
    public void TxtFromDictionary_NoPairs_IsTheEmptyTxt()
    {
        Assert.Same(TxtRecordData.Empty, TxtRecordData.FromDictionary([]));
    }
}
