using FedChat.Web.Hosting;

// A FedChat server: protocol endpoints plus the Blazor UI. The wiring lives in Hosting/.
var app = await Program.BuildAppAsync(args);
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
