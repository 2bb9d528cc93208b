using FedChat.Core.Storage.Entities;
using Xunit.Abstractions;

namespace FedChat.Tests.Federation.Delivery;

/// <summary>
/// Crash safety: the worker is stopped without any chance to tidy up in the middle of a burst, and a
/// new "process" over the same SQLite file finishes the job. Nothing is lost; what was in flight may
/// arrive twice, and the receiver's dedupe by activity id shows it once.
/// </summary>
public class DeliveryCrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task WorkerKilledMidBurst_NewWorkerDeliversEverything_ReceiverShowsEachOnce()
    {
        await using var rig = await DeliveryRig.CreateAsync();
        await using var inbox = await TestInbox.StartAsync(rig.Clock);
        // Until the kill, the receiver takes its time before answering, so at the moment of the kill
        // some activities have arrived and been processed, but their 2xx has not reached the sender.
        var slow = true;
        inbox.Respond = async _ =>
        {
            if (Volatile.Read(ref slow))
            {
                await Task.Delay(500);
            }
            return new InboxReply(202);
        };
        var all = Enumerable.Range(1, 30).Select(Activities.IdOf).ToList();
        await Activities.EnqueueAsync(rig.Queue, 1, 30, inbox.InboxUrl);

        rig.Process.StartWorker();
        await DeliveryRig.WaitUntilAsync(() => Task.FromResult(inbox.Received.Count >= 5), TimeSpan.FromSeconds(10), "the burst to get going");
        await rig.Process.KillWorkerAsync();
        Volatile.Write(ref slow, false);

        var afterKill = await rig.ReadDeliveriesAsync();
        var stranded = afterKill.Where(d => d.Status == DeliveryStatus.Pending && d.LeasedUntil > rig.Clock.Now).Select(d => d.ActivityId).ToList();
        output.WriteLine($"At the kill: {inbox.Received.Count} received, {afterKill.Count(d => d.Status == DeliveryStatus.Delivered)} marked delivered, {stranded.Count} in flight (leased)");
        Assert.NotEmpty(stranded);
        Assert.Contains(afterKill, d => d.Status == DeliveryStatus.Pending && d.Attempts == 0);

        // "Restart": a new process, new queue, new worker, same database.
        var restarted = rig.CreateProcess();
        restarted.StartWorker();

        // Everything that was not in flight goes out at once; the leased ones wait for their lease,
        // because for all the new worker knows another worker is still sending them.
        await DeliveryRig.WaitUntilAsync(async () => await restarted.Queue.CountPendingAsync() == stranded.Count,
            TimeSpan.FromSeconds(10), "all but the leased deliveries");
        var stillLeased = (await rig.ReadDeliveriesAsync()).Where(d => d.Status == DeliveryStatus.Pending).Select(d => d.ActivityId);
        Assert.Equal(stranded.Order(), stillLeased.Order());

        // Once the leases expire (time passes after the crash), those go out too.
        rig.AdvanceClock(TimeSpan.FromSeconds(15));
        await DeliveryRig.WaitUntilAsync(async () => await restarted.Queue.CountPendingAsync() == 0,
            TimeSpan.FromSeconds(10), "the leased deliveries after their lease expired");
        await DeliveryRig.WaitUntilAsync(() => Task.FromResult(inbox.Shown.Count == 30), TimeSpan.FromSeconds(5), "the receiver to finish");

        var rows = await rig.ReadDeliveriesAsync();
        Assert.All(rows, row => Assert.Equal(DeliveryStatus.Delivered, row.Status));
        // At least once: every activity arrived; the ones in flight at the kill arrived twice.
        Assert.All(all, id => Assert.InRange(inbox.TimesReceived(id), 1, 2));
        Assert.True(inbox.Received.Count > 30, "the in-flight ones were sent again after the restart");
        // And the receiver, deduping by id, shows each exactly once.
        Assert.Equal(all.Order(), inbox.Shown.Order());
        output.WriteLine($"Received {inbox.Received.Count} requests for 30 activities; shown: {inbox.Shown.Count}");
    }

    [Fact]
    public async Task TwoWorkersOnOneDatabase_NeverSendTheSameDeliveryTwice()
    {
        await using var rig = await DeliveryRig.CreateAsync();
        await using var inbox = await TestInbox.StartAsync(rig.Clock);
        inbox.Respond = async _ =>
        {
            await Task.Delay(5);
            return new InboxReply(202);
        };
        var second = rig.CreateProcess();
        await Activities.EnqueueAsync(rig.Queue, 1, 30, inbox.InboxUrl);

        rig.Process.StartWorker();
        second.StartWorker();
        await DeliveryRig.WaitUntilAsync(async () => await rig.Queue.CountPendingAsync() == 0, TimeSpan.FromSeconds(15), "30 deliveries");

        Assert.Equal(30, inbox.Received.Count);
        Assert.Equal(30, inbox.Received.Select(r => r.ActivityId).Distinct().Count());
    }
}
