using System.Diagnostics;
using System.Text;

namespace FedChat.Tests.Support;

/// <summary>
/// FedChat.Web.dll (built next to the tests) run as its own process, the way README.md starts it:
/// for tests that need a real process — several side by side, or one killed with SIGKILL.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerProcess(Process process) => _process = process;

    /// <summary>Gets the process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Gets everything the server printed so far.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts the server and waits until its log says where its data lives (it is then serving).</summary>
    public static Task<ServerProcess> StartAsync(params string[] arguments) =>
        StartAsync(Path.Combine(AppContext.BaseDirectory, "FedChat.Web.dll"), AppContext.BaseDirectory,
            [.. arguments, "--environment", "Development"]);

    /// <summary>
    /// Starts <paramref name="dll"/> (a build or publish output) from <paramref name="workingDirectory"/>,
    /// as <c>cd somewhere; dotnet /path/to/FedChat.Web.dll ...</c> does.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string dll, string workingDirectory, string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        // The environment of the test run (ASPNETCORE_ENVIRONMENT=Development, say) must not leak in.
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        info.Environment.Remove("DOTNET_ENVIRONMENT");
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        var server = new ServerProcess(Process.Start(info)!);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(string? line)
        {
            lock (server._log)
            {
                server._log.AppendLine(line);
            }
            if (line?.Contains("Data directory:", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        }
        server._process.OutputDataReceived += (_, e) => Collect(e.Data);
        server._process.ErrorDataReceived += (_, e) => Collect(e.Data);
        server._process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"The server exited early:\n{server.Log}"));
        server._process.EnableRaisingEvents = true;
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>Ends the process at once with SIGKILL: no shutdown code runs, as in a crash or power cut.</summary>
    public void KillHard()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        KillHard();
        _process.Dispose();
    }
}
