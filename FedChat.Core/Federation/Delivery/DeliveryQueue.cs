using System.Threading.Channels;
using FedChat.Core.Storage;
using FedChat.Core.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation.Delivery;

/// <summary>What the UI shows about one delivery of an activity.</summary>
/// <param name="InboxUrl">The inbox it goes to.</param>
/// <param name="Status">Where it stands.</param>
/// <param name="Attempts">How many tries have been started.</param>
/// <param name="LastError">Why the last try failed, or <see langword="null"/>.</param>
/// <param name="NextAttemptAt">When the next try is due (meaningful while pending).</param>
/// <param name="DeliveredAt">When the receiver accepted it, or <see langword="null"/>.</param>
public sealed record DeliveryStatusView(
    string InboxUrl, DeliveryStatus Status, int Attempts, string? LastError, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt);

/// <summary>
/// The outgoing side of federation, as the rest of the app sees it: hand an activity and its inboxes
/// to <see cref="EnqueueAsync"/> and it will be delivered, with retries, by the <see cref="DeliveryWorker"/>.
/// Enqueuing only writes rows to the database, so a slow or dead receiver never makes the caller (a
/// page, the API) wait.
/// </summary>
public sealed class DeliveryQueue(
    IDbContextFactory<FedChatDbContext> dbFactory,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<DeliveryQueue> logger)
{
    // The worker's doorbell. Capacity 1 and "drop when full": ringing ten times while the worker is busy
    // still means one more look at the queue, which is all it needs.
    private readonly Channel<bool> _doorbell =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // SQLite lets one connection write at a time. When a second one tries, Microsoft.Data.Sqlite backs
    // off and tries again after a pause, and sends tend to finish in bunches: we saw 100-330 ms gaps in
    // a burst. So the queue and the worker in this process take turns here instead; each write takes a
    // few milliseconds (a 150-delivery burst went from about 3.5 s to about 1.3 s).
    private readonly SemaphoreSlim _writeTurn = new(1, 1);

    /// <summary>
    /// Picks the inbox to deliver to for one recipient: the server's shared inbox when it offers one
    /// (<c>endpoints.sharedInbox</c>, ActivityPub §7.1.3), so that one request reaches every follower on
    /// that server; otherwise the recipient's own inbox.
    /// </summary>
    /// <param name="inbox">The recipient's own inbox.</param>
    /// <param name="sharedInbox">The server's shared inbox, if its actor document names one.</param>
    /// <returns>The inbox to pass to <see cref="EnqueueAsync"/>.</returns>
    public static Uri ChooseInbox(Uri inbox, Uri? sharedInbox) => sharedInbox ?? inbox;

    /// <summary>Gets the destination key of an inbox, <c>host:port</c>, used for the per-destination limit.</summary>
    /// <param name="inbox">The inbox URL.</param>
    /// <returns>For example <c>127.0.0.1:5080</c>.</returns>
    public static string DestinationOf(Uri inbox)
    {
        ArgumentNullException.ThrowIfNull(inbox);
        return $"{inbox.Host}:{inbox.Port}";
    }

    /// <summary>
    /// Queues an activity for delivery to some inboxes, all in one transaction, and wakes the worker.
    /// Inboxes given twice (followers sharing a shared inbox) get one delivery; an inbox this activity is
    /// already queued for is skipped, so calling this again with the same activity is harmless.
    /// </summary>
    /// <param name="activityId">The activity's <c>id</c>; receivers drop duplicates by it.</param>
    /// <param name="bodyJson">The activity JSON, sent exactly as given.</param>
    /// <param name="signerUserId">The local user who signs, or <see langword="null"/> for the instance actor.</param>
    /// <param name="inboxes">The inboxes (use <see cref="ChooseInbox"/>): absolute http or https URLs.</param>
    /// <param name="cancellationToken">Cancels the database work.</param>
    /// <param name="relay">For relayed public activities: the path so far and the servers already covered (sent as headers).</param>
    /// <returns>How many new deliveries were queued.</returns>
    public async Task<int> EnqueueAsync(string activityId, string bodyJson, int? signerUserId, IEnumerable<Uri> inboxes,
        CancellationToken cancellationToken = default, RelayHeaders? relay = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(activityId);
        ArgumentException.ThrowIfNullOrEmpty(bodyJson);
        ArgumentNullException.ThrowIfNull(inboxes);
        var targets = new Dictionary<string, Uri>(StringComparer.Ordinal);
        foreach (var inbox in inboxes)
        {
            if (!inbox.IsAbsoluteUri || (inbox.Scheme != Uri.UriSchemeHttp && inbox.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"An inbox must be an absolute http(s) URL; '{inbox}' is not.", nameof(inboxes));
            }
            targets.TryAdd(inbox.AbsoluteUri, inbox);
        }

        int added;
        try
        {
            added = await InsertMissingAsync(activityId, bodyJson, signerUserId, targets, relay, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another process queued some of the same inboxes between our read and our insert (a relayed
            // post arriving from two peers at once), and the unique index on (ActivityId, InboxUrl)
            // refused the batch. Read again and insert what is still missing.
            added = await InsertMissingAsync(activityId, bodyJson, signerUserId, targets, relay, cancellationToken);
        }

        if (added > 0)
        {
            logger.LogInformation("Queued {ActivityId} for {Count} inbox(es)", activityId, added);
            WakeWorker();
        }
        return added;
    }

    /// <summary>Counts the deliveries not yet delivered or given up.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The number of pending deliveries.</returns>
    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries.CountAsync(d => d.Status == DeliveryStatus.Pending, cancellationToken);
    }

    /// <summary>Reads where each delivery of one activity stands, one entry per inbox.</summary>
    /// <param name="activityId">The activity's <c>id</c>.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <returns>The deliveries, in the order they were queued; empty when the activity was never queued.</returns>
    public async Task<IReadOnlyList<DeliveryStatusView>> GetStatusAsync(string activityId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Deliveries.AsNoTracking()
            .Where(d => d.ActivityId == activityId)
            .OrderBy(d => d.Id)
            .Select(d => new DeliveryStatusView(d.InboxUrl, d.Status, d.Attempts, d.LastError, d.NextAttemptAt, d.DeliveredAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Tells the worker to look at the queue now rather than at its next timer. Enqueuing does this
    /// already; call it after changing the queue by other means (a "retry now" button, a test moving its clock).
    /// </summary>
    public void WakeWorker() => _doorbell.Writer.TryWrite(true);

    /// <summary>Waits until <see cref="WakeWorker"/> is called or <paramref name="timeout"/> has passed.</summary>
    internal async Task WaitForWorkAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The timer runs on the injected clock, like everything else in the delivery code.
        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            await _doorbell.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timer went off: time to look for retries that have come due.
        }
    }

    /// <summary>Waits until no other delivery code in this process is writing; dispose the result to let the next one go.</summary>
    internal async Task<IAsyncDisposable> TakeWriteTurnAsync(CancellationToken cancellationToken)
    {
        await _writeTurn.WaitAsync(cancellationToken);
        return new WriteTurn(_writeTurn);
    }

    private sealed class WriteTurn(SemaphoreSlim turn) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            turn.Release();
            return ValueTask.CompletedTask;
        }
    }

    private async Task<int> InsertMissingAsync(string activityId, string bodyJson, int? signerUserId,
        Dictionary<string, Uri> targets, RelayHeaders? relay, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var turn = await TakeWriteTurnAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var alreadyQueued = await db.Deliveries
            .Where(d => d.ActivityId == activityId)
            .Select(d => d.InboxUrl)
            .ToListAsync(cancellationToken);

        var now = time.GetUtcNow();
        var added = 0;
        foreach (var (url, inbox) in targets)
        {
            if (alreadyQueued.Contains(url))
            {
                continue;
            }
            db.Deliveries.Add(new OutgoingDelivery
            {
                ActivityId = activityId,
                InboxUrl = url,
                Destination = DestinationOf(inbox),
                Body = bodyJson,
                SignerUserId = signerUserId,
                Status = DeliveryStatus.Pending,
                CreatedAt = now,
                NextAttemptAt = now,
                GiveUpAt = now + options.Value.GiveUpAfter,
                RelayPath = relay?.Path,
                RelayCovered = relay?.Covered,
            });
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }
}
