namespace FedChat.Tests.Support;

/// <summary>
/// A test that builds its own little LAN out of Linux network namespaces, which needs root and the
/// <c>ip</c> tool (and sometimes more tools, named in the constructor). Elsewhere it is skipped with
/// the reason; in CI (<c>CI=true</c>) it always runs, so a missing tool fails loudly instead.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    /// <summary>Marks a root-only test.</summary>
    /// <param name="tools">Further programs the test runs, e.g. <c>avahi-daemon</c>.</param>
    public RootFactAttribute(params string[] tools)
    {
        if (ChromiumBrowser.IsCi)
        {
            return;
        }

        if (!OperatingSystem.IsLinux())
        {
            Skip = "Needs Linux network namespaces.";
        }
        else if (!Environment.IsPrivilegedProcess)
        {
            Skip = "Needs root to create network namespaces (run the tests as root, as CI does).";
        }
        else if (string.Join(", ", new[] { "ip", "curl" }.Concat(tools).Where(t => NetworkLab.FindTool(t) is null)) is { Length: > 0 } missing)
        {
            Skip = $"Missing tools: {missing}. Install iproute2 and curl (and avahi-daemon avahi-utils dbus for the Avahi test).";
        }
    }
}
