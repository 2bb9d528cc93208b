using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Components.Shared;
using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Tests.Components;

public class ComposerTests
{
    [Fact]
    public async Task BeforeThePageIsLive_TheTextBoxIsDisabled_SoNothingTypedIsLost()
    {
        await using var server = await RunningServer.StartAsync();

        // HtmlRenderer renders like the first, not-yet-interactive HTML a browser receives.
        var document = await ComponentRenderer.RenderAsync<Composer>(
            new() { ["AuthorId"] = 1, ["DisplayName"] = "Alice" },
            services => services.AddSingleton(server.Get<PostService>()));

        var box = document.QuerySelector("textarea#composer-text")!;
        Assert.True(box.HasAttribute("disabled"), "the text box must be disabled until the page is live");
        Assert.Equal("Connecting…", box.GetAttribute("placeholder"));
    }
}
