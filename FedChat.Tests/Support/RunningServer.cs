using System.Net;
using System.Net.Sockets;
using FedChat.Core.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace FedChat.Tests.Support;

/// <summary>
/// A real FedChat server for tests: the web app started in this process on Kestrel, on a free
/// loopback port, with its own SQLite file in a fresh temporary data directory.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private WebApplication _app;
    private readonly bool _ownsDataDirectory;

    private RunningServer(WebApplication app, string name, int port, string dataDirectory, bool ownsDataDirectory)
    {
        _app = app;
        Name = name;
        Port = port;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    /// <summary>Gets the instance name, e.g. "server-a".</summary>
    public string Name { get; }

    /// <summary>Gets the loopback port the server listens on (kept across restarts).</summary>
    public int Port { get; }

    /// <summary>Gets the folder with this server's database and key ring.</summary>
    public string DataDirectory { get; }

    /// <summary>Gets the base URL, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>Gets the running app's services (for arranging data through Core).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server named <paramref name="name"/> on a free port with an empty data directory.</summary>
    public static async Task<RunningServer> StartAsync(string name = "server-a", params string[] extraArgs)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fedchat-tests", $"{name}-{Guid.NewGuid():N}");
        // Port 0: the OS picks a free port while binding, so parallel tests can never race for one.
        var app = await BuildAndStartAsync(name, 0, dataDirectory, extraArgs);
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        var port = new Uri(bound).Port;
        return new RunningServer(app, name, port, dataDirectory, ownsDataDirectory: true);
    }

    /// <summary>Stops the server and starts it again on the same port and data, as after a crash or update.</summary>
    public async Task RestartAsync(TimeSpan? downtime = null)
    {
        await StopAsync();
        if (downtime is { } wait)
        {
            await Task.Delay(wait);
        }
        _app = await BuildAndStartAsync(Name, Port, DataDirectory, []);
    }

    /// <summary>Stops the server (open browser pages lose their connection).</summary>
    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }

    /// <summary>Starts a server on an explicit port (after <see cref="StopAsync"/>).</summary>
    public async Task StartAgainAsync() => _app = await BuildAndStartAsync(Name, Port, DataDirectory, []);

    /// <summary>Makes an HTTP client pointed at this server.</summary>
    public HttpClient CreateClient(bool allowRedirects = true) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = allowRedirects, UseCookies = true }) { BaseAddress = BaseUrl };

    /// <summary>Gets a service of the running app, e.g. <c>Get&lt;PostService&gt;()</c>.</summary>
    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// Waits until the inbox worker has acted on everything this server accepted (its inbox queue is
    /// empty): the inbox answers 202 before posts, follows and reactions are made.
    /// </summary>
    public Task InboxHandledAsync() => Eventually.WaitForAsync(async () =>
    {
        await using var db = await Get<Microsoft.EntityFrameworkCore.IDbContextFactory<Core.Storage.FedChatDbContext>>().CreateDbContextAsync();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.InboxQueue);
    }, queued => queued == 0, $"{Name}'s inbox queue to be handled");

    /// <summary>Registers a user on this server (password "correct horse") and returns the account.</summary>
    public async Task<Core.Storage.Entities.UserAccount> RegisterAsync(string username)
    {
        var result = await Get<Web.Accounts.AccountManager>().RegisterAsync(username, "correct horse", null);
        return result.User ?? throw new InvalidOperationException($"Could not register {username}: {result.Error}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped by the test.
        }
        if (_ownsDataDirectory)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still open on a slow shutdown; the OS temp cleaner gets it.
            }
        }
    }

    private static async Task<WebApplication> BuildAndStartAsync(string name, int port, string dataDirectory, string[] extraArgs)
    {
        string[] args =
        [
            "--urls", $"http://127.0.0.1:{port}",
            $"--FedChat:DataDirectory={dataDirectory}",
            $"--FedChat:InstanceName={name}",
            // Development serves static files (the Blazor script) straight from the build output.
            "--environment", "Development",
            "--Logging:LogLevel:Default=Warning",
            "--HostOptions:ShutdownTimeout=00:00:02",
            // Retry failed deliveries within a second or two, not the production 10 s and up: on a busy
            // test machine a first attempt can fail, and a test should then wait seconds, not minutes.
            "--FedChat:Delivery:BaseDelay=00:00:00.200",
            "--FedChat:Delivery:MaxDelay=00:00:02",
            // No mDNS on the test machine's real network; discovery tests switch it on inside namespaces.
            "--FedChat:Discovery:Enabled=false",
            .. extraArgs,
        ];
        var app = await Program.BuildAppAsync(args);
        await app.StartAsync();
        var instance = app.Services.GetRequiredService<InstanceInfo>();
        if (port != 0 && instance.BaseUrl.Port != port && !extraArgs.Any(a => a.StartsWith("--FedChat:PublicBaseUrl", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"The server announced {instance.BaseUrl}, expected port {port}.");
        }
        return app;
    }

    /// <summary>Asks the OS for a free loopback port.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
