using System.Net;
using FedChat.Core.Discovery.Dns;

namespace FedChat.Tests.Discovery;

public class DnsMessageTests
{
    private static readonly DnsName ServiceType = DnsName.Parse("_fedchat._tcp.local");
    private static readonly DnsName Alice = DnsName.Parse("alice (2)._fedchat._tcp.local");
    private static readonly DnsName AliceHost = DnsName.Parse("alice-laptop.local");

    public static TheoryData<string, DnsRecordData> EveryRecordType => new()
    {
        { "A", new ARecordData(IPAddress.Parse("192.168.1.20")) },
        { "AAAA", new AaaaRecordData(IPAddress.Parse("fe80::1:2:3:4")) },
        { "PTR", new PtrRecordData(Alice) },
        { "SRV", new SrvRecordData(1, 2, 5080, AliceHost) },
        { "TXT", new TxtRecordData(["name=Alice", "version=0.1", "flag", "emoji=🦊"]) },
        { "empty TXT", TxtRecordData.Empty },
        { "NSEC", new NsecRecordData(AliceHost, [DnsRecordType.A, DnsRecordType.Aaaa]) },
        { "NSEC, several windows", new NsecRecordData(AliceHost, [DnsRecordType.Nsec, (DnsRecordType)256, (DnsRecordType)65535]) },
        { "unknown type", new UnknownRecordData((DnsRecordType)99, [1, 2, 3, 0xC0]) },
        { "unknown type, no data", new UnknownRecordData((DnsRecordType)4000, []) },
    };

    [Theory]
    [MemberData(nameof(EveryRecordType))]
    public void ParseOfToBytes_EveryRecordType_GivesTheSameRecord(string kind, DnsRecordData data)
    {
        var record = new DnsRecord(Alice, 120, data) { CacheFlush = kind.Length % 2 == 0 };
        var message = new DnsMessage { IsResponse = true, IsAuthoritative = true, Answers = [record] };

        var parsed = DnsMessage.Parse(message.ToBytes());

        Assert.Equal(message, parsed);
        Assert.Equal(record, Assert.Single(parsed.Answers));
    }

    [Fact]
    public void ParseOfToBytes_HeaderFlagsAndAllSections_AreKept()
    {
        var message = new DnsMessage
        {
            Id = 0x1234,
            IsResponse = true,
            Opcode = 2,
            IsAuthoritative = true,
            IsTruncated = true,
            RecursionDesired = true,
            RecursionAvailable = true,
            ResponseCode = 3,
            Questions = [new DnsQuestion(ServiceType, DnsRecordType.Ptr) { UnicastResponse = true }],
            Answers = [new DnsRecord(ServiceType, 4500, new PtrRecordData(Alice))],
            Authorities = [new DnsRecord(Alice, 120, new SrvRecordData(0, 0, 5080, AliceHost))],
            Additionals = [new DnsRecord(AliceHost, 120, new ARecordData(IPAddress.Parse("10.0.0.7"))) { CacheFlush = true }],
        };

        Assert.Equal(message, DnsMessage.Parse(message.ToBytes()));
    }

    [Fact]
    public void ToBytes_MdnsResponseHeader_IsIdZeroFlags8400()
    {
        var bytes = new DnsMessage { IsResponse = true, IsAuthoritative = true }.ToBytes();

        Assert.Equal(DnsFixture.FromHex("0000 8400 0000 0000 0000 0000"), bytes);
    }

    [Fact]
    public void ToBytes_UnicastResponseBit_IsTopBitOfQuestionClass()
    {
        var qu = new DnsMessage { Questions = [new DnsQuestion(DnsName.Parse("a.local"), DnsRecordType.A) { UnicastResponse = true }] };

        var bytes = qu.ToBytes();

        // RFC 6762 §5.4: class IN (0x0001) with the QU bit gives 0x8001.
        Assert.Equal(DnsFixture.FromHex("0000 0000 0001 0000 0000 0000  01 61 05 6c6f63616c 00  0001 8001"), bytes);
        var question = Assert.Single(DnsMessage.Parse(bytes).Questions);
        Assert.True(question.UnicastResponse);
        Assert.Equal(DnsClass.Internet, question.Class);
    }

    [Fact]
    public void ToBytes_CacheFlushBit_IsTopBitOfRecordClass()
    {
        var record = new DnsRecord(DnsName.Parse("a.local"), 120, new ARecordData(IPAddress.Parse("10.0.0.1"))) { CacheFlush = true };

        var bytes = new DnsMessage { IsResponse = true, Answers = [record] }.ToBytes();

        // RFC 6762 §10.2: type A, class 0x8001, TTL 120, RDLENGTH 4, the address.
        Assert.Equal(DnsFixture.FromHex("0001 8001 00000078 0004 0a000001"), bytes[^14..]);
        Assert.True(Assert.Single(DnsMessage.Parse(bytes).Answers).CacheFlush);
    }

    [Fact]
    public void ToBytes_EmptyTxt_IsOneZeroByte()
    {
        var bytes = new DnsMessage { Answers = [new DnsRecord(DnsName.Root, 0, TxtRecordData.Empty)] }.ToBytes();

        // RFC 6763 §6.1: RDLENGTH 1, one empty string.
        Assert.Equal(DnsFixture.FromHex("0001 00"), bytes[^3..]);
    }

    [Fact]
    public void ToBytes_NsecForHostWithAAndAaaa_IsTheRfc6762Bitmap()
    {
        var nsec = new NsecRecordData(DnsName.Root, [DnsRecordType.Aaaa, DnsRecordType.A]);

        var bytes = new DnsMessage { Answers = [new DnsRecord(DnsName.Root, 120, nsec)] }.ToBytes();

        // RFC 4034 §4.1.2: window 0, 4 bytes; bit 1 (A) = 0x40 in byte 0, bit 28 (AAAA) = 0x08 in byte 3.
        Assert.Equal(DnsFixture.FromHex("0007  00  00 04 40 00 00 08"), bytes[^9..]);
    }

    [Fact]
    public void ToBytes_RepeatedSuffix_IsCompressedToAPointer()
    {
        var message = new DnsMessage { Answers = [new DnsRecord(ServiceType, 4500, new PtrRecordData(Alice))] };

        var bytes = message.ToBytes();

        // The owner name starts at offset 12 (0x0C); the PTR target is "alice (2)" then a pointer to it.
        Assert.Equal(DnsFixture.FromHex("000c  09 616c696365 20283229  c00c"), bytes[^14..]);
    }

    [Fact]
    public void ToBytes_NameWrittenInsideRecordData_IsReusedByLaterOwnerName()
    {
        var message = new DnsMessage
        {
            Answers =
            [
                new DnsRecord(ServiceType, 4500, new PtrRecordData(Alice)),
                new DnsRecord(Alice, 120, new SrvRecordData(0, 0, 5080, AliceHost)),
            ],
        };

        var bytes = message.ToBytes();

        // The PTR data starts after the header (12), owner name (21) and type/class/TTL/length (10).
        const int PtrTargetOffset = 12 + 21 + 10;
        var srvOwner = PtrTargetOffset + 12;
        Assert.Equal(0xC0, bytes[srvOwner]);
        Assert.Equal(PtrTargetOffset, bytes[srvOwner + 1]);
        Assert.Equal(message, DnsMessage.Parse(bytes));
    }

    [Fact]
    public void ToBytes_SameNameInOtherCase_ReusesTheEarlierCopy()
    {
        var lower = new DnsMessage { Questions = [new DnsQuestion(ServiceType, DnsRecordType.Ptr), new DnsQuestion(ServiceType, DnsRecordType.Srv)] };
        var mixed = new DnsMessage { Questions = [new DnsQuestion(ServiceType, DnsRecordType.Ptr), new DnsQuestion(DnsName.Parse("_FedChat._TCP.Local"), DnsRecordType.Srv)] };

        var bytes = mixed.ToBytes();

        Assert.Equal(lower.ToBytes().Length, bytes.Length);
        Assert.Equal(DnsFixture.FromHex("c00c 0021 0001"), bytes[^6..]);
        Assert.Equal(mixed, DnsMessage.Parse(bytes)); // names compare without ASCII case
    }

    [Fact]
    public void ParseOfToBytes_Name255BytesWith63ByteLabels_RoundTrips()
    {
        var label63 = new string('x', 63);
        var longest = new DnsName([label63, label63, label63, new string('y', 61)]);
        var message = new DnsMessage
        {
            Answers =
            [
                new DnsRecord(longest, 1, new PtrRecordData(longest)),
                new DnsRecord(longest.Parent, 1, new SrvRecordData(0, 0, 1, longest)),
            ],
        };

        var bytes = message.ToBytes();

        Assert.Equal(12 + 255 + 10 + 2 + 2 + 10 + 6 + 2, bytes.Length); // every repeat is a pointer
        Assert.Equal(message, DnsMessage.Parse(bytes));
    }

    [Fact]
    public void Writing_Label64Bytes_IsRejected()
    {
        // DnsName refuses it, so no record or message can ever hold it (RFC 1035 §2.3.4).
        Assert.Throws<ArgumentException>(() => new DnsQuestion(DnsName.Parse(new string('a', 64) + ".local"), DnsRecordType.A));
    }

    [Fact]
    public void ToBytes_OpcodeAbove15_Throws()
    {
        Assert.Throws<ArgumentException>(() => new DnsMessage { Opcode = 16 }.ToBytes());
    }

    [Fact]
    public void Parse_TxtThatIsNotUtf8_IsKeptAsRawBytes()
    {
        var raw = new UnknownRecordData(DnsRecordType.Txt, [3, (byte)'k', (byte)'=', 0xFF]);
        var bytes = new DnsMessage { Answers = [new DnsRecord(Alice, 1, raw)] }.ToBytes();

        var parsed = Assert.Single(DnsMessage.Parse(bytes).Answers);

        Assert.Equal(raw, parsed.Data);
        Assert.Equal(bytes, DnsMessage.Parse(bytes).ToBytes());
    }
}
