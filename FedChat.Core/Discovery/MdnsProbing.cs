using System.Buffers.Binary;
using System.Text;
using FedChat.Core.Discovery.Dns;

namespace FedChat.Core.Discovery;

/// <summary>
/// The rules for claiming a name (RFC 6762 §8.1-8.2, §9): what a probe looks like, which received
/// records mean "someone else already has this name", and who wins when two hosts probe for the
/// same name at the same moment. Pure logic; <see cref="MdnsService"/> does the sending and waiting.
/// </summary>
public static class MdnsProbing
{
    /// <summary>How many probes are sent before a name counts as ours (RFC 6762 §8.1).</summary>
    public const int ProbeCount = 3;

    /// <summary>The time between probes, and after the last one (RFC 6762 §8.1).</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long the loser of a simultaneous probe waits before probing again (RFC 6762 §8.2).</summary>
    public static readonly TimeSpan TiebreakLoserDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Builds a probe: "ANY" questions for the instance name and the host name, with the records we
    /// intend to use in the authority section, so a simultaneous prober can compare (RFC 6762 §8.1, §8.2).
    /// </summary>
    /// <param name="service">The instance we want to announce, with addresses.</param>
    /// <param name="unicastResponse">Whether to ask for unicast answers; RFC 6762 §8.1 suggests it for the first probe.</param>
    /// <returns>The probe query.</returns>
    public static DnsMessage BuildProbe(ServiceInstance service, bool unicastResponse)
    {
        ArgumentNullException.ThrowIfNull(service);
        return new DnsMessage
        {
            Questions =
            [
                new DnsQuestion(service.FullName, DnsRecordType.Any) { UnicastResponse = unicastResponse },
                new DnsQuestion(service.HostName, DnsRecordType.Any) { UnicastResponse = unicastResponse },
            ],
            Authorities = [.. UniqueRecords(service).Select(r => r with { CacheFlush = false })],
        };
    }

    /// <summary>
    /// Decides whether a received response says another host already uses our instance name or
    /// host name: it holds a unique record (SRV, TXT, A, AAAA) for one of those names, not a
    /// goodbye, whose data differs from ours. Identical data is not a conflict (RFC 6762 §9).
    /// </summary>
    /// <param name="response">A received response, not sent by us.</param>
    /// <param name="ours">Our instance, with all our addresses.</param>
    /// <returns><see langword="true"/> if we must pick another name.</returns>
    public static bool IsConflict(DnsMessage response, ServiceInstance ours)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(ours);
        if (!response.IsResponse)
        {
            return false;
        }

        var ourRecords = UniqueRecords(ours);
        return response.Answers.Concat(response.Additionals).Any(r =>
            r.Ttl > 0
            && (r.Name == ours.FullName || r.Name == ours.HostName)
            && r.Type is DnsRecordType.Srv or DnsRecordType.Txt or DnsRecordType.A or DnsRecordType.Aaaa
            && !ourRecords.Any(o => o.Name == r.Name && o.Data == r.Data));
    }

    /// <summary>
    /// Simultaneous probe tiebreaking (RFC 6762 §8.2): when another host probes for one of our names
    /// while we do, both compare their proposed records, sorted by class, type and data bytes; the
    /// host with the lexicographically later records wins, the other waits a second and probes again.
    /// </summary>
    /// <param name="probe">A received query with records in its authority section.</param>
    /// <param name="ours">Our instance, with all our addresses.</param>
    /// <returns><see langword="true"/> if the other host wins.</returns>
    public static bool LosesTiebreak(DnsMessage probe, ServiceInstance ours)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(ours);
        if (probe.IsResponse)
        {
            return false;
        }

        foreach (var name in new[] { ours.FullName, ours.HostName })
        {
            var theirs = Sorted(probe.Authorities.Where(r => r.Name == name));
            var mine = Sorted(UniqueRecords(ours).Where(r => r.Name == name));
            if (theirs.Count > 0 && Compare(theirs, mine) > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The records only this host may answer for: SRV, TXT, A and AAAA (RFC 6762 §2 "unique").</summary>
    private static List<DnsRecord> UniqueRecords(ServiceInstance service) =>
        [.. service.ToAnnouncementRecords().Where(r => r.CacheFlush)];

    private static List<(int Class, int Type, byte[] Data)> Sorted(IEnumerable<DnsRecord> records) =>
        [.. records.Select(r => ((int)r.Class, (int)r.Type, RawData(r.Data)))
            .OrderBy(r => r.Item1).ThenBy(r => r.Item2).ThenBy(r => r.Item3, ByteComparer.Instance)];

    // RFC 6762 §8.2: compare record by record; if one list runs out first, the longer list wins.
    private static int Compare(List<(int Class, int Type, byte[] Data)> theirs, List<(int Class, int Type, byte[] Data)> mine)
    {
        for (var i = 0; i < Math.Min(theirs.Count, mine.Count); i++)
        {
            var byClass = theirs[i].Class.CompareTo(mine[i].Class);
            var byType = theirs[i].Type.CompareTo(mine[i].Type);
            var byData = ByteComparer.Instance.Compare(theirs[i].Data, mine[i].Data);
            var result = byClass != 0 ? byClass : byType != 0 ? byType : byData;
            if (result != 0)
            {
                return result;
            }
        }

        return theirs.Count.CompareTo(mine.Count);
    }

    // The record data as raw, uncompressed bytes, as the comparison in RFC 6762 §8.2 needs.
    private static byte[] RawData(DnsRecordData data)
    {
        var bytes = new List<byte>();
        void Name(DnsName name)
        {
            foreach (var label in name.Labels)
            {
                var encoded = Encoding.UTF8.GetBytes(label);
                bytes.Add((byte)encoded.Length);
                bytes.AddRange(encoded);
            }

            bytes.Add(0);
        }

        switch (data)
        {
            case ARecordData a:
                bytes.AddRange(a.Address.GetAddressBytes());
                break;
            case AaaaRecordData aaaa:
                bytes.AddRange(aaaa.Address.GetAddressBytes());
                break;
            case SrvRecordData srv:
                var numbers = new byte[6];
                BinaryPrimitives.WriteUInt16BigEndian(numbers, srv.Priority);
                BinaryPrimitives.WriteUInt16BigEndian(numbers.AsSpan(2), srv.Weight);
                BinaryPrimitives.WriteUInt16BigEndian(numbers.AsSpan(4), srv.Port);
                bytes.AddRange(numbers);
                Name(srv.Target);
                break;
            case TxtRecordData txt:
                foreach (var text in txt.Strings.DefaultIfEmpty(""))
                {
                    var encoded = Encoding.UTF8.GetBytes(text);
                    bytes.Add((byte)encoded.Length);
                    bytes.AddRange(encoded);
                }

                break;
            case PtrRecordData ptr:
                Name(ptr.Target);
                break;
            case UnknownRecordData unknown:
                bytes.AddRange(unknown.Bytes.ToArray());
                break;
            default:
                break;
        }

        return [.. bytes];
    }

    private sealed class ByteComparer : IComparer<byte[]>
    {
        public static ByteComparer Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
