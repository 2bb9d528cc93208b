using System.Net;
using System.Net.Sockets;

namespace FedChat.Tests.Federation.Delivery;

/// <summary>Servers that are no use to a sender: one that never answers, one that is not there at all.</summary>
internal sealed class DeadServer : IAsyncDisposable
{
    private readonly TcpListener? _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _accepted = [];
    private readonly Task _acceptLoop = Task.CompletedTask;

    private DeadServer(Uri inboxUrl, TcpListener? listener)
    {
        InboxUrl = inboxUrl;
        _listener = listener;
        if (listener is not null)
        {
            _acceptLoop = AcceptAsync(listener);
        }
    }

    /// <summary>Gets the inbox URL that leads nowhere useful.</summary>
    public Uri InboxUrl { get; }

    /// <summary>A server that accepts the TCP connection and then says nothing, ever: a hung process.</summary>
    public static DeadServer Silent()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new DeadServer(InboxOn(((IPEndPoint)listener.LocalEndpoint).Port), listener);
    }

    /// <summary>A port nobody listens on: connections are refused at once, like a stopped server.</summary>
    public static DeadServer ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new DeadServer(InboxOn(port), null);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        await _acceptLoop;
        lock (_accepted)
        {
            _accepted.ForEach(socket => socket.Dispose());
        }
        _stop.Dispose();
    }

    private static Uri InboxOn(int port) => new($"http://127.0.0.1:{port}/inbox");

    private async Task AcceptAsync(TcpListener listener)
    {
        // Bounded: at most 100 connections, and only until the test disposes the server.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                var socket = await listener.AcceptSocketAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(socket); // hold it open and never read or write
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }
}
