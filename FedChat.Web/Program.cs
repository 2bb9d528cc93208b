using FedChat.Web.Hosting;

// A FedChat server: protocol endpoints plus the Blazor UI. The wiring lives in Hosting/.
var app = await Program.BuildAppAsync(args);
// Start-up leaves garbage and a grown heap behind (EF Core's migrations, the first queries). Two seconds
// after the server is up, one full compacting collection gives that memory back to the OS: about 6 MiB
// less RSS for an idle server (issue #16, README "Start-up and idle memory"). Only here, in the server's
// own process: the tests start many servers in one process and need no such pause.
app.Lifetime.ApplicationStarted.Register(() => _ = Task.Delay(TimeSpan.FromSeconds(2), app.Lifetime.ApplicationStopping)
    .ContinueWith(delay => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true),
        TaskContinuationOptions.OnlyOnRanToCompletion));
await app.RunAsync();

/// <summary>The entry point, also used by the tests to start real servers in-process.</summary>
public partial class Program
{
    /// <summary>Builds a ready-to-run server from command-line arguments, database prepared.</summary>
    public static async Task<WebApplication> BuildAppAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Tests start this app from their own folder; the name finds our static web assets there.
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            // wwwroot and appsettings.json sit next to FedChat.Web.dll, wherever it is started from.
            ContentRootPath = ContentRoot.Resolve(args),
        });
        // Started from the build output (bin/), wwwroot and the package assets are found through the build's
        // manifest in any environment, not only Development; a publish folder has them all in wwwroot.
        builder.WebHost.UseStaticWebAssets();
        builder.AddFedChat();
        var app = builder.Build();
        await app.PrepareDatabaseAsync();
        app.UseFedChat();
        return app;
    }
}
