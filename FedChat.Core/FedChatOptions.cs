using FedChat.Core.Accounts;

namespace FedChat.Core;

/// <summary>
/// Settings for one FedChat server, read from the <c>FedChat</c> configuration section
/// (appsettings.json, environment variables such as <c>FedChat__InstanceName</c>, or the command
/// line: <c>--FedChat:InstanceName=b</c>).
/// </summary>
public sealed class FedChatOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "FedChat";

    /// <summary>
    /// Gets or sets the name shown for this server on the map and in the page title.
    /// <value>The default is the machine's host name.</value>
    /// </summary>
    public string? InstanceName { get; set; }

    /// <summary>
    /// Gets or sets the URL other servers and browsers use to reach this server, e.g.
    /// <c>http://192.168.1.23:5080</c>. It becomes part of every user's handle and actor id.
    /// <value>The default is derived from the first LAN address and the port the server listens on.</value>
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Gets or sets the folder that holds this server's SQLite database and key ring.
    /// <value>The default is <c>data/fedchat-PORT</c> under the current directory, one per port,
    /// so several servers on one machine never share data.</value>
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// Gets or sets the FedChat version this server announces (NodeInfo, DNS-SD TXT, the peer list), so
    /// one clone can play an older or newer server: <c>--FedChat:Version=1.1.0</c> (workshop Exercise 1
    /// colours the map by version, and a room where every laptop runs the same clone needs this to see it).
    /// <value>The default is the version FedChat was built as (<see cref="Discovery.LocalService.SoftwareVersion"/>).</value>
    /// </summary>
    public string? Version { get; set; }

    /// <summary>
    /// Gets or sets who may register when the admin has not chosen yet.
    /// <value>The default is <see cref="RegistrationMode.Open"/>.</value>
    /// </summary>
    public RegistrationMode Registration { get; set; } = RegistrationMode.Open;

    /// <summary>
    /// Gets or sets how long an API bearer token stays valid.
    /// <value>The default is 30 days.</value>
    /// </summary>
    public TimeSpan ApiTokenLifetime { get; set; } = TimeSpan.FromDays(30);
}
