using System.Globalization;

namespace FedChat.LoadGen;

/// <summary>
/// Reads the server's CPU time and memory from Linux's <c>/proc/PID</c> (proc(5)): <c>stat</c> fields
/// 14 and 15 are user and system time in clock ticks, <c>status</c> has VmRSS (resident now) and
/// VmHWM (the peak resident size since start).
/// </summary>
internal sealed class ServerProbe(int pid)
{
    // USER_HZ: 100 on every Linux the project runs on (getconf CLK_TCK).
    private const double TicksPerSecond = 100;

    /// <summary>Gets whether the process can be read.</summary>
    public bool Available => File.Exists($"/proc/{pid}/stat");

    /// <summary>The CPU time (user + system) the server used so far, in seconds.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>The resident memory now, in MiB.</summary>
    public double RssMiB() => StatusKiB("VmRSS:") / 1024.0;

    /// <summary>The peak resident memory since the server started, in MiB.</summary>
    public double PeakRssMiB() => StatusKiB("VmHWM:") / 1024.0;

    private long StatusKiB(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}

/// <summary>Samples the server's RSS every 100 ms while a run goes on, for the steady-state and peak figures.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<double> _samples = [];

    public RssSampler(ServerProbe probe)
    {
        _loop = Task.Run(async () =>
        {
            // Bounded by the run: stopped on dispose, and at most an hour of samples.
            for (var i = 0; i < 36_000 && !_stop.IsCancellationRequested; i++)
            {
                lock (_samples)
                {
                    _samples.Add(probe.RssMiB());
                }
                try
                {
                    await Task.Delay(100, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    /// <summary>Gets the median and the largest sample so far, in MiB.</summary>
    public (double Median, double Max) Summary()
    {
        lock (_samples)
        {
            if (_samples.Count == 0)
            {
                return (0, 0);
            }
            var sorted = _samples.Order().ToList();
            return (sorted[sorted.Count / 2], sorted[^1]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
