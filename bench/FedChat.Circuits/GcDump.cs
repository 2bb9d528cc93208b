using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace FedChat.Circuits;

/// <summary>
/// The server's live managed heap, from <c>dotnet-gcdump</c> (a heap snapshot after a full GC: only
/// what is still referenced, no garbage). Optional: used when the tool is found (<c>FEDCHAT_GCDUMP</c>,
/// else <c>/tmp/tools/dotnet-gcdump</c>, else the PATH); install it with
/// <c>dotnet tool install --tool-path /tmp/tools dotnet-gcdump --version 10.0.750501</c>.
/// </summary>
internal static partial class GcDump
{
    private static readonly string? Tool = new[]
    {
        Environment.GetEnvironmentVariable("FEDCHAT_GCDUMP"),
        "/tmp/tools/dotnet-gcdump",
    }.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "dotnet-gcdump")).FirstOrDefault(File.Exists);

    /// <summary>Gets whether dotnet-gcdump was found.</summary>
    public static bool Available => Tool is not null;

    /// <summary>
    /// The live heap of process <paramref name="pid"/> in MiB and how many Blazor circuits it holds (a check
    /// that the pages' circuits are all alive), or null without the tool or when it fails (2 minutes at most).
    /// </summary>
    public static async Task<(double HeapMiB, int Circuits)?> LiveHeapAsync(int pid, string folder)
    {
        if (Tool is null)
        {
            return null;
        }
        var file = Path.Combine(folder, $"heap-{DateTime.UtcNow:HHmmss}.gcdump");
        if (await RunAsync("collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file) is null || !File.Exists(file))
        {
            return null;
        }
        // "report" starts with the total, e.g. "      5,298,311  GC Heap bytes", then one line per type.
        var report = await RunAsync("report", file);
        File.Delete(file);
        if (report is null || TotalLine().Match(report) is not { Success: true } total)
        {
            return null;
        }
        var circuits = CircuitHostRow().Matches(report).Sum(row => Number(row.Groups[1].Value));
        return (Number(total.Groups[1].Value) / 1024.0 / 1024.0, (int)circuits);
    }

    private static long Number(string digits) => long.Parse(digits.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);

    private static async Task<string?> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo(Tool!) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(); // only the tool we started
            return null;
        }
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"dotnet-gcdump {arguments[0]} failed: {await errors}");
            return null;
        }
        return await output;
    }

    [GeneratedRegex(@"([\d,]+)\s+GC Heap bytes")]
    private static partial Regex TotalLine();

    // A type's row: bytes, count, type name, e.g. "  1,232  11  Microsoft.AspNetCore.Components.Server.Circuits.CircuitHost  [...]".
    [GeneratedRegex(@"^\s*[\d,]+\s+([\d,]+)\s+Microsoft\.AspNetCore\.Components\.Server\.Circuits\.CircuitHost\s", RegexOptions.Multiline)]
    private static partial Regex CircuitHostRow();
}
