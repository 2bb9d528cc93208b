using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FedChat.Room;

/// <summary>
/// What the benchmark does on a server, through the same doors a person or a bot uses: the
/// registration form, then the JSON API (README, "The JSON API") with a bearer token.
/// </summary>
internal static partial class RoomClient
{
    public const string Password = "correct horse battery";

    private static readonly HttpClient Api = new(new SocketsHttpHandler { MaxConnectionsPerServer = 4 }) { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Waits until <c>/healthz</c> answers 200; false when <paramref name="limit"/> passes first.</summary>
    public static async Task<bool> WaitHealthyAsync(RoomServer server, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until && !server.HasExited)
        {
            try
            {
                using var response = await Api.GetAsync(new Uri(server.BaseUrl, "/healthz"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        return false;
    }

    /// <summary>Registers a user with the form on /register (antiforgery token and all), then trades the password for an API token.</summary>
    public static async Task<string> RegisterAsync(Uri server, string username)
    {
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = server,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var page = await browser.GetStringAsync("/register");
        var antiforgery = AntiforgeryField().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["__RequestVerificationToken"] = antiforgery,
            ["Input.Invite"] = "",
            ["Input.Username"] = username,
            ["Input.Password"] = Password,
        });
        using var registered = await browser.PostAsync("/register", form);
        if (registered.StatusCode != HttpStatusCode.Redirect && registered.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Registering {username} on {server} answered {(int)registered.StatusCode}.");
        }
        using var tokenResponse = await Api.PostAsJsonAsync(new Uri(server, "/api/token"), new { username, password = Password });
        tokenResponse.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("token").GetString()!;
    }

    /// <summary>POST /api/follows: the token's user follows <paramref name="handle"/>.</summary>
    public static async Task FollowAsync(Uri server, string token, string handle)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/api/follows")) { Content = JsonContent.Create(new { handle }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Api.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Following {handle} from {server} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>POST /api/posts: a public post.</summary>
    public static async Task PostAsync(Uri server, string token, string content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "/api/posts")) { Content = JsonContent.Create(new { content }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Api.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Whether the newest posts of the token user's home timeline hold <paramref name="marker"/>.</summary>
    public static async Task<bool> HomeHasAsync(Uri server, string token, string marker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, "/api/timeline/home?limit=5"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await Api.SendAsync(request);
        return response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync()).Contains(marker, StringComparison.Ordinal);
    }

    /// <summary>How many followers the user has, from its ActivityPub followers collection (totalItems).</summary>
    public static async Task<int> FollowerCountAsync(Uri server, string username)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, $"/users/{username}/followers"));
        request.Headers.Accept.ParseAdd("application/activity+json");
        using var response = await Api.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            return -1;
        }
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("totalItems", out var total) ? total.GetInt32() : -1;
    }

    /// <summary>How many peers the server lists as online in GET /api/peers.</summary>
    public static async Task<int> OnlinePeersAsync(Uri server)
    {
        using var json = JsonDocument.Parse(await Api.GetStringAsync(new Uri(server, "/api/peers")));
        return json.RootElement.GetProperty("peers").EnumerateArray()
            .Count(p => p.TryGetProperty("status", out var s) && s.GetString() == "Online");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
