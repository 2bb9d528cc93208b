using System.Net;
using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Tests.Support;
using Makaretu.Dns;

namespace FedChat.Tests.Discovery;

/// <summary>
/// Alice's mDNS service running for real (probing, announcing, answering) on the package's receive
/// path, but without sockets: packets go in through <see cref="Deliver"/>, which calls the package's
/// own <c>OnDnsMessage</c> exactly as its socket loop does, and what Alice sends lands in <see cref="Sent"/>.
/// </summary>
internal sealed class MdnsRig : IAsyncDisposable
{
    public static readonly IPEndPoint BobEndPoint = new(DiscoveryRig.BobAddress, 5353);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    private MdnsRig()
    {
        Directory = DiscoveryRig.Directory(new ManualTimeProvider(), Events);
        var nic = new MdnsInterface("lab0", 1, [DiscoveryRig.AliceAddress]);
        Transport = new MdnsTransport([nic], useIPv6: false, Logger, TimeProvider.System);
        Service = new MdnsService(new MdnsOptions(), "alice", new Uri("http://192.168.1.23:5080/"),
            LocalService.BuildTxt("alice", new Uri("http://192.168.1.23:5080/"), 2), Directory, Logger, TimeProvider.System, Status);
        _running = Service.RunWithoutSocketsAsync(Transport, _stop.Token);
    }

    public List<FedChatEvent> Events { get; } = [];

    public ListLogger Logger { get; } = new();

    public DiscoveryStatus Status { get; } = new();

    public PeerDirectory Directory { get; }

    public MdnsTransport Transport { get; }

    public MdnsService Service { get; }

    public IReadOnlyList<Message> Sent
    {
        get
        {
            lock (Transport.Sent!)
            {
                return [.. Transport.Sent];
            }
        }
    }

    /// <summary>Starts Alice and waits until she has claimed her name and announced it.</summary>
    public static async Task<MdnsRig> StartAnnouncedAsync()
    {
        var rig = new MdnsRig();
        await Eventually.WaitForAsync(() => Task.FromResult(rig.Sent), sent => sent.Any(IsAnnouncement), "Alice's first announcement", TimeSpan.FromSeconds(15));
        return rig;
    }

    public void Deliver(byte[] packet, IPEndPoint? from = null) => Transport.Deliver(packet, from ?? BobEndPoint);

    /// <summary>A browse query for _fedchat._tcp.local, as Bob would send it (id 7, so it is not byte for byte Alice's own).</summary>
    public static byte[] BrowseQuery()
    {
        var query = new Message { Id = 7 };
        query.Questions.Add(new Question { Name = ServiceInstance.FedChatServiceType, Type = DnsType.PTR, Class = DnsClass.IN });
        return query.ToByteArray();
    }

    /// <summary>Whether a sent message answers "which FedChat servers are there?" with Alice.</summary>
    public static bool IsPtrAnswerForAlice(Message message) =>
        message.IsResponse && message.Answers.OfType<PTRRecord>().Any(p => p.Name == ServiceInstance.FedChatServiceType && p.DomainName.Labels[0] == "alice");

    private static bool IsAnnouncement(Message message) => message.IsResponse && message.Answers.Any(r => r is SRVRecord && r.TTL > TimeSpan.Zero);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running;
        _stop.Dispose();
        Transport.Dispose();
    }
}
