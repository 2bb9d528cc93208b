using System.Text.RegularExpressions;

namespace FedChat.Core.Posts;

/// <summary>Who may see a post.</summary>
public enum PostVisibility
{
    /// <summary>Everyone: the timelines, the followers, every server on the LAN.</summary>
    Public,

    /// <summary>Only the people mentioned (<c>@bob@host:port</c>): a direct message.</summary>
    Direct,
}

/// <summary>What the author wrote, before it is stored.</summary>
/// <param name="Content">The plain text; mentions are written <c>@bob@host:port</c> (or <c>@bob</c> for someone here).</param>
/// <param name="Visibility">Public, or only the people mentioned.</param>
/// <param name="InReplyTo">The id of the Note this answers, or <c>null</c>.</param>
public sealed partial record PostDraft(string? Content, PostVisibility Visibility = PostVisibility.Public, string? InReplyTo = null)
{
    /// <summary>Finds the handles mentioned in a text: <c>@bob@192.168.1.24:5080</c> or <c>@carol</c> (someone on this server).</summary>
    public static IReadOnlyList<string> FindMentions(string? text) =>
        [.. MentionPattern().Matches(text ?? "").Select(m => m.Value.ToLowerInvariant()).Distinct()];

    // Not after a letter or digit, so e-mail addresses (me@host) are not mentions.
    [GeneratedRegex(@"(?<![\w@])@[a-zA-Z0-9_]+(@[a-zA-Z0-9.\-]+(:\d+)?)?")]
    private static partial Regex MentionPattern();
}
