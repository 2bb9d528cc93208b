namespace FedChat.Tests.Support;

/// <summary>
/// A test that drives Debian's Chromium through Playwright. On a laptop without Chromium it is
/// skipped with the reason; in CI (<c>CI=true</c>) it always runs, so a missing browser fails loudly
/// instead of silently skipping (and <c>.ci/run</c> also fails when anything was skipped).
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (!File.Exists(ChromiumBrowser.ChromiumPath) && !ChromiumBrowser.IsCi)
        {
            Skip = $"Chromium not found at {ChromiumBrowser.ChromiumPath}. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set FEDCHAT_CHROMIUM to its path.";
        }
    }
}

/// <summary>A <see cref="ChromiumFactAttribute"/> with data rows (e.g. once per theme); skipped the same way.</summary>
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute()
    {
        if (!File.Exists(ChromiumBrowser.ChromiumPath) && !ChromiumBrowser.IsCi)
        {
            Skip = $"Chromium not found at {ChromiumBrowser.ChromiumPath}. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set FEDCHAT_CHROMIUM to its path.";
        }
    }
}
