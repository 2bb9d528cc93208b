using System.Security.Cryptography;
using System.Text;
using FedChat.Core;
using FedChat.Core.Dashboard;
using FedChat.Core.Discovery;
using FedChat.Core.Federation;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Web.Accounts;
using FedChat.Web.Components;
using FedChat.Web.Dashboard;
using FedChat.Web.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace FedChat.Web.Hosting;

/// <summary>The wiring of a FedChat server, so that Program.cs stays a few lines long.</summary>
public static class FedChatHostingExtensions
{
    /// <summary>Registers everything a FedChat server needs.</summary>
    public static WebApplicationBuilder AddFedChat(this WebApplicationBuilder builder)
    {
        builder.AddLoggingDefaults();
        var services = builder.Services;
        var dataDirectory = DataDirectory.Resolve(builder.Configuration);
        Directory.CreateDirectory(dataDirectory);

        services.AddOptions<FedChatOptions>().Bind(builder.Configuration.GetSection(FedChatOptions.SectionName));
        services.AddFedChatCore(dataDirectory);
        services.AddSignInLimits(builder.Configuration);
        services.AddSingleton<AccountManager>();
        services.AddSingleton<IKeyProtector, DataProtectionKeyProtector>();
        services.AddRouting(options => options.SetParameterPolicy<ActivityPubAcceptConstraint>(ActivityPubAcceptConstraint.Name));
        services.AddFedChatDiscovery(builder.Configuration);
        services.AddFedChatFederation(builder.Configuration);
        services.AddSingleton<MapLayout>();
        services.AddSingleton<DashboardReader>();

        // Several servers often run on one laptop (localhost:5080, :5081, ...). Browsers share cookies
        // across ports, so every cookie name carries a tag of this server's data directory.
        var instanceTag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..8];
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys")))
            .SetApplicationName("FedChat-" + instanceTag);
        services.AddAntiforgery(options => options.Cookie.Name = "fedchat-antiforgery-" + instanceTag);
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "fedchat-auth-" + instanceTag;
                options.LoginPath = "/login";
                options.AccessDeniedPath = "/login";
                options.ExpireTimeSpan = TimeSpan.FromDays(14);
                options.SlidingExpiration = true;
            })
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddCascadingAuthenticationState();

        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(); // dialogs, snackbars, popovers of the MudBlazor UI

        // ASP.NET Core reads (on a new server: writes) the Data Protection key ring at start, which
        // loads the XML libraries (~4 MiB of RSS) even if nobody opens a page. It is read on first use
        // instead, by the first cookie or antiforgery token (issue #16). Removed last: every Add* above
        // that needs Data Protection registers this start-up service again.
        foreach (var keyRingAtStart in services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList())
        {
            services.Remove(keyRingAtStart);
        }
        return builder;
    }

    /// <summary>Creates or upgrades the database before the server takes requests.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var dbFactory = app.Services.GetRequiredService<IDbContextFactory<FedChatDbContext>>();
        await using var db = await dbFactory.CreateDbContextAsync();
        await Database.MigrateAsync(db);
        // Accounts made before Ed25519 keys existed get theirs now, keeping their other keys.
        await app.Services.GetRequiredService<KeyStore>().AddMissingEd25519KeysAsync();
    }

    /// <summary>Sets up the request pipeline and maps pages and endpoints.</summary>
    public static WebApplication UseFedChat(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error", createScopeForErrors: true);
        }
        // API and inbox errors without a body (a 404, a 413 for an oversized body) still get problem details.
        app.UseWhen(IsMachineRequest, machine => machine.UseStatusCodePages());
        // Created now, not on first use, so the log has recorded everything by the time someone opens the map.
        app.Services.GetRequiredService<FederationActivityLog>();
        app.Services.GetRequiredService<Core.Discovery.PeerActivity>();
        app.UseRateLimiter(); // password attempts on /login and /api/token, see SignInLimits
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapOpenApi();
        app.MapHealthChecks("/healthz");
        app.MapApiEndpoints();
        app.MapSocialApiEndpoints();
        app.MapWebFingerEndpoints();
        app.MapNodeInfoEndpoints();
        app.MapActorEndpoints();
        app.MapInboxEndpoints(app.Services.GetRequiredService<IOptions<FederationOptions>>().Value.MaxBodyBytes);
        app.MapAccountEndpoints();
        app.MapAccountDataEndpoints();
        app.MapPeerEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        app.Lifetime.ApplicationStarted.Register(() => AnnounceAddresses(app));
        return app;
    }

    /// <summary>Requests from scripts and servers (the JSON API, inboxes), as opposed to browsers.</summary>
    private static bool IsMachineRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api")
        || context.Request.Path.StartsWithSegments("/inbox")
        || (context.Request.Path.Value?.EndsWith("/inbox", StringComparison.Ordinal) ?? false);

    /// <summary>
    /// Once Kestrel has bound its ports: decide this server's public URL and print where to open it,
    /// and where its data lives, so the first lines of the log answer "what now?".
    /// </summary>
    private static void AnnounceAddresses(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<FedChatOptions>>().Value;
        var instance = app.Services.GetRequiredService<InstanceInfo>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("FedChat");
        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        var lan = PublicAddress.FindLanAddresses();

        instance.Name = string.IsNullOrWhiteSpace(options.InstanceName) ? Environment.MachineName : options.InstanceName.Trim();
        instance.BaseUrl = !string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? new Uri(options.PublicBaseUrl)
            : PublicAddress.ToPublicUrl(bound.FirstOrDefault() ?? "http://localhost:5080", lan);
        if (!string.IsNullOrWhiteSpace(options.Version))
        {
            instance.Version = options.Version.Trim();
        }

        logger.LogInformation("FedChat server \"{Name}\" is running.", instance.Name);
        if (instance.Version != LocalService.SoftwareVersion)
        {
            logger.LogInformation("It says it runs FedChat {Version} (the FedChat:Version setting; built as {Built}).", instance.Version, LocalService.SoftwareVersion);
        }
        foreach (var address in bound)
        {
            var local = address.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost");
            logger.LogInformation("Open {Url} in a browser on this laptop.", local);
        }
        logger.LogInformation("Others on the same network open {PublicUrl} (handles look like @name@{Authority}).", instance.BaseUrl, instance.Authority);
        logger.LogInformation("Data directory: {DataDirectory} (database {File})",
            DataDirectory.Resolve(app.Configuration), Database.FileName);
        logger.LogInformation("Stop the server with Ctrl+C.");
        instance.MarkReady(); // discovery may announce us now (after the banner, so its lines come after it too)
    }
}
