using FedChat.Core;
using FedChat.Core.Identity;
using FedChat.Core.Storage;
using FedChat.Web.Accounts;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FedChat.Tests.Support;

/// <summary>
/// FedChat.Core on its own, without the web app: the real services over a real SQLite file in a
/// temporary folder, with a <see cref="ManualTimeProvider"/> as the clock.
/// </summary>
public sealed class CoreRig : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private CoreRig(ServiceProvider services, string dataDirectory, ManualTimeProvider clock)
    {
        _services = services;
        DataDirectory = dataDirectory;
        Clock = clock;
    }

    /// <summary>Gets the folder holding the SQLite file.</summary>
    public string DataDirectory { get; }

    /// <summary>Gets the clock every service reads.</summary>
    public ManualTimeProvider Clock { get; }

    /// <summary>Creates the services and the database; <paramref name="database"/> can add to EF Core's options (an interceptor that watches the SQL).</summary>
    public static async Task<CoreRig> CreateAsync(Action<FedChatOptions>? configure = null, Action<DbContextOptionsBuilder>? database = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fedchat-tests", "core-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var clock = new ManualTimeProvider();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddOptions<FedChatOptions>().Configure(options => configure?.Invoke(options));
        services.AddSingleton<TimeProvider>(clock);
        services.AddFedChatCore(dataDirectory);
        if (database is not null)
        {
            services.ConfigureDbContext<FedChatDbContext>(database);
        }
        // The web app's real key protector, over a key ring that lives only in memory for this test.
        services.AddSingleton<IKeyProtector>(new DataProtectionKeyProtector(new EphemeralDataProtectionProvider()));
        var provider = services.BuildServiceProvider();
        await using (var db = await provider.GetRequiredService<IDbContextFactory<FedChatDbContext>>().CreateDbContextAsync())
        {
            await Database.MigrateAsync(db);
        }
        return new CoreRig(provider, dataDirectory, clock);
    }

    /// <summary>Gets a Core service, e.g. <c>Get&lt;AccountService&gt;()</c>.</summary>
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Opens the database directly, to check what was (or was not) stored.</summary>
    public FedChatDbContext OpenDatabase() => _services.GetRequiredService<IDbContextFactory<FedChatDbContext>>().CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
