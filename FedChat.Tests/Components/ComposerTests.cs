using Bunit;
using FedChat.Core.Posts;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Support;
using FedChat.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Tests.Components;

/// <summary>The composer against a real server's PostService: counter, limits, visibility, and input typed before the page is live.</summary>
public class ComposerTests : ComponentTest
{
    private RunningServer _server = null!;

    protected override void AddServices(IServiceCollection services) =>
        services.AddSingleton(_ => _server.Get<PostService>());

    protected override async Task StartAsync() => _server = await RunningServer.StartAsync();

    protected override async Task StopAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Typing_CountsTheCharacters_InTheTextFieldsCounter()
    {
        var server = _server;
        var composer = RenderComposer(server, (await server.RegisterAsync("alice")).Id);

        composer.Find("textarea#composer-text").Input("Hello, room!");

        Assert.Contains($"12 / {Post.MaxLength}", composer.Find(".mud-input-helper-text").TextContent);
        Assert.False(composer.Find("button[type=submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task EmptyBlankOrTooLongText_CannotBePosted()
    {
        var server = _server;
        var composer = RenderComposer(server, (await server.RegisterAsync("alice")).Id);
        var post = () => composer.Find("button[type=submit]");

        Assert.True(post().HasAttribute("disabled"));
        composer.Find("textarea#composer-text").Input("   ");
        Assert.True(post().HasAttribute("disabled"));
        composer.Find("textarea#composer-text").Input(new string('x', Post.MaxLength + 1));
        Assert.True(post().HasAttribute("disabled"));
        Assert.Contains($"{Post.MaxLength + 1} / {Post.MaxLength}", composer.Find(".mud-input-helper-text").TextContent);
        Assert.NotNull(composer.Find(".mud-input-error"));
        Assert.Equal(Post.MaxLength.ToString(System.Globalization.CultureInfo.InvariantCulture), composer.Find("textarea#composer-text").GetAttribute("maxlength"));
    }

    [Fact]
    public async Task Posting_StoresThePostWithTheVisibilityShown_ThenClearsTheBox()
    {
        var server = _server;
        var alice = await server.RegisterAsync("alice");
        await server.RegisterAsync("bob");
        var composer = RenderComposer(server, alice.Id, PostVisibility.Direct);
        var text = $"@bob@127.0.0.1:{server.Port} just for you";

        composer.Find("textarea#composer-text").Input(text);
        await composer.Find("form#composer").SubmitAsync();
        Assert.Empty(composer.FindAll("[role=alert]"));

        await using var db = await server.Get<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync();
        var stored = Assert.Single(db.Posts);
        Assert.Equal(text, stored.Content);
        Assert.NotNull(stored.Audience); // addressed to the people mentioned, not public
        composer.WaitForAssertion(() => Assert.Equal("", composer.Find("textarea#composer-text").GetAttribute("value") ?? composer.Find("textarea#composer-text").TextContent));
    }

    [Fact]
    public async Task BeforeThePageIsLive_VisibilityAndPostAreDisabled_AndTheBoxKeepsWhatIsTyped()
    {
        var server = _server;
        NotLiveYet();
        var composer = RenderComposer(server, (await server.RegisterAsync("alice")).Id);

        // The visibility cannot be changed before the page is live, so it can never be changed behind the author's back.
        Assert.True(composer.Find("#composer-visibility").HasAttribute("disabled"));
        Assert.True(composer.Find("button[type=submit]").HasAttribute("disabled"));
        // The text box takes typing at once; wwwroot/js/fedchat.js keeps it for the live page (data-keep-early).
        var box = composer.Find("textarea#composer-text");
        Assert.False(box.HasAttribute("disabled"));
        Assert.True(box.HasAttribute("data-keep-early"));
    }

    [Fact]
    public async Task OnceLive_TakesBackWhatWasTypedBefore_AndPutsTheFocusBack()
    {
        var server = _server;
        JSInterop.Setup<EarlyInput?>("fedchat.takeEarlyInput", _ => true)
            .SetResult(new EarlyInput(new() { ["composer-text"] = "typed while connecting" }, "composer-text"));
        var focus = JSInterop.SetupVoid("fedchat.focus", _ => true);

        var composer = RenderComposer(server, (await server.RegisterAsync("alice")).Id);

        composer.WaitForAssertion(() => Assert.Contains("22 / ", composer.Find(".mud-input-helper-text").TextContent));
        Assert.Equal("composer-text", focus.VerifyInvoke("fedchat.focus").Arguments[0]);
    }

    private IRenderedComponent<Composer> RenderComposer(RunningServer server, int authorId, PostVisibility visibility = PostVisibility.Public)
    {
        return Render<Composer>(p => p
            .Add(c => c.AuthorId, authorId)
            .Add(c => c.DisplayName, "Alice")
            .Add(c => c.InitialVisibility, visibility));
    }
}
