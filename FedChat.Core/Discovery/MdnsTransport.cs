using System.Net;
using System.Net.Sockets;
using Makaretu.Dns;
using Microsoft.Extensions.Logging;

namespace FedChat.Core.Discovery;

/// <summary>One received mDNS message, already parsed by the package, and who sent it.</summary>
/// <param name="Message">The message.</param>
/// <param name="Source">The sender's address and port (port 5353 for mDNS responders).</param>
public sealed record MdnsPacket(Message Message, IPEndPoint Source);

/// <summary>
/// FedChat's side of the Makaretu.Dns.Multicast package: the package owns the sockets (UDP 5353,
/// groups 224.0.0.251 and ff02::fb, SO_REUSEADDR so several servers share the port) and parses what
/// arrives; this class picks the interfaces it may use, drops our own packets that multicast loopback
/// brings back, logs malformed packets, and makes sure nothing a sender does escapes as an exception.
/// </summary>
public sealed class MdnsTransport : IDisposable
{
    /// <summary>The mDNS port (RFC 6762 §3).</summary>
    public const int MdnsPort = 5353;

    // Our packets come back through multicast loopback within milliseconds; two seconds is plenty.
    private static readonly TimeSpan OwnPacketMemory = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _sentGate = new();
    private readonly Queue<(byte[] Bytes, DateTimeOffset At)> _recentlySent = new();
    private MulticastService? _mdns;
    private Func<MdnsPacket, Task>? _handler;
    private int _handlerFailures;

    /// <summary>Creates the transport; <see cref="Open"/> starts it.</summary>
    /// <param name="interfaces">The interfaces to use, see <see cref="MdnsInterface.Choose"/>.</param>
    /// <param name="useIPv6">Whether to use IPv6 (ff02::fb) too.</param>
    /// <param name="logger">Where to log; the package's own log lines are routed here too.</param>
    /// <param name="time">The clock, for recognising our own packets.</param>
    public MdnsTransport(IReadOnlyList<MdnsInterface> interfaces, bool useIPv6, ILogger logger, TimeProvider time)
    {
        Interfaces = interfaces;
        UseIPv6 = useIPv6;
        _logger = logger;
        _time = time;

        // Before the first MulticastService exists: the package takes its loggers when its classes load.
        MdnsPackageLog.RouteTo(logger);
    }

    /// <summary>Gets the interfaces in use.</summary>
    public IReadOnlyList<MdnsInterface> Interfaces { get; }

    /// <summary>Gets whether IPv6 is used.</summary>
    public bool UseIPv6 { get; }

    /// <summary>Gets how many received packets our handler failed on (logged as warnings); the fuzz tests expect none.</summary>
    public int HandlerFailures => Volatile.Read(ref _handlerFailures);

    /// <summary>Gets the messages sent, when opened with <see cref="OpenWithoutSockets"/>; otherwise <see langword="null"/>.</summary>
    internal List<Message>? Sent { get; private set; }

    /// <summary>
    /// Binds port 5353 and joins the groups on the chosen interfaces. Received messages go to
    /// <paramref name="handler"/>, one at a time per packet, never our own.
    /// </summary>
    /// <param name="handler">Handles one received message.</param>
    /// <exception cref="SocketException">UDP port 5353 cannot be bound.</exception>
    public void Open(Func<MdnsPacket, Task> handler)
    {
        // The package swallows socket errors (they only reach its log), so check the port ourselves:
        // bind it the way the package does, with SO_REUSEADDR, and let a failure surface.
        using (var check = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            check.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            check.Bind(new IPEndPoint(IPAddress.Any, MdnsPort));
        }

        var names = Interfaces.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        Attach(new MulticastService(all => all.Where(nic => names.Contains(nic.Name))) { UseIpv6 = UseIPv6 }, handler);
        _mdns!.Start();
    }

    /// <summary>For tests: wires up the package's receive path without opening sockets; sends go to <see cref="Sent"/>.</summary>
    /// <param name="handler">Handles one received message.</param>
    internal void OpenWithoutSockets(Func<MdnsPacket, Task> handler)
    {
        Sent = [];
        Attach(new MulticastService(_ => []), handler);
    }

    /// <summary>For tests: hands raw bytes to the package's receive path, exactly as its socket loop does.</summary>
    /// <param name="packet">The bytes.</param>
    /// <param name="source">The sender.</param>
    internal void Deliver(byte[] packet, IPEndPoint source) => _mdns?.OnDnsMessage(this, new UdpReceiveResult(packet, source));

    /// <summary>Multicasts a query or a response on every interface in use.</summary>
    /// <param name="message">The message; a response gets AA set, id 0 and no questions (RFC 6762 §18).</param>
    public void SendMulticast(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.IsResponse)
        {
            message.AA = true;
            message.Id = 0;
            message.Questions.Clear();
        }

        Send(message, mdns =>
        {
            if (message.IsResponse)
            {
                // No duplicate check: our announcements repeat on purpose (RFC 6762 §8.3).
                mdns.SendAnswer(message, checkDuplicate: false);
            }
            else
            {
                mdns.SendQuery(message);
            }
        });
    }

    /// <summary>Sends a reply straight back to a legacy querier (one that did not send from port 5353, RFC 6762 §6.7).</summary>
    /// <param name="reply">The reply, see <see cref="MdnsResponder"/>.</param>
    /// <param name="to">The querier.</param>
    public void SendUnicast(Message reply, IPEndPoint to)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(to);
        var query = new Message { Id = reply.Id };
        query.Questions.AddRange(reply.Questions);
        Send(reply, mdns => mdns.SendAnswer(reply, new MessageEventArgs { Message = query, RemoteEndPoint = to }, checkDuplicate: false));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Stops the package's receive loops and closes its sockets. It sends no goodbyes itself;
        // MdnsService does that before disposing.
        _mdns?.Dispose();
        _mdns = null;
    }

    private void Attach(MulticastService mdns, Func<MdnsPacket, Task> handler)
    {
        _handler = handler;
        mdns.IgnoreDuplicateMessages = false; // repeated announcements and queries are normal in mDNS
        mdns.QueryReceived += OnMessage;
        mdns.AnswerReceived += OnMessage;
        mdns.MalformedMessage += (_, bytes) => _logger.LogDebug("Dropped a malformed mDNS packet ({Bytes} bytes).", bytes.Length);
        _mdns = mdns;
    }

    private void Send(Message message, Action<MulticastService> send)
    {
        byte[] bytes;
        try
        {
            bytes = message.ToByteArray();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogWarning("Could not encode an mDNS message: {Error}", ex.Message);
            return;
        }

        Remember(bytes);
        if (Sent is { } sent)
        {
            lock (sent)
            {
                sent.Add(message);
            }

            return;
        }

        try
        {
            if (_mdns is { } mdns)
            {
                send(mdns);
            }
        }
        catch (Exception ex) when (ex is SocketException or InvalidOperationException or ArgumentOutOfRangeException or ObjectDisposedException)
        {
            // An interface that went down, a message too big for one packet: log it and go on.
            _logger.LogDebug("Could not send an mDNS message of {Bytes} bytes: {Error}", bytes.Length, ex.Message);
        }
    }

    // Runs on the package's receive thread. Whatever happens here must not escape: the package
    // would only log it, but a slow or throwing handler would still stall that receive loop.
    private void OnMessage(object? sender, MessageEventArgs e)
    {
        if (e.Message is not { } message || e.RemoteEndPoint is not { } source || _handler is not { } handler || IsOwnPacket(message))
        {
            return;
        }

        _ = HandleAsync(handler, new MdnsPacket(message, source));
    }

    private async Task HandleAsync(Func<MdnsPacket, Task> handler, MdnsPacket packet)
    {
        try
        {
            await handler(packet);
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _handlerFailures);
            _logger.LogWarning(ex, "Handling an mDNS packet from {Source} failed", packet.Source);
        }
    }

    private void Remember(byte[] bytes)
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
    }

    // The package hands us parsed messages, not bytes; its writer is deterministic, so writing a
    // received message again gives the bytes we sent if it is one of ours.
    private bool IsOwnPacket(Message message)
    {
        byte[] bytes;
        try
        {
            bytes = message.ToByteArray();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return false; // we never send what cannot be written
        }

        var cutoff = _time.GetUtcNow() - OwnPacketMemory;
        lock (_sentGate)
        {
            return _recentlySent.Any(sent => sent.At >= cutoff && sent.Bytes.AsSpan().SequenceEqual(bytes));
        }
    }
}
