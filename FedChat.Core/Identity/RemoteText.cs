using System.Globalization;
using System.Text;

namespace FedChat.Core.Identity;

/// <summary>
/// Cleans names that come from other servers (peer names, actor display names and usernames) before
/// they are stored: no control characters, no bidirectional overrides, and a bounded length.
/// </summary>
/// <remarks>
/// A name holding U+202E (RIGHT-TO-LEFT OVERRIDE) reverses the text that follows it on the page, so
/// "What happened" on the projected map could be made to say something else. Unicode's bidi
/// algorithm (UAX #9, https://www.unicode.org/reports/tr9/#Explicit_Directional_Embeddings) lists
/// these as the explicit embeddings, overrides and isolates: U+202A–U+202E and U+2066–U+2069.
/// Names in right-to-left scripts are kept as they are; only the invisible control marks go.
/// </remarks>
public static class RemoteText
{
    /// <summary>The longest name kept from another server.</summary>
    public const int MaxNameLength = 100;

    /// <summary>
    /// Removes control characters (C0, DEL, C1; line breaks and tabs become spaces) and the bidi
    /// embedding, override and isolate characters, trims, and cuts to <paramref name="maxLength"/> characters.
    /// </summary>
    /// <param name="text">A name or short text from another server.</param>
    /// <param name="maxLength">The most characters kept.</param>
    /// <returns>The clean text; empty for <see langword="null"/>.</returns>
    public static string Clean(string? text, int maxLength = MaxNameLength)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }
        var clean = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        foreach (var c in text)
        {
            if (c is '\n' or '\r' or '\t')
            {
                clean.Append(' ');
            }
            else if (!char.IsControl(c) && !IsBidiControl(c))
            {
                clean.Append(c);
            }
        }
        var result = clean.ToString().Trim();
        if (result.Length <= maxLength)
        {
            return result;
        }
        // Cut between whole characters, never inside a surrogate pair or a combined letter.
        var cut = StringInfo.ParseCombiningCharacters(result).LastOrDefault(start => start <= maxLength && start > 0);
        return result[..(cut > 0 ? cut : maxLength)].TrimEnd();
    }

    /// <summary>Gets whether <paramref name="c"/> is a bidi embedding, override or isolate (U+202A–U+202E, U+2066–U+2069).</summary>
    /// <param name="c">A character.</param>
    /// <returns><see langword="true"/> for the characters that change the direction of what follows.</returns>
    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
