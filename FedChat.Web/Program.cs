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
        });
        builder.AddFedChat();
        var app = builder.Build();
        await app.PrepareDatabaseAsync();
        app.UseFedChat();
        return app;
    }
}
