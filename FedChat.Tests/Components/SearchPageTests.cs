using Bunit;
using FedChat.Tests.Support;
using FedChat.Web.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Tests.Components;

/// <summary>The search page against two real servers: a handle in the address is looked up once the page is live.</summary>
public class SearchPageTests : ComponentTest
{
    private RunningServer _a = null!;
    private RunningServer _b = null!;

    protected override void AddServices(IServiceCollection services)
    {
        AddAuthorization(); // a visitor who is not signed in
        Services.AddFallbackServiceProvider(new LazyServices(() => _a?.Services));
    }

    protected override async Task StartAsync()
    {
        _a = await RunningServer.StartAsync("server-a");
        _b = await RunningServer.StartAsync("server-b");
    }

    protected override async Task StopAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task HandleInTheAddress_IsFoundOnItsServer_WithAProgressBarMeanwhile()
    {
        await _b.RegisterAsync("bob");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/search?q=%40bob%40127.0.0.1%3A{_b.Port}");

        var page = Render<Search>();

        page.WaitForAssertion(() => Assert.Equal($"@bob@127.0.0.1:{_b.Port}", page.Find("#result-handle").TextContent), TimeSpan.FromSeconds(15));
    }
}
