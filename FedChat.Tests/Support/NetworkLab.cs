using System.Diagnostics;

namespace FedChat.Tests.Support;

/// <summary>
/// A small LAN made of Linux network namespaces, for tests that need several "laptops": each host
/// is a namespace with a veth cable into a bridge that lives in a namespace of its own. Nothing
/// touches the real network. Names carry a random tag (<c>fc-1a2b3c-a</c>) so parallel runs don't
/// clash; <see cref="Dispose"/> deletes every namespace, which also removes their cables.
/// </summary>
public sealed class NetworkLab : IDisposable
{
    private readonly List<string> _namespaces = [];
    private string? _bridge;

    /// <summary>Gets the tag in every namespace name, e.g. <c>fc-1a2b3c</c>.</summary>
    public string Tag { get; } = "fc-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>
    /// Adds a host: namespace <c>TAG-suffix</c> with loopback up and interface <paramref name="interfaceName"/>
    /// at <paramref name="address"/>/24, multicast on and a route for 224.0.0.0/4. Without
    /// <paramref name="peer"/> it is cabled to the shared bridge; with it, straight to that namespace's
    /// <paramref name="peerInterface"/>.
    /// </summary>
    /// <returns>The namespace name.</returns>
    public string AddHost(string suffix, string address, string interfaceName = "lan0", string? peer = null, string? peerInterface = null)
    {
        var ns = $"{Tag}-{suffix}";
        Ip("netns", "add", ns);
        _namespaces.Add(ns);
        if (peer is null)
        {
            var bridge = EnsureBridge();
            var port = "p" + suffix;
            Ip("link", "add", interfaceName, "netns", ns, "type", "veth", "peer", "name", port, "netns", bridge);
            Ip("-n", bridge, "link", "set", port, "master", "br0", "up");
        }
        else if (peerInterface is not null)
        {
            Ip("link", "add", interfaceName, "netns", ns, "type", "veth", "peer", "name", peerInterface, "netns", peer);
        }

        ConfigureInterface(ns, interfaceName, address);
        return ns;
    }

    /// <summary>Gives an interface its address and makes it ready for multicast.</summary>
    public static void ConfigureInterface(string ns, string interfaceName, string address)
    {
        Ip("-n", ns, "link", "set", "lo", "up");
        Ip("-n", ns, "addr", "add", address + "/24", "dev", interfaceName);
        Ip("-n", ns, "link", "set", interfaceName, "up", "multicast", "on");
        Ip("-n", ns, "route", "add", "224.0.0.0/4", "dev", interfaceName);
    }

    /// <summary>Runs <c>ip</c> with the arguments; throws with its error output if it fails.</summary>
    public static void Ip(params string[] args) => RunTool("ip", args, TimeSpan.FromSeconds(10));

    /// <summary>Runs a command to completion inside a namespace and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Exec(string ns, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, params string[] command)
    {
        using var process = Process.Start(StartInfo(ns, environment, command))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true); // our own child, by its handle
            process.WaitForExit();
        }

        return (process.ExitCode, output.Result + errors.Result);
    }

    /// <summary>Builds the start info for <c>ip netns exec NS command...</c> with redirected output.</summary>
    public static ProcessStartInfo StartInfo(string ns, IReadOnlyDictionary<string, string>? environment, params string[] command)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "netns", "exec", ns }.Concat(command))
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>Finds a program on PATH (or in /usr/sbin, /sbin, where root tools live).</summary>
    /// <returns>The full path, or <see langword="null"/>.</returns>
    public static string? FindTool(string name)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin", "/usr/bin", "/bin"]);
        return path.Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);
    }

    /// <summary>Deletes every namespace this lab made (their processes must be stopped first).</summary>
    public void Dispose()
    {
        foreach (var ns in Enumerable.Reverse(_namespaces))
        {
            try
            {
                Ip("netns", "del", ns);
            }
            catch (InvalidOperationException)
            {
                // Already gone; keep deleting the others.
            }
        }

        _namespaces.Clear();
    }

    private string EnsureBridge()
    {
        if (_bridge is null)
        {
            _bridge = $"{Tag}-br";
            Ip("netns", "add", _bridge);
            _namespaces.Insert(0, _bridge);
            Ip("-n", _bridge, "link", "add", "br0", "type", "bridge");
            Ip("-n", _bridge, "link", "set", "br0", "up");
        }

        return _bridge;
    }

    private static void RunTool(string tool, string[] args, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} took longer than {timeout.TotalSeconds} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({process.ExitCode}): {errors.Result.Trim()}");
        }
    }
}
