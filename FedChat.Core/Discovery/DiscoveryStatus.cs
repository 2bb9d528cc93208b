namespace FedChat.Core.Discovery;

/// <summary>
/// How LAN discovery is doing, in terms a readiness check can explain: is mDNS on, on which network
/// interfaces, what went wrong, and has this laptop heard any mDNS traffic from other devices (the
/// sign that multicast gets through the Wi-Fi).
/// </summary>
public sealed class DiscoveryStatus
{
    private int _packetsFromOthers;

    /// <summary>Gets or sets whether mDNS is switched on in the configuration.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets whether the mDNS sockets are open and this server is being announced.</summary>
    public bool Running { get; set; }

    /// <summary>Gets or sets the interfaces mDNS uses, e.g. <c>wlan0 (192.168.1.23)</c>.</summary>
    public IReadOnlyList<string> Interfaces { get; set; } = [];

    /// <summary>Gets or sets what stopped mDNS, in plain words, when it could not start.</summary>
    public string? Problem { get; set; }

    /// <summary>Gets how many mDNS packets arrived from other devices since start.</summary>
    public int PacketsFromOthers => Volatile.Read(ref _packetsFromOthers);

    /// <summary>Counts one mDNS packet from another device.</summary>
    public void CountPacketFromOthers() => Interlocked.Increment(ref _packetsFromOthers);
}
