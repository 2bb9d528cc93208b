using System.Net;
using Makaretu.Dns;

namespace FedChat.Core.Discovery;

/// <summary>What to send back for a query, and how.</summary>
/// <param name="Message">The response.</param>
/// <param name="UnicastTo">Send it only to this address and port (a legacy querier, RFC 6762 §6.7); <see langword="null"/> means multicast to the group.</param>
/// <param name="Delay">Whether to wait 20-120 ms first, because other hosts may answer the same shared record (RFC 6762 §6).</param>
public sealed record MdnsReply(Message Message, IPEndPoint? UnicastTo, bool Delay);

/// <summary>
/// Answers mDNS queries about our own service (RFC 6762 §6): PTR for the service type and the
/// DNS-SD service list, SRV and TXT for our instance, A and AAAA for our host. Pure logic, so tests
/// can build a query and look at the answer without any socket.
/// </summary>
public static class MdnsResponder
{
    /// <summary>The port mDNS uses; queries from any other port are "legacy unicast" (RFC 6762 §6.7).</summary>
    public const int MdnsPort = 5353;

    /// <summary>The TTL cap for answers to legacy unicast queries (RFC 6762 §6.7).</summary>
    public const uint LegacyUnicastMaxTtl = 10;

    /// <summary>
    /// Builds the reply to <paramref name="query"/>, or <see langword="null"/> when we have nothing to
    /// say: no question is about our records, or the asker already knows every answer (known-answer
    /// suppression, RFC 6762 §7.1).
    /// </summary>
    /// <param name="query">The received query.</param>
    /// <param name="source">Where it came from: its port tells legacy unicast queriers apart.</param>
    /// <param name="ours">Our instance with the addresses of the interface the query arrived on (RFC 6762 §6.2).</param>
    /// <returns>The reply, or <see langword="null"/>.</returns>
    public static MdnsReply? Answer(Message query, IPEndPoint source, ServiceInstance ours)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(ours);
        if (query.IsResponse || query.Opcode != MessageOperation.Query)
        {
            return null;
        }

        var ourRecords = ours.ToAnnouncementRecords();
        var answers = new List<ResourceRecord>();
        foreach (var question in query.Questions)
        {
            if (MdnsRecords.PlainClass(question.Class) is not (DnsClass.IN or DnsClass.ANY))
            {
                continue;
            }

            var matching = ourRecords.Where(r => r.Name == question.Name && (question.Type == DnsType.ANY || r.Type == question.Type));
            answers.AddRange(matching.Where(r => !answers.Contains(r)));
        }

        // RFC 6763 §12: with a PTR to our instance send its SRV, TXT and addresses along; with an
        // SRV, the addresses of its target. Saves the asker a second round trip.
        var additionals = new List<ResourceRecord>();
        if (answers.Any(r => r is PTRRecord ptr && ptr.DomainName == ours.FullName))
        {
            additionals.AddRange(ourRecords.Where(r => r.Name == ours.FullName));
        }

        if (answers.Concat(additionals).Any(r => r.Type == DnsType.SRV))
        {
            additionals.AddRange(ourRecords.Where(r => r.Name == ours.HostName));
        }

        additionals = [.. additionals.Distinct().Where(r => !answers.Contains(r))];

        // RFC 6762 §7.1: leave out what the asker listed as known, if its copy has at least half our TTL left.
        bool Known(ResourceRecord record) => query.Answers.Any(k =>
            k.Name == record.Name && MdnsRecords.Wanted.Contains(k.Type) && MdnsRecords.SameData(k, record) && MdnsRecords.Ttl(k) >= MdnsRecords.Ttl(record) / 2);
        answers.RemoveAll(Known);
        additionals.RemoveAll(Known);
        if (answers.Count == 0)
        {
            return null;
        }

        if (source.Port != MdnsPort)
        {
            return LegacyUnicastReply(query, source, answers, additionals);
        }

        var reply = ServiceInstance.Response(answers);
        reply.AdditionalRecords.AddRange(additionals);

        // RFC 6762 §6: a reply made only of unique records goes out at once; one with shared
        // records (the PTR, which other hosts may answer too) waits 20-120 ms to avoid collisions.
        // A probe is answered at once, so the prober hears us before it claims our name (§8.1).
        var isProbe = query.AuthorityRecords.Count > 0;
        var delay = !isProbe && answers.Any(r => !MdnsRecords.IsCacheFlush(r));

        // RFC 6762 §5.4 lets "QU" questions be answered by multicast too; we always do, because
        // several servers on one laptop share port 5353 and a unicast reply would reach only one.
        return new MdnsReply(reply, null, delay);
    }

    // RFC 6762 §6.7: a simple resolver that sent from another port gets a conventional unicast DNS
    // answer: same id, the question repeated, TTLs at most 10 s, no cache-flush bit.
    private static MdnsReply LegacyUnicastReply(Message query, IPEndPoint source, List<ResourceRecord> answers, List<ResourceRecord> additionals)
    {
        ResourceRecord Legacy(ResourceRecord r) => MdnsRecords.Copy(r, TimeSpan.FromSeconds(Math.Min(MdnsRecords.Ttl(r), LegacyUnicastMaxTtl)), cacheFlush: false);
        var reply = new Message { Id = query.Id, QR = true, AA = true };
        reply.Questions.AddRange(query.Questions.Select(q => new Question { Name = q.Name, Type = q.Type, Class = MdnsRecords.PlainClass(q.Class) }));
        reply.Answers.AddRange(answers.Select(Legacy));
        reply.AdditionalRecords.AddRange(additionals.Select(Legacy));
        return new MdnsReply(reply, source, Delay: false);
    }
}
