using Microsoft.Playwright;

namespace FedChat.Tests.Support;

/// <summary>
/// One headless Chromium for the whole browser test run. Playwright's own browser download cannot
/// work on the workshop machines, so it launches the system Chromium by path.
/// </summary>
public sealed class ChromiumBrowser : IAsyncLifetime
{
    /// <summary>Gets the Chromium to launch: <c>FEDCHAT_CHROMIUM</c>, or Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("FEDCHAT_CHROMIUM") ?? "/usr/bin/chromium";

    /// <summary>Gets whether this run is in CI, where browser tests must run, not skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Gets the folder for screenshots: <c>artifacts/screenshots</c> at the repository root.</summary>
    /// <remarks>
    /// Set <c>FEDCHAT_SCREENSHOTS</c> to write them elsewhere; the guide's pictures are made with
    /// <c>FEDCHAT_SCREENSHOTS=docs/screenshots dotnet test --filter "FullyQualifiedName~Browser|FullyQualifiedName~Dashboard|FullyQualifiedName~Forge"</c>.
    /// </remarks>
    public static string ScreenshotDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("FEDCHAT_SCREENSHOTS") is { Length: > 0 } chosen)
            {
                return Directory.CreateDirectory(Path.GetFullPath(chosen, RepositoryRoot)).FullName;
            }
            return Directory.CreateDirectory(Path.Combine(RepositoryRoot, "artifacts", "screenshots")).FullName;
        }
    }

    /// <summary>Gets the folder with FedChat.sln (the tests run from deep inside FedChat.Tests/bin).</summary>
    internal static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FedChat.sln")))
            {
                directory = directory.Parent;
            }
            return directory?.FullName ?? AppContext.BaseDirectory;
        }
    }

    private readonly List<IBrowserContext> _open = [];
    private IPlaywright? _playwright;

    /// <summary>Gets the running browser.</summary>
    public IBrowser Instance { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            // Only reached in CI or when the test was not skipped: say exactly what is missing.
            throw new InvalidOperationException($"Chromium is required but was not found at {ChromiumPath} (CI={Environment.GetEnvironmentVariable("CI")}).");
        }
        _playwright = await Playwright.CreateAsync();
        // Assertions wait up to 15 s (Playwright's default is 5 s): several real servers and Chromium
        // share two CPU cores during the suite, and a federated round trip can take a few seconds then.
        Assertions.SetDefaultExpectTimeout(15_000);
        Instance = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <summary>A fresh browser context: its own cookies, like a second person at another laptop.</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl)
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString() });
        context.SetDefaultTimeout(15_000);
        lock (_open)
        {
            _open.Add(context);
        }
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Closes every context (and its pages) opened since the last call. Left open, the pages of a finished
    /// test would keep running for the rest of the run: their server has stopped, so each one retries the
    /// connection and shows a spinning "reconnecting" box, and Chromium keeps drawing it.
    /// </summary>
    public async Task CloseOpenPagesAsync()
    {
        IBrowserContext[] open;
        lock (_open)
        {
            open = [.. _open];
            _open.Clear();
        }
        foreach (var context in open)
        {
            await context.CloseAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Instance.DisposeAsync();
            _playwright.Dispose();
        }
    }
}

/// <summary>Browser tests share one Chromium and run one class at a time.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<ChromiumBrowser>
{
    public const string Name = "Browser";
}
