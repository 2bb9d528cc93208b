using System.Net;
using System.Net.Sockets;
using Makaretu.Dns;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Discovery;

/// <summary>
/// This server on mDNS: claims a name (RFC 6762 §8.1 probing, §9 conflicts), announces it (§8.3),
/// answers queries (§6), browses for other FedChat servers (§5.2) and reports them to the
/// <see cref="PeerDirectory"/>; says goodbye when stopped (§10.1).
/// </summary>
/// <remarks>
/// The rules themselves live in small pure classes that tests drive directly:
/// <see cref="MdnsProbing"/>, <see cref="MdnsResponder"/>, <see cref="MdnsCache"/>, <see cref="MdnsBrowser"/>.
/// This class only adds the timing; the package Makaretu.Dns.Multicast, through <see cref="MdnsTransport"/>,
/// does the sockets and the DNS wire format.
/// </remarks>
public sealed class MdnsService
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan AnnouncementGap = TimeSpan.FromSeconds(1); // RFC 6762 §8.3
    private const int Announcements = 2; // RFC 6762 §8.3: at least two
    private const int MaxNameAttempts = 50; // "alice (50)" is surely enough; never loop forever

    private readonly MdnsOptions _options;
    private readonly string _baseName;
    private readonly int _port;
    private readonly PeerDirectory _directory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MdnsCache _cache;
    private readonly MdnsBrowser _browser;
    private readonly Lock _browseGate = new();
    private MdnsTransport? _transport;
    private volatile ServiceInstance _service;
    private int _attempt = 1;
    private volatile bool _announced;
    private volatile bool _probing;
    private volatile bool _conflict;
    private volatile bool _lostTiebreak;
    private volatile int _announcementsLeft;
    private readonly DiscoveryStatus _status;

    /// <summary>Creates the service; <see cref="RunAsync"/> starts it.</summary>
    /// <param name="options">The discovery options.</param>
    /// <param name="name">The instance name to claim, e.g. "alice".</param>
    /// <param name="baseUrl">This server's public base URL; its port goes into SRV.</param>
    /// <param name="txt">The first TXT pairs, see <see cref="LocalService.BuildTxt"/>.</param>
    /// <param name="directory">Where discovered peers go.</param>
    /// <param name="logger">Where to log.</param>
    /// <param name="time">The clock.</param>
    /// <param name="status">Where to report how discovery is doing (for the readiness check); optional.</param>
    public MdnsService(MdnsOptions options, string name, Uri baseUrl, IReadOnlyDictionary<string, string?> txt, PeerDirectory directory, ILogger logger, TimeProvider time, DiscoveryStatus? status = null)
    {
        _status = status ?? new DiscoveryStatus();
        ArgumentNullException.ThrowIfNull(baseUrl);
        _options = options;
        _baseName = name;
        _port = baseUrl.Port;
        _directory = directory;
        _logger = logger;
        _time = time;
        _cache = new MdnsCache(time);
        _browser = new MdnsBrowser(_cache);
        _service = LocalService.Describe(name, _port, 1, txt);
    }

    /// <summary>Gets the instance as currently announced (its name may have become "alice (2)").</summary>
    public ServiceInstance Service => _service;

    /// <summary>Gets how many received records are cached; bounded, whatever the network sends.</summary>
    internal int CachedRecords => _cache.Count;

    /// <summary>Sets new TXT pairs; if they differ, the service is announced again (RFC 6762 §8.4).</summary>
    /// <param name="txt">The new pairs.</param>
    public void UpdateTxt(IReadOnlyDictionary<string, string?> txt)
    {
        var updated = LocalService.Describe(_baseName, _port, _attempt, txt);
        if (!updated.Equals(_service))
        {
            _service = updated;
            _announcementsLeft = _announced ? Announcements : 0;
            _logger.LogDebug("TXT of '{Name}' changed; announcing again.", updated.InstanceName);
        }
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires, then sends goodbye packets.</summary>
    /// <param name="cancellationToken">Stops the service.</param>
    /// <returns>A task that ends after the goodbye.</returns>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var interfaces = MdnsInterface.Choose(MdnsInterface.ListAll(), _options.Interfaces);
        if (interfaces.Count == 0)
        {
            _logger.LogWarning("No network interface for mDNS (configured: {Configured}); other servers can still be found through StaticPeers or RendezvousUrl.",
                _options.Interfaces.Count == 0 ? "any" : string.Join(", ", _options.Interfaces));
            _status.Problem = "No network interface that can do multicast was found (is Wi-Fi on?).";
            return;
        }

        using var transport = new MdnsTransport(interfaces, _options.IPv6, _logger, _time);
        try
        {
            transport.Open(HandleAsync);
        }
        catch (SocketException ex)
        {
            _logger.LogError("Cannot use mDNS: UDP port 5353 could not be opened ({Error}).", ex.Message);
            _status.Problem = $"UDP port 5353 could not be opened ({ex.Message}).";
            return;
        }

        await RunOnAsync(transport, cancellationToken);
    }

    /// <summary>For tests: runs on a transport without sockets; packets come in through <c>MdnsTransport.Deliver</c>.</summary>
    /// <param name="transport">A transport that is not open yet.</param>
    /// <param name="cancellationToken">Stops the service.</param>
    /// <returns>A task that ends after the goodbye.</returns>
    internal Task RunWithoutSocketsAsync(MdnsTransport transport, CancellationToken cancellationToken)
    {
        transport.OpenWithoutSockets(HandleAsync);
        return RunOnAsync(transport, cancellationToken);
    }

    private async Task RunOnAsync(MdnsTransport transport, CancellationToken cancellationToken)
    {
        _transport = transport;
        _status.Interfaces = [.. transport.Interfaces.Select(nic => nic.IPv4Address is null ? nic.Name : $"{nic.Name} ({nic.IPv4Address})")];
        _status.Running = true;
        try
        {
            // RFC 6762 §5.2: the first query goes out 20-120 ms after start. Browsing needs no name of our own.
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 120)), _time, cancellationToken);
            SendBrowseQuery();
            var nextQuery = _time.GetUtcNow() + _browser.NextQueryInterval();
            await ClaimNameAsync(cancellationToken);
            var nextAnnouncement = _time.GetUtcNow();
            while (!cancellationToken.IsCancellationRequested)
            {
                var now = _time.GetUtcNow();
                if (_conflict)
                {
                    // RFC 6762 §9: someone else now answers for our name, so claim a name again.
                    _logger.LogWarning("Another host uses the name '{Name}'; probing again.", _service.InstanceName);
                    await ClaimNameAsync(cancellationToken);
                }

                if (_announcementsLeft > 0 && now >= nextAnnouncement)
                {
                    Send(ServiceOnAll().ToAnnouncementMessage());
                    _announcementsLeft--;
                    nextAnnouncement = now + AnnouncementGap;
                }

                if (now >= nextQuery)
                {
                    SendBrowseQuery();
                    nextQuery = now + _browser.NextQueryInterval();
                }

                // Under the browse lock: packets arriving on the package's thread update the browser too.
                Message? refresh;
                lock (_browseGate)
                {
                    refresh = _browser.BuildRefreshQuery();
                }

                if (refresh is not null)
                {
                    Send(refresh);
                }

                if (_cache.RemoveExpired().Count > 0)
                {
                    ReportChanges();
                }

                await Task.Delay(Tick, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: fall through to the goodbye.
        }
        finally
        {
            if (_announced)
            {
                // RFC 6762 §10.1: TTL 0 tells every cache to forget us now, not in 75 minutes.
                // The package's Dispose() sends no goodbye, so we do it before the sockets close.
                Send(ServiceInstance.Response(ServiceOnAll().ToGoodbyeRecords()));
                _logger.LogInformation("Said goodbye on mDNS as '{Name}'.", _service.InstanceName);
            }

            _announced = false;
            _status.Running = false;
            _transport = null;
        }
    }

    // RFC 6762 §8.1: probe three times, 250 ms apart; a conflicting answer means the name is taken,
    // so try "alice (2)", "alice (3)", ... §8.2: losing a simultaneous probe means wait 1 s, probe again.
    private async Task ClaimNameAsync(CancellationToken cancellationToken)
    {
        _announced = false;
        for (var round = 0; round < MaxNameAttempts * 2; round++)
        {
            _service = LocalService.Describe(_baseName, _port, _attempt, _service.Txt);
            _logger.LogInformation("Probing for the name '{Name}' on mDNS.", _service.InstanceName);
            _conflict = false;
            _lostTiebreak = false;
            _probing = true;
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250)), _time, cancellationToken);
            for (var i = 0; i < MdnsProbing.ProbeCount && !_conflict && !_lostTiebreak; i++)
            {
                // Asked as QM, not QU: on a laptop with several servers on port 5353 a unicast answer
                // reaches only one of them.
                Send(MdnsProbing.BuildProbe(ServiceOnAll(), unicastResponse: false));
                await Task.Delay(MdnsProbing.ProbeInterval, _time, cancellationToken);
            }

            _probing = false;
            if (_conflict && _attempt < MaxNameAttempts)
            {
                var taken = _service.InstanceName;
                _attempt++;
                _logger.LogInformation("The name '{Taken}' is already used on the network; trying '{Next}'.", taken, LocalService.InstanceNameFor(_baseName, _attempt));
                continue;
            }

            if (_lostTiebreak)
            {
                await Task.Delay(MdnsProbing.TiebreakLoserDelay, _time, cancellationToken);
                continue;
            }

            break;
        }

        _conflict = false;
        _announced = true;
        _announcementsLeft = Announcements;
        foreach (var nic in _transport?.Interfaces ?? [])
        {
            _logger.LogInformation("Announcing '{Name}' as {Type} on {Interface} (host {Host}, port {Port}).",
                _service.InstanceName, "_fedchat._tcp", nic, _service.HostName, _port);
        }

        // While we held the other host's name, its records looked like our own and were skipped;
        // now that we have a name of our own, report every instance seen so far.
        ReportAll();
    }

    private async Task HandleAsync(MdnsPacket packet)
    {
        // Our own packets are filtered out before they get here: this is traffic from other devices.
        _status.CountPacketFromOthers();
        var message = packet.Message;
        if (message.IsResponse)
        {
            // RFC 6762 §11: responses must come from port 5353.
            if (packet.Source.Port != MdnsTransport.MdnsPort)
            {
                return;
            }

            if ((_probing || _announced) && MdnsProbing.IsConflict(message, ServiceOnAll()))
            {
                _conflict = true;
            }

            if (_cache.Add(message.Answers.Concat(message.AdditionalRecords)) > 0)
            {
                ReportChanges();
            }

            return;
        }

        if (_probing && message.AuthorityRecords.Count > 0 && MdnsProbing.LosesTiebreak(message, ServiceOnAll()))
        {
            _lostTiebreak = true;
        }

        if (_announced && _transport is { } transport && MdnsResponder.Answer(message, packet.Source, ServiceOnAll()) is { } reply)
        {
            if (reply.Delay)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 120)), _time);
            }

            if (reply.UnicastTo is { } to)
            {
                transport.SendUnicast(reply.Message, to);
            }
            else
            {
                transport.SendMulticast(reply.Message);
            }
        }
    }

    private void ReportChanges()
    {
        lock (_browseGate)
        {
            var changes = _browser.Update();
            foreach (var instance in changes.Appeared.Concat(changes.Changed))
            {
                if (!IsSelf(instance) && PeerSighting.FromService(instance) is { } sighting)
                {
                    _directory.ReportSeen(sighting);
                }
            }

            foreach (var (instance, reason) in changes.Gone)
            {
                if (!IsSelf(instance) && PeerSighting.FromService(instance) is { } sighting)
                {
                    _directory.ReportGone(sighting.Url, PeerSources.Mdns, reason);
                }
            }
        }
    }

    private void ReportAll()
    {
        lock (_browseGate)
        {
            foreach (var instance in _browser.Instances.Where(i => !IsSelf(i)))
            {
                if (PeerSighting.FromService(instance) is { } sighting)
                {
                    _directory.ReportSeen(sighting);
                }
            }
        }
    }

    private bool IsSelf(ServiceInstance instance) => instance.FullName == _service.FullName && instance.HostName == _service.HostName;

    private void SendBrowseQuery()
    {
        Message query;
        lock (_browseGate)
        {
            query = _browser.BuildQuery();
        }

        Send(query);
    }

    private void Send(Message message) => _transport?.SendMulticast(message);

    // Our records: the addresses of every interface in use. The package sends each packet on all of
    // them, so unlike RFC 6762 §6.2 we cannot tailor the addresses to the link; FedChat peers take
    // the URL from TXT "url" anyway.
    private ServiceInstance ServiceOnAll() =>
        _service with { Addresses = Usable(_transport?.Interfaces.SelectMany(i => i.Addresses) ?? []) };

    private IPAddress[] Usable(IEnumerable<IPAddress> addresses) =>
        [.. addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork || (_options.IPv6 && a.AddressFamily == AddressFamily.InterNetworkV6)).Distinct()];
}
