using FedChat.Core.Accounts;
using FedChat.Core.Dashboard;
using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Core.Federation;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Federation.Inbox;
using FedChat.Core.Forge;
using FedChat.Core.Identity;
using FedChat.Core.Portability;
using FedChat.Core.Posts;
using FedChat.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace FedChat.Core;

/// <summary>Registers FedChat's engine with a host's dependency injection container.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the database (SQLite in <paramref name="dataDirectory"/>), the event feed and the
    /// account and post services. Options come from the caller's <c>FedChat</c> configuration.
    /// </summary>
    public static IServiceCollection AddFedChatCore(this IServiceCollection services, string dataDirectory)
    {
        var connectionString = Database.ConnectionStringFor(dataDirectory);
        // Pooled: the inbox and its worker open a context for every batch; a pooled one skips setting up
        // EF Core's services each time (issue #16: 8% of the server's CPU under load).
        services.AddPooledDbContextFactory<FedChatDbContext>(options => Database.Configure(options, connectionString));
        // TryAdd: a test (or a host) may bring its own clock.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<InstanceInfo>();
        services.AddSingleton<ActorUrls>();
        services.AddSingleton<KeyStore>();
        services.AddSingleton<EventFeed>();
        services.AddSingleton<FederationActivityLog>();
        services.AddSingleton<FollowLinkReader>();
        services.AddSingleton<ServerSettings>();
        services.AddSingleton<InviteService>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<ApiTokenService>();
        services.AddSingleton<MentionResolver>();
        services.AddSingleton<PostService>();
        services.AddSingleton<ReactionService>();
        services.AddSingleton<SignedHttpClient>();
        services.AddSingleton<RemoteKeys>();
        services.AddSingleton<ReplayGuard>();
        services.AddSingleton<InboxProcessor>();
        services.AddSingleton<InboxQueue>();
        services.AddSingleton<InboxWorker>();
        services.AddSingleton<ActivityHandlers>();
        services.AddSingleton<ReactionHandlers>();
        services.AddSingleton<AccountHandlers>();
        services.AddSingleton<RemoteActors>();
        services.AddSingleton<FollowService>();
        services.AddSingleton<OutboxPublisher>();
        services.AddSingleton<RelayService>();
        services.AddSingleton<PeerDirectory>();
        services.AddSingleton<PeerActivity>();
        services.AddSingleton<DiscoveryStatus>();
        services.AddSingleton<TimelineService>();
        services.AddSingleton<ReplyNotices>();
        services.AddFedChatDelivery();
        services.AddSingleton<WebFingerClient>();
        services.AddSingleton<ForgeLab>();
        services.AddFedChatPortability();
        return services;
    }
}
