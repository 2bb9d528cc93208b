using System.Text.RegularExpressions;

namespace FedChat.Core.Identity;

/// <summary>Rules for local usernames: the <c>alice</c> in <c>@alice@192.168.1.23:5080</c>.</summary>
public static partial class Username
{
    /// <summary>The longest username allowed.</summary>
    public const int MaxLength = 30;

    /// <summary>
    /// Usernames are lower-case so that <c>@Alice</c> and <c>@alice</c> can never be two people.
    /// We lower-case what the user typed rather than reject it.
    /// </summary>
    public static string Normalize(string? input) => (input ?? "").Trim().ToLowerInvariant();

    /// <summary>
    /// Checks a normalized username. Returns <c>null</c> when it is valid, otherwise a message
    /// for the person who typed it.
    /// </summary>
    public static string? Validate(string username)
    {
        if (username.Length == 0)
        {
            return "Choose a username.";
        }
        if (username.Length > MaxLength)
        {
            return $"A username can be at most {MaxLength} characters long.";
        }
        if (!AllowedCharacters().IsMatch(username))
        {
            return "A username may only contain the letters a–z, digits 0–9 and underscores (_).";
        }
        return null;
    }

    [GeneratedRegex("^[a-z0-9_]+$")]
    private static partial Regex AllowedCharacters();
}
