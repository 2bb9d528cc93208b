using Bunit;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Tests.Components;

/// <summary>The facilitator page against a real server: the live numbers and the join link.</summary>
public class FacilitatorTests : ComponentTest
{
    private RunningServer _server = null!;

    // The page injects the server's own services (dashboard, event feed, clock).
    protected override void AddServices(IServiceCollection services) =>
        Services.AddFallbackServiceProvider(new LazyServices(() => _server?.Services));

    protected override async Task StartAsync() => _server = await RunningServer.StartAsync("server-a");

    protected override async Task StopAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Counters_ShowUsersAndPostsHere_AndTheQrCodeLinksToRegistration()
    {
        var alice = await _server.RegisterAsync("alice");
        await _server.RegisterAsync("bob");
        await _server.Get<PostService>().CreatePostAsync(alice.Id, new PostDraft("Hello, room!"));

        var page = Render<Facilitator>();

        page.WaitForAssertion(() => Assert.Equal("2", page.Find("#counter-users").TextContent));
        Assert.Equal("1", page.Find("#counter-posts").TextContent);
        Assert.Equal("1", page.Find("#counter-servers").TextContent);
        Assert.Equal("0", page.Find("#counter-rejected").TextContent);
        Assert.EndsWith("/register", page.Find("#join-url .url-text").GetAttribute("title"), StringComparison.Ordinal);
    }
}
