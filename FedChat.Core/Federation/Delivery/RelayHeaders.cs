namespace FedChat.Core.Federation.Delivery;

/// <summary>
/// The relay's bookkeeping, sent as two HTTP headers beside a relayed activity: which servers carried it
/// (origin first) and which servers have already been sent it. Both are space-separated base URLs.
/// </summary>
/// <param name="Path">The servers that carried it so far, e.g. <c>http://10.0.0.1:5080/ http://10.0.0.2:5080/</c>.</param>
/// <param name="Covered">The servers already sent it (by anyone on the path).</param>
public sealed record RelayHeaders(string Path, string Covered)
{
    /// <summary>The header with the path.</summary>
    public const string PathHeader = "FedChat-Relay-Path";

    /// <summary>The header with the covered servers.</summary>
    public const string CoveredHeader = "FedChat-Relay-Covered";

    /// <summary>Splits a header value into server URLs, ignoring anything that is not an absolute http(s) URL.</summary>
    public static List<string> Split(string? value) =>
        [.. (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(u => Uri.TryCreate(u, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
            .Take(256)];
}
