using System.Reflection;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;

namespace FedChat.Workshop.Tests;

/// <summary>Exercise 2: a bot that posts through the JSON API, run against a real server on a loopback port.</summary>
[Trait("Workshop", "Exercise2")]
public class Exercise2BotChecks
{
    [Fact]
    public async Task Bot_PostsItsTextThroughTheApi()
    {
        await using var server = await RunningServer.StartAsync("bot-check");
        await server.Get<AccountManager>().RegisterAsync("botty", "beep boop 42", null);
        var text = "Hello from the workshop check " + Guid.NewGuid().ToString("N")[..6];

        var (exitCode, output) = await RunBotAsync(server.BaseUrl.ToString().TrimEnd('/'), "botty", "beep boop 42", text);

        var timeline = await server.Get<PostService>().GetLocalTimelineAsync();
        Check.That(timeline.Any(p => p.AuthorUsername == "botty" && p.Content == text),
            $"The bot ran (exit code {exitCode}) but no post \"{text}\" by botty is on the server's timeline. " +
            $"It should ask POST /api/token for a token, then send POST /api/posts with the header 'Authorization: Bearer TOKEN'. See hints 1 and 2 of Exercise 2. The bot printed:\n{output}");
        Check.That(exitCode == 0, $"The post arrived, but the bot ended with exit code {exitCode}; a bot that worked should return 0. See hint 3 of Exercise 2.");

        var (wrongExitCode, wrongOutput) = await RunBotAsync(server.BaseUrl.ToString().TrimEnd('/'), "botty", "not the password", "should not appear");
        Check.That(wrongExitCode != 0,
            $"With a wrong password the server answers 401, so the bot should say so and end with a non-zero exit code, but it returned 0. See hint 3 of Exercise 2. The bot printed:\n{wrongOutput}");
    }

    /// <summary>
    /// Runs the bot's Main in this process, as <c>dotnet run --project workshop/FedChat.Bot -- ARGS</c> would,
    /// and returns its exit code and what it printed. Bounded: a bot that hangs fails the check after 30 s.
    /// </summary>
    private static async Task<(int ExitCode, string Output)> RunBotAsync(params string[] args)
    {
        var entryPoint = Assembly.Load("FedChat.Bot").EntryPoint ?? throw new InvalidOperationException("FedChat.Bot has no Main.");
        var console = new StringWriter();
        var previousOut = Console.Out;
        var previousError = Console.Error;
        Console.SetOut(console);
        Console.SetError(console);
        try
        {
            var run = Task.Run(() => entryPoint.Invoke(null, [args]));
            var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30)));
            Check.That(finished == run, "The bot did not finish within 30 seconds. Does it wait for something that never comes? See hint 3 of Exercise 2.");
            object? result;
            try
            {
                result = await run;
            }
            catch (TargetInvocationException crash)
            {
                Assert.Fail($"The bot crashed with {crash.InnerException?.GetType().Name}: {crash.InnerException?.Message}. See hint 3 of Exercise 2.");
                throw;
            }
            return (result is int code ? code : 0, console.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }
}
