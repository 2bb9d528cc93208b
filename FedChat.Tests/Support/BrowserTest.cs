namespace FedChat.Tests.Support;

/// <summary>
/// Base class of the browser tests: they share one Chromium (<see cref="ChromiumBrowser"/>), and when
/// a test ends every page it opened is closed, so nothing of it keeps running during the next test.
/// </summary>
public abstract class BrowserTest(ChromiumBrowser browser) : IAsyncLifetime
{
    /// <summary>Gets the shared browser; <c>Browser.NewPageAsync(url)</c> opens a page as a new person.</summary>
    protected ChromiumBrowser Browser { get; } = browser;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => Browser.CloseOpenPagesAsync();
}
