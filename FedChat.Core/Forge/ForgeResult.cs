using System.Text;

namespace FedChat.Core.Forge;

/// <summary>What the forge lab should send.</summary>
/// <param name="UserId">The signed-in user: the only person whose key the lab ever signs with.</param>
/// <param name="TargetInbox">The inbox URL, as typed or picked (absolute http or https).</param>
/// <param name="ActivityJson">The activity, as typed.</param>
/// <param name="Mode">How to send it.</param>
public sealed record ForgeAttempt(int UserId, string TargetInbox, string ActivityJson, ForgeMode Mode);

/// <summary>A request exactly as the lab sent it, for display.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Url">The URL.</param>
/// <param name="Headers">The header fields, in the order they were set.</param>
/// <param name="Body">The body text.</param>
public sealed record SentRequest(string Method, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, string Body)
{
    /// <summary>Formats the request as it looks on the wire: request line, headers, blank line, body.</summary>
    /// <returns>The request as text.</returns>
    public string ToHttpText()
    {
        var text = new StringBuilder($"{Method} {Url.PathAndQuery} HTTP/1.1\n");
        foreach (var (name, value) in Headers)
        {
            text.Append(name).Append(": ").Append(value).Append('\n');
        }
        return text.Append('\n').Append(Body).ToString();
    }
}

/// <summary>What happened to one forge lab request.</summary>
/// <param name="Request">The request as sent, or <see langword="null"/> when the lab refused to send it (see <paramref name="Error"/>).</param>
/// <param name="StatusCode">The target's HTTP status, or <see langword="null"/> when no answer came.</param>
/// <param name="Reason">The receiver's reason: the problem details <c>detail</c>, else its <c>title</c> or status.</param>
/// <param name="ResponseBody">The target's answer as text (cut short if long).</param>
/// <param name="Error">Why the lab did not send, or why no answer came (timeout, refused connection).</param>
/// <param name="Note">What the lab changed in the typed activity for this mode, if anything.</param>
public sealed record ForgeResult(SentRequest? Request, int? StatusCode, string? Reason, string? ResponseBody, string? Error, string? Note = null)
{
    /// <summary>Gets whether the target accepted the activity (2xx).</summary>
    public bool Accepted => StatusCode is >= 200 and < 300;

    internal static ForgeResult NotSent(string error) => new(null, null, null, null, error);
}
