using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace FedChat.Tests.Support;

/// <summary>
/// A long-running program started by a test inside a network namespace (a FedChat server, avahi-daemon,
/// avahi-publish...). Keeps the last part of its output for failure messages. Stopped by its own pid:
/// SIGTERM first so it can shut down cleanly (a FedChat server says goodbye then), SIGKILL if it hangs.
/// </summary>
public sealed class LabProcess : IDisposable
{
    private const int Sigterm = 15;
    private const int MaxOutputChars = 64 * 1024;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private LabProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Gets a short name for messages, e.g. "server a".</summary>
    public string Name { get; }

    /// <summary>Gets the process id. <c>ip netns exec</c> execs the command, so this is the program itself.</summary>
    public int Pid => _process.Id;

    /// <summary>Gets whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Gets what the program printed so far (the last 64 KiB).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="command"/> in namespace <paramref name="ns"/>.</summary>
    public static LabProcess Start(string name, string ns, IReadOnlyDictionary<string, string>? environment, params string[] command)
    {
        var info = NetworkLab.StartInfo(ns, environment, command);
        return new LabProcess(name, Process.Start(info) ?? throw new InvalidOperationException($"Could not start {command[0]}."));
    }

    /// <summary>Sends SIGTERM and waits up to <paramref name="timeout"/> for the process to end.</summary>
    /// <returns>Whether it ended in time.</returns>
    public async Task<bool> TerminateAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return true;
        }

        _ = Kill(Pid, Sigterm);
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(wait.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Stops the process if it still runs: SIGTERM, then SIGKILL after 5 seconds.</summary>
    public void Dispose()
    {
        try
        {
            if (!TerminateAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult())
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _process.Dispose();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} (pid {Pid})";

    // POSIX kill(2): .NET's Process.Kill only sends SIGKILL, which gives no chance to say goodbye.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > MaxOutputChars)
            {
                _output.Remove(0, _output.Length - MaxOutputChars);
            }
        }
    }
}
