using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
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
    }

    [Fact]
    public async Task Bot_SaysWhyTheServerSaidNo()
    {
        await using var server = await RunningServer.StartAsync("bot-check");
        await server.Get<AccountManager>().RegisterAsync("botty", "beep boop 42", null);
        var url = server.BaseUrl.ToString().TrimEnd('/');

        // A wrong password: the server answers 401 and says why in its answer's body. The check asks
        // the server itself, so it knows the words the bot should pass on.
        var reason = await ReasonAsync(server, "/api/token", new { username = "botty", password = "not the password" }, token: null);
        var (exitCode, output) = await RunBotAsync(url, "botty", "not the password", "should not appear");
        Check.That(exitCode != 0,
            $"With a wrong password the server answers 401, so the bot should end with a non-zero exit code, but it returned 0. See hint 3 of Exercise 2. The bot printed:\n{output}");
        Check.That(output.Contains(reason, StringComparison.Ordinal),
            $"With a wrong password the server answered 401 with the reason \"{reason}\" in its body, but the bot did not print it " +
            $"(exit code {exitCode}), so whoever runs it cannot tell what went wrong. Print the answer's body: " +
            $"await response.Content.ReadAsStringAsync(). See hint 3 of Exercise 2. The bot printed:\n{Shown(output)}");

        // A post the server refuses (too long): the token worked, the second request did not.
        var tooLong = new string('x', 600);
        var token = await TokenAsync(server, "botty", "beep boop 42");
        var postReason = await ReasonAsync(server, "/api/posts", new { content = tooLong }, token);
        var (postExitCode, postOutput) = await RunBotAsync(url, "botty", "beep boop 42", tooLong);
        Check.That(postExitCode != 0 && postOutput.Contains(postReason, StringComparison.Ordinal),
            $"When the server refuses the post (400 for a text of 600 characters) the bot should print its reason \"{postReason}\" and end with a non-zero exit code, " +
            $"but it ended with {postExitCode} and printed:\n{Shown(postOutput)}\nSee hint 3 of Exercise 2.");
    }

    private static string Shown(string output) => string.IsNullOrWhiteSpace(output) ? "(nothing)" : output;

    /// <summary>Gets a bearer token the way the bot should.</summary>
    private static async Task<string> TokenAsync(RunningServer server, string username, string password)
    {
        using var client = server.CreateClient();
        using var answer = await client.PostAsJsonAsync("/api/token", new { username, password });
        answer.EnsureSuccessStatusCode();
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    /// <summary>Sends a request that the server refuses and returns the reason it gives: the problem's detail, or else its title.</summary>
    private static async Task<string> ReasonAsync(RunningServer server, string path, object body, string? token)
    {
        using var client = server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var answer = await client.SendAsync(request);
        Assert.False(answer.IsSuccessStatusCode, $"The check expected the server to refuse {path}, but it answered {(int)answer.StatusCode}.");
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
        return problem.TryGetProperty("detail", out var detail) && detail.GetString() is { Length: > 0 } text ? text : problem.GetProperty("title").GetString()!;
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
                Assert.Fail($"The bot crashed with {crash.InnerException?.GetType().Name}: {crash.InnerException?.Message.TrimEnd('.')}. " +
                    "EnsureSuccessStatusCode() does this when the server says no, and hides the server's reason: check IsSuccessStatusCode and print the answer's body instead. See hint 3 of Exercise 2.");
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
