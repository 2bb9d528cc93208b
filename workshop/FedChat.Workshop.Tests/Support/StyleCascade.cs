using System.Text;
using AngleSharp.Css;
using AngleSharp.Css.Dom;
using AngleSharp.Css.Parser;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using FedChat.Tests.Support;

namespace FedChat.Workshop.Tests.Support;

/// <summary>
/// Works out which CSS rule wins for a property of an element, the way a browser's cascade does
/// (https://www.w3.org/TR/css-cascade-4/#cascade-sort): <c>!important</c> first, then the selector's
/// specificity, then the rule that comes last. The rules are the stylesheets a real server sends, in
/// the order its pages link them, so the check sees what a browser would: scoped CSS with its
/// <c>[b-…]</c> attributes, and nothing that is only a comment. Small on purpose: no inheritance,
/// no media conditions, no shorthand properties; enough for one property on the map's circles.
/// </summary>
internal sealed class StyleCascade
{
    private readonly List<StyleRule> _rules;

    private StyleCascade(List<StyleRule> rules) => _rules = rules;

    /// <summary>Gets how many rules were read (to tell "no stylesheet arrived" apart from "no rule matched").</summary>
    public int RuleCount => _rules.Count;

    /// <summary>
    /// Reads the stylesheets the server's pages link (<c>&lt;link rel="stylesheet"&gt;</c> on <c>/</c>), in
    /// order, leaving out the component library's own (<c>_content/…</c>), which no exercise changes.
    /// </summary>
    public static async Task<StyleCascade> FromServerAsync(RunningServer server)
    {
        using var client = server.CreateClient();
        var page = new HtmlParser().ParseDocument(await client.GetStringAsync("/"));
        var rules = new List<StyleRule>();
        foreach (var link in page.QuerySelectorAll("link[rel=stylesheet]"))
        {
            var href = link.GetAttribute("href") ?? "";
            if (href.Contains("_content/", StringComparison.Ordinal))
            {
                continue;
            }
            var css = await client.GetStringAsync(href);
            Read(StripComments(css), href, rules);
        }
        return new StyleCascade(rules);
    }

    /// <summary>Finds the rule that decides <paramref name="property"/> for <paramref name="element"/>, or null when none sets it.</summary>
    public StyleRule? Winner(IElement element, string property) => _rules
        .Where(r => r.Property == property && r.Selector.Match(element))
        .OrderBy(r => r.Important)
        .ThenBy(r => r.Selector.Specificity)
        .ThenBy(r => r.Order)
        .LastOrDefault();

    private static readonly CssSelectorParser Selectors = new();

    private static string StripComments(string css)
    {
        var text = new StringBuilder();
        for (var i = 0; i < css.Length; i++)
        {
            if (css[i] == '/' && i + 1 < css.Length && css[i + 1] == '*')
            {
                var end = css.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? css.Length : end + 1;
                continue;
            }
            text.Append(css[i]);
        }
        return text.ToString();
    }

    /// <summary>Reads <c>selectors { declarations }</c> blocks; goes into <c>@media</c> and <c>@supports</c>, skips other at-rules.</summary>
    private static void Read(string css, string source, List<StyleRule> rules)
    {
        var i = 0;
        while (i < css.Length)
        {
            var open = css.IndexOf('{', i);
            var semicolon = css.IndexOf(';', i);
            if (open < 0)
            {
                return;
            }
            var prelude = css[i..open].Trim();
            if (prelude.StartsWith('@') && semicolon >= 0 && semicolon < open)
            {
                i = semicolon + 1; // @import …; @charset …;
                continue;
            }
            var close = MatchingBrace(css, open);
            var body = css[(open + 1)..close];
            if (prelude.StartsWith("@media", StringComparison.Ordinal) || prelude.StartsWith("@supports", StringComparison.Ordinal))
            {
                Read(body, source, rules);
            }
            else if (!prelude.StartsWith('@'))
            {
                AddRules(prelude, body, source, rules);
            }
            i = close + 1;
        }
    }

    private static int MatchingBrace(string css, int open)
    {
        var depth = 0;
        for (var i = open; i < css.Length; i++)
        {
            depth += css[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return i;
            }
        }
        return css.Length - 1;
    }

    private static void AddRules(string selectorList, string body, string source, List<StyleRule> rules)
    {
        foreach (var declaration in body.Split(';'))
        {
            var colon = declaration.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var property = declaration[..colon].Trim().ToLowerInvariant();
            var value = declaration[(colon + 1)..].Trim();
            var important = value.EndsWith("!important", StringComparison.OrdinalIgnoreCase);
            value = important ? value[..^"!important".Length].Trim() : value;
            if (property.Length == 0 || value.Length == 0)
            {
                continue;
            }
            foreach (var text in selectorList.Split(','))
            {
                // A selector AngleSharp cannot read (a pseudo-element, say) matches no element anyway.
                if (Selectors.ParseSelector(text.Trim()) is { } selector)
                {
                    rules.Add(new StyleRule(text.Trim(), selector, property, value, important, rules.Count, source));
                }
            }
        }
    }
}

/// <summary>One declaration of one rule: <c>selector { property: value }</c>, and where it came from.</summary>
internal sealed partial record StyleRule(string SelectorText, ISelector Selector, string Property, string Value, bool Important, int Order, string Source)
{
    /// <summary>Gets the rule as a student would recognise it in their file, e.g. <c>.self .node-body { fill: … }</c> (FedChat.Web.styles.css).</summary>
    public override string ToString() =>
        $"'{ScopeAttribute().Replace(SelectorText, "")} {{ {Property}: {Value}{(Important ? " !important" : "")} }}' (from {FileName})";

    /// <summary>Gets the file a student wrote the rule in: the scoped-CSS bundle holds every component's .razor.css.</summary>
    private string FileName => Source.Contains(".styles.css", StringComparison.Ordinal)
        ? "a .razor.css file"
        : "wwwroot/" + Fingerprint().Replace(Source.Split('?')[0].TrimStart('/'), ".css");

    [System.Text.RegularExpressions.GeneratedRegex(@"\.[a-z0-9]{10}\.css$")]
    private static partial System.Text.RegularExpressions.Regex Fingerprint();

    [System.Text.RegularExpressions.GeneratedRegex(@"\[b-[a-z0-9]+\]")]
    private static partial System.Text.RegularExpressions.Regex ScopeAttribute();
}
