using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace FedChat.Tests.Workshop;

/// <summary>
/// The guide promises every extension exercise a check that says whether the student's change works.
/// This proves the promise on a copy of the repository: with no exercise done every check fails; every
/// plausible wrong solution kept in workshop/solutions/wrong/ fails the check it names; and with every
/// reference solution (workshop/solutions/exercise-N.patch) applied, the guide's check commands pass.
/// Takes minutes (a build of workshop/FedChat.Workshop.Tests per round, and only the checks each round
/// needs); the figures go to the test output and to artifacts/workshop-solutions.txt.
/// </summary>
[Trait("Speed", "Slow")]
public partial class ExerciseSolutionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan TestRunLimit = TimeSpan.FromMinutes(12);

    [ToolFact("git", "bash")]
    public async Task EveryExerciseCheck_FailsBeforeTheExercise_AndPassesWithItsReferenceSolution()
    {
        var work = Path.Combine(Path.GetTempPath(), "fedchat-tests", "workshop-" + Guid.NewGuid().ToString("N"));
        var copy = Path.Combine(work, "repo");
        var figures = new List<string>();
        try
        {
            var clock = Stopwatch.StartNew();
            var copied = RepositoryCopy.CopyTo(copy);
            figures.Add($"copied {copied} source files in {clock.Elapsed.TotalSeconds:0.0} s");

            var patches = Directory.GetFiles(Path.Combine(copy, "workshop", "solutions"), "exercise-*.patch").Order().ToList();
            Assert.True(patches.Count >= 4, $"Expected a reference solution per exercise in workshop/solutions, found {patches.Count}.");
            // Each solution must apply on its own to the untouched code, as a student would use it.
            foreach (var patch in patches)
            {
                var check = RepositoryCopy.Run("git", copy, TimeSpan.FromMinutes(1), "apply", "--check", patch);
                Assert.True(check.ExitCode == 0, $"{Path.GetFileName(patch)} does not apply to the untouched code:\n{check.Output}");
            }

            var before = RunChecks(copy, work, "before");
            figures.Add($"checks before any solution: {before.Results.Count} tests, {before.Took.TotalSeconds:0} s (build + run)");
            var exercisesChecked = before.Results.Keys.Select(ExerciseOf).Distinct().Order().ToList();
            var exercisesSolved = patches.Select(p => int.Parse(PatchNumber().Match(Path.GetFileName(p)).Groups[1].Value)).Order().ToList();
            Assert.True(exercisesChecked.SequenceEqual(exercisesSolved),
                $"Every exercise needs checks and a solution: checks for [{string.Join(", ", exercisesChecked)}], solutions for [{string.Join(", ", exercisesSolved)}].");
            var passedTooEarly = before.Results.Where(r => r.Value != "Failed").Select(r => $"{r.Key}: {r.Value}").ToList();
            Assert.True(passedTooEarly.Count == 0,
                "These checks did not fail before the exercise was done, so they cannot tell a student anything:\n" + string.Join("\n", passedTooEarly));

            // A check must also fail for the wrong answers a pair plausibly writes (workshop/solutions/wrong/),
            // each caught by the check its first lines name.
            figures.AddRange(CheckWrongSolutions(copy, work, exercisesSolved));

            // Applied with the guide's own commands, one after the other: they must also apply together.
            var applyCommands = GuideCommands.All().Where(c => c.StartsWith("git apply workshop/solutions/", StringComparison.Ordinal)).ToList();
            Assert.Equal(patches.Select(p => "git apply workshop/solutions/" + Path.GetFileName(p)).Order(), applyCommands.Order());
            foreach (var command in applyCommands)
            {
                var applied = RepositoryCopy.Shell(command, copy, TimeSpan.FromMinutes(1));
                Assert.True(applied.ExitCode == 0, $"The guide's `{command}` failed after the solutions before it:\n{applied.Output}");
            }

            // With every solution applied, the guide's check commands, exactly as written, run every check
            // between them, and all pass (the first one also builds the solved code).
            var checkCommands = GuideCommands.All().Where(c => c.StartsWith("dotnet test workshop/", StringComparison.Ordinal)).ToList();
            var exercisesInGuide = checkCommands.Select(c => ExerciseFilter().Match(c) is { Success: true } f ? int.Parse(f.Groups[1].Value) : 0).Order().ToList();
            Assert.True(exercisesInGuide.SequenceEqual(exercisesChecked),
                $"The guide should give one check command per exercise ([{string.Join(", ", exercisesChecked)}]); it gives: {string.Join(" / ", checkCommands)}");
            foreach (var command in checkCommands)
            {
                var run = RepositoryCopy.Shell(command, copy, TestRunLimit);
                var total = TotalTests().Match(run.Output);
                var expected = before.Results.Keys.Count(k => ExerciseOf(k) == int.Parse(ExerciseFilter().Match(command).Groups[1].Value));
                Assert.True(run.ExitCode == 0 && total.Success && int.Parse(total.Groups[1].Value) == expected,
                    $"With the reference solutions applied, the guide's `{command}` should run {expected} passing checks (exit code {run.ExitCode}):\n{Tail(run.Output)}");
                figures.Add($"`{command}` with the solutions: {expected} checks passed, {run.Took.TotalSeconds:0} s");
            }

            // The guide's bot command, against a real server on a loopback port instead of localhost:5080.
            foreach (var command in GuideCommands.All().Where(c => c.StartsWith("dotnet run --project workshop/FedChat.Bot", StringComparison.Ordinal)))
            {
                figures.Add(await RunBotCommandAsync(command, copy));
            }
            figures.Add($"whole test: {clock.Elapsed.TotalSeconds:0} s");
        }
        finally
        {
            foreach (var line in figures)
            {
                output.WriteLine(line);
            }
            WriteFigures(figures);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS temp cleaner.
            }
        }
    }

    /// <summary>
    /// Applies the wrong solutions in rounds (the first wrong solution of every exercise together, then the
    /// second, ...: they touch different files), runs the checks, asserts that the check each one names
    /// in its "Caught by:" line failed, and takes them out again.
    /// </summary>
    private static List<string> CheckWrongSolutions(string copy, string work, List<int> exercises)
    {
        var figures = new List<string>();
        var wrong = Directory.GetFiles(Path.Combine(copy, "workshop", "solutions", "wrong"), "exercise-*.patch").Order().ToList();
        var perExercise = wrong.GroupBy(p => int.Parse(PatchNumber().Match(Path.GetFileName(p)).Groups[1].Value)).ToDictionary(g => g.Key, g => g.ToList());
        Assert.True(exercises.All(perExercise.ContainsKey),
            $"Every exercise needs at least one wrong solution in workshop/solutions/wrong; there are some for [{string.Join(", ", perExercise.Keys.Order())}].");
        foreach (var patch in wrong)
        {
            var check = RepositoryCopy.Run("git", copy, TimeSpan.FromMinutes(1), "apply", "--check", patch);
            Assert.True(check.ExitCode == 0, $"wrong/{Path.GetFileName(patch)} does not apply to the untouched code:\n{check.Output}");
        }

        var rounds = perExercise.Values.SelectMany(list => list.Select((patch, round) => (round, patch))).GroupBy(x => x.round).OrderBy(g => g.Key);
        foreach (var round in rounds)
        {
            var applied = round.Select(x => x.patch).ToList();
            foreach (var patch in applied)
            {
                var apply = RepositoryCopy.Run("git", copy, TimeSpan.FromMinutes(1), "apply", patch);
                Assert.True(apply.ExitCode == 0, $"wrong/{Path.GetFileName(patch)} did not apply:\n{apply.Output}");
            }
            var caughtBy = applied.ToDictionary(patch => patch, patch => CaughtBy().Match(File.ReadAllText(patch)) is { Success: true } line
                ? line.Groups[1].Value.Trim()
                : throw new InvalidOperationException($"wrong/{Path.GetFileName(patch)} has no \"Caught by: Class.Check\" line before its diff."));
            // Only the checks that must fail run: the others have nothing to say about these patches.
            var run = RunChecks(copy, work, $"wrong-{round.Key + 1}", string.Join('|', caughtBy.Values.Distinct().Select(c => "FullyQualifiedName~" + c)));
            foreach (var patch in applied)
            {
                var outcome = run.Results.SingleOrDefault(r => r.Key.EndsWith("." + caughtBy[patch], StringComparison.Ordinal));
                Assert.True(outcome.Value == "Failed",
                    $"The wrong solution wrong/{Path.GetFileName(patch)} should fail {caughtBy[patch]}, but that check {(outcome.Key is null ? "did not run" : "ended " + outcome.Value)}:\n{Tail(run.Output)}");
                figures.Add($"wrong/{Path.GetFileName(patch)}: {caughtBy[patch]} failed, as it should");
            }
            figures.Add($"wrong solutions, round {round.Key + 1}: {run.Took.TotalSeconds:0} s (build + run)");
            foreach (var patch in applied)
            {
                var revert = RepositoryCopy.Run("git", copy, TimeSpan.FromMinutes(1), "apply", "-R", patch);
                Assert.True(revert.ExitCode == 0, $"wrong/{Path.GetFileName(patch)} could not be taken out again:\n{revert.Output}");
            }
        }
        return figures;
    }

    /// <summary>Runs the guide's bot command against a fresh server with the user it names, and checks the post arrived.</summary>
    private static async Task<string> RunBotCommandAsync(string command, string copy)
    {
        var words = GuideCommands.Words(command);
        var (username, password, text) = (words[^3], words[^2], words[^1]);
        await using var server = await Support.RunningServer.StartAsync("guide-bot");
        await server.Get<FedChat.Web.Accounts.AccountManager>().RegisterAsync(username, password, null);
        var local = command.Replace("http://localhost:5080", server.BaseUrl.ToString().TrimEnd('/'), StringComparison.Ordinal);
        Assert.DoesNotContain("5080", local, StringComparison.Ordinal);

        var run = RepositoryCopy.Shell(local, copy, TimeSpan.FromMinutes(5));

        var posts = await server.Get<FedChat.Core.Posts.PostService>().GetLocalTimelineAsync();
        Assert.True(run.ExitCode == 0 && posts.Any(p => p.AuthorUsername == username && p.Content == text),
            $"The guide's bot command did not post \"{text}\" as {username} (exit code {run.ExitCode}):\n{Tail(run.Output)}");
        return $"`{command}`: posted, {run.Took.TotalSeconds:0} s";
    }

    /// <summary>Builds and runs the workshop checks in <paramref name="copy"/> (all, or those <paramref name="filter"/> picks); returns each check's outcome from the TRX report.</summary>
    private static (int ExitCode, Dictionary<string, string> Results, TimeSpan Took, string Output) RunChecks(string copy, string work, string name, string? filter = null)
    {
        var results = Path.Combine(work, "results");
        // --disable-build-servers: no compiler server outlives this test (we may end only what we started).
        string[] arguments =
        [
            "test", "workshop/FedChat.Workshop.Tests", "--disable-build-servers", "--nologo",
            "--logger", $"trx;LogFileName={name}.trx", "--results-directory", results,
            .. filter is null ? Array.Empty<string>() : ["--filter", filter],
        ];
        var run = RepositoryCopy.Run("dotnet", copy, TestRunLimit, arguments);
        var trx = Path.Combine(results, name + ".trx");
        Assert.True(File.Exists(trx), $"dotnet test wrote no report ({name}; exit code {run.ExitCode}):\n{Tail(run.Output)}");
        XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var outcomes = XDocument.Load(trx).Descendants(ns + "UnitTestResult")
            .ToDictionary(r => (string)r.Attribute("testName")!, r => (string)r.Attribute("outcome")!);
        Assert.True(outcomes.Count > 0, $"No workshop checks ran ({name}):\n{Tail(run.Output)}");
        return (run.ExitCode, outcomes, run.Took, run.Output);
    }

    /// <summary>The exercise a check belongs to, from its class name (<c>Exercise2BotChecks</c> → 2).</summary>
    private static int ExerciseOf(string testName) =>
        int.Parse(ExerciseClass().Match(testName) is { Success: true } found ? found.Groups[1].Value : throw new InvalidOperationException($"{testName} is not in an ExerciseN… class."));

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];

    private static void WriteFigures(List<string> figures)
    {
        var artifacts = Directory.CreateDirectory(Path.Combine(RepositoryCopy.Root, "artifacts")).FullName;
        File.WriteAllLines(Path.Combine(artifacts, "workshop-solutions.txt"), figures);
    }

    [GeneratedRegex(@"\.Exercise(\d+)[A-Za-z]*\.")]
    private static partial Regex ExerciseClass();

    [GeneratedRegex(@"Total:\s+(\d+)")]
    private static partial Regex TotalTests();

    [GeneratedRegex(@"Workshop=Exercise(\d+)")]
    private static partial Regex ExerciseFilter();

    [GeneratedRegex(@"^Caught by: (.+)$", RegexOptions.Multiline)]
    private static partial Regex CaughtBy();

    [GeneratedRegex(@"exercise-(\d+)[^/]*\.patch")]
    private static partial Regex PatchNumber();
}

/// <summary>
/// A test that needs command-line tools (<c>git</c>, <c>curl</c>, <c>sqlite3</c>). Skipped with the reason on
/// a machine without them; in CI (<c>CI=true</c>) it always runs, so a missing tool fails instead of
/// silently skipping (.ci/run installs them).
/// </summary>
public sealed class ToolFactAttribute : FactAttribute
{
    public ToolFactAttribute(params string[] tools)
    {
        var missing = tools.Where(t => Support.NetworkLab.FindTool(t) is null).ToList();
        if (missing.Count > 0 && !Support.ChromiumBrowser.IsCi)
        {
            Skip = $"Needs {string.Join(" and ", missing)}, not installed here (Debian/Ubuntu: sudo apt-get install {string.Join(' ', missing)}).";
        }
    }
}
