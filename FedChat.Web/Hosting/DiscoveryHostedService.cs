using FedChat.Core.Discovery;
using FedChat.Core.Identity;
using Microsoft.Extensions.Options;

namespace FedChat.Web.Hosting;

/// <summary>
/// Runs discovery for the life of the server: mDNS announce and browse (<see cref="MdnsService"/>)
/// and the HTTP checks of static peers and the rendezvous server (<see cref="PeerExchange"/>).
/// Starts once Kestrel has bound and <see cref="InstanceInfo"/> knows our URL; on shutdown the
/// mDNS service says goodbye.
/// </summary>
public sealed class DiscoveryHostedService(
    IOptions<MdnsOptions> options,
    InstanceInfo instance,
    PeerDirectory directory,
    LocalUserCounter countUsers,
    IHttpClientFactory httpClients,
    DiscoveryStatus status,
    ILoggerFactory loggers,
    TimeProvider time) : BackgroundService
{
    /// <summary>The name of the <see cref="HttpClient"/> used for peer checks.</summary>
    public const string HttpClientName = "FedChat.Discovery";

    private readonly ILogger _logger = loggers.CreateLogger<DiscoveryHostedService>();

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Only after Kestrel has bound do we know the port to announce.
            await instance.Ready.WaitAsync(stoppingToken);
            var settings = options.Value;
            if (System.Net.IPAddress.TryParse(instance.BaseUrl.Host, out var host) && System.Net.IPAddress.IsLoopback(host))
            {
                _logger.LogWarning("This server's URL {Url} only works on this machine; other laptops will see it but cannot open it. Listen on 0.0.0.0 to share it.", instance.BaseUrl);
            }

            // Static peers, the rendezvous and NodeInfo refreshes work over plain HTTP, so they run
            // even when mDNS is switched off (the usual case on Wi-Fi that blocks multicast).
            var http = httpClients.CreateClient(HttpClientName);
            var exchange = new PeerExchange(http, directory, instance, settings, countUsers, loggers.CreateLogger<PeerExchange>(), time,
                new NodeInfoClient(http, loggers.CreateLogger<NodeInfoClient>(), time));
            status.Enabled = settings.Enabled;
            if (!settings.Enabled)
            {
                _logger.LogInformation("mDNS discovery is switched off (FedChat:Discovery:Enabled=false); using static peers and the rendezvous only.");
                await exchange.RunAsync(stoppingToken);
                return;
            }

            var mdns = new MdnsService(settings, instance.Name, instance.BaseUrl, await BuildTxtAsync(stoppingToken), directory, loggers.CreateLogger<MdnsService>(), time, status);
            var running = Task.WhenAll(mdns.RunAsync(stoppingToken), exchange.RunAsync(stoppingToken));

            // The user count changes as people register; re-announce when the TXT record changes (RFC 6762 §8.4).
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(settings.CheckInterval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (!stoppingToken.IsCancellationRequested)
                {
                    mdns.UpdateTxt(await BuildTxtAsync(stoppingToken));
                }
            }

            await running;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex)
        {
            // Discovery is a convenience: the server keeps serving without it.
            _logger.LogError(ex, "Discovery stopped with an error; this server is no longer announced on the network.");
        }
    }

    private async Task<IReadOnlyDictionary<string, string?>> BuildTxtAsync(CancellationToken cancellationToken)
    {
        var users = 0;
        try
        {
            users = await countUsers(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogDebug("Could not count users for the TXT record: {Error}", ex.Message);
        }

        return LocalService.BuildTxt(instance.Name, instance.BaseUrl, users, version: instance.Version);
    }
}
