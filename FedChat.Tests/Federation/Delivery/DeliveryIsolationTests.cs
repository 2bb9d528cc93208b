using System.Diagnostics;
using FedChat.Core.Storage.Entities;
using Xunit.Abstractions;

namespace FedChat.Tests.Federation.Delivery;

/// <summary>A slow or dead server must never hold up deliveries to the others.</summary>
public class DeliveryIsolationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("silent")]
    [InlineData("closed")]
    public async Task DeadServer_DoesNotDelayDeliveryToAHealthyOne(string kind)
    {
        await using var rig = await DeliveryRig.CreateAsync(options => options.RequestTimeout = TimeSpan.FromSeconds(1));
        await using var healthy = await TestInbox.StartAsync(rig.Clock);
        await using var dead = kind == "silent" ? DeadServer.Silent() : DeadServer.ClosedPort();
        rig.Process.StartWorker();

        var stopwatch = Stopwatch.StartNew();
        // The dead server comes first in every activity, so it is first in line for every slot too.
        await Activities.EnqueueAsync(rig.Queue, 1, 20, dead.InboxUrl, healthy.InboxUrl);
        await DeliveryRig.WaitUntilAsync(() => Task.FromResult(healthy.Shown.Count == 20), TimeSpan.FromSeconds(10), "the healthy server's 20 activities");
        var healthyDone = stopwatch.Elapsed;
        var deadRows = (await rig.ReadDeliveriesAsync()).Where(r => r.InboxUrl == dead.InboxUrl.AbsoluteUri).ToList();
        output.WriteLine($"{kind}: healthy server had all 20 after {healthyDone.TotalMilliseconds:0} ms");

        // Waiting behind a silent server 2 at a time would take 10 s (20 tries x 1 s / 2 slots).
        Assert.True(healthyDone < TimeSpan.FromSeconds(3), $"the healthy server waited {healthyDone}");
        Assert.Equal(20, deadRows.Count);
        Assert.All(deadRows, row => Assert.Equal(DeliveryStatus.Pending, row.Status));
        Assert.True(deadRows.Count(r => r.Attempts > 0) <= (kind == "silent" ? 4 : 20), "at most 2 at a time to the silent one");

        // And the dead server's failures are written down as retryable, with the reason.
        var expectedError = kind == "silent" ? "No answer within 1 s." : "Connection refused";
        await DeliveryRig.WaitUntilAsync(async () => (await rig.ReadDeliveriesAsync())
            .Any(r => r.LastError?.Contains(expectedError, StringComparison.Ordinal) == true), TimeSpan.FromSeconds(5), $"a '{expectedError}' failure");
        output.WriteLine($"{kind}: first failure recorded after {stopwatch.ElapsedMilliseconds} ms");
    }
}
