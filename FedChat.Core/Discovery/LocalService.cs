using System.Reflection;
using System.Text;
using Makaretu.Dns;

namespace FedChat.Core.Discovery;

/// <summary>Counts this server's local users, for the TXT key <c>users</c>. The web host registers one.</summary>
/// <param name="cancellationToken">Stops the count.</param>
/// <returns>The number of accounts.</returns>
public delegate Task<int> LocalUserCounter(CancellationToken cancellationToken);

/// <summary>
/// How this server describes itself in DNS-SD: its instance name ("alice", after a conflict
/// "alice (2)"), a DNS-safe host name, its port and its TXT keys.
/// </summary>
public static class LocalService
{
    /// <summary>The longest TXT value we send; a whole <c>key=value</c> string must fit in 255 bytes (RFC 6763 §6.1).</summary>
    private const int MaxTxtValueBytes = 200;

    /// <summary>Gets FedChat's version as announced in TXT (the assembly's informational version, without the commit hash).</summary>
    public static string SoftwareVersion { get; } =
        (typeof(LocalService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0").Split('+')[0];

    /// <summary>
    /// Builds the TXT pairs (RFC 6763 §6): <c>name</c>, <c>version</c>, <c>url</c> and <c>users</c>,
    /// then any <paramref name="extra"/> keys (room for what the map needs later).
    /// </summary>
    /// <param name="name">The display name.</param>
    /// <param name="baseUrl">The public base URL.</param>
    /// <param name="users">The number of local users.</param>
    /// <param name="extra">More keys, or <see langword="null"/>.</param>
    /// <param name="version">The version to announce (<see cref="Identity.InstanceInfo.Version"/>); <see cref="SoftwareVersion"/> when <see langword="null"/>.</param>
    /// <returns>The pairs, in a fixed order.</returns>
    public static IReadOnlyDictionary<string, string?> BuildTxt(string name, Uri baseUrl, int users, IReadOnlyDictionary<string, string?>? extra = null, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var txt = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["name"] = Truncate(name, MaxTxtValueBytes),
            ["version"] = Truncate(version ?? SoftwareVersion, MaxTxtValueBytes),
            ["url"] = baseUrl.ToString(),
            ["users"] = users.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            txt.TryAdd(key, value is null ? null : Truncate(value, MaxTxtValueBytes));
        }

        return txt;
    }

    /// <summary>
    /// Names the instance for the given attempt: "alice" first, then "alice (2)", "alice (3)" after
    /// conflicts, as RFC 6762 §9 and RFC 6763 §4.1.1 suggest. The base name is shortened so the
    /// whole label stays within 63 bytes.
    /// </summary>
    /// <param name="baseName">The configured name.</param>
    /// <param name="attempt">1 for the first try.</param>
    /// <returns>The instance name.</returns>
    public static string InstanceNameFor(string baseName, int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var name = string.IsNullOrWhiteSpace(baseName) ? "fedchat" : baseName.Trim();
        var suffix = attempt == 1 ? "" : $" ({attempt})";
        return Truncate(name, MdnsRecords.MaxLabelBytes - suffix.Length) + suffix;
    }

    /// <summary>
    /// Makes a host name such as <c>alice-5080.local</c> (or <c>alice-5080-2.local</c> after a
    /// conflict): letters, digits and hyphens only (RFC 952/1123 style, which every resolver
    /// accepts), with the port in it because several servers often run on one laptop.
    /// </summary>
    /// <param name="baseName">The configured name, e.g. "Alice's Laptop".</param>
    /// <param name="port">The HTTP port.</param>
    /// <param name="attempt">1 for the first try.</param>
    /// <returns>The host name in <c>.local</c>.</returns>
    public static DomainName HostNameFor(string baseName, int port, int attempt)
    {
        var safe = new StringBuilder();
        foreach (var c in (baseName ?? "").ToLowerInvariant())
        {
            if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                safe.Append(c);
            }
            else if (safe.Length > 0 && safe[^1] != '-')
            {
                safe.Append('-'); // spaces, dots, apostrophes, non-ASCII: one hyphen
            }
        }

        var suffix = attempt == 1 ? $"-{port}" : $"-{port}-{attempt}";
        var label = safe.ToString().Trim('-');
        label = label.Length == 0 ? "fedchat" : label[..Math.Min(label.Length, MdnsRecords.MaxLabelBytes - suffix.Length)].TrimEnd('-');
        return new DomainName([label + suffix, "local"]);
    }

    /// <summary>Describes this server as a DNS-SD service instance, without addresses (those are per interface).</summary>
    /// <param name="baseName">The configured name.</param>
    /// <param name="port">The HTTP port.</param>
    /// <param name="attempt">1 for the first try; higher after name conflicts.</param>
    /// <param name="txt">The TXT pairs.</param>
    /// <returns>The instance.</returns>
    public static ServiceInstance Describe(string baseName, int port, int attempt, IReadOnlyDictionary<string, string?> txt)
    {
        ArgumentNullException.ThrowIfNull(txt);
        var instanceName = InstanceNameFor(baseName, attempt);
        var pairs = new Dictionary<string, string?>(txt, StringComparer.OrdinalIgnoreCase);
        if (attempt > 1 && pairs.ContainsKey("name"))
        {
            // After a rename the map should show "alice (2)" too, or two peers would look the same.
            pairs["name"] = instanceName;
        }

        return new ServiceInstance
        {
            InstanceName = instanceName,
            HostName = HostNameFor(baseName, port, attempt),
            Port = checked((ushort)port),
            Txt = pairs,
        };
    }

    // Cuts text to at most maxBytes of UTF-8 without splitting a character.
    private static string Truncate(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var end = text.Length;
        while (end > 0 && Encoding.UTF8.GetByteCount(text.AsSpan(0, end)) > maxBytes)
        {
            end--;
        }

        if (end > 0 && char.IsHighSurrogate(text[end - 1]))
        {
            end--;
        }

        return text[..end].TrimEnd();
    }
}
