using FedChat.Core.Discovery;
using FedChat.Core.Events;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation.Delivery;

/// <summary>
/// Sends what is in the delivery queue. One loop, run by a hosted service for as long as the server
/// runs: start every due delivery there is room for, then sleep until the next one is due or the queue
/// rings (something was enqueued, or a send finished and freed a slot).
/// </summary>
/// <remarks>
/// <para>
/// At-least-once: a delivery is marked delivered only after the receiver's 2xx. If the server dies
/// between the receiver's 2xx and our write, the activity is sent again after restart, and the receiver
/// drops the copy by its activity id.
/// </para>
/// <para>
/// Room: at most <see cref="DeliveryOptions.MaxConcurrent"/> requests at once, and at most
/// <see cref="DeliveryOptions.MaxConcurrentPerDestination"/> to one <c>host:port</c>. A dead server can
/// hold only its own slots, so deliveries to everyone else go on.
/// </para>
/// <para>
/// Leases: before sending, the worker writes <see cref="OutgoingDelivery.LeasedUntil"/> in the same
/// statement that checks nobody else holds it, so two loops never send one delivery at once. Stopping
/// the worker is treated exactly like a crash: deliveries in flight keep their lease and are tried again
/// once it expires (<see cref="DeliveryOptions.LeaseDuration"/>), which keeps one code path, the one
/// that must work anyway.
/// </para>
/// </remarks>
public sealed class DeliveryWorker(
    IDbContextFactory<FedChatDbContext> dbFactory,
    DeliveryQueue queue,
    IDeliverySender sender,
    DeliveryBackoff backoff,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryWorker> logger,
    EventFeed? events = null)
{
    // How many due deliveries one query looks at; more are picked up on the next round.
    private const int PageSize = 50;

    // Even with nothing due, look at the queue this often, in case rows arrived some other way.
    private static readonly TimeSpan MaxIdle = TimeSpan.FromMinutes(1);

    // After an unexpected error (the database locked for too long, the disk full), wait this long before the next pass.
    private static readonly TimeSpan PauseAfterError = TimeSpan.FromSeconds(5);

    private readonly DeliveryOptions _options = options.Value;
    private readonly DeliverySlots _slots = new(options.Value.MaxConcurrent, options.Value.MaxConcurrentPerDestination);
    private readonly Lock _gate = new();
    private readonly List<Task> _sends = [];

    /// <summary>Runs the delivery loop until <paramref name="stoppingToken"/> is cancelled.</summary>
    /// <param name="stoppingToken">Cancelled when the server stops.</param>
    /// <returns>A task that ends once the loop and every send it started have stopped.</returns>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        logger.LogDebug("Delivery worker started"); // Debug: the "is running" banner must be the first line a student sees
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                TimeSpan wait;
                try
                {
                    await StartDueDeliveriesAsync(stoppingToken);
                    wait = await TimeUntilNextDueAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "The delivery worker hit an error; trying again in {Delay}", PauseAfterError);
                    wait = PauseAfterError;
                }
                await queue.WaitForWorkAsync(wait, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping. Nothing to tidy up: see "Leases" above.
        }
        finally
        {
            Task[] sends;
            lock (_gate)
            {
                sends = [.. _sends];
            }
            // Each send sees the same token and ends promptly.
            await Task.WhenAll(sends);
            logger.LogDebug("Delivery worker stopped");
        }
    }

    /// <summary>Claims and starts due deliveries until the slots are full or nothing more is due.</summary>
    private async Task StartDueDeliveriesAsync(CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            _sends.RemoveAll(send => send.IsCompleted);
        }

        // Each round fills at least one destination or reads the last page of due work, so the number of
        // rounds is bounded by the number of slots.
        for (var round = 0; round <= _options.MaxConcurrent; round++)
        {
            if (_slots.Free == 0)
            {
                return;
            }
            // Leave out destinations whose slots are full: otherwise a dead server with a thousand due
            // deliveries would fill every page, and healthy servers further down would wait behind it.
            var full = _slots.FullDestinations();
            var now = time.GetUtcNow();
            await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
            var due = await db.Deliveries.AsNoTracking()
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now
                    && (d.LeasedUntil == null || d.LeasedUntil <= now)
                    && !full.Contains(d.Destination))
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id)
                .Select(d => new { d.Id, d.Destination })
                .Take(PageSize)
                .ToListAsync(stoppingToken);

            foreach (var candidate in due)
            {
                if (_slots.Free == 0)
                {
                    return;
                }
                if (!_slots.TryTake(candidate.Destination))
                {
                    continue; // this destination filled up during this round
                }
                OutgoingDelivery? delivery;
                try
                {
                    delivery = await TryClaimAsync(db, candidate.Id, now, stoppingToken);
                }
                catch
                {
                    _slots.Release(candidate.Destination); // a failed claim must not keep the slot forever
                    throw;
                }
                if (delivery is null)
                {
                    _slots.Release(candidate.Destination); // another loop claimed it a moment ago
                    continue;
                }
                var send = SendAndRecordAsync(delivery, stoppingToken);
                lock (_gate)
                {
                    _sends.Add(send);
                }
            }

            if (due.Count < PageSize)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Takes the lease on one delivery and counts the try. The WHERE clause repeats the "nobody holds
    /// it" check, so if another loop claimed it a moment ago, this updates nothing and we skip it.
    /// </summary>
    private async Task<OutgoingDelivery?> TryClaimAsync(FedChatDbContext db, long id, DateTimeOffset now, CancellationToken stoppingToken)
    {
        DateTimeOffset? leasedUntil = now + _options.LeaseDuration;
        await using var turn = await queue.TakeWriteTurnAsync(stoppingToken);
        var claimed = await db.Deliveries
            .Where(d => d.Id == id && d.Status == DeliveryStatus.Pending && (d.LeasedUntil == null || d.LeasedUntil <= now))
            .ExecuteUpdateAsync(set => set
                .SetProperty(d => d.LeasedUntil, leasedUntil)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1), stoppingToken);
        return claimed == 0 ? null : await db.Deliveries.AsNoTracking().SingleAsync(d => d.Id == id, stoppingToken);
    }

    /// <summary>One try: send, write down the result, free the slot. Never throws.</summary>
    private async Task SendAndRecordAsync(OutgoingDelivery delivery, CancellationToken stoppingToken)
    {
        // Leave the loop's thread at once: signing and connecting happen in the background.
        await Task.Yield();
        try
        {
            DeliveryResult result;
            try
            {
                result = await sender.SendAsync(delivery, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // stopping: the lease stays and the delivery is retried after restart
            }
            catch (Exception ex)
            {
                // Senders report failures as results; one that throws anyway (a missing signing key, a
                // bug) must not lose the activity, so treat it as worth retrying.
                result = DeliveryResult.RetryableFailure($"{ex.GetType().Name}: {ex.Message}");
            }
            // Not cancellable: if the receiver said 2xx, writing that down is what prevents a resend.
            await RecordAsync(delivery, result, CancellationToken.None);
            // Tell open pages, so the map can send a pulse from us to the receiver.
            events?.Publish(new DeliveryAttempted(time.GetUtcNow(), delivery.ActivityId, PeerDirectory.KeyOf(new Uri(delivery.InboxUrl)),
                result.Outcome == DeliveryOutcome.Delivered, result.Reason, Relayed: delivery.RelayPath is not null && delivery.SignerUserId is null,
                Refused: result.Outcome == DeliveryOutcome.PermanentFailure));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not record how delivering {ActivityId} to {Inbox} went; it is tried again when its lease expires",
                delivery.ActivityId, delivery.InboxUrl);
        }
        finally
        {
            _slots.Release(delivery.Destination);
            queue.WakeWorker(); // a slot is free: look for more work
        }
    }

    private async Task RecordAsync(OutgoingDelivery delivery, DeliveryResult result, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Deliveries.SingleAsync(d => d.Id == delivery.Id, cancellationToken);
        var now = time.GetUtcNow();
        row.LeasedUntil = null;
        row.LastError = result.Reason;
        switch (result.Outcome)
        {
            case DeliveryOutcome.Delivered:
                row.Status = DeliveryStatus.Delivered;
                row.DeliveredAt = now;
                logger.LogInformation("Delivered {ActivityId} to {Inbox} (attempt {N})", row.ActivityId, row.InboxUrl, row.Attempts);
                break;
            case DeliveryOutcome.RetryableFailure when now < row.GiveUpAt:
                // The receiver's Retry-After wins over our own guess; either way never past the horizon,
                // so the last try happens right at it.
                var delay = result.RetryAfter ?? backoff.NextDelay(row.Attempts);
                row.NextAttemptAt = now + delay < row.GiveUpAt ? now + delay : row.GiveUpAt;
                logger.LogInformation("Delivery of {ActivityId} to {Inbox} failed (attempt {N}): {Reason}; next try in {Delay}",
                    row.ActivityId, row.InboxUrl, row.Attempts, result.Reason, row.NextAttemptAt - now);
                break;
            default:
                // A permanent failure, or a retryable one past the horizon.
                row.Status = DeliveryStatus.GaveUp;
                logger.LogWarning("Gave up delivering {ActivityId} to {Inbox} after {N} attempt(s): {Reason}",
                    row.ActivityId, row.InboxUrl, row.Attempts, result.Reason);
                break;
        }
        await using var turn = await queue.TakeWriteTurnAsync(cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// How long until a delivery we could start comes due: the earliest retry time or lease expiry
    /// among destinations with free slots. With no free slot at all, a finishing send wakes us.
    /// </summary>
    private async Task<TimeSpan> TimeUntilNextDueAsync(CancellationToken stoppingToken)
    {
        if (_slots.Free == 0)
        {
            return MaxIdle;
        }
        var full = _slots.FullDestinations();
        await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
        var pending = db.Deliveries.Where(d => d.Status == DeliveryStatus.Pending && !full.Contains(d.Destination));
        var nextRetry = await pending.Where(d => d.LeasedUntil == null)
            .OrderBy(d => d.NextAttemptAt).Select(d => (DateTimeOffset?)d.NextAttemptAt).FirstOrDefaultAsync(stoppingToken);
        var nextLeaseExpiry = await pending.Where(d => d.LeasedUntil != null)
            .OrderBy(d => d.LeasedUntil).Select(d => d.LeasedUntil).FirstOrDefaultAsync(stoppingToken);

        var next = (nextRetry, nextLeaseExpiry) switch
        {
            (null, null) => (DateTimeOffset?)null,
            ({ } retry, null) => retry,
            (null, { } lease) => lease,
            ({ } retry, { } lease) => retry < lease ? retry : lease,
        };
        var wait = next is { } due ? due - time.GetUtcNow() : MaxIdle;
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxIdle ? MaxIdle : wait;
    }
}
