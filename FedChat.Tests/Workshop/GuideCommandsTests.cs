using System.Text.RegularExpressions;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Xunit.Abstractions;

namespace FedChat.Tests.Workshop;

/// <summary>
/// Every command in workshop-guide.md is run by a test, or listed below with the reason it cannot run
/// in CI, so the guide cannot drift from the code. Servers run on free ports with discovery off, and
/// the tests talk to them over loopback: nothing here sends traffic off the machine.
/// </summary>
[Trait("Speed", "Slow")]
public partial class GuideCommandsTests(ITestOutputHelper output)
{
    /// <summary>Commands the tests do not run, each with why. Anything else in the guide must be run.</summary>
    private static readonly Dictionary<string, string> NotRunInCi = new()
    {
        ["git clone URL-FROM-THE-FACILITATOR fedchat && cd fedchat"] =
            "needs the URL the facilitator hands out (there is no public one); CI starts from a clone already",
        ["sudo ufw allow 5080/tcp && sudo ufw allow 5353/udp"] =
            "changes the machine's firewall; the tests' servers listen on loopback only",
        ["dotnet watch --project FedChat.Web"] =
            "rebuilds FedChat.Web in the working tree while this test run uses its build output, and runs until Ctrl+C; HotReloadBrowserTests runs it on a copy of the repository and checks step 1's hot reload table",
        ["curl -H 'Accept: application/activity+json' http://partner:port/users/you"] =
            "step 8's request to a partner's server, with placeholders; ExportImportTests makes the same request after a real import and checks alsoKnownAs and the key",
        ["git stash"] =
            "changes the working tree of whoever runs the tests",
        ["FEDCHAT_SCREENSHOTS=docs/screenshots dotnet test --filter \"FullyQualifiedName~Browser|FullyQualifiedName~Dashboard|FullyQualifiedName~Forge\""] =
            "runs browser tests that the plain `dotnet test` in CI runs anyway (writing to artifacts/screenshots instead of docs/screenshots)",
    };

    /// <summary>Commands <see cref="ExerciseSolutionTests"/> runs, on its copy of the repository with the solutions applied.</summary>
    private static bool IsRunByExerciseSolutionTests(string command) =>
        command.StartsWith("dotnet test workshop/", StringComparison.Ordinal)
        || command.StartsWith("git apply workshop/solutions/", StringComparison.Ordinal)
        || command.StartsWith("dotnet run --project workshop/FedChat.Bot", StringComparison.Ordinal);

    private static bool IsServerCommand(string command) => command.StartsWith("dotnet run --project FedChat.Web", StringComparison.Ordinal);

    private static bool IsRunHere(string command) =>
        !NotRunInCi.ContainsKey(command)
        && (command == "dotnet --version" || IsServerCommand(command) || command.StartsWith("curl ", StringComparison.Ordinal) || command.StartsWith("sqlite3 ", StringComparison.Ordinal));

    [Fact]
    public void EveryCommandInTheGuide_IsRunByATest_OrListedWithAReason()
    {
        var commands = GuideCommands.All();

        foreach (var command in commands)
        {
            output.WriteLine($"{(IsRunHere(command) ? "run here" : IsRunByExerciseSolutionTests(command) ? "run by ExerciseSolutionTests" : NotRunInCi.ContainsKey(command) ? "not run: " + NotRunInCi[command] : "NOT COVERED")}: {command}");
        }
        var uncovered = commands.Where(c => !IsRunHere(c) && !IsRunByExerciseSolutionTests(c) && !NotRunInCi.ContainsKey(c)).ToList();
        Assert.True(uncovered.Count == 0,
            "workshop-guide.md has commands no test runs. Make GuideCommandsTests run them, or list them in NotRunInCi with the reason:\n" + string.Join("\n", uncovered));
        var stale = NotRunInCi.Keys.Where(c => !commands.Contains(c)).ToList();
        Assert.True(stale.Count == 0, "NotRunInCi lists commands the guide no longer has; remove them:\n" + string.Join("\n", stale));
        // The extraction itself: a guide with no commands found would pass everything above.
        Assert.Contains("dotnet run --project FedChat.Web", commands);
        Assert.Contains(commands, c => c.StartsWith("sqlite3 ", StringComparison.Ordinal));
    }

    [Fact]
    public void DotnetVersion_PrintsTheTenSdk()
    {
        Assert.Contains("dotnet --version", GuideCommands.All());

        var run = RepositoryCopy.Run("dotnet", RepositoryCopy.Root, TimeSpan.FromMinutes(1), "--version");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("10.0.", run.Output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerCommands_StartServersSideBySide_ThatPrintWhatTheGuidePromises()
    {
        var commands = GuideCommands.All().Where(IsServerCommand).ToList();
        var root = Path.Combine(Path.GetTempPath(), "fedchat-tests", "guide-servers-" + Guid.NewGuid().ToString("N"));
        var servers = new List<ServerProcess>();
        try
        {
            // All at once, as on the facilitator's machine: each must get its own port and data.
            foreach (var command in commands)
            {
                var (arguments, port, dataDirectory) = ToTestArguments(command, root);
                var server = await ServerProcess.StartAsync(arguments);
                servers.Add(server);
                var log = server.Log;
                output.WriteLine($"`{command}` → port {port}, pid {server.Pid}");

                Assert.Matches(new Regex("FedChat server \".+\" is running\\."), log);
                Assert.Contains($"Open http://localhost:{port} in a browser", log, StringComparison.Ordinal);
                Assert.Matches(new Regex($"Others on the same network open http://[^ ]+:{port}/"), log);
                Assert.Contains($"Data directory: {dataDirectory}", log, StringComparison.Ordinal);
                if (Words(command).FirstOrDefault(w => w.StartsWith("--FedChat:InstanceName=", StringComparison.Ordinal)) is { } name)
                {
                    Assert.Contains($"FedChat server \"{name.Split('=')[1]}\" is running.", log, StringComparison.Ordinal);
                }
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                Assert.Equal("Healthy", await client.GetStringAsync($"http://127.0.0.1:{port}/healthz"));
                if (Words(command).FirstOrDefault(w => w.StartsWith("--FedChat:Version=", StringComparison.Ordinal)) is { } version)
                {
                    // Exercise 1's second server: other servers (and their maps) read its version from NodeInfo.
                    var nodeInfo = System.Text.Json.Nodes.JsonNode.Parse(await client.GetStringAsync($"http://127.0.0.1:{port}/nodeinfo/2.1"))!;
                    Assert.Equal(version.Split('=')[1], (string?)nodeInfo["software"]!["version"]);
                }
                // "Open http://localhost:5080, you should see the FedChat timeline."
                Assert.Contains("Local", await client.GetStringAsync($"http://127.0.0.1:{port}/"), StringComparison.Ordinal);
                Assert.True(File.Exists(Path.Combine(dataDirectory, "fedchat.db")), $"`{command}` should make its own SQLite file in {dataDirectory}");
            }
            Assert.True(servers.Count >= 2, "The guide should start a server in step 1 and several for the dry run.");
        }
        finally
        {
            foreach (var server in servers)
            {
                server.Dispose();
            }
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    [ToolFact("curl", "sqlite3", "bash")]
    public async Task CurlAndSqliteCommands_AnswerWhatTheGuideSays()
    {
        var curls = GuideCommands.All().Where(c => c.StartsWith("curl ", StringComparison.Ordinal) && !NotRunInCi.ContainsKey(c)).ToList();
        var queries = GuideCommands.All().Where(c => c.StartsWith("sqlite3 ", StringComparison.Ordinal)).ToList();
        // The guide's handle host is the laptop's address; here the server says it is 127.0.0.1.
        var port = RunningServer.FreePort();
        var server = await RunningServer.StartAsync("guide", "--urls", $"http://127.0.0.1:{port}", $"--FedChat:PublicBaseUrl=http://127.0.0.1:{port}");
        try
        {
            await server.Get<AccountManager>().RegisterAsync("you", "correct horse", null);
            var me = await server.Get<FedChat.Core.Accounts.AccountService>().FindByUsernameAsync("you");
            await server.Get<FedChat.Core.Posts.PostService>().CreatePostAsync(me!.Id, "Hello from the guide test");

            // Step 2: WebFinger and the actor document.
            foreach (var command in curls)
            {
                var local = command
                    .Replace("$(hostname -I | cut -d' ' -f1):5080", $"127.0.0.1:{port}", StringComparison.Ordinal)
                    .Replace("localhost:5080", $"127.0.0.1:{port}", StringComparison.Ordinal);
                Assert.DoesNotContain("5080", local, StringComparison.Ordinal);
                var run = RepositoryCopy.Shell(local, RepositoryCopy.Root, TimeSpan.FromSeconds(30));
                output.WriteLine($"`{local}` → exit {run.ExitCode}, {run.Output.Length} chars");
                Assert.True(run.ExitCode == 0, $"`{local}` failed:\n{run.Output}");
                if (command.Contains("webfinger", StringComparison.Ordinal))
                {
                    Assert.Contains("\"self\"", run.Output, StringComparison.Ordinal);
                    Assert.Contains($"http://127.0.0.1:{port}/users/you", run.Output, StringComparison.Ordinal);
                }
                else if (command.Contains("application/activity+json", StringComparison.Ordinal))
                {
                    Assert.Contains("\"type\":\"Person\"", run.Output, StringComparison.Ordinal);
                    Assert.Contains("-----BEGIN PUBLIC KEY-----", run.Output, StringComparison.Ordinal);
                    Assert.Matches("\"publicKeyMultibase\":\"z", run.Output);
                }
                else
                {
                    Assert.Fail($"GuideCommandsTests does not know what `{command}` should answer: add its expectations here.");
                }
            }

            // Step 7: "stop your server, then" query its database.
            await server.StopAsync();
            // The stopped server ran in this process: close its pooled connections, as a real stop does.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var command in queries)
            {
                var local = command.Replace("FedChat.Web/data/fedchat-5080/fedchat.db", Path.Combine(server.DataDirectory, "fedchat.db"), StringComparison.Ordinal);
                Assert.DoesNotContain("5080", local, StringComparison.Ordinal);
                var run = ShellRetryingWhileLocked(local);
                output.WriteLine($"`{command}` → exit {run.ExitCode}: {run.Output.Trim()}");
                Assert.True(run.ExitCode == 0 && !run.Output.Contains("Error", StringComparison.OrdinalIgnoreCase), $"`{local}` failed:\n{run.Output}");
                Assert.DoesNotContain("PRIVATE KEY", run.Output, StringComparison.Ordinal);
                if (command.Contains("FROM ActorKeys", StringComparison.Ordinal))
                {
                    // The guide says encrypted keys start with CfDJ8 (Data Protection's marker).
                    Assert.Contains("|CfDJ8", run.Output, StringComparison.Ordinal);
                }
            }
            var tables = ShellRetryingWhileLocked($"sqlite3 '{Path.Combine(server.DataDirectory, "fedchat.db")}' '.tables'").Output;
            // The tables the guide names in step 7.
            foreach (var table in new[] { "Users", "RemotePosts", "Deliveries", "ActorKeys" })
            {
                Assert.Matches($@"\b{table}\b", tables);
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>
    /// Turns a guide's <c>dotnet run --project FedChat.Web [-- ARGS]</c> into arguments for the built
    /// FedChat.Web.dll: the same arguments, but a free port instead of 5080–5082, data directories in a
    /// temporary folder (as <c>dotnet run</c> would resolve them under FedChat.Web/), and discovery off.
    /// </summary>
    private static (string[] Arguments, int Port, string DataDirectory) ToTestArguments(string command, string root)
    {
        var words = Words(command);
        var separator = words.IndexOf("--");
        var given = separator < 0 ? [] : words[(separator + 1)..];
        var port = RunningServer.FreePort();
        var arguments = new List<string>();
        string? dataDirectory = null;
        for (var i = 0; i < given.Count; i++)
        {
            var word = given[i];
            if (word == "--urls" && i + 1 < given.Count)
            {
                // Same address (0.0.0.0 only listens; it sends nothing), another port.
                arguments.Add("--urls");
                arguments.Add(PortInUrl().Replace(given[++i], ":" + port));
            }
            else if (word.StartsWith("--FedChat:DataDirectory=", StringComparison.Ordinal))
            {
                dataDirectory = Path.GetFullPath(word.Split('=', 2)[1], root);
                arguments.Add("--FedChat:DataDirectory=" + dataDirectory);
            }
            else
            {
                Assert.DoesNotContain("http", word, StringComparison.Ordinal); // no other server's URL: nothing may leave loopback
                arguments.Add(word);
            }
        }
        if (!arguments.Contains("--urls"))
        {
            // FedChat's default address (README: http://0.0.0.0:5080), on the free port.
            arguments.AddRange(["--urls", $"http://0.0.0.0:{port}"]);
        }
        if (dataDirectory is null)
        {
            dataDirectory = Path.Combine(root, $"fedchat-{port}");
            arguments.Add("--FedChat:DataDirectory=" + dataDirectory);
        }
        arguments.Add("--FedChat:Discovery:Enabled=false");
        return ([.. arguments], port, dataDirectory);
    }

    private static List<string> Words(string command) => GuideCommands.Words(command);

    [GeneratedRegex(@":\d+$")]
    private static partial Regex PortInUrl();

    /// <summary>
    /// Runs a sqlite3 command; if SQLite says another connection still holds the file ("database is
    /// locked", e.g. while a closing connection checkpoints the WAL), waits a moment and tries again.
    /// </summary>
    private static (int ExitCode, string Output, TimeSpan Took) ShellRetryingWhileLocked(string commandLine)
    {
        var run = RepositoryCopy.Shell(commandLine, RepositoryCopy.Root, TimeSpan.FromSeconds(30));
        for (var attempt = 1; attempt < 10 && run.Output.Contains("database is locked", StringComparison.Ordinal); attempt++)
        {
            Thread.Sleep(300);
            run = RepositoryCopy.Shell(commandLine, RepositoryCopy.Root, TimeSpan.FromSeconds(30));
        }
        return run;
    }
}
