using System.Collections.Concurrent;
using System.Diagnostics;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Signing;
using FedChat.Core.Storage.Entities;
using Xunit.Abstractions;

namespace FedChat.Tests.Federation.Delivery;

/// <summary>The worker and <see cref="HttpDeliverySender"/> against real Kestrel inboxes on loopback.</summary>
public class HttpDeliveryTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Burst_Of50ActivitiesTo3Servers_ArrivesExactlyOnceEach_SignedWithRfc9421()
    {
        await using var rig = await DeliveryRig.CreateAsync();
        await using var b = await TestInbox.StartAsync(rig.Clock);
        await using var c = await TestInbox.StartAsync(rig.Clock);
        await using var d = await TestInbox.StartAsync(rig.Clock);
        TestInbox[] inboxes = [b, c, d];
        rig.Process.StartWorker();

        var stopwatch = Stopwatch.StartNew();
        await Activities.EnqueueAsync(rig.Queue, 1, 50, b.InboxUrl, c.InboxUrl, d.InboxUrl);
        await DeliveryRig.WaitUntilAsync(async () => await rig.Queue.CountPendingAsync() == 0, TimeSpan.FromSeconds(30), "150 deliveries");
        output.WriteLine($"50 activities x 3 servers delivered in {stopwatch.ElapsedMilliseconds} ms");

        var expected = Enumerable.Range(1, 50).Select(Activities.IdOf).ToHashSet();
        foreach (var inbox in inboxes)
        {
            Assert.Equal(50, inbox.Received.Count); // exactly once: no duplicates without a crash
            Assert.Equal(expected, inbox.Received.Select(r => r.ActivityId).ToHashSet());
            Assert.All(inbox.Received, r =>
            {
                Assert.True(r.Signature.IsValid, r.Signature.FailureReason);
                Assert.Equal(MessageSignatures.SchemeName, r.Signature.Scheme); // the first knock, accepted
                Assert.Null(r.Digest); // RFC 9421 covers the body with Content-Digest instead
                Assert.Equal(HttpDeliverySender.ActivityContentType, r.ContentType);
            });
        }
        Assert.All(await rig.ReadDeliveriesAsync(), row =>
        {
            Assert.Equal(DeliveryStatus.Delivered, row.Status);
            Assert.Equal(1, row.Attempts);
            Assert.Null(row.LeasedUntil);
        });
    }

    [Fact]
    public async Task ServerErrorTwiceThenAccepted_IsDeliveredOnTheThirdAttempt()
    {
        await using var rig = await DeliveryRig.CreateAsync();
        await using var inbox = await TestInbox.StartAsync(rig.Clock);
        var answers = new ConcurrentQueue<int>([500, 500, 202]);
        inbox.Respond = _ => Task.FromResult(new InboxReply(answers.TryDequeue(out var status) ? status : 202));
        rig.Process.StartWorker();

        await rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), null, [inbox.InboxUrl]);
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            var failed = await WaitForAttemptAsync(rig, attempt);
            Assert.Equal(DeliveryStatus.Pending, failed.Status);
            Assert.StartsWith("The inbox answered 500", failed.LastError);
            Assert.InRange(failed.NextAttemptAt - rig.Clock.Now, TimeSpan.Zero, TimeSpan.FromSeconds(10 * attempt));
            rig.AdvanceClock(failed.NextAttemptAt - rig.Clock.Now);
        }
        var row = await WaitForAttemptAsync(rig, 3);

        Assert.Equal(DeliveryStatus.Delivered, row.Status);
        Assert.Equal(rig.Clock.Now, row.DeliveredAt);
        Assert.Equal(3, inbox.TimesReceived(Activities.IdOf(1)));
        Assert.Equal([Activities.IdOf(1)], inbox.Shown);
    }

    [Fact]
    public async Task ServerThatRefusesRfc9421_GetsDraftCavageNext_AndFromThenOnOnly()
    {
        // Double-knocking: RFC 9421 first; refused, so draft-cavage; the server's choice is remembered.
        await using var rig = await DeliveryRig.CreateAsync();
        await using var inbox = await TestInbox.StartAsync(rig.Clock);
        inbox.Respond = r => Task.FromResult(new InboxReply(r.Signature.Scheme == MessageSignatures.SchemeName ? 401 : 202));
        rig.Process.StartWorker();

        await rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), null, [inbox.InboxUrl]);
        Assert.Equal(DeliveryStatus.Delivered, (await WaitForAttemptAsync(rig, 1)).Status);
        await rig.Queue.EnqueueAsync(Activities.IdOf(2), Activities.Create(2), null, [inbox.InboxUrl]);
        await DeliveryRig.WaitUntilAsync(async () => await rig.Queue.CountPendingAsync() == 0, TimeSpan.FromSeconds(30), "the second delivery");

        Assert.Equal([MessageSignatures.SchemeName, DraftCavageSignatures.SchemeName, DraftCavageSignatures.SchemeName],
            inbox.Received.Select(r => r.Signature.Scheme));
        Assert.All(inbox.Received, r => Assert.True(r.Signature.IsValid, r.Signature.FailureReason));
        Assert.StartsWith("SHA-256=", inbox.Received[^1].Digest);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(410)]
    public async Task ClientError_GivesUpAtOnce(int status)
    {
        await using var rig = await DeliveryRig.CreateAsync();
        await using var inbox = await TestInbox.StartAsync(rig.Clock);
        inbox.Respond = _ => Task.FromResult(new InboxReply(status));
        rig.Process.StartWorker();

        await rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), null, [inbox.InboxUrl]);
        var row = await WaitForAttemptAsync(rig, 1);

        Assert.Equal(DeliveryStatus.GaveUp, row.Status);
        Assert.StartsWith($"The inbox answered {status}", row.LastError);
        Assert.Equal(0, await rig.Queue.CountPendingAsync());
    }

    [Theory]
    [InlineData(429, "120", 120)]
    [InlineData(503, "30", 30)]
    public async Task BusyServer_WithRetryAfter_IsTriedAgainWhenItAsked(int status, string retryAfter, int expectedSeconds)
    {
        await using var rig = await DeliveryRig.CreateAsync();
        await using var inbox = await TestInbox.StartAsync(rig.Clock);
        inbox.Respond = _ => Task.FromResult(new InboxReply(status, retryAfter));
        rig.Process.StartWorker();

        await rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), null, [inbox.InboxUrl]);
        var row = await WaitForAttemptAsync(rig, 1);

        Assert.Equal(DeliveryStatus.Pending, row.Status);
        Assert.Equal(rig.Clock.Now + TimeSpan.FromSeconds(expectedSeconds), row.NextAttemptAt);
    }

    /// <summary>Waits until the only delivery has finished try <paramref name="attempt"/> and returns its row.</summary>
    internal static async Task<OutgoingDelivery> WaitForAttemptAsync(DeliveryRig rig, int attempt)
    {
        OutgoingDelivery row = null!;
        await DeliveryRig.WaitUntilAsync(async () =>
        {
            row = (await rig.ReadDeliveriesAsync()).Single();
            return row.Attempts == attempt && row.LeasedUntil is null;
        }, TimeSpan.FromSeconds(10), $"try {attempt} to finish");
        return row;
    }
}
