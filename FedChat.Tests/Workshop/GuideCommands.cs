using System.Text.RegularExpressions;

namespace FedChat.Tests.Workshop;

/// <summary>
/// The commands in workshop-guide.md: every line of a shell code block, and every inline code span
/// that starts with a program (<c>dotnet …</c>, <c>curl …</c>, <c>sqlite3 …</c>, <c>git …</c>,
/// <c>sudo …</c>), optionally after environment assignments (<c>NAME=value dotnet …</c>).
/// </summary>
internal static partial class GuideCommands
{
    private static readonly string[] Programs = ["dotnet", "curl", "sqlite3", "git", "sudo", "rm"];

    /// <summary>Gets the guide's text.</summary>
    public static string GuideText => File.ReadAllText(Path.Combine(RepositoryCopy.Root, "workshop-guide.md"));

    /// <summary>Every command in the guide, in order, each once.</summary>
    public static IReadOnlyList<string> All()
    {
        var commands = new List<string>();
        var inBlock = false;
        var blockIsShell = false;
        var pending = "";
        foreach (var rawLine in GuideText.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                var info = line.Trim().TrimStart('`').Trim();
                blockIsShell = !inBlock && info is "" or "sh" or "bash" or "shell" or "console";
                inBlock = !inBlock;
                continue;
            }
            if (inBlock)
            {
                if (!blockIsShell)
                {
                    continue;
                }
                var text = line.Trim();
                // A trailing backslash continues the command on the next line, as in a terminal.
                if (text.EndsWith('\\'))
                {
                    pending += text[..^1].TrimEnd() + " ";
                    continue;
                }
                text = pending + text;
                pending = "";
                if (text.Length > 0 && !text.StartsWith('#'))
                {
                    commands.Add(text);
                }
                continue;
            }
            foreach (Match span in InlineCode().Matches(line))
            {
                var text = span.Groups[1].Value.Trim();
                if (Programs.Contains(ProgramOf(text)) && text.Contains(' ', StringComparison.Ordinal))
                {
                    commands.Add(text);
                }
            }
        }
        return [.. commands.Distinct()];
    }

    /// <summary>The program a command runs: its first word after any <c>NAME=value</c> assignments.</summary>
    public static string ProgramOf(string command) =>
        command.Split(' ', StringSplitOptions.RemoveEmptyEntries).SkipWhile(w => Assignment().IsMatch(w)).FirstOrDefault() ?? "";

    /// <summary>Splits a command line into words as a POSIX shell does for plain quoting ('…', "…").</summary>
    public static List<string> Words(string command)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in command)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                (quote, inWord) = (c, true);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(current.ToString());
                    current.Clear();
                    inWord = false;
                }
            }
            else
            {
                current.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.Add(current.ToString());
        }
        return words;
    }

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex("^[A-Z_][A-Z0-9_]*=")]
    private static partial Regex Assignment();
}
