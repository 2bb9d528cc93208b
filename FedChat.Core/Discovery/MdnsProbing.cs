using Makaretu.Dns;

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
    public static Message BuildProbe(ServiceInstance service, bool unicastResponse)
    {
        ArgumentNullException.ThrowIfNull(service);
        var questionClass = unicastResponse ? (DnsClass)((ushort)DnsClass.IN | 0x8000) : DnsClass.IN;
        var probe = new Message();
        probe.Questions.Add(new Question { Name = service.FullName, Type = DnsType.ANY, Class = questionClass });
        probe.Questions.Add(new Question { Name = service.HostName, Type = DnsType.ANY, Class = questionClass });
        probe.AuthorityRecords.AddRange(UniqueRecords(service).Select(r => MdnsRecords.Copy(r, r.TTL, cacheFlush: false)));
        return probe;
    }

    /// <summary>
    /// Decides whether a received response says another host already uses our instance name or
    /// host name: it holds a unique record (SRV, TXT, A, AAAA) for one of those names, not a
    /// goodbye, whose data differs from ours. Identical data is not a conflict (RFC 6762 §9).
    /// </summary>
    /// <param name="response">A received response, not sent by us.</param>
    /// <param name="ours">Our instance, with all our addresses.</param>
    /// <returns><see langword="true"/> if we must pick another name.</returns>
    public static bool IsConflict(Message response, ServiceInstance ours)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(ours);
        if (!response.IsResponse)
        {
            return false;
        }

        var ourRecords = UniqueRecords(ours);
        return response.Answers.Concat(response.AdditionalRecords).Any(r =>
            r.TTL > TimeSpan.Zero
            && (r.Name == ours.FullName || r.Name == ours.HostName)
            && r.Type is DnsType.SRV or DnsType.TXT or DnsType.A or DnsType.AAAA
            && !ourRecords.Any(o => o.Name == r.Name && MdnsRecords.SameData(o, r)));
    }

    /// <summary>
    /// Simultaneous probe tiebreaking (RFC 6762 §8.2): when another host probes for one of our names
    /// while we do, both compare their proposed records, sorted by class, type and data bytes; the
    /// host with the lexicographically later records wins, the other waits a second and probes again.
    /// </summary>
    /// <param name="probe">A received query with records in its authority section.</param>
    /// <param name="ours">Our instance, with all our addresses.</param>
    /// <returns><see langword="true"/> if the other host wins.</returns>
    public static bool LosesTiebreak(Message probe, ServiceInstance ours)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(ours);
        if (probe.IsResponse)
        {
            return false;
        }

        foreach (var name in new[] { ours.FullName, ours.HostName })
        {
            var theirs = Sorted(probe.AuthorityRecords.Where(r => r.Name == name && MdnsRecords.Wanted.Contains(r.Type)));
            var mine = Sorted(UniqueRecords(ours).Where(r => r.Name == name));
            if (theirs.Count > 0 && Compare(theirs, mine) > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The records only this host may answer for: SRV, TXT, A and AAAA (RFC 6762 §2 "unique").</summary>
    private static List<ResourceRecord> UniqueRecords(ServiceInstance service) =>
        [.. service.ToAnnouncementRecords().Where(MdnsRecords.IsCacheFlush)];

    // RFC 6762 §8.2: sorted by class (without the cache-flush bit), then type, then the raw,
    // uncompressed record data, which is what the package's GetData() writes.
    private static List<(int Class, int Type, byte[] Data)> Sorted(IEnumerable<ResourceRecord> records) =>
        [.. records.Select(r => ((int)MdnsRecords.PlainClass(r.Class), (int)r.Type, r.GetData()))
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

    private sealed class ByteComparer : IComparer<byte[]>
    {
        public static ByteComparer Instance { get; } = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
