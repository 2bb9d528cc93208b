using System.Diagnostics;

namespace FedChat.Tests.Workshop;

/// <summary>
/// <c>dotnet watch --project FedChat.Web</c> running in a copy of the repository, as a student starts
/// it in step 1 of the guide, with everything it prints kept for the test to read. Disposing it ends
/// the process tree it started (dotnet watch, and the server it runs), by its own handle.
/// </summary>
internal sealed class DotnetWatch : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];

    private DotnetWatch(Process process) => _process = process;

    /// <summary>Gets how many lines it has printed so far: pass it to <see cref="WaitForLineAsync"/> to wait for a newer one.</summary>
    public int LineCount
    {
        get
        {
            lock (_lines)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>Gets everything it printed so far.</summary>
    public string Log
    {
        get
        {
            lock (_lines)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>
    /// Starts <c>dotnet watch --project FedChat.Web --non-interactive -- <paramref name="appArguments"/></c>
    /// in <paramref name="repository"/>. Non-interactive: it reads no keys from a console the test does
    /// not have, and restarts the app by itself where a student would press Ctrl+R.
    /// </summary>
    public static DotnetWatch Start(string repository, params string[] appArguments)
    {
        var info = RepositoryCopy.StartInfo("dotnet", repository,
            ["watch", "--project", "FedChat.Web", "--non-interactive", "--", .. appArguments]);
        info.Environment["DOTNET_WATCH_SUPPRESS_LAUNCH_BROWSER"] = "1"; // the test opens its own Chromium
        info.Environment["DOTNET_WATCH_SUPPRESS_EMOJIS"] = "1";
        // The test run's own environment must not leak in: the launch profile sets Development, as for a student.
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        var watch = new DotnetWatch(new Process { StartInfo = info });
        watch._process.OutputDataReceived += (_, e) => watch.Add(e.Data);
        watch._process.ErrorDataReceived += (_, e) => watch.Add(e.Data);
        watch._process.Start();
        watch._process.BeginOutputReadLine();
        watch._process.BeginErrorReadLine();
        return watch;
    }

    /// <summary>
    /// Waits until a line printed after the first <paramref name="after"/> lines contains
    /// <paramref name="text"/>; false after <paramref name="timeout"/>. Fails at once if dotnet watch ended.
    /// </summary>
    public async Task<bool> WaitForLineAsync(string text, TimeSpan timeout, int after = 0)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_lines)
            {
                if (_lines.Skip(after).Any(line => line.Contains(text, StringComparison.Ordinal)))
                {
                    return true;
                }
            }
            if (_process.HasExited)
            {
                Assert.Fail($"dotnet watch ended (exit code {_process.ExitCode}) before printing \"{text}\":\n{Tail()}");
            }
            await Task.Delay(100);
        }
        return false;
    }

    /// <summary>Gets the last lines it printed, for a failure message.</summary>
    public string Tail()
    {
        var log = Log;
        return log.Length <= 6000 ? log : log[^6000..];
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                // dotnet watch, the dotnet-watch host it starts and the FedChat server under it: all ours.
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It never started.
        }
        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lock (_lines)
            {
                _lines.Add(line);
            }
        }
    }
}
