using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FedChat.Core.Accounts;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;

namespace FedChat.Tests.Api;

/// <summary>The JSON API against a real server on a loopback port with a real SQLite file.</summary>
public partial class ApiTests
{
    [Fact]
    public async Task Token_ThenPost_ThePostIsInTheLocalTimeline()
    {
        await using var server = await RunningServer.StartAsync();
        await RegisterAsync(server, "alice");
        using var client = server.CreateClient();
        var token = await GetTokenAsync(client, "alice");

        using var post = Authorized(HttpMethod.Post, "/api/posts", token, new { content = "Hello from a bot" });
        var created = await client.SendAsync(post);
        var timeline = await client.GetFromJsonAsync<List<PostView>>("/api/timeline");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("Hello from a bot", timeline![0].Content);
        Assert.Equal($"@alice@127.0.0.1:{server.Port}", timeline[0].AuthorHandle);
    }

    [Fact]
    public async Task Reactions_LikeThroughTheApi_IsCountedInTheTimeline_AndBadRequestsSayWhy()
    {
        await using var server = await RunningServer.StartAsync();
        var (client, token) = await SignedInClientAsync(server);
        using (client)
        {
            using var post = Authorized(HttpMethod.Post, "/api/posts", token, new { content = "like me" });
            (await client.SendAsync(post)).EnsureSuccessStatusCode();
            var objectId = (await client.GetFromJsonAsync<List<PostView>>("/api/timeline"))![0].ObjectId;

            using var like = Authorized(HttpMethod.Post, "/api/reactions", token, new { objectId, kind = "like" });
            using var noToken = Authorized(HttpMethod.Post, "/api/reactions", null, new { objectId, kind = "like" });
            using var badKind = Authorized(HttpMethod.Post, "/api/reactions", token, new { objectId, kind = "love" });
            using var missing = Authorized(HttpMethod.Post, "/api/reactions", token, new { objectId = objectId + "999", kind = "boost" });

            Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(like)).StatusCode);
            Assert.Equal(1, (await client.GetFromJsonAsync<List<PostView>>("/api/timeline"))![0].Likes);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(noToken)).StatusCode);
            var bad = await client.SendAsync(badKind);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("kind: like or boost", await bad.Content.ReadAsStringAsync());
            var gone = await client.SendAsync(missing);
            Assert.Equal(HttpStatusCode.BadRequest, gone.StatusCode);
            Assert.Contains("does not exist", await gone.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Token_WithWrongPassword_Is401ProblemDetails()
    {
        await using var server = await RunningServer.StartAsync();
        await RegisterAsync(server, "alice");
        using var client = server.CreateClient();

        var response = await client.PostAsJsonAsync("/api/token", new { username = "alice", password = "wrong-password" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Wrong username or password", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, "Sign-in required")]
    [InlineData("made-up-token", "Invalid or expired token")]
    public async Task Post_WithoutAValidToken_Is401AndNothingStored(string? token, string expectedTitle)
    {
        await using var server = await RunningServer.StartAsync();
        await RegisterAsync(server, "alice");
        using var client = server.CreateClient();

        using var request = Authorized(HttpMethod.Post, "/api/posts", token, new { content = "forged?" });
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(expectedTitle, await response.Content.ReadAsStringAsync());
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Empty(await server.Get<PostService>().GetLocalTimelineAsync());
    }

    [Fact]
    public async Task Post_WithAnExpiredToken_Is401()
    {
        await using var server = await RunningServer.StartAsync("server-a", "--FedChat:ApiTokenLifetime=00:00:00.001");
        await RegisterAsync(server, "alice");
        using var client = server.CreateClient();
        var token = await GetTokenAsync(client, "alice");
        await Task.Delay(20); // the token lives 1 ms; a real clock has to pass it

        using var request = Authorized(HttpMethod.Post, "/api/posts", token, new { content = "too late" });
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("", "cannot be empty")]
    [InlineData("   ", "cannot be empty")]
    [InlineData(null, "cannot be empty")]
    public async Task Post_Empty_Is400WithReasonAndNothingStored(string? content, string reason)
    {
        await using var server = await RunningServer.StartAsync();
        var (client, token) = await SignedInClientAsync(server);

        using var request = Authorized(HttpMethod.Post, "/api/posts", token, new { content });
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        Assert.Empty(await server.Get<PostService>().GetLocalTimelineAsync());
    }

    [Fact]
    public async Task Post_Of501Characters_Is400AndNothingStored()
    {
        await using var server = await RunningServer.StartAsync();
        var (client, token) = await SignedInClientAsync(server);

        using var request = Authorized(HttpMethod.Post, "/api/posts", token, new { content = new string('x', 501) });
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("at most 500", await response.Content.ReadAsStringAsync());
        Assert.Empty(await server.Get<PostService>().GetLocalTimelineAsync());
    }

    [Fact]
    public async Task Post_WithABodyOfSeveralMegabytes_Is413AndTheServerKeepsServing()
    {
        await using var server = await RunningServer.StartAsync();
        var (client, token) = await SignedInClientAsync(server);
        var huge = "{\"content\":\"" + new string('x', 5 * 1024 * 1024) + "\"}";

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/posts") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Wait for the server's go-ahead before sending the body, as curl does for large uploads:
        // the server refuses from the Content-Length alone, before any of the 5 MB is sent.
        request.Headers.ExpectContinue = true;
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await server.Get<PostService>().GetLocalTimelineAsync());
        using var fresh = server.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Post_WithMalformedJson_Is400ProblemDetails()
    {
        await using var server = await RunningServer.StartAsync();
        var (client, token) = await SignedInClientAsync(server);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/posts") { Content = new StringContent("{\"content\": ", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await server.Get<PostService>().GetLocalTimelineAsync());
    }

    [Fact]
    public async Task Timeline_PagesWithBefore_NewestFirst()
    {
        await using var server = await RunningServer.StartAsync();
        var alice = await RegisterAsync(server, "alice");
        for (var i = 1; i <= 5; i++)
        {
            await server.Get<PostService>().CreatePostAsync(alice, $"post {i}");
        }
        using var client = server.CreateClient();

        var first = await client.GetFromJsonAsync<List<PostView>>("/api/timeline?limit=2");
        var next = await client.GetFromJsonAsync<List<PostView>>($"/api/timeline?limit=2&before={first![^1].Id}");

        Assert.Equal(["post 5", "post 4"], first.Select(p => p.Content));
        Assert.Equal(["post 3", "post 2"], next!.Select(p => p.Content));
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheApi()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = document.RootElement.GetProperty("paths");

        Assert.True(paths.TryGetProperty("/api/token", out _));
        Assert.True(paths.TryGetProperty("/api/posts", out _));
        Assert.True(paths.TryGetProperty("/api/timeline", out _));
    }

    [Fact]
    public async Task Healthz_Is200WhenTheDatabaseIsReady()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    internal static async Task<int> RegisterAsync(RunningServer server, string username, string password = "correct horse")
    {
        var result = await server.Get<AccountManager>().RegisterAsync(username, password, null);
        Assert.True(result.Succeeded, result.Error);
        return result.User!.Id;
    }

    internal static async Task<string> GetTokenAsync(HttpClient client, string username, string password = "correct horse")
    {
        var response = await client.PostAsJsonAsync("/api/token", new { username, password });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<(HttpClient Client, string Token)> SignedInClientAsync(RunningServer server)
    {
        await RegisterAsync(server, "alice");
        var client = server.CreateClient();
        return (client, await GetTokenAsync(client, "alice"));
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path, string? token, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return request;
    }
}
