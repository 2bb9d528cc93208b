using System.Net;
using System.Net.Sockets;
using FedChat.Core.Discovery.Dns;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Discovery;

/// <summary>One received, well-formed mDNS message.</summary>
/// <param name="Message">The parsed message.</param>
/// <param name="Source">The sender's address and port.</param>
/// <param name="Interface">The interface it arrived on.</param>
public sealed record MdnsPacket(DnsMessage Message, IPEndPoint Source, MdnsInterface Interface);

/// <summary>
/// The UDP side of mDNS (RFC 6762): one socket per address family on port 5353, joined to
/// 224.0.0.251 and ff02::fb on each chosen interface. Sends multicast per interface and unicast
/// replies; receives, parses and drops garbage and our own packets.
/// </summary>
/// <remarks>
/// The sockets set <c>SO_REUSEADDR</c> before binding, so FedChat runs beside Avahi or Bonjour and
/// beside other FedChat servers on the same laptop. Multicast loopback stays on: that is how two
/// servers on one laptop hear each other. The price is hearing our own packets too, so every packet
/// we sent in the last two seconds is remembered and an identical one coming back is ignored.
/// </remarks>
public sealed class MdnsTransport : IDisposable
{
    /// <summary>The mDNS IPv4 group (RFC 6762 §3).</summary>
    public static readonly IPAddress IPv4Group = IPAddress.Parse("224.0.0.251");

    /// <summary>The mDNS IPv6 group (RFC 6762 §3).</summary>
    public static readonly IPAddress IPv6Group = IPAddress.Parse("ff02::fb");

    // RFC 6762 §17: a packet may be up to 9000 bytes.
    private const int MaxPacketBytes = 9000;
    private static readonly TimeSpan OwnPacketMemory = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _sentGate = new();
    private readonly Queue<(byte[] Bytes, DateTimeOffset At)> _recentlySent = new();
    private Socket? _ipv4;
    private Socket? _ipv6;

    /// <summary>Creates the transport; <see cref="Open"/> binds the sockets.</summary>
    /// <param name="interfaces">The interfaces to use.</param>
    /// <param name="useIPv6">Whether to use IPv6 too.</param>
    /// <param name="logger">Where to log.</param>
    /// <param name="time">The clock.</param>
    public MdnsTransport(IReadOnlyList<MdnsInterface> interfaces, bool useIPv6, ILogger logger, TimeProvider time)
    {
        Interfaces = interfaces;
        UseIPv6 = useIPv6;
        _logger = logger;
        _time = time;
    }

    /// <summary>Gets the interfaces mDNS runs on.</summary>
    public IReadOnlyList<MdnsInterface> Interfaces { get; }

    /// <summary>Gets whether IPv6 is used; it is switched off when no IPv6 socket can be opened.</summary>
    public bool UseIPv6 { get; private set; }

    /// <summary>Binds port 5353 and joins the groups on every interface.</summary>
    /// <exception cref="SocketException">The IPv4 socket could not be opened.</exception>
    public void Open()
    {
        _ipv4 = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _ipv4.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // before Bind
        _ipv4.Bind(new IPEndPoint(IPAddress.Any, MdnsResponder.MdnsPort));
        _ipv4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true); // which interface a packet came in on
        _ipv4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255); // RFC 6762 §11
        _ipv4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        foreach (var nic in Interfaces.Where(i => i.IPv4Address is not null))
        {
            _ipv4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(IPv4Group, nic.IPv4Address!));
        }

        if (!UseIPv6)
        {
            return;
        }

        try
        {
            _ipv6 = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            _ipv6.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _ipv6.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.IPv6Only, true); // IPv4 has its own socket
            _ipv6.Bind(new IPEndPoint(IPAddress.IPv6Any, MdnsResponder.MdnsPort));
            _ipv6.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.PacketInformation, true);
            _ipv6.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
            _ipv6.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, true);
            foreach (var nic in Interfaces.Where(i => i.HasIPv6))
            {
                _ipv6.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(IPv6Group, nic.Index));
            }
        }
        catch (SocketException ex)
        {
            _logger.LogWarning("mDNS over IPv6 is off: {Error}", ex.Message);
            _ipv6?.Dispose();
            _ipv6 = null;
            UseIPv6 = false;
        }
    }

    /// <summary>
    /// Receives until <paramref name="cancellationToken"/> fires, calling <paramref name="handler"/> for
    /// each well-formed packet from one of our interfaces. Garbage is logged at Debug and dropped;
    /// nothing a sender does ends the loop.
    /// </summary>
    /// <param name="handler">Handles one packet.</param>
    /// <param name="cancellationToken">Stops receiving.</param>
    /// <returns>A task that ends when receiving stops.</returns>
    public Task ReceiveAsync(Func<MdnsPacket, Task> handler, CancellationToken cancellationToken)
    {
        var loops = new List<Task>();
        if (_ipv4 is not null)
        {
            loops.Add(ReceiveLoopAsync(_ipv4, new IPEndPoint(IPAddress.Any, 0), handler, cancellationToken));
        }

        if (_ipv6 is not null)
        {
            loops.Add(ReceiveLoopAsync(_ipv6, new IPEndPoint(IPAddress.IPv6Any, 0), handler, cancellationToken));
        }

        return Task.WhenAll(loops);
    }

    /// <summary>Multicasts a message on one interface, over IPv4 and (if on) IPv6.</summary>
    /// <param name="message">The message.</param>
    /// <param name="nic">The interface.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that ends when the message is sent.</returns>
    public async Task SendMulticastAsync(DnsMessage message, MdnsInterface nic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(nic);
        var bytes = Remember(message.ToBytes());
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            // The socket serves all interfaces, so pick the outgoing one before each send.
            if (_ipv4 is not null && nic.IPv4Address is { } address)
            {
                _ipv4.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address.GetAddressBytes());
                await SendAsync(_ipv4, bytes, new IPEndPoint(IPv4Group, MdnsResponder.MdnsPort), cancellationToken);
            }

            if (_ipv6 is not null && nic.HasIPv6)
            {
                _ipv6.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, nic.Index);
                await SendAsync(_ipv6, bytes, new IPEndPoint(IPv6Group, MdnsResponder.MdnsPort), cancellationToken);
            }
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Sends a message straight to one querier (QU and legacy unicast replies, RFC 6762 §5.4, §6.7).</summary>
    /// <param name="message">The message.</param>
    /// <param name="destination">The querier's address and port.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that ends when the message is sent.</returns>
    public async Task SendUnicastAsync(DnsMessage message, IPEndPoint destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(destination);
        var socket = destination.AddressFamily == AddressFamily.InterNetworkV6 ? _ipv6 : _ipv4;
        if (socket is not null)
        {
            await SendAsync(socket, Remember(message.ToBytes()), destination, cancellationToken);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _ipv4?.Dispose();
        _ipv6?.Dispose();
        _sendLock.Dispose();
    }

    private async Task SendAsync(Socket socket, byte[] bytes, IPEndPoint destination, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendToAsync(bytes, SocketFlags.None, destination, cancellationToken);
        }
        catch (SocketException ex)
        {
            // An interface that went down, a network without a multicast route: log it and go on.
            _logger.LogDebug("Could not send {Bytes} bytes to {Destination}: {Error}", bytes.Length, destination, ex.Message);
        }
    }

    private async Task ReceiveLoopAsync(Socket socket, IPEndPoint any, Func<MdnsPacket, Task> handler, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxPacketBytes];
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // E.g. an ICMP "port unreachable" from an earlier unicast reply. Pause briefly so a
                // broken socket cannot spin this loop.
                _logger.LogDebug("mDNS receive failed: {Error}", ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            var source = (IPEndPoint)received.RemoteEndPoint;
            var packet = buffer.AsSpan(0, received.ReceivedBytes);
            var nic = Interfaces.FirstOrDefault(i => i.Index == received.PacketInformation.Interface);
            if (nic is null || IsOwnPacket(packet))
            {
                continue; // another interface than ours, or our own packet looped back
            }

            if (!DnsMessage.TryParse(packet, out var message, out var error))
            {
                _logger.LogDebug("Dropped a malformed mDNS packet from {Source} on {Interface}: {Error}", source, nic.Name, error);
                continue;
            }

            try
            {
                await handler(new MdnsPacket(message, source, nic));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Handling an mDNS packet from {Source} failed", source);
            }
        }
    }

    private byte[] Remember(byte[] bytes)
    {
        var now = _time.GetUtcNow();
        lock (_sentGate)
        {
            while (_recentlySent.Count > 0 && (_recentlySent.Peek().At < now - OwnPacketMemory || _recentlySent.Count > 64))
            {
                _recentlySent.Dequeue();
            }

            _recentlySent.Enqueue((bytes, now));
        }

        return bytes;
    }

    private bool IsOwnPacket(ReadOnlySpan<byte> packet)
    {
        var cutoff = _time.GetUtcNow() - OwnPacketMemory;
        lock (_sentGate)
        {
            foreach (var (bytes, at) in _recentlySent)
            {
                if (at >= cutoff && packet.SequenceEqual(bytes))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
