using System.Globalization;
using System.Net;
using System.Text;
using FedChat.Core.Storage;
using FedChat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace FedChat.Tests.Security;

/// <summary>
/// Runs <see cref="HostileSuite"/> against a FedChat server started as its own process (as README
/// starts it), then checks what a user would care about: no forgery got through, nothing crashed,
/// nothing was stored that should not be, and honest posts still arrive. The suite here sends 600
/// requests; <c>scripts/hostile-suite.sh</c> sends 10,000 and prints the same report.
/// </summary>
public class HostileSuiteTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ASeededMixOfHostileRequests_GetsNoForgeryThrough_No5xx_AndNoStrayRows()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("FEDCHAT_HOSTILE_REQUESTS"), out var n) ? n : 600;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("FEDCHAT_HOSTILE_SEED"), out var s) ? s : 12;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fedchat-tests", "hostile-" + Guid.NewGuid().ToString("N"));
        var port = RunningServer.FreePort();
        using var server = await ServerProcess.StartAsync("--urls", $"http://127.0.0.1:{port}", $"--FedChat:DataDirectory={dataDirectory}",
            "--FedChat:InstanceName=victim", "--FedChat:Discovery:Enabled=false");
        await using var bob = await HostileActor.StartAsync("bob");
        await using var mallory = await HostileActor.StartAsync("mallory");
        var inbox = new Uri($"http://127.0.0.1:{port}/inbox");
        var suite = new HostileSuite(inbox, bob, mallory, seed);
        var rssBefore = ResidentMiB(server.Pid);

        var outcomes = await suite.RunAsync(count, concurrency: 8, budget: TimeSpan.FromMinutes(20));

        var rssAfter = ResidentMiB(server.Pid);
        var stillServes = await HonestRequestStillAcceptedAsync(inbox, bob);
        // Posts are made by the inbox worker after the 202: let it finish before looking.
        await Eventually.WaitForAsync(() => Task.FromResult(QueuedCount(dataDirectory)), n => n == 0, "the inbox queue to be handled", TimeSpan.FromMinutes(2));
        var stray = CountStrayRows(dataDirectory, bob.ActorId, [.. suite.AcceptedHonestIds]);
        var forgeriesAccepted = outcomes.Count(o => o.MustBeRefused && o.Status is >= 200 and < 300);
        var serverErrors = outcomes.Count(o => o.Status is >= 500 or 0);
        var honestRefused = outcomes.Where(o => !o.MustBeRefused && o.Status is not (>= 200 and < 300)).ToList();

        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"Hostile suite: {outcomes.Count} requests, seed {seed}, server pid {server.Pid}")
            .AppendLine("requests per class (status: count):");
        foreach (var group in outcomes.GroupBy(o => o.Class).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var statuses = string.Join(", ", group.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"));
            report.AppendLine(CultureInfo.InvariantCulture, $"  {group.Key,-40} {group.Count(),6}   {statuses}");
        }
        report.AppendLine("status histogram: " + string.Join(", ", outcomes.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")))
            .AppendLine(CultureInfo.InvariantCulture, $"accepted forgeries: {forgeriesAccepted} (must be 0)")
            .AppendLine(CultureInfo.InvariantCulture, $"5xx or no answer: {serverErrors} (must be 0)")
            .AppendLine(CultureInfo.InvariantCulture, $"stray rows: {stray.Total} (must be 0) {stray.Detail}")
            .AppendLine(CultureInfo.InvariantCulture, $"honest requests refused: {honestRefused.Count} (must be 0)")
            .AppendLine(CultureInfo.InvariantCulture, $"server RSS before / after: {rssBefore:0} / {rssAfter:0} MiB")
            .AppendLine(CultureInfo.InvariantCulture, $"an honest post after the run: {(stillServes ? "accepted" : "NOT accepted")}");
        output.WriteLine(report.ToString());
        Console.WriteLine(report.ToString());

        Assert.Equal(0, forgeriesAccepted);
        Assert.Equal(0, serverErrors);
        Assert.Equal(0, stray.Total);
        Assert.Empty(honestRefused);
        Assert.True(stillServes, "the server no longer accepts an honest post");
        Assert.True(outcomes.Count >= Math.Min(count, 100), $"only {outcomes.Count} requests were sent");
    }

    private static async Task<bool> HonestRequestStillAcceptedAsync(Uri inbox, HostileActor bob)
    {
        var activity = Federation.ImpersonationTests.Create(bob.ActorId, bob.Url("/users/bob/posts/last"), "still here");
        var response = await SignedSender.PostAsync(inbox, activity, bob.Rsa, bob.KeyId);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    /// <summary>Rows that must not exist after the run: posts or activities under Bob's name he never sent, forged text, future dates, oversized text, doubles.</summary>
    private static (int Total, string Detail) CountStrayRows(string dataDirectory, string bobActorId, HashSet<string> honestIds)
    {
        var options = new DbContextOptionsBuilder<FedChatDbContext>()
            .UseSqlite($"Data Source={Path.Combine(dataDirectory, "fedchat.db")};Mode=ReadOnly;Pooling=False").Options;
        using var db = new FedChatDbContext(options);
        var problems = new Dictionary<string, int>();
        void Count(string what, int n)
        {
            if (n > 0)
            {
                problems[what] = problems.GetValueOrDefault(what) + n;
            }
        }
        bool Honest(string activityId) => honestIds.Contains(activityId) || activityId.EndsWith("/posts/last/activity", StringComparison.Ordinal);

        var posts = db.RemotePosts.AsNoTracking().ToList();
        Count("posts under bob's name he never sent", posts.Count(p => p.ActorId == bobActorId && !Honest(p.ActivityId)));
        Count("forged text", posts.Count(p => p.Content.Contains("FORGED", StringComparison.Ordinal) || p.Content.Contains("EDITED BY MALLORY", StringComparison.Ordinal)));
        Count("text over the limit", posts.Count(p => p.Content.Length > Core.Storage.Entities.RemotePost.MaxContentLength));
        Count("dated in the future", posts.Count(p => p.PublishedAt > DateTimeOffset.UtcNow.AddMinutes(1)));
        Count("posts deleted by someone else", honestIds.Count(id => posts.All(p => p.ActivityId != id)));

        var bobsActivities = db.ReceivedActivities.AsNoTracking().Where(a => a.ActorId == bobActorId).Select(a => a.ActivityId).ToList();
        Count("activities under bob's name he never sent", bobsActivities.Count(id => !Honest(id)));
        Count("an activity stored twice", bobsActivities.Count - bobsActivities.Distinct().Count());
        Count("honest activities accepted but not stored", honestIds.Count(id => !bobsActivities.Contains(id)));
        return (problems.Values.Sum(), string.Join("; ", problems.Select(p => $"{p.Key}: {p.Value}")));
    }

    private static int QueuedCount(string dataDirectory)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory, "fedchat.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM InboxQueue";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static double ResidentMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
