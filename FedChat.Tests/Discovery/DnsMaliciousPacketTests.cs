using FedChat.Core.Discovery.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>Hand-made hostile packets: each must be refused with a clear error, never an exception.</summary>
public class DnsMaliciousPacketTests
{
    // A query header: id 0, flags 0, then QDCOUNT, ANCOUNT, NSCOUNT, ARCOUNT.
    private const string OneQuestion = "0000 0000 0001 0000 0000 0000";
    private const string OneAnswer = "0000 8400 0000 0001 0000 0000";

    public static TheoryData<string, string, string> HostilePackets => new()
    {
        { "shorter than the header", "0000 0000 00", "header" },
        { "name is a pointer to itself", OneQuestion + " c00c 0001 0001", "does not point backwards" },
        { "pointer back to the start of its own name loops", OneQuestion + " 0161 c00c 0001 0001", "does not point backwards" },
        { "forward pointer", OneQuestion + " c010 0001 0001  0000 00 00", "does not point backwards" },
        { "0xC0 as the last byte", "0000 0000 0002 0000 0000 0000  00 0001 0001  0161 0161 0161 c0", "cut off" },
        { "label longer than the packet", OneQuestion + " 3f61 6161 0001 0001", "runs past the end" },
        { "name never ends", OneQuestion + " 0161 0161 0161", "runs past the end" },
        { "extended label type 0x40", OneQuestion + " 4161 00 0001 0001", "label type" },
        { "65535 answers in 40 bytes", "0000 8400 0000 ffff 0000 0000" + string.Concat(Enumerable.Repeat("00", 28)), "announces" },
        { "65535 of each section", "ffff ffff ffff ffff ffff ffff 00", "announces" },
        { "RDLENGTH past the end", OneAnswer + " 00 0001 0001 00000078 0100 0a000001", "claims 256 bytes" },
        { "A record with 5 bytes", OneAnswer + " 00 0001 0001 00000078 0005 0a00000101", "must have 4 bytes" },
        { "PTR name shorter than its RDLENGTH", OneAnswer + " 00 000c 0001 00000078 0003 00 0000", "fields end after" },
        { "SRV target running out of its record", OneAnswer + " 00 0021 0001 00000078 0008 0000 0000 13d8 0361  0000", "runs past the end" },
        { "TXT string longer than its record", OneAnswer + " 00 0010 0001 00000078 0002 0561 0000 0000 0000", "bytes are needed" },
        { "NSEC bitmap of length 0", OneAnswer + " 00 002f 0001 00000078 0003 00 0000", "1 to 32 bytes" },
        { "NSEC bitmap of length 33", OneAnswer + " 00 002f 0001 00000078 0024 00 0021" + string.Concat(Enumerable.Repeat("ff", 33)), "1 to 32 bytes" },
        { "NSEC windows out of order", OneAnswer + " 00 002f 0001 00000078 0007 00 0101ff 0001ff", "increasing order" },
        { "label that is not UTF-8", OneQuestion + " 02c328 00 0001 0001", "UTF-8" },
    };

    [Theory]
    [MemberData(nameof(HostilePackets))]
    public void TryParse_HostilePacket_FailsWithAnError(string description, string hex, string expectedError)
    {
        var packet = DnsFixture.FromHex(hex);

        var parsed = DnsMessage.TryParse(packet, out var message, out var error);

        Assert.False(parsed, description);
        Assert.Null(message);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
        Assert.Throws<DnsFormatException>(() => DnsMessage.Parse(packet));
    }

    [Fact]
    public void TryParse_HugeCounts_AllocatesAlmostNothing()
    {
        var packet = DnsFixture.FromHex("0000 8400 0000 ffff 0000 0000" + string.Concat(Enumerable.Repeat("00", 28)));
        DnsMessage.TryParse(packet, out _, out _); // warm up, so JIT work is not counted

        var before = GC.GetAllocatedBytesForCurrentThread();
        DnsMessage.TryParse(packet, out _, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // 65535 record slots alone would be 512 KiB; the error message and exception are a few KiB.
        Assert.True(allocated < 32 * 1024, $"allocated {allocated} bytes");
    }

    [Fact]
    public void TryParse_NameLongerThan255BytesThroughPointers_Fails()
    {
        // Question 1: three 63-byte labels (193 bytes, valid). Question 2: a 63-byte label, then a
        // pointer to question 1: 64 + 193 = 257 bytes, too long although each part is fine.
        var label63 = "3f" + string.Concat(Enumerable.Repeat("61", 63));
        var hex = "0000 0000 0002 0000 0000 0000"
            + label63 + label63 + label63 + "00 0001 0001"
            + label63 + "c00c 0001 0001";

        Assert.False(DnsMessage.TryParse(DnsFixture.FromHex(hex), out _, out var error));
        Assert.Contains("longer than 255", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_LongChainOfBackwardPointers_StopsAtTheJumpCap()
    {
        // Question 0 is the root name; question k's name is a pointer to question k-1's name. Every
        // pointer points backwards, so this is legal except for the number of jumps.
        const int Questions = 200;
        var hex = new System.Text.StringBuilder($"0000 0000 {Questions:x4} 0000 0000 0000  00 0001 0001");
        for (var k = 1; k < Questions; k++)
        {
            var previousName = k == 1 ? 12 : 12 + 5 + ((k - 2) * 6);
            hex.Append($" {0xC000 | previousName:x4} 0001 0001");
        }

        Assert.False(DnsMessage.TryParse(DnsFixture.FromHex(hex.ToString()), out _, out var error));
        Assert.Contains("too many compression pointers", error, StringComparison.Ordinal);
    }
}
