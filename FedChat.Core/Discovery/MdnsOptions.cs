namespace FedChat.Core.Discovery;

/// <summary>
/// Settings for finding other FedChat servers, read from the <c>FedChat:Discovery</c> configuration
/// section (appsettings.json, <c>FedChat__Discovery__Enabled=false</c>, or
/// <c>--FedChat:Discovery:StaticPeers:0=http://192.168.1.40:5080</c> on the command line).
/// </summary>
public sealed class MdnsOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "FedChat:Discovery";

    /// <summary>
    /// Gets or sets whether this server announces itself and looks for others at all.
    /// <value>The default is <see langword="true"/>.</value>
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Gets or sets the network interfaces (by name, e.g. <c>wlan0</c>) to use for mDNS.
    /// <value>The default (empty) is every interface that is up and multicast-capable, except
    /// loopback and the virtual bridges of container and VM software (docker*, veth*, virbr*, br-*, ...).
    /// Naming such an interface here uses it anyway.</value>
    /// </summary>
    public List<string> Interfaces { get; set; } = [];

    /// <summary>
    /// Gets or sets whether mDNS also runs over IPv6 (group ff02::fb).
    /// <value>The default is <see langword="true"/>.</value>
    /// </summary>
    public bool IPv6 { get; set; } = true;

    /// <summary>
    /// Gets or sets base URLs of servers to check directly, e.g. <c>http://192.168.1.40:5080</c>,
    /// for Wi-Fi networks that block multicast between laptops.
    /// <value>The default is none.</value>
    /// </summary>
    public List<string> StaticPeers { get; set; } = [];

    /// <summary>
    /// Gets or sets the base URL of a FedChat server that acts as a meeting point (usually the
    /// facilitator's): this server checks in there with <c>POST /api/peers</c> and takes the list it returns.
    /// <value>The default is none.</value>
    /// </summary>
    public string? RendezvousUrl { get; set; }

    /// <summary>
    /// Gets or sets how often static peers and the rendezvous server are contacted, and how often
    /// the TXT record (e.g. the user count) is checked for changes.
    /// <value>The default is 10 seconds.</value>
    /// </summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);
}
