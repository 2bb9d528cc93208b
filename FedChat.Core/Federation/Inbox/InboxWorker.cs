using System.Text.Json;
using System.Text.Json.Nodes;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation.Inbox;

/// <summary>
/// Acts on what the inbox accepted: reads the inbox queue in arrival order, hands each activity to
/// <see cref="ActivityHandlers"/> (posts, follows, reactions, relays, events for open pages), then deletes
/// the rows. One loop, run by a hosted service for as long as the server runs.
/// </summary>
/// <remarks>
/// At-least-once: rows are deleted after they are handled. A crash between handling and deleting
/// handles those again at the next start; the handlers expect that (a post already stored is not
/// stored twice, a repeated Follow is answered again).
/// </remarks>
public sealed class InboxWorker(
    IDbContextFactory<FedChatDbContext> dbFactory,
    InboxQueue queue,
    ActivityHandlers handlers,
    IOptions<FederationOptions> options,
    ILogger<InboxWorker> logger)
{
    // How many rows one query reads; the rest wait for the next page.
    private const int PageSize = 100;

    // Even with no doorbell, look at the queue this often.
    private static readonly TimeSpan MaxIdle = TimeSpan.FromSeconds(30);

    // After a page that was not full, let a few more activities arrive before the next look: each page
    // costs a read, a transaction and a delete however few rows it has, and under a steady stream a
    // worker that looked again at once handled many small pages (issue #16). A post that arrives on
    // its own is still handled at once: the doorbell wakes the worker.
    private static readonly TimeSpan GatherTime = TimeSpan.FromMilliseconds(10);

    // After an unexpected error (the database locked for too long, the disk full), wait this long.
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromSeconds(5);

    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>Runs the loop until <paramref name="stoppingToken"/> is cancelled.</summary>
    /// <param name="stoppingToken">Cancelled when the server stops.</param>
    /// <returns>A task that ends when the loop has stopped.</returns>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (options.Value.InboxHandlingPaused)
        {
            logger.LogWarning("Inbox handling is paused (FedChat:Federation:InboxHandlingPaused): activities are verified and stored, and handled once it is off");
            return;
        }
        logger.LogDebug("Inbox worker started");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                int handled;
                try
                {
                    handled = await HandleNextPageAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "The inbox worker hit an error; trying again in {Delay}", PauseAfterError);
                    await Task.Delay(PauseAfterError, stoppingToken);
                    continue;
                }
                if (handled == 0)
                {
                    await queue.WaitForWorkAsync(MaxIdle, stoppingToken);
                }
                else if (handled < PageSize)
                {
                    await Task.Delay(GatherTime, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: rows not yet handled stay in the queue for the next start.
        }
        logger.LogDebug("Inbox worker stopped");
    }

    /// <summary>Handles the oldest page of queued activities and deletes their rows; returns how many there were.</summary>
    private async Task<int> HandleNextPageAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var page = await db.InboxQueue.AsNoTracking().OrderBy(i => i.Id).Take(PageSize).ToListAsync(cancellationToken);
        var done = new List<long>(page.Count);
        // Creates (new posts, by far the most common) that follow each other are stored together, in one
        // transaction; anything else is handled on its own, in arrival order.
        var creates = new List<(InboxItem Row, IncomingCreate Create)>();
        try
        {
            foreach (var item in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var activity = queue.TakeParsed(item.Id) ?? Parse(item.Json);
                var relayed = item.RelayPath is null ? null : new RelayHeaders(item.RelayPath, item.RelayCovered ?? "");
                if (activity is not null && item.Type == "Create")
                {
                    creates.Add((item, new IncomingCreate(activity, item.ActorId, relayed)));
                    continue;
                }
                await HandleCreatesAsync(creates, done, cancellationToken);
                if (activity is null)
                {
                    logger.LogWarning("Queued activity {ActivityId} cannot be read any more: dropped", item.ActivityId);
                }
                else
                {
                    await HandleOneAsync(activity, item.Type, item.ActorId, item.ActivityId, relayed, cancellationToken);
                }
                done.Add(item.Id);
            }
            await HandleCreatesAsync(creates, done, cancellationToken);
        }
        finally
        {
            // Delete what was handled even when stopping half-way through a page.
            if (done.Count > 0)
            {
                await db.InboxQueue.Where(i => done.Contains(i.Id)).ExecuteDeleteAsync(CancellationToken.None);
            }
        }
        return page.Count;
    }

    /// <summary>Handles the Creates collected so far together; if that fails, one at a time, so one bad post cannot hold up the rest.</summary>
    private async Task HandleCreatesAsync(List<(InboxItem Row, IncomingCreate Create)> creates, List<long> done, CancellationToken cancellationToken)
    {
        if (creates.Count == 1)
        {
            var (row, create) = creates[0];
            await HandleOneAsync(create.Activity, row.Type, row.ActorId, row.ActivityId, create.Relayed, cancellationToken);
        }
        else if (creates.Count > 1)
        {
            try
            {
                await handlers.ReceiveCreatesAsync(creates.Select(c => c.Create).ToList(), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Storing {Count} posts together failed; handling them one at a time", creates.Count);
                foreach (var (row, create) in creates)
                {
                    await HandleOneAsync(create.Activity, row.Type, row.ActorId, row.ActivityId, create.Relayed, cancellationToken);
                }
            }
        }
        done.AddRange(creates.Select(c => c.Row.Id));
        creates.Clear();
    }

    private async Task HandleOneAsync(JsonObject activity, string type, string actorId, string id, RelayHeaders? relayed, CancellationToken cancellationToken)
    {
        try
        {
            await handlers.HandleAsync(activity, type, actorId, relayed, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failure here is ours, not the sender's: the activity was stored and acknowledged.
            logger.LogError(ex, "Handling {Type} {ActivityId} from {Actor} failed", type, id, actorId);
        }
    }

    private static JsonObject? Parse(string json)
    {
        try
        {
            return JsonNode.Parse(json, documentOptions: StrictJson) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
