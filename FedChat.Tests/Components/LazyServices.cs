namespace FedChat.Tests.Components;

/// <summary>Hands out a running server's services once the test has started it (bunit needs its services before any test code runs).</summary>
internal sealed class LazyServices(Func<IServiceProvider?> provider) : IServiceProvider
{
    public object? GetService(Type serviceType) => provider()?.GetService(serviceType);
}
