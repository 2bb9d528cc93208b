using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Core.Portability;

/// <summary>Registers export, import, move and deletion of accounts.</summary>
public static class PortabilityServiceCollectionExtensions
{
    /// <summary>Adds <see cref="AccountExport"/>, <see cref="AccountImport"/>, <see cref="AccountMove"/> and <see cref="AccountDeletion"/>.</summary>
    public static IServiceCollection AddFedChatPortability(this IServiceCollection services)
    {
        services.AddOptions<PortabilityOptions>();
        services.AddSingleton<AccountExport>();
        services.AddSingleton<AccountImport>();
        services.AddSingleton<AccountMove>();
        services.AddSingleton<AccountDeletion>();
        return services;
    }
}
