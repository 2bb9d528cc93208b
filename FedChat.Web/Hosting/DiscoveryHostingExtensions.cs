using FedChat.Core.Accounts;
using FedChat.Core.Discovery;

namespace FedChat.Web.Hosting;

/// <summary>Registers LAN discovery: the peer directory, and the background service that runs mDNS and the HTTP peer checks.</summary>
public static class DiscoveryHostingExtensions
{
    /// <summary>
    /// Adds the <see cref="PeerDirectory"/> (always, so <c>GET /api/peers</c> answers) and, unless
    /// <c>FedChat:Discovery:Enabled</c> is <see langword="false"/>, the discovery background service.
    /// </summary>
    public static IServiceCollection AddFedChatDiscovery(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(MdnsOptions.SectionName);
        services.AddOptions<MdnsOptions>().Bind(section);
        services.AddSingleton<LocalUserCounter>(provider => provider.GetRequiredService<AccountService>().CountUsersAsync);
        services.AddHttpClient(DiscoveryHostedService.HttpClientName, client =>
        {
            // A peer that hangs or sends megabytes must not stall or flood discovery.
            client.Timeout = TimeSpan.FromSeconds(5);
            client.MaxResponseContentBufferSize = 1024 * 1024;
        });
        services.AddSingleton(provider => new CheckInVerifier(
            new NodeInfoClient(provider.GetRequiredService<IHttpClientFactory>().CreateClient(DiscoveryHostedService.HttpClientName),
                provider.GetRequiredService<ILogger<NodeInfoClient>>(), provider.GetRequiredService<TimeProvider>()),
            provider.GetRequiredService<ILogger<CheckInVerifier>>()));
        services.AddHostedService<DiscoveryHostedService>();
        return services;
    }
}
