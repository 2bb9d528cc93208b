using System.Diagnostics;
using FedChat.Core.Discovery;
using FedChat.Tests.Support;

namespace FedChat.Tests.Discovery;

/// <summary>
/// FedChat against an independent mDNS implementation: Avahi (avahi-daemon with a private D-Bus,
/// as in /work/shared/DESIGN.md "Avahi on these machines") in one namespace, a FedChat server in
/// another, joined by a veth cable. Avahi must resolve FedChat's service, and FedChat must find a
/// service that Avahi publishes.
/// </summary>
/// <remarks>Only one avahi-daemon can run per machine (it keeps a pid file in /run/avahi-daemon), so
/// these tests share one class and run one after the other.</remarks>
[Trait("Speed", "Slow")]
public class AvahiInteropTests
{
    private static readonly string ConfigDirectory = Path.Combine(AppContext.BaseDirectory, "Discovery", "Avahi");

    // The private bus from dbus-private.conf: an abstract socket, which belongs to the namespace it is made in.
    private static readonly Dictionary<string, string> Bus = new() { ["DBUS_SYSTEM_BUS_ADDRESS"] = "unix:abstract=fcmdns-bus" };

    [RootFact("avahi-daemon", "avahi-browse", "avahi-publish", "dbus-daemon")]
    public async Task AvahiResolvesFedChat_AndFedChatFindsAvahiServices()
    {
        using var lab = new NetworkLab();
        var processes = new List<IDisposable>();
        try
        {
            // Two hosts on one bridge; avahi-daemon.conf only allows the interface "mdnsb".
            var avahiNs = lab.AddHost("av", "10.77.0.1", interfaceName: "mdnsb");
            var fedchatNs = lab.AddHost("fc", "10.77.0.2");

            await StartAvahiAsync(avahiNs, processes);
            var server = LabServer.Start("fedchat-avahi", fedchatNs, "10.77.0.2");
            processes.Add(server);

            // Avahi sees FedChat: resolved to its address and port, with TXT url=.
            var line = await PollAsync(() =>
            {
                var (_, text) = NetworkLab.Exec(avahiNs, TimeSpan.FromSeconds(10), Bus, "avahi-browse", "-rpt", "_fedchat._tcp");
                return text.Split('\n').FirstOrDefault(l => l.StartsWith("=;", StringComparison.Ordinal) && l.Contains(";fedchat-avahi;", StringComparison.Ordinal));
            }, TimeSpan.FromSeconds(30));
            Assert.True(line is not null, $"avahi-browse did not resolve FedChat.\n{server.Process.Output}");
            var fields = line!.Split(';');
            Assert.Equal("5080", fields[8]);
            Assert.Equal("10.77.0.2", fields[7]);
            Assert.Contains("\"url=http://10.77.0.2:5080/\"", fields[9], StringComparison.Ordinal);

            // FedChat sees Avahi: a service published with avahi-publish shows up in /api/peers.
            var publish = LabProcess.Start("avahi-publish", avahiNs, Bus, "avahi-publish", "-s", "Avahi Peer", "_fedchat._tcp", "5999", "url=http://10.77.0.1:5999/");
            processes.Add(publish);
            var found = await server.WaitForAsync(list => list.Peers.Any(p => p.Name == "Avahi Peer" && p.Url == "http://10.77.0.1:5999/" && p.Status == nameof(PeerStatus.Online)), TimeSpan.FromSeconds(15));
            Assert.True(found is not null, $"FedChat did not list Avahi's service.\n{publish.Output}\n{server.Process.Output}");

            // And its goodbye when avahi-publish stops.
            Assert.True(await publish.TerminateAsync(TimeSpan.FromSeconds(5)));
            var gone = await server.WaitForAsync(list => list.Peers.Any(p => p.Name == "Avahi Peer" && p.Status == nameof(PeerStatus.Gone)), TimeSpan.FromSeconds(10));
            Assert.True(gone is not null, $"FedChat did not notice Avahi's goodbye.\n{server.Process.Output}");
        }
        finally
        {
            // Stop in reverse order: publisher, server, daemon, bus; then the lab deletes the namespaces.
            foreach (var process in Enumerable.Reverse(processes))
            {
                process.Dispose();
            }
        }
    }

    private static async Task StartAvahiAsync(string ns, List<IDisposable> processes)
    {
        processes.Add(LabProcess.Start("dbus-daemon", ns, null, "dbus-daemon", "--config-file=" + Path.Combine(ConfigDirectory, "dbus-private.conf"), "--nofork", "--nopidfile"));
        await Task.Delay(500);
        var daemon = LabProcess.Start("avahi-daemon", ns, Bus, "avahi-daemon", "-f", Path.Combine(ConfigDirectory, "avahi-daemon.conf"), "--no-drop-root", "--no-chroot", "--no-rlimits");
        processes.Add(daemon);
        var ready = await PollAsync(() => daemon.Output.Contains("Server startup complete", StringComparison.Ordinal) ? "yes" : null, TimeSpan.FromSeconds(20));
        Assert.True(ready is not null, $"avahi-daemon did not start:\n{daemon.Output}");
    }

    // Calls probe every 250 ms until it returns something or the time is up.
    private static async Task<string?> PollAsync(Func<string?> probe, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (probe() is { } result)
            {
                return result;
            }

            await Task.Delay(250);
        }

        return null;
    }
}
