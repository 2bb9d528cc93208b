using System.Diagnostics;
using System.Text;

namespace FedChat.Tests.Workshop;

/// <summary>
/// The repository's source, and commands run on it. For the workshop tests, which build and test a copy
/// of the source in a temporary folder, so they never share bin/ and obj/ with the build running them.
/// </summary>
internal static class RepositoryCopy
{
    // Build output, test results and server data: never part of the source.
    private static readonly string[] NotSource = ["bin", "obj", "artifacts", ".git", "data", "TestResults", "node_modules"];

    /// <summary>Gets the folder with FedChat.sln (the tests run from deep inside FedChat.Tests/bin).</summary>
    public static string Root
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "FedChat.sln")))
            {
                directory = directory.Parent;
            }
            return directory?.FullName ?? throw new InvalidOperationException("FedChat.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// Copies the source to <paramref name="destination"/>: the files git knows (tracked, or new and not
    /// ignored), or, outside a git checkout, every file except build output and data.
    /// </summary>
    /// <returns>How many files were copied.</returns>
    public static int CopyTo(string destination)
    {
        var root = Root;
        var listed = Run("git", root, TimeSpan.FromSeconds(30), "ls-files", "--cached", "--others", "--exclude-standard");
        IEnumerable<string> files = listed.ExitCode == 0
            ? listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, f))
                .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(NotSource.Contains));
        var count = 0;
        foreach (var file in files)
        {
            var source = Path.Combine(root, file);
            // A file deleted in the working tree is still listed until the deletion is committed.
            if (!File.Exists(source) || file.Split('/').Any(NotSource.Contains))
            {
                continue;
            }
            var target = Path.Combine(destination, file);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
            count++;
        }
        return count;
    }

    /// <summary>Runs a shell command line (<c>bash -c</c>), as a student would type it, in <paramref name="workingDirectory"/>.</summary>
    public static (int ExitCode, string Output, TimeSpan Took) Shell(string commandLine, string workingDirectory, TimeSpan timeout)
        => Run("bash", workingDirectory, timeout, "-c", commandLine);

    /// <summary>
    /// Runs a program to its end (or kills it, by its own handle, after <paramref name="timeout"/>) and
    /// returns its exit code and output; started as <see cref="StartInfo"/> says.
    /// </summary>
    public static (int ExitCode, string Output, TimeSpan Took) Run(string program, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var info = StartInfo(program, workingDirectory, arguments);
        var output = new StringBuilder();
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true); // our own child and its children, by handle
            process.WaitForExit(10_000);
            Append($"[killed after {timeout.TotalMinutes:0.#} min]");
            return (-1, Text(), clock.Elapsed);
        }
        process.WaitForExit(); // flushes the redirected output
        return (process.ExitCode, Text(), clock.Elapsed);

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        string Text()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// How to start <paramref name="program"/> in <paramref name="workingDirectory"/> with its output
    /// redirected. The environment is cleaned of what the test run that started us set for its own
    /// build, so a nested <c>dotnet</c> starts like one typed in a terminal.
    /// </summary>
    public static ProcessStartInfo StartInfo(string program, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase) || k.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }
        // No build server may outlive the test: a test ends only the processes it started.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["UseSharedCompilation"] = "false";
        info.Environment["UseRazorBuildServer"] = "false";
        return info;
    }
}
