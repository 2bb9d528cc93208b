using System.Diagnostics;
using System.Security.Cryptography;
using FedChat.Core;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using FedChat.Tests.Signing;
using FedChat.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FedChat.Tests.Federation.Delivery;

/// <summary>
/// The sending side of delivery tests: one SQLite file and one <see cref="ManualTimeProvider"/>, and
/// any number of "server processes" over them, each with its own queue, worker and HTTP pool, as a
/// server restarted after a crash would have. Requests are signed with Alice's fixed test key.
/// </summary>
internal sealed class DeliveryRig : IAsyncDisposable
{
    private readonly Action<DeliveryOptions> _configure;
    private readonly Func<IDeliverySender>? _sender;
    private readonly List<SenderProcess> _processes = [];

    private DeliveryRig(string dataDirectory, Action<DeliveryOptions> configure, Func<IDeliverySender>? sender)
    {
        DataDirectory = dataDirectory;
        _configure = configure;
        _sender = sender;
    }

    /// <summary>Gets the clock every process reads; it moves only when a test moves it.</summary>
    public ManualTimeProvider Clock { get; } = new();

    /// <summary>Gets Alice's signing key, whose public half the test inboxes know.</summary>
    public static RSA AliceKey { get; } = CreateAliceKey();

    /// <summary>Gets the folder holding the SQLite file.</summary>
    public string DataDirectory { get; }

    /// <summary>Gets the first process (created with the rig).</summary>
    public SenderProcess Process => _processes[0];

    /// <summary>Gets the first process's queue.</summary>
    public DeliveryQueue Queue => Process.Queue;

    /// <summary>Creates the database and the first process (its worker not started yet).</summary>
    /// <param name="configure">Changes to the delivery options.</param>
    /// <param name="sender">A sender to use instead of <see cref="HttpDeliverySender"/>.</param>
    public static async Task<DeliveryRig> CreateAsync(Action<DeliveryOptions>? configure = null, Func<IDeliverySender>? sender = null)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fedchat-tests", "delivery-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var rig = new DeliveryRig(dataDirectory, configure ?? (_ => { }), sender);
        var first = rig.CreateProcess();
        await using (var db = first.OpenDatabase())
        {
            await Database.MigrateAsync(db);
        }
        return rig;
    }

    /// <summary>Starts another "server process" over the same database and clock.</summary>
    public SenderProcess CreateProcess()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddFedChatCore(DataDirectory);
        services.AddFedChatDelivery();
        services.Configure(_configure);
        services.AddSingleton<SigningKeyProvider>((_, _) => Task.FromResult((TestKeys.AliceKeyId, AliceKey)));
        // A fixed seed, so the jitter is the same on every run.
        services.AddSingleton(provider => new DeliveryBackoff(
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeliveryOptions>>().Value, new Random(42)));
        if (_sender is not null)
        {
            services.AddSingleton(_sender());
        }
        var process = new SenderProcess(services.BuildServiceProvider());
        _processes.Add(process);
        return process;
    }

    /// <summary>Opens the database, to look at the queue's rows.</summary>
    public FedChatDbContext OpenDatabase() => Process.OpenDatabase();

    /// <summary>Reads every delivery row.</summary>
    public async Task<List<OutgoingDelivery>> ReadDeliveriesAsync()
    {
        await using var db = OpenDatabase();
        return await db.Deliveries.AsNoTracking().OrderBy(d => d.Id).ToListAsync();
    }

    /// <summary>Moves the clock and rings the queue's bell in every process, as if that much time had passed.</summary>
    public void AdvanceClock(TimeSpan by)
    {
        Clock.Advance(by);
        foreach (var process in _processes)
        {
            process.Queue.WakeWorker();
        }
    }

    /// <summary>Waits (polling, bounded) until <paramref name="condition"/> holds, or fails the test.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                Assert.Fail($"Waited {timeout.TotalSeconds} s for {what}, in vain.");
            }
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private static RSA CreateAliceKey()
    {
        var key = RSA.Create();
        key.ImportFromPem(TestKeys.AliceRsaPrivatePem);
        return key;
    }
}

/// <summary>One "server process": its own services (queue, worker, HTTP pool) over the shared database.</summary>
internal sealed class SenderProcess(ServiceProvider services) : IAsyncDisposable
{
    private CancellationTokenSource? _stop;
    private Task? _run;

    public DeliveryQueue Queue => services.GetRequiredService<DeliveryQueue>();

    public DeliveryWorker Worker => services.GetRequiredService<DeliveryWorker>();

    public FedChatDbContext OpenDatabase() => services.GetRequiredService<IDbContextFactory<FedChatDbContext>>().CreateDbContext();

    /// <summary>Gets one of this process's services, e.g. its federation log.</summary>
    public T Get<T>() where T : notnull => services.GetRequiredService<T>();

    /// <summary>Starts the worker loop in the background, as the hosted service does.</summary>
    public void StartWorker()
    {
        _stop = new CancellationTokenSource();
        _run = Worker.RunAsync(_stop.Token);
    }

    /// <summary>
    /// Stops the worker at once: requests in flight are abandoned and their leases stay behind, which
    /// is all a SIGKILL leaves in the database too.
    /// </summary>
    public async Task KillWorkerAsync()
    {
        if (_stop is null || _run is null)
        {
            return;
        }
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
        _stop = null;
        _run = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillWorkerAsync();
        await services.DisposeAsync();
    }
}
