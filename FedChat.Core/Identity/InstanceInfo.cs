namespace FedChat.Core.Identity;

/// <summary>
/// Who this server is: its name and the public URL others reach it by. The web host fills it in
/// once Kestrel has bound its ports, because only then is the real port known.
/// </summary>
public sealed class InstanceInfo
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Gets or sets the server's display name (e.g. "alice-laptop").</summary>
    public string Name { get; set; } = Environment.MachineName;

    /// <summary>Gets or sets the public base URL, e.g. <c>http://192.168.1.23:5080/</c>.</summary>
    public Uri BaseUrl { get; set; } = new("http://localhost:5080/");

    /// <summary>
    /// Gets or sets the FedChat version this server announces, e.g. <c>1.0.0</c>: the built version unless
    /// the <c>FedChat:Version</c> setting says otherwise.
    /// </summary>
    public string Version { get; set; } = Discovery.LocalService.SoftwareVersion;

    /// <summary>Gets the <c>host:port</c> part of handles, e.g. <c>192.168.1.23:5080</c>.</summary>
    public string Authority => BaseUrl.Authority;

    /// <summary>
    /// Formats the full handle of a local user, e.g. <c>@alice@192.168.1.23:5080</c>. The host part
    /// is what makes the name unique across all servers.
    /// </summary>
    public string HandleOf(string username) => $"@{username}@{Authority}";

    /// <summary>
    /// Gets a task that completes once the host has set <see cref="Name"/> and <see cref="BaseUrl"/>.
    /// Background work that announces this server (mDNS discovery) waits for it.
    /// </summary>
    public Task Ready => _ready.Task;

    /// <summary>Says that <see cref="Name"/> and <see cref="BaseUrl"/> are final; completes <see cref="Ready"/>.</summary>
    public void MarkReady() => _ready.TrySetResult();
}
