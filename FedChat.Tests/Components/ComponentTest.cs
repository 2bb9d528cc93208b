using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace FedChat.Tests.Components;

/// <summary>
/// The base of every bunit component test: a <see cref="BunitContext"/> with MudBlazor's services,
/// rendering as a live (interactive) page unless a test says otherwise.
/// </summary>
/// <remarks>
/// MudBlazor's services can only be disposed asynchronously, and xunit 2 disposes an
/// <see cref="IDisposable"/> test class synchronously; so the context is disposed in
/// <see cref="IAsyncLifetime.DisposeAsync"/>, which xunit awaits.
/// </remarks>
public abstract class ComponentTest : BunitContext, IAsyncLifetime
{
    protected ComponentTest()
    {
        Services.AddMudServices();
        // MudBlazor calls its own JavaScript; none of it matters to what these tests check.
        JSInterop.Mode = JSRuntimeMode.Loose;
        AddServices(Services);
        Live();
    }

    /// <summary>Adds what the components under test inject. Runs before anything renders (services cannot be added after).</summary>
    /// <param name="services">The test's services.</param>
    protected virtual void AddServices(IServiceCollection services)
    {
    }

    /// <summary>Runs before each test, e.g. to start a server.</summary>
    protected virtual Task StartAsync() => Task.CompletedTask;

    /// <summary>Runs after each test, before the context is disposed.</summary>
    protected virtual Task StopAsync() => Task.CompletedTask;

    /// <summary>Renders as a live page, connected to the server (the state after the circuit starts).</summary>
    protected void Live() => SetRendererInfo(new RendererInfo("Server", isInteractive: true));

    /// <summary>Renders as the first HTML a browser receives, before the page is live.</summary>
    protected void NotLiveYet() => SetRendererInfo(new RendererInfo("Static", isInteractive: false));

    /// <summary>Renders the providers dialogs and snackbars need, as MainLayout does.</summary>
    protected IRenderedComponent<MudDialogProvider> RenderDialogProvider()
    {
        Render<MudPopoverProvider>();
        return Render<MudDialogProvider>();
    }

    /// <summary>
    /// Renders <typeparamref name="TComponent"/> in a context of its own, with <paramref name="services"/>
    /// added, and returns its DOM nodes (query them with <c>QuerySelector</c>); for markup tests that render
    /// the same component several times with different services.
    /// </summary>
    protected Task<INodeList> RenderAsync<TComponent>(Dictionary<string, object?> parameters, Action<IServiceCollection>? services = null)
        where TComponent : IComponent
    {
        var context = new BunitContext();
        _contexts.Add(context);
        context.Services.AddMudServices();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        services?.Invoke(context.Services);
        var rendered = context.Render(builder =>
        {
            builder.OpenComponent<TComponent>(0);
            foreach (var (name, value) in parameters)
            {
                builder.AddAttribute(1, name, value);
            }
            builder.CloseComponent();
        });
        return Task.FromResult(rendered.Nodes);
    }

    private readonly List<BunitContext> _contexts = [];

    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    async Task IAsyncLifetime.DisposeAsync()
    {
        await StopAsync();
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
        await base.DisposeAsync();
    }
}
