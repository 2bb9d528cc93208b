using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace FedChat.Room;

/// <summary>
/// One FedChat server of the room: its own process (<c>dotnet FedChat.Web.dll</c>), loopback port and
/// data directory. It counts the inbox requests it answered from its own log: ASP.NET Core's
/// <c>Microsoft.AspNetCore.Hosting.Diagnostics</c> category prints a "Request finished" line per request.
/// </summary>
internal sealed partial class RoomServer : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private int _inboxPosts;

    private RoomServer(int index, int port, string dataDirectory, Process process)
    {
        Index = index;
        Port = port;
        DataDirectory = dataDirectory;
        _process = process;
    }

    public int Index { get; }

    public int Port { get; }

    public string DataDirectory { get; }

    public int Pid => _process.Id;

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public bool HasExited => _process.HasExited;

    /// <summary>Gets how many inbox POSTs (shared or personal) this server has answered so far.</summary>
    public int InboxPosts => Volatile.Read(ref _inboxPosts);

    /// <summary>Starts a server; <paramref name="rendezvous"/> is null for the rendezvous itself.</summary>
    public static RoomServer Start(string dll, int index, string root, Uri? rendezvous)
    {
        var port = FreePort();
        var data = Path.Combine(root, $"s{index:00}");
        Directory.CreateDirectory(data);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        string[] arguments =
        [
            dll, "--urls", $"http://127.0.0.1:{port}",
            $"--FedChat:DataDirectory={data}",
            $"--FedChat:InstanceName=room-{index:00}",
            $"--FedChat:PublicBaseUrl=http://127.0.0.1:{port}",
            // mDNS off: the servers find each other through the rendezvous (server 0) only.
            "--FedChat:Discovery:Enabled=false",
            "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information",
            .. rendezvous is null ? Array.Empty<string>() : [$"--FedChat:Discovery:RendezvousUrl={rendezvous}"],
        ];
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var server = new RoomServer(index, port, data, Process.Start(info)!);
        server._process.OutputDataReceived += (_, e) => server.Collect(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Collect(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Gets the resident memory of the process now, in MiB (VmRSS in /proc/PID/status).</summary>
    public double RssMiB() => ReadKiB($"/proc/{Pid}/status", "VmRSS:") / 1024.0;

    /// <summary>
    /// Gets the proportional set size in MiB (Pss in /proc/PID/smaps_rollup): pages shared with other
    /// processes (the framework's DLLs, mapped by every server) count as a share, so the PSS of all
    /// servers adds up to what the room really takes.
    /// </summary>
    public double PssMiB() => ReadKiB($"/proc/{Pid}/smaps_rollup", "Pss:") / 1024.0;

    private static long ReadKiB(string file, string field)
    {
        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }

    /// <summary>Gets the last lines the server printed, for an error message.</summary>
    public string Tail()
    {
        lock (_tail)
        {
            return string.Join('\n', _tail);
        }
    }

    /// <summary>Ends this process (and only it) by its pid.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }
        if (InboxRequest().IsMatch(line))
        {
            Interlocked.Increment(ref _inboxPosts);
        }
        lock (_tail)
        {
            _tail.Enqueue(line);
            if (_tail.Count > 40)
            {
                _tail.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // "Request finished HTTP/1.1 POST http://127.0.0.1:PORT/inbox - 202 …" (or /users/NAME/inbox).
    [GeneratedRegex(@"Request finished HTTP/\S+ POST http://[^/\s]+/(users/[^/\s]+/)?inbox ")]
    private static partial Regex InboxRequest();
}
