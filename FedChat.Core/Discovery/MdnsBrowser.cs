using Makaretu.Dns;

namespace FedChat.Core.Discovery;

/// <summary>What changed among the service instances seen on the network since the last look.</summary>
/// <param name="Appeared">Instances that are new.</param>
/// <param name="Changed">Instances whose port, host, addresses or TXT changed.</param>
/// <param name="Gone">Instances that disappeared, with why: "goodbye" or "records expired".</param>
public sealed record BrowseChanges(
    IReadOnlyList<ServiceInstance> Appeared,
    IReadOnlyList<ServiceInstance> Changed,
    IReadOnlyList<(ServiceInstance Instance, string Reason)> Gone)
{
    /// <summary>Gets whether nothing changed.</summary>
    public bool IsEmpty => Appeared.Count == 0 && Changed.Count == 0 && Gone.Count == 0;
}

/// <summary>
/// Browses for one service type (RFC 6763 §4): builds the PTR queries, spaces them out with
/// exponential back-off (RFC 6762 §5.2), and turns the <see cref="MdnsCache"/> into the list of
/// instances with what changed since last time. Pure logic; <see cref="MdnsService"/> sends the queries.
/// </summary>
/// <param name="cache">The record cache that received responses go into.</param>
/// <param name="serviceType">The type to browse for. <value>The default is <c>_fedchat._tcp.local</c>.</value></param>
public sealed class MdnsBrowser(MdnsCache cache, DomainName? serviceType = null)
{
    /// <summary>The first gap between queries (RFC 6762 §5.2: at least one second).</summary>
    public static readonly TimeSpan FirstQueryInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest gap between queries (RFC 6762 §5.2 caps the back-off at 60 minutes).</summary>
    public static readonly TimeSpan MaxQueryInterval = TimeSpan.FromMinutes(60);

    private readonly Dictionary<DomainName, ServiceInstance> _known = [];
    private TimeSpan _interval = FirstQueryInterval;

    /// <summary>Gets the service type browsed for.</summary>
    public DomainName ServiceType { get; } = serviceType ?? ServiceInstance.FedChatServiceType;

    /// <summary>Gets the instances seen, as of the last <see cref="Update"/>.</summary>
    public IReadOnlyCollection<ServiceInstance> Instances => _known.Values;

    /// <summary>
    /// Builds the browse query: a PTR question for the service type, with the instances we already
    /// know as known answers so their responders stay quiet (RFC 6762 §7.1). Asked as "QM"
    /// (multicast answers): several servers on one laptop share port 5353, and a unicast answer
    /// would reach only one of them.
    /// </summary>
    /// <returns>The query.</returns>
    public Message BuildQuery()
    {
        var query = new Message();
        query.Questions.Add(new Question { Name = ServiceType, Type = DnsType.PTR, Class = DnsClass.IN });
        query.Answers.AddRange(cache.KnownAnswers(ServiceType, DnsType.PTR));
        return query;
    }

    /// <summary>
    /// Gets how long to wait before the next browse query, and doubles it for the time after
    /// (1 s, 2 s, 4 s, ... up to 60 minutes, RFC 6762 §5.2).
    /// </summary>
    /// <returns>The wait before the next query.</returns>
    public TimeSpan NextQueryInterval()
    {
        var current = _interval;
        _interval = TimeSpan.FromTicks(Math.Min(_interval.Ticks * 2, MaxQueryInterval.Ticks));
        return current;
    }

    /// <summary>
    /// Builds a query for the records of known instances that are near the end of their lifetime
    /// (RFC 6762 §5.2), or <see langword="null"/> if none is. Without this, an instance that is still
    /// there would expire from the cache after its SRV's 120 seconds.
    /// </summary>
    /// <returns>The query, or <see langword="null"/>.</returns>
    public Message? BuildRefreshQuery()
    {
        var questions = cache.DueForRefresh(r =>
            r.Name == ServiceType
            || (r.Name.Labels.Count > ServiceType.Labels.Count && r.Name.Parent() == ServiceType)
            || _known.Values.Any(i => i.HostName == r.Name));
        if (questions.Count == 0)
        {
            return null;
        }

        var query = new Message();
        query.Questions.AddRange(questions);
        return query;
    }

    /// <summary>Compares the instances in the cache now with those of the last call.</summary>
    /// <returns>What appeared, changed and went.</returns>
    public BrowseChanges Update()
    {
        var records = cache.Records;
        var current = ServiceInstance.FromRecords(records, ServiceType).ToDictionary(i => i.FullName);
        var appeared = current.Values.Where(i => !_known.ContainsKey(i.FullName)).ToList();
        var changed = current.Values.Where(i => _known.TryGetValue(i.FullName, out var before) && !before.Equals(i)).ToList();
        var gone = new List<(ServiceInstance, string)>();
        foreach (var (name, instance) in _known.Where(k => !current.ContainsKey(k.Key)))
        {
            // A goodbye stays in the cache with TTL 0 for one second (RFC 6762 §10.1).
            var saidGoodbye = records.Any(r => r.TTL <= TimeSpan.Zero && (r.Name == name || (r is PTRRecord p && p.DomainName == name)));
            gone.Add((instance, saidGoodbye ? "goodbye" : "records expired"));
        }

        _known.Clear();
        foreach (var (name, instance) in current)
        {
            _known[name] = instance;
        }

        return new BrowseChanges(appeared, changed, gone);
    }
}
