using Makaretu.Dns;

namespace FedChat.Core.Discovery;

/// <summary>
/// Records heard from other responders, each kept until its TTL runs out (RFC 6762 §5.2, §10).
/// A goodbye (TTL 0) makes a record expire one second later (§10.1); a record with the cache-flush
/// bit replaces older records of the same name and type (§10.2). Reads the time from a
/// <see cref="TimeProvider"/>, so tests move the clock instead of sleeping.
/// </summary>
/// <param name="time">The clock.</param>
/// <param name="maxRecords">The most records kept; anyone on the Wi-Fi can send records, so the cache is bounded.</param>
public sealed class MdnsCache(TimeProvider time, int maxRecords = 4096)
{
    /// <summary>How long a goodbye record, or one flushed by cache-flush, stays (RFC 6762 §10.1, §10.2).</summary>
    public static readonly TimeSpan GoodbyeDelay = TimeSpan.FromSeconds(1);

    // RFC 6762 §5.2: a browser re-asks for a record at 80%, 85%, 90% and 95% of its lifetime.
    private static readonly double[] RefreshPoints = [0.80, 0.85, 0.90, 0.95];

    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];

    /// <summary>Gets the number of records held, expired ones not yet removed included.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Gets the records that have not expired, each with its original TTL.</summary>
    public IReadOnlyList<ResourceRecord> Records
    {
        get
        {
            var now = time.GetUtcNow();
            lock (_gate)
            {
                return [.. _entries.Where(e => e.Expires > now).Select(e => e.Record)];
            }
        }
    }

    /// <summary>Adds or refreshes records from a received response (its answer and additional sections).</summary>
    /// <param name="records">The records.</param>
    /// <returns>How many records were new or changed their data or TTL.</returns>
    public int Add(IEnumerable<ResourceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var now = time.GetUtcNow();
        var changed = 0;
        lock (_gate)
        {
            // Only the types DNS-SD needs. Anything else (DNSSEC types included, which the package
            // cannot even print) never gets past this line.
            foreach (var record in records.Where(r => MdnsRecords.Wanted.Contains(r.Type) && MdnsRecords.PlainClass(r.Class) == DnsClass.IN))
            {
                var ttl = MdnsRecords.Ttl(record);
                if (MdnsRecords.IsCacheFlush(record) && ttl > 0)
                {
                    // §10.2: older records of this name and type are outdated. Those received in the
                    // last second are kept: they may be other parts of the same announcement.
                    foreach (var old in _entries.Where(e => MdnsRecords.SameSet(e.Record, record) && !MdnsRecords.SameData(e.Record, record) && e.Received < now - GoodbyeDelay))
                    {
                        old.Expires = Min(old.Expires, now + GoodbyeDelay);
                    }
                }

                var existing = _entries.Find(e => MdnsRecords.SameSet(e.Record, record) && MdnsRecords.SameData(e.Record, record));
                var expires = ttl == 0 ? now + GoodbyeDelay : now + TimeSpan.FromSeconds(ttl);
                var stored = MdnsRecords.Copy(record, TimeSpan.FromSeconds(ttl), cacheFlush: false);
                if (existing is not null)
                {
                    changed += MdnsRecords.Ttl(existing.Record) != ttl || existing.Expires <= now ? 1 : 0;
                    existing.Record = stored;
                    existing.Received = now;
                    existing.Expires = expires;
                    existing.RefreshesSent = 0;
                }
                else if (ttl > 0 && _entries.Count < maxRecords)
                {
                    // A goodbye for a record we never had is nothing to remember.
                    _entries.Add(new Entry { Record = stored, Received = now, Expires = expires });
                    changed++;
                }
            }
        }

        return changed;
    }

    /// <summary>Removes records whose time is up.</summary>
    /// <returns>The removed records.</returns>
    public IReadOnlyList<ResourceRecord> RemoveExpired()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var expired = _entries.Where(e => e.Expires <= now).ToList();
            _entries.RemoveAll(expired.Contains);
            return [.. expired.Select(e => e.Record)];
        }
    }

    /// <summary>
    /// Lists the records of <paramref name="name"/> and <paramref name="type"/> to put in a query's
    /// answer section as "known answers" (RFC 6762 §7.1): only those with more than half their TTL left,
    /// each with the TTL it has left.
    /// </summary>
    /// <param name="name">The name asked about.</param>
    /// <param name="type">The type asked about.</param>
    /// <returns>The known answers.</returns>
    public IReadOnlyList<ResourceRecord> KnownAnswers(DomainName name, DnsType type)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return [.. _entries
                .Where(e => e.Record.Name == name && e.Record.Type == type && MdnsRecords.Ttl(e.Record) > 0)
                .Select(e => (e.Record, Left: (e.Expires - now).TotalSeconds))
                .Where(e => e.Left > MdnsRecords.Ttl(e.Record) / 2.0)
                .Select(e => MdnsRecords.Copy(e.Record, TimeSpan.FromSeconds((uint)e.Left), cacheFlush: false))];
        }
    }

    /// <summary>
    /// Lists the questions to ask now so that records still in use are refreshed before they expire:
    /// one at 80%, 85%, 90% and 95% of each record's lifetime (RFC 6762 §5.2). Each point is reported once.
    /// </summary>
    /// <param name="wanted">Which records are worth refreshing (e.g. those of our service type).</param>
    /// <returns>The questions, without duplicates.</returns>
    public IReadOnlyList<Question> DueForRefresh(Func<ResourceRecord, bool> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var now = time.GetUtcNow();
        var questions = new List<Question>();
        lock (_gate)
        {
            foreach (var entry in _entries.Where(e => MdnsRecords.Ttl(e.Record) > 0 && e.RefreshesSent < RefreshPoints.Length && wanted(e.Record)))
            {
                var due = entry.Received + TimeSpan.FromSeconds(MdnsRecords.Ttl(entry.Record) * RefreshPoints[entry.RefreshesSent]);
                if (now >= due && now < entry.Expires)
                {
                    entry.RefreshesSent++;
                    var question = new Question { Name = entry.Record.Name, Type = entry.Record.Type, Class = DnsClass.IN };
                    if (!questions.Any(q => q.Name == question.Name && q.Type == question.Type))
                    {
                        questions.Add(question);
                    }
                }
            }
        }

        return questions;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed class Entry
    {
        public required ResourceRecord Record { get; set; }

        public DateTimeOffset Received { get; set; }

        public DateTimeOffset Expires { get; set; }

        public int RefreshesSent { get; set; }
    }
}
