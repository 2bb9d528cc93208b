using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation.Delivery;

/// <summary>Registers the delivery queue, the worker and the HTTP sender.</summary>
public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DeliveryQueue"/>, <see cref="DeliveryWorker"/>, <see cref="DeliveryBackoff"/> and
    /// <see cref="HttpDeliverySender"/> as singletons. Needs <c>AddFedChatCore</c> (the database) and a
    /// <see cref="SigningKeyProvider"/> registered by the host. The host binds <see cref="DeliveryOptions"/>
    /// to <see cref="DeliveryOptions.SectionName"/> and runs <see cref="DeliveryWorker.RunAsync"/> from a
    /// hosted service.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddFedChatDelivery(this IServiceCollection services)
    {
        services.AddOptions<DeliveryOptions>();
        // A bad setting (a zero timeout, a limit of 0) fails when the options are first read, saying which.
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(provider =>
            new DeliveryBackoff(provider.GetRequiredService<IOptions<DeliveryOptions>>().Value, Random.Shared));
        services.AddSingleton<DeliveryQueue>();
        services.AddSingleton<SignatureSpecMemory>();
        services.AddSingleton<IDeliverySender, HttpDeliverySender>();
        services.AddSingleton<DeliveryWorker>();
        return services;
    }

    private sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
    {
        public ValidateOptionsResult Validate(string? name, DeliveryOptions options) =>
            options.Validate() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
