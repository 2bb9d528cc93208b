using System.Net;
using FedChat.Core.Discovery.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>
/// Seeded random inputs with fixed counts, so every run tests the same packets and a failure can
/// be replayed. Whatever the bytes, TryParse must return (true or false) and never throw; and what
/// it accepts must survive being written and read again.
/// </summary>
public class DnsFuzzTests
{
    private const int Iterations = 20_000;

    [Fact]
    public void TryParse_RandomBytes_NeverThrows()
    {
        var random = new Random(6762);
        for (var i = 0; i < Iterations; i++)
        {
            var packet = new byte[random.Next(0, 600)];
            random.NextBytes(packet);
            if (i % 2 == 0 && packet.Length >= 12)
            {
                // Small section counts let half the packets get past the header check into the records.
                for (var count = 4; count < 12; count += 2)
                {
                    packet[count] = 0;
                    packet[count + 1] = (byte)random.Next(0, 4);
                }
            }

            AssertParsesSafely(packet);
        }
    }

    [Fact]
    public void TryParse_EveryTruncationOfAValidPacket_FailsCleanly()
    {
        foreach (var packet in ValidPackets())
        {
            for (var length = 0; length < packet.Length; length++)
            {
                var truncated = packet[..length];

                var parsed = AssertParsesSafely(truncated);

                Assert.False(parsed, $"a {length}-byte prefix of {Convert.ToHexString(packet)} parsed");
            }
        }
    }

    [Fact]
    public void TryParse_RandomBitFlipsOfValidPackets_NeverThrows()
    {
        var random = new Random(1035);
        var packets = ValidPackets();
        for (var i = 0; i < Iterations; i++)
        {
            var packet = (byte[])packets[random.Next(packets.Count)].Clone();
            var flips = random.Next(1, 5);
            for (var f = 0; f < flips; f++)
            {
                packet[random.Next(packet.Length)] ^= (byte)(1 << random.Next(8));
            }

            AssertParsesSafely(packet);
        }
    }

    [Fact]
    public void TryParse_RandomBytesSpliceIntoValidPackets_NeverThrows()
    {
        // Overwrite a few bytes with values that matter to a parser: pointers, big lengths, zeros.
        byte[] interesting = [0x00, 0x01, 0x3F, 0x40, 0x80, 0xC0, 0xC0, 0xFF];
        var random = new Random(6763);
        var packets = ValidPackets();
        for (var i = 0; i < Iterations; i++)
        {
            var packet = (byte[])packets[random.Next(packets.Count)].Clone();
            for (var n = random.Next(1, 4); n > 0; n--)
            {
                packet[random.Next(packet.Length)] = interesting[random.Next(interesting.Length)];
            }

            AssertParsesSafely(packet);
        }
    }

    // Calls TryParse; on success checks that writing the message and reading it back gives it again.
    private static bool AssertParsesSafely(byte[] packet)
    {
        DnsMessage? message;
        string? error;
        try
        {
            if (!DnsMessage.TryParse(packet, out message, out error))
            {
                Assert.False(string.IsNullOrEmpty(error));
                return false;
            }
        }
        catch (Exception exception)
        {
            Assert.Fail($"TryParse threw for {Convert.ToHexString(packet)}: {exception}");
            return false;
        }

        Assert.True(DnsMessage.TryParse(message.ToBytes(), out var again, out error), error);
        Assert.Equal(message, again);
        return true;
    }

    private static List<byte[]> ValidPackets()
    {
        var alice = new ServiceInstance
        {
            InstanceName = "alice (2)",
            HostName = DnsName.Parse("alice-laptop.local"),
            Port = 5080,
            Txt = new Dictionary<string, string?> { ["name"] = "Alice", ["v"] = "1", ["relay"] = null },
            Addresses = [IPAddress.Parse("192.168.1.20"), IPAddress.Parse("fe80::1")],
        };
        var query = new DnsMessage
        {
            Questions = [new DnsQuestion(ServiceInstance.FedChatServiceType, DnsRecordType.Ptr) { UnicastResponse = true }],
            Answers = [new DnsRecord(ServiceInstance.FedChatServiceType, 4500, new PtrRecordData(alice.FullName))],
            Additionals =
            [
                new DnsRecord(alice.HostName, 120, new NsecRecordData(alice.HostName, [DnsRecordType.A, DnsRecordType.Aaaa])) { CacheFlush = true },
                new DnsRecord(alice.HostName, 120, new UnknownRecordData((DnsRecordType)99, [1, 2, 3])),
            ],
        };

        return [.. DnsFixture.AvahiPacketNames.Select(DnsFixture.Load), alice.ToAnnouncementMessage().ToBytes(), query.ToBytes()];
    }
}
