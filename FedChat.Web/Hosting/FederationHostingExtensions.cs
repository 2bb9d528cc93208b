using FedChat.Core.Accounts;
using FedChat.Core.Federation;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Federation.Inbox;
using FedChat.Core.Identity;
using FedChat.Core.Portability;

namespace FedChat.Web.Hosting;

/// <summary>Wiring for server-to-server traffic: options, the delivery queue and its worker, the inbox worker.</summary>
public static class FederationHostingExtensions
{
    /// <summary>Binds federation and delivery options, and runs the background worker that empties the delivery queue (registered by Core).</summary>
    public static IServiceCollection AddFedChatFederation(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FederationOptions>().Bind(configuration.GetSection(FederationOptions.SectionName));
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.SectionName));
        services.AddOptions<PortabilityOptions>().Bind(configuration.GetSection(PortabilityOptions.SectionName));
        // Deliveries are signed by the user who published the activity, or by the instance actor
        // (signer null) for server-level messages such as relays.
        services.AddSingleton<SigningKeyProvider>(provider => async (signerUserId, cancellationToken) =>
        {
            var keys = provider.GetRequiredService<KeyStore>();
            var urls = provider.GetRequiredService<ActorUrls>();
            if (signerUserId is not int userId)
            {
                return (ActorUrls.RsaKeyId(urls.InstanceActorId), (await keys.GetInstanceKeysAsync(cancellationToken)).Rsa);
            }
            // A deleted account still signs its last activity (the Delete) with the key pair kept for that.
            var username = (await provider.GetRequiredService<AccountService>().FindByIdAsync(userId, cancellationToken))?.Username
                ?? await provider.GetRequiredService<AccountDeletion>().FindDeletedUsernameAsync(userId, cancellationToken)
                ?? throw new InvalidOperationException($"User {userId} no longer exists, so their delivery cannot be signed.");
            return (ActorUrls.RsaKeyId(urls.ActorId(username)), (await keys.GetUserKeysAsync(userId, cancellationToken)).Rsa);
        });
        services.AddHostedService<DeliveryHostedService>();
        services.AddHostedService<InboxHostedService>();
        return services;
    }

    /// <summary>Acts on accepted inbox activities (Core's inbox queue) for as long as the server runs.</summary>
    private sealed class InboxHostedService(InboxWorker worker, InstanceInfo instance) : BackgroundService
    {
        // Handlers answer with our URLs (an Accept names our actor): wait until the public URL is known.
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await instance.Ready.WaitAsync(stoppingToken);
            await worker.RunAsync(stoppingToken);
        }
    }

    /// <summary>Runs the delivery worker for as long as the server runs.</summary>
    private sealed class DeliveryHostedService(DeliveryWorker worker, InstanceInfo instance) : BackgroundService
    {
        // A delivery left from before a restart is signed with a key id built from our public URL, which
        // is known only once Kestrel has bound its port: signing earlier would name localhost:5080.
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await instance.Ready.WaitAsync(stoppingToken);
            await worker.RunAsync(stoppingToken);
        }
    }
}
