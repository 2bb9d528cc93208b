using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using FedChat.Core.Accounts;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedChat.Tests.Accounts;

/// <summary>Signing in and out on a real server: rate limits, the same cost for unknown names, sign-out only from our own form.</summary>
public partial class SignInTests
{
    [Fact]
    public async Task Logout_FromAFormWithoutOurAntiforgeryToken_IsRefused_AndTheUserStaysSignedIn()
    {
        await using var server = await RunningServer.StartAsync();
        await server.RegisterAsync("alice");
        using var client = await SignInAsync(server, "alice");

        // What a cross-site form can send: the browser adds our cookies, but the attacker cannot know the token.
        using var forged = await client.PostAsync("/logout", new FormUrlEncodedContent([]));
        var stillSignedIn = await client.GetStringAsync("/account/data");
        using var real = await client.PostAsync("/logout", new FormUrlEncodedContent(Form(Token(stillSignedIn))));

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("Download archive", stillSignedIn);
        Assert.Equal(HttpStatusCode.OK, real.StatusCode); // the redirect home was followed
        Assert.DoesNotContain("Download archive", await client.GetStringAsync("/account/data"));
    }

    [Fact]
    public async Task Login_MoreAttemptsForOneAccountThanTheLimit_Is429WithAClearMessage_EvenWithTheRightPassword()
    {
        await using var server = await RunningServer.StartAsync("server-a", "--FedChat:SignInLimits:PerAccountPerMinute=3");
        await server.RegisterAsync("alice");
        using var client = server.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await PostLoginAsync(client, "alice", "wrong password " + i);
            answers.Add(wrong.StatusCode);
        }
        using var refused = await PostLoginAsync(client, "Alice", "correct horse");
        using var otherAccount = await PostLoginAsync(client, "bob", "whatever1");

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status)); // the form again, saying "Wrong username or password"
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("Too many sign-in attempts for this account", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, otherAccount.StatusCode);
    }

    [Fact]
    public async Task Token_MoreAttemptsFromOneAddressThanTheLimit_Is429ProblemDetails_WhateverTheUsername()
    {
        await using var server = await RunningServer.StartAsync("server-a", "--FedChat:SignInLimits:PerAddressPerMinute=3");
        using var client = server.CreateClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = await client.PostAsJsonAsync("/api/token", new { username = "user" + i, password = "wrong password" });
            answers.Add(wrong.StatusCode);
        }
        using var refused = await client.PostAsJsonAsync("/api/token", new { username = "someone-else", password = "wrong password" });
        using var login = await client.PostAsync("/login", new FormUrlEncodedContent(Form("x", ("Input.Username", "x"))));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Too many sign-in attempts from your address (3 a minute)", await refused.Content.ReadAsStringAsync());
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, login.StatusCode); // one budget for both ways of guessing
    }

    [Fact]
    public async Task CheckPassword_ForAnUnknownUsername_ChecksAHashAllTheSame()
    {
        await using var server = await RunningServer.StartAsync();
        await server.RegisterAsync("alice");
        var hasher = new CountingPasswordHasher();
        var manager = new AccountManager(server.Get<AccountService>(), NullLogger<AccountManager>.Instance, hasher: hasher);

        await manager.CheckPasswordAsync("alice", "wrong password");
        var forKnown = hasher.Verifications;
        await manager.CheckPasswordAsync("nobody-here", "wrong password");
        var forUnknown = hasher.Verifications - forKnown;

        // Same work, so the answer's timing cannot tell which names have accounts.
        Assert.Equal((1, 1), (forKnown, forUnknown));
    }

    /// <summary>ASP.NET Core's real PBKDF2 hasher, counting how often a password is checked.</summary>
    private sealed class CountingPasswordHasher : IPasswordHasher<UserAccount>
    {
        private readonly PasswordHasher<UserAccount> _real = new();

        public int Verifications { get; private set; }

        public string HashPassword(UserAccount user, string password) => _real.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(UserAccount user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    private static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string username, string password)
    {
        var token = Token(await client.GetStringAsync("/login"));
        return await client.PostAsync("/login", new FormUrlEncodedContent(Form(token,
            ("_handler", "login"), ("Input.Username", username), ("Input.Password", password))));
    }

    private static async Task<HttpClient> SignInAsync(RunningServer server, string username)
    {
        var client = server.CreateClient();
        using var response = await PostLoginAsync(client, username, "correct horse");
        Assert.Contains("Download archive", await client.GetStringAsync("/account/data")); // signed in: the page shows, not the login form
        return client;
    }

    private static string Token(string html) => TokenPattern().Match(html).Groups[1].Value;

    private static Dictionary<string, string> Form(string token, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
