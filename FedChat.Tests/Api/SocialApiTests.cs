using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Endpoints;

namespace FedChat.Tests.Api;

/// <summary>The API's home timeline and follow / unfollow, between two real servers.</summary>
public partial class ApiTests
{
    [Fact]
    public async Task FollowThroughTheApi_ThenTheirPostsReachTheHomeTimeline_AndUnfollowStopsIt()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var (client, token) = await SignedInClientAsync(a);
        var bobId = await RegisterAsync(b, "bob");
        var bobHandle = $"@bob@{b.BaseUrl.Authority}";
        using (client)
        {
            using var follow = Authorized(HttpMethod.Post, "/api/follows", token, new { handle = bobHandle });
            var followed = await client.SendAsync(follow);
            Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
            var answer = (await followed.Content.ReadFromJsonAsync<SocialApiEndpoints.FollowResponse>())!;
            Assert.Equal((b.Get<ActorUrls>().ActorId("bob"), bobHandle), (answer.ActorId, answer.Handle));
            await Eventually.WaitForAsync(() => a.Get<FollowService>().GetFollowingAsync(a.Get<ActorUrls>().ActorId("alice")),
                following => following.Count == 1, "bob's server accepting the follow");

            await b.Get<PostService>().CreatePostAsync(bobId, "hello followers");
            var home = await Eventually.WaitForAsync(() => ReadAsync(client, "/api/timeline/home", token), posts => posts.Count == 1, "bob's post in alice's home timeline");
            using var unfollow = Authorized(HttpMethod.Delete, $"/api/follows?handle={Uri.EscapeDataString(bobHandle)}", token, new { });
            var unfollowed = await client.SendAsync(unfollow);

            Assert.Equal(("hello followers", true), (home[0].Content, home[0].IsRemote));
            Assert.Empty((await client.GetFromJsonAsync<List<PostView>>("/api/timeline"))!); // the local timeline is only what was written on A
            Assert.Equal(HttpStatusCode.NoContent, unfollowed.StatusCode);
            Assert.Empty(await a.Get<FollowService>().GetFollowingAsync(a.Get<ActorUrls>().ActorId("alice")));
        }
    }

    [Fact]
    public async Task FollowAndHome_WithoutAToken_Are401_AndBadHandlesOrYourself_Are400WithTheReason()
    {
        await using var server = await RunningServer.StartAsync();
        var (client, token) = await SignedInClientAsync(server);
        using (client)
        {
            using var noToken = Authorized(HttpMethod.Post, "/api/follows", null, new { handle = "@bob@127.0.0.1:1" });
            using var notAHandle = Authorized(HttpMethod.Post, "/api/follows", token, new { handle = "bob at home" });
            using var yourself = Authorized(HttpMethod.Post, "/api/follows", token, new { handle = $"@alice@{server.BaseUrl.Authority}" });

            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/timeline/home")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(noToken)).StatusCode);
            var bad = await client.SendAsync(notAHandle);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
            var self = await client.SendAsync(yourself);
            Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
            Assert.Contains("You cannot follow yourself", await self.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task OpenApi_DescribesTheHomeTimelineAndFollows()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.CreateClient();

        var document = await client.GetStringAsync("/openapi/v1.json");

        Assert.Contains("\"/api/timeline/home\"", document);
        Assert.Contains("\"/api/follows\"", document);
    }

    private static async Task<List<PostView>> ReadAsync(HttpClient client, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<List<PostView>>())!;
    }
}
