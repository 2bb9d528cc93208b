using System.Diagnostics;
using FedChat.Tests.Browser;
using FedChat.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Workshop;

/// <summary>
/// What workshop-guide.md step 1 says about hot reload, proved the way a student works: one
/// <c>dotnet watch --project FedChat.Web</c> on a copy of the repository (never the working tree, never
/// this run's build), the map open in Chromium, and three edits of exercise 1's files saved one after
/// the other. Each must reach the open page without a reload.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Speed", "Slow")]
public class HotReloadBrowserTests(ChromiumBrowser browser, ITestOutputHelper output) : BrowserTest(browser)
{
    // Bounds, not expectations: the copy's first build takes about a minute on an idle 2-core machine,
    // and an edit reaches the page in a few seconds (the figures go to the test output).
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan EditLimit = TimeSpan.FromSeconds(90);

    private const string PeerNode = "FedChat.Web/Components/Shared/PeerNode.razor";

    [ChromiumFact]
    public async Task DotnetWatch_BringsMarkupAppCssAndScopedCssEdits_IntoTheOpenPage_WithoutAReload()
    {
        var work = Path.Combine(Path.GetTempPath(), "fedchat-tests", "hot-reload-" + Guid.NewGuid().ToString("N"));
        var copy = Path.Combine(work, "repo");
        var figures = new List<string>();
        var clock = Stopwatch.StartNew();
        DotnetWatch? watch = null;
        IPage? page = null;
        List<string> leftRunning;
        try
        {
            figures.Add($"copied {RepositoryCopy.CopyTo(copy)} source files in {clock.Elapsed.TotalSeconds:0.0} s");
            AssertGuideSaysNoCtrlRFor(Path.Combine(copy, "workshop-guide.md"), "| a `.razor` file", "| `wwwroot/app.css`", "| a `.razor.css` file");
            var port = RunningServer.FreePort();
            watch = DotnetWatch.Start(copy, "--urls", $"http://127.0.0.1:{port}",
                "--FedChat:Discovery:Interfaces:0=fedchat-test-none", "--FedChat:DataDirectory=" + Path.Combine(work, "data"));
            // Both: the server answers, and dotnet watch watches the files.
            Assert.True(await watch.WaitForLineAsync("Data directory:", StartLimit) && await watch.WaitForLineAsync("Waiting for changes", StartLimit),
                $"dotnet watch did not start the server within {StartLimit.TotalMinutes} min:\n{watch.Tail()}");
            figures.Add($"dotnet watch started (build + server) in {clock.Elapsed.TotalSeconds:0} s");

            page = await Browser.NewPageAsync(new Uri($"http://127.0.0.1:{port}"));
            await page.GotoAsync("/map");
            await BrowserSteps.WaitUntilLiveAsync(page);
            var you = page.Locator(".peer-node.self");
            await Expect(you.Locator(".you-label")).ToHaveTextAsync("you");
            // A marker that a reload would wipe: every change below must arrive without one.
            await page.EvaluateAsync("window.__notReloaded = true");

            // 1. Markup in a .razor file (exercise 1, hint 1).
            figures.Add(await SaveAndSeeAsync(watch, copy, PeerNode, text => text.Replace(">you</text>", ">you, edited</text>", StringComparison.Ordinal),
                () => Expect(you.Locator(".you-label")).ToHaveTextAsync("you, edited", new() { Timeout = Ms(EditLimit) })));

            // 2. A rule in wwwroot/app.css, the form exercise 1's hint 3 gives (one class more than the component's own rule).
            figures.Add(await SaveAndSeeAsync(watch, copy, "FedChat.Web/wwwroot/app.css", text => text + "\n.peer-node.self .node-name {\n  fill: rgb(1, 2, 3);\n}\n",
                () => Expect(you.Locator(".node-name")).ToHaveCSSAsync("fill", "rgb(1, 2, 3)", new() { Timeout = Ms(EditLimit) })));

            // 3. A rule in the component's scoped stylesheet (exercise 1, hint 2). On Linux and macOS an SDK
            // defect kept this and step 2 from the open page; Directory.Build.props works around it.
            figures.Add(await SaveAndSeeAsync(watch, copy, PeerNode + ".css", text => text + "\n.self-ring {\n  stroke: rgb(4, 5, 6);\n}\n",
                () => Expect(you.Locator(".self-ring")).ToHaveCSSAsync("stroke", "rgb(4, 5, 6)", new() { Timeout = Ms(EditLimit) })));
            Assert.DoesNotContain("Static web asset manifest not found", watch.Log, StringComparison.Ordinal);

            Assert.True(await page.EvaluateAsync<bool>("window.__notReloaded === true"), "The page reloaded: hot reload should change it in place.");
            figures.Add($"whole test: {clock.Elapsed.TotalSeconds:0} s");
        }
        finally
        {
            if (page is not null)
            {
                await page.Context.CloseAsync(); // or it keeps trying to reconnect in the shared Chromium
            }
            watch?.Dispose();
            foreach (var line in figures)
            {
                output.WriteLine(line);
            }
            // A killed process takes a moment to go: look again for up to 10 s.
            leftRunning = ProcessesRunningFrom(work);
            for (var look = 0; look < 100 && leftRunning.Count > 0; look++)
            {
                await Task.Delay(100);
                leftRunning = ProcessesRunningFrom(work);
            }
            // Still there: ours all the same (the folder name is this test's own), so end them by id, and fail.
            foreach (var pid in leftRunning.Select(line => int.Parse(line[..line.IndexOf(':', StringComparison.Ordinal)])))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                    // Gone meanwhile.
                }
            }
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }
        // No process may outlive the test (dotnet watch, the server, a build node).
        Assert.True(leftRunning.Count == 0, "Still running after the test:\n" + string.Join('\n', leftRunning));
    }

    /// <summary>
    /// Saves an edit of <paramref name="file"/> (a path in the copy) and waits until the open page shows
    /// it. Returns the time from saving to seeing, for the figures.
    /// </summary>
    private static async Task<string> SaveAndSeeAsync(DotnetWatch watch, string copy, string file, Func<string, string> edit, Func<Task> seen)
    {
        var path = Path.Combine(copy, file);
        var before = await File.ReadAllTextAsync(path);
        var after = edit(before);
        Assert.NotEqual(before, after); // the edit must still match the file it edits
        var clock = Stopwatch.StartNew();
        var saves = 0;
        // A save in the first seconds after dotnet watch says "Waiting for changes" was once missed here
        // (it never printed "File updated"): save again, as a student would, if it says nothing.
        do
        {
            var printed = watch.LineCount;
            await File.WriteAllTextAsync(path, after);
            saves++;
            if (await watch.WaitForLineAsync("File updated: ", TimeSpan.FromSeconds(15), printed))
            {
                break;
            }
        }
        while (saves < 3);
        try
        {
            await seen();
        }
        catch (PlaywrightException e)
        {
            Assert.Fail($"{file}: the open page did not show the change within {EditLimit.TotalSeconds:0} s of saving it ({e.Message}).\ndotnet watch said:\n{watch.Tail()}");
        }
        return $"{file}: in the open page {clock.Elapsed.TotalSeconds:0.0} s after saving ({saves} save{(saves == 1 ? "" : "s")})";
    }

    /// <summary>
    /// Step 1's table must say what this test proves: each of these rows promises the open page updates,
    /// with no Ctrl+R. (Its ENC0046 row, which needs Ctrl+R, is not tested here.)
    /// </summary>
    private static void AssertGuideSaysNoCtrlRFor(string guide, params string[] rows)
    {
        var lines = File.ReadAllLines(guide);
        foreach (var row in rows)
        {
            var line = lines.SingleOrDefault(l => l.StartsWith(row, StringComparison.Ordinal));
            Assert.True(line is not null, $"workshop-guide.md's hot reload table has no row starting \"{row}\".");
            Assert.True(line.Contains("the open page", StringComparison.Ordinal) && !line.Contains("Ctrl+R", StringComparison.Ordinal),
                $"workshop-guide.md should say this reaches the open page without Ctrl+R, as HotReloadBrowserTests proves:\n{line}");
        }
    }

    /// <summary>The processes whose command line names <paramref name="work"/> (Linux; elsewhere none are found).</summary>
    private static List<string> ProcessesRunningFrom(string work)
    {
        if (!Directory.Exists("/proc"))
        {
            return [];
        }
        var left = new List<string>();
        foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(process, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(work, StringComparison.Ordinal))
                {
                    left.Add($"{Path.GetFileName(process)}: {commandLine}");
                }
            }
            catch (IOException)
            {
                // It ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }
        return left;
    }

    private static float Ms(TimeSpan span) => (float)span.TotalMilliseconds;
}
