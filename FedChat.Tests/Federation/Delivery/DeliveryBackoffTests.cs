using FedChat.Core.Federation.Delivery;
using FedChat.Core.Storage.Entities;

namespace FedChat.Tests.Federation.Delivery;

public class DeliveryBackoffTests
{
    private static readonly DeliveryOptions Defaults = new();

    [Fact]
    public void Ceiling_DoublesFromTenSecondsUpToOneHour()
    {
        var backoff = new DeliveryBackoff(Defaults, new Random(1));

        var ceilings = Enumerable.Range(1, 12).Select(n => backoff.Ceiling(n).TotalSeconds).ToArray();

        Assert.Equal([10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600, 3600], ceilings);
        Assert.Equal(TimeSpan.FromHours(1), backoff.Ceiling(10_000)); // no overflow far out
    }

    [Fact]
    public void NextDelay_StaysBetweenZeroAndTheCeiling_AndSpreadsOverIt()
    {
        var backoff = new DeliveryBackoff(Defaults, new Random(7));

        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var delays = Enumerable.Range(0, 500).Select(_ => backoff.NextDelay(attempt)).ToList();
            var ceiling = backoff.Ceiling(attempt);

            Assert.All(delays, delay => Assert.InRange(delay, TimeSpan.Zero, ceiling));
            // Full jitter: uniform over [0, ceiling], so the mean sits near the middle; growing ceilings
            // make the typical wait grow exponentially too.
            var mean = delays.Average(d => d.TotalSeconds);
            Assert.InRange(mean, ceiling.TotalSeconds * 0.4, ceiling.TotalSeconds * 0.6);
        }
    }

    [Fact]
    public void NextDelay_WithTheSameSeed_GivesTheSameDelays()
    {
        var first = new DeliveryBackoff(Defaults, new Random(42));
        var second = new DeliveryBackoff(Defaults, new Random(42));

        var a = Enumerable.Range(1, 10).Select(first.NextDelay).ToList();
        var b = Enumerable.Range(1, 10).Select(second.NextDelay).ToList();

        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Worker_RetriesWithJitteredBackoff_ThenGivesUpAtTheHorizon()
    {
        var sender = new ScriptedDeliverySender(_ => DeliveryResult.RetryableFailure("Connection refused (scripted)"));
        await using var rig = await DeliveryRig.CreateAsync(sender: () => sender);
        var backoff = new DeliveryBackoff(Defaults, new Random(0)); // for its ceilings only
        await rig.Queue.EnqueueAsync(Activities.IdOf(1), Activities.Create(1), null, [new Uri("http://127.0.0.1:9/inbox")]);
        var giveUpAt = rig.Clock.Now + Defaults.GiveUpAfter;
        rig.Process.StartWorker();

        // Follow the delivery try by try: after each failure, check the wait, then jump the clock to
        // the next try. Bounded: 6 hours of at most 1-hour waits is far fewer than 200 tries.
        var waits = new List<TimeSpan>();
        OutgoingDelivery row = null!;
        for (var attempt = 1; attempt <= 200; attempt++)
        {
            await DeliveryRig.WaitUntilAsync(async () =>
            {
                row = (await rig.ReadDeliveriesAsync()).Single();
                return row.Attempts == attempt && row.LeasedUntil is null;
            }, TimeSpan.FromSeconds(10), $"try {attempt} to be recorded");
            if (row.Status == DeliveryStatus.GaveUp)
            {
                break;
            }
            var wait = row.NextAttemptAt - rig.Clock.Now;
            Assert.InRange(wait, TimeSpan.Zero, backoff.Ceiling(attempt));
            Assert.True(row.NextAttemptAt <= giveUpAt, "no try is scheduled past the horizon");
            waits.Add(wait);
            rig.AdvanceClock(wait);
        }

        Assert.Equal(DeliveryStatus.GaveUp, row.Status);
        Assert.Equal(giveUpAt, row.GiveUpAt);
        Assert.True(rig.Clock.Now >= giveUpAt, "gave up only once the horizon was reached");
        Assert.Equal("Connection refused (scripted)", row.LastError);
        Assert.Equal(row.Attempts, sender.Calls);
        // The waits early on are short, the ones later long: the first three stay within 10+20+40 s in total.
        Assert.True(waits.Take(3).Sum(w => w.TotalSeconds) <= 70);
        Assert.True(waits.Max() > TimeSpan.FromMinutes(20), "later waits grow towards the one-hour cap");
    }
}
