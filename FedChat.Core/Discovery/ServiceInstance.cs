using System.Net;
using System.Net.Sockets;
using Makaretu.Dns;

namespace FedChat.Core.Discovery;

/// <summary>
/// One running service found by, or announced through, DNS-SD (RFC 6763): for FedChat, one
/// attendee's server, e.g. "alice (2)" of type <c>_fedchat._tcp.local</c> on
/// <c>alice-laptop.local</c> port 5080.
/// </summary>
/// <remarks>
/// This type is pure logic: it turns an instance into the records a responder sends
/// (<see cref="ToAnnouncementRecords"/>) and records that were received back into instances
/// (<see cref="FromMessage"/>). Sockets and timing live elsewhere.
/// </remarks>
public sealed record ServiceInstance
{
    /// <summary>TTL for records that name a host or are derived from one: SRV, A, AAAA (RFC 6762 §10: 120 seconds).</summary>
    public const uint HostRecordTtl = 120;

    /// <summary>TTL for the other records: PTR and TXT (RFC 6762 §10: 75 minutes).</summary>
    public const uint OtherRecordTtl = 4500;

    private static readonly IReadOnlyDictionary<string, string?> NoTxt =
        new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase).AsReadOnly();

    /// <summary>Gets FedChat's service type, <c>_fedchat._tcp.local</c> (RFC 6763 §7).</summary>
    public static DomainName FedChatServiceType { get; } = new("_fedchat._tcp.local");

    /// <summary>
    /// Gets <c>_services._dns-sd._udp.local</c>: a PTR from it to a service type lets browsers list
    /// which service types exist on the network at all (RFC 6763 §9).
    /// </summary>
    public static DomainName ServiceTypeEnumerationName { get; } = new("_services._dns-sd._udp.local");

    /// <summary>Gets the instance name: free UTF-8 text, spaces and dots allowed, at most 63 bytes (RFC 6763 §4.1.1), e.g. <c>alice (2)</c>.</summary>
    public required string InstanceName { get; init; }

    /// <summary>Gets the service type. <value>The default is <see cref="FedChatServiceType"/>.</value></summary>
    public DomainName ServiceType { get; init; } = FedChatServiceType;

    /// <summary>Gets the host the service runs on, e.g. <c>alice-laptop.local</c>: the SRV target.</summary>
    public required DomainName HostName { get; init; }

    /// <summary>Gets the TCP port the service listens on.</summary>
    public required ushort Port { get; init; }

    /// <summary>
    /// Gets the TXT key/value pairs (RFC 6763 §6). Keys are case-insensitive; a <see langword="null"/>
    /// value is a boolean attribute that is present (<c>key</c> without <c>=</c>).
    /// <value>The default is empty.</value>
    /// </summary>
    /// <exception cref="ArgumentException">Two keys differ only in case.</exception>
    public IReadOnlyDictionary<string, string?> Txt
    {
        get;

        // Copied into a case-insensitive dictionary whatever the caller passed, as RFC 6763 §6.4 says
        // keys are; this also keeps the instance from changing when the caller's dictionary does.
        init => field = new Dictionary<string, string?>(value, StringComparer.OrdinalIgnoreCase).AsReadOnly();
    } = NoTxt;

    /// <summary>Gets the IPv4 and IPv6 addresses of <see cref="HostName"/>. <value>The default is empty.</value></summary>
    public IReadOnlyList<IPAddress> Addresses { get; init => field = [.. value]; } = [];

    /// <summary>Gets the full instance name: the instance name as one label in front of the service type, e.g. <c>alice (2)._fedchat._tcp.local</c>.</summary>
    /// <exception cref="ArgumentException">The instance name is empty or longer than 63 bytes.</exception>
    public DomainName FullName => InstanceNameOf(InstanceName, ServiceType);

    /// <summary>
    /// Builds the records a responder announces for this instance (RFC 6763 §12, RFC 6762 §8.3):
    /// the PTR from the service type to the instance, the instance's SRV and TXT, the A and AAAA
    /// records of the host, and the PTR from <see cref="ServiceTypeEnumerationName"/> to the
    /// service type (RFC 6763 §9).
    /// </summary>
    /// <returns>The records, with cache-flush set on the unique ones (SRV, TXT, A, AAAA) as RFC 6762 §10.2 asks.</returns>
    public IReadOnlyList<ResourceRecord> ToAnnouncementRecords() => BuildRecords(goodbye: false);

    /// <summary>
    /// Builds the same records as <see cref="ToAnnouncementRecords"/> with TTL 0: a "goodbye" that
    /// tells every cache to drop them now, sent when the server stops (RFC 6762 §10.1). It includes
    /// the host's addresses, so use a host name that only this responder answers for.
    /// </summary>
    /// <returns>The records with TTL 0.</returns>
    public IReadOnlyList<ResourceRecord> ToGoodbyeRecords() => BuildRecords(goodbye: true);

    /// <summary>Builds an unsolicited announcement: a response with all records in the answer section (RFC 6762 §8.3).</summary>
    /// <returns>The message to multicast.</returns>
    public Message ToAnnouncementMessage() => Response(ToAnnouncementRecords());

    /// <summary>Builds an mDNS response (QR and AA set, id 0) with the given answers.</summary>
    /// <param name="answers">The answer records.</param>
    /// <returns>The message.</returns>
    public static Message Response(IEnumerable<ResourceRecord> answers)
    {
        var message = new Message { QR = true, AA = true };
        message.Answers.AddRange(answers);
        return message;
    }

    /// <summary>Builds the full name of an instance: its name as one label (spaces and dots allowed) in front of the type.</summary>
    /// <param name="instanceName">The instance name, e.g. <c>alice (2)</c>.</param>
    /// <param name="serviceType">The service type.</param>
    /// <returns>The name, e.g. <c>alice (2)._fedchat._tcp.local</c>.</returns>
    /// <exception cref="ArgumentException">The instance name is empty or longer than 63 bytes.</exception>
    public static DomainName InstanceNameOf(string instanceName, DomainName serviceType)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (string.IsNullOrEmpty(instanceName) || System.Text.Encoding.UTF8.GetByteCount(instanceName) > MdnsRecords.MaxLabelBytes)
        {
            throw new ArgumentException("An instance name is 1 to 63 bytes of UTF-8.", nameof(instanceName));
        }

        return new DomainName([instanceName, .. serviceType.Labels]);
    }

    /// <summary>
    /// Finds the service instances described by a received message. Only answers and additional
    /// records count: a probe puts records it merely wants to claim in the authority section
    /// (RFC 6762 §8.2), so they describe nothing that exists yet.
    /// </summary>
    /// <param name="message">A received message.</param>
    /// <param name="serviceType">The service type to look for. <value>The default is <see cref="FedChatServiceType"/>.</value></param>
    /// <returns>The instances; see <see cref="FromRecords"/> for which ones are included.</returns>
    public static IReadOnlyList<ServiceInstance> FromMessage(Message message, DomainName? serviceType = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return FromRecords(message.Answers.Concat(message.AdditionalRecords), serviceType);
    }

    /// <summary>
    /// Assembles service instances from records, possibly gathered from several messages. An
    /// instance is named by a PTR from the service type or by an SRV record, and is included only
    /// when its SRV record is present (without it there is no host and port). TXT is optional.
    /// Addresses come from the A and AAAA records of the SRV target. Instances with a goodbye
    /// (PTR or SRV with TTL 0, RFC 6762 §10.1) are left out.
    /// </summary>
    /// <param name="records">The records.</param>
    /// <param name="serviceType">The service type to look for. <value>The default is <see cref="FedChatServiceType"/>.</value></param>
    /// <returns>The complete instances, in the order they were first named.</returns>
    public static IReadOnlyList<ServiceInstance> FromRecords(IEnumerable<ResourceRecord> records, DomainName? serviceType = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        serviceType ??= FedChatServiceType;
        var all = records.ToList();

        var named = new List<DomainName>();
        var saidGoodbye = new HashSet<DomainName>();
        foreach (var record in all)
        {
            var instanceName = record switch
            {
                PTRRecord ptr when record.Name == serviceType => ptr.DomainName,
                SRVRecord => record.Name,
                _ => null,
            };

            // An instance name is exactly one label in front of the service type (RFC 6763 §4.1).
            if (instanceName is null || instanceName.Labels.Count != serviceType.Labels.Count + 1 || instanceName.Parent() != serviceType)
            {
                continue;
            }

            if (record.TTL <= TimeSpan.Zero)
            {
                saidGoodbye.Add(instanceName);
            }
            else if (!named.Contains(instanceName))
            {
                named.Add(instanceName);
            }
        }

        var instances = new List<ServiceInstance>();
        foreach (var instanceName in named.Where(name => !saidGoodbye.Contains(name)))
        {
            var srv = all.OfType<SRVRecord>().LastOrDefault(r => r.TTL > TimeSpan.Zero && r.Name == instanceName);
            if (srv is null || srv.Target is null)
            {
                continue;
            }

            var txt = all.OfType<TXTRecord>().LastOrDefault(r => r.TTL > TimeSpan.Zero && r.Name == instanceName);
            var addresses = all
                .OfType<AddressRecord>()
                .Where(r => r.TTL > TimeSpan.Zero && r.Name == srv.Target && r.Address is not null)
                .Select(r => r.Address)
                .Distinct();

            instances.Add(new ServiceInstance
            {
                InstanceName = instanceName.Labels[0],
                ServiceType = instanceName.Parent(),
                HostName = srv.Target,
                Port = srv.Port,
                Txt = txt is null ? NoTxt : MdnsRecords.TxtPairs(txt.Strings),
                Addresses = [.. addresses],
            });
        }

        return instances;
    }

    /// <inheritdoc/>
    public bool Equals(ServiceInstance? other) =>
        other is not null
        && InstanceName == other.InstanceName
        && ServiceType == other.ServiceType
        && HostName == other.HostName
        && Port == other.Port
        && Addresses.SequenceEqual(other.Addresses)
        && Txt.Count == other.Txt.Count
        && Txt.All(pair => other.Txt.TryGetValue(pair.Key, out var value) && value == pair.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(InstanceName, ServiceType, HostName, Port);

    private List<ResourceRecord> BuildRecords(bool goodbye)
    {
        TimeSpan Ttl(uint normal) => TimeSpan.FromSeconds(goodbye ? 0 : normal);
        var fullName = FullName;
        var unique = MdnsRecords.CacheFlushIn;

        var records = new List<ResourceRecord>
        {
            // Shared records: many hosts have a PTR for the same service type, so no cache-flush.
            new PTRRecord { Name = ServiceType, TTL = Ttl(OtherRecordTtl), DomainName = fullName },

            // Unique records: only this responder owns them, so receivers may flush older copies.
            new SRVRecord { Name = fullName, Class = unique, TTL = Ttl(HostRecordTtl), Port = Port, Target = HostName },
            new TXTRecord { Name = fullName, Class = unique, TTL = Ttl(OtherRecordTtl), Strings = MdnsRecords.TxtStrings(Txt) },
        };
        foreach (var address in Addresses)
        {
            AddressRecord record = address.AddressFamily == AddressFamily.InterNetworkV6 ? new AAAARecord() : new ARecord();
            record.Name = HostName;
            record.Class = unique;
            record.TTL = Ttl(HostRecordTtl);
            record.Address = address;
            records.Add(record);
        }

        records.Add(new PTRRecord { Name = ServiceTypeEnumerationName, TTL = Ttl(OtherRecordTtl), DomainName = ServiceType });
        return records;
    }
}
