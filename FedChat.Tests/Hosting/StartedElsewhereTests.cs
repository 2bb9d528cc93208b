using System.Text.RegularExpressions;
using FedChat.Tests.Support;
using FedChat.Tests.Workshop;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Hosting;

/// <summary>
/// The server works wherever it is started from: <c>dotnet /path/to/FedChat.Web.dll</c> run from another
/// folder, from the build output and from a <c>dotnet publish</c> folder, serves the Blazor script, the
/// MudBlazor assets and the scoped CSS, reads its appsettings.json, and its pages become live.
/// (Before, the content root was the working directory: every static file came back empty.)
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Speed", "Slow")]
public partial class StartedElsewhereTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    /// <summary>Assets a page needs to look right and become live; none may be empty.</summary>
    private static readonly string[] Assets =
    [
        "_framework/blazor.web.js",
        "_content/MudBlazor/MudBlazor.min.css",
        "_content/MudBlazor/MudBlazor.min.js",
        "FedChat.Web.styles.css",
    ];

    [ChromiumFact]
    public async Task BuiltDll_StartedFromAnotherFolder_ServesItsAssets_AndPagesGoLive()
    {
        // The FedChat.Web build output that the test run built (bin/Debug or bin/Release).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(RepositoryCopy.Root, "FedChat.Web", "bin", configuration, "net10.0", "FedChat.Web.dll");
        await CheckStartedFromElsewhereAsync(dll);
    }

    [ChromiumFact]
    public async Task PublishedDll_StartedFromAnotherFolder_ServesItsAssets_AndPagesGoLive()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var output = TempFolder("publish");
        try
        {
            // --no-build publishes what the test run already built, so this does not rebuild anything.
            var publish = RepositoryCopy.Run("dotnet", RepositoryCopy.Root, TimeSpan.FromMinutes(5),
                "publish", "FedChat.Web/FedChat.Web.csproj", "--no-build", "-c", configuration, "-o", output);
            Assert.True(publish.ExitCode == 0, publish.Output);
            await CheckStartedFromElsewhereAsync(Path.Combine(output, "FedChat.Web.dll"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private async Task CheckStartedFromElsewhereAsync(string dll)
    {
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var elsewhere = TempFolder("cwd");
        try
        {
            using var server = await ServerProcess.StartAsync(dll, elsewhere,
                ["--urls", "http://127.0.0.1:0", $"--FedChat:DataDirectory={Path.Combine(elsewhere, "data")}", "--FedChat:Discovery:Enabled=false"]);
            var port = int.Parse(ListeningPort().Match(server.Log).Groups[1].Value);
            var baseUrl = new Uri($"http://127.0.0.1:{port}/");

            using var client = new HttpClient { BaseAddress = baseUrl };
            foreach (var asset in Assets)
            {
                using var response = await client.GetAsync(asset);
                var body = await response.Content.ReadAsByteArrayAsync();
                Assert.True(response.IsSuccessStatusCode && body.Length > 0, $"{asset}: {(int)response.StatusCode}, {body.Length} bytes");
            }

            var page = await Browser.NewPageAsync(baseUrl);
            await page.GotoAsync("/");
            await Expect(page.Locator("#live-badge")).ToBeVisibleAsync();
            await page.Context.CloseAsync();

            // appsettings.json keeps ASP.NET Core's per-request lines at Warning; read from the working
            // directory (which has none), every request above would have logged "Request starting".
            Assert.DoesNotContain("Request starting", server.Log);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    private static string TempFolder(string kind) =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "fedchat-tests", $"elsewhere-{kind}-{Guid.NewGuid():N}")).FullName;

    [GeneratedRegex(@"Open http://[^ ]+:(\d+) in a browser")]
    private static partial Regex ListeningPort();
}
