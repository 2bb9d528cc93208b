using FedChat.Web.Dashboard;

namespace FedChat.Tests.Dashboard;

public class RenderBatcherTests
{
    [Fact]
    public async Task Request_AfterAQuietSpell_RedrawsAtOnce_AndABurstThenWaitsForTheInterval()
    {
        var redrawn = new TaskCompletionSource();
        var count = 0;
        // An interval far longer than the test: only a redraw "at once" can be seen.
        using var batcher = new RenderBatcher(TimeSpan.FromMinutes(10), () =>
        {
            Interlocked.Increment(ref count);
            redrawn.TrySetResult();
            return Task.CompletedTask;
        }, TimeProvider.System);

        batcher.Request();
        await redrawn.Task.WaitAsync(TimeSpan.FromSeconds(5));
        for (var i = 0; i < 99; i++)
        {
            batcher.Request();
        }
        await Task.Delay(300);

        Assert.Equal(1, count); // the burst waits for the next redraw, ten minutes after the first
        Assert.Equal(100, batcher.Requests);
    }

    [Fact]
    public async Task Request_AtTwentyASecond_RedrawsAtMostFiveTimesASecond()
    {
        using var batcher = new RenderBatcher(TimeSpan.FromMilliseconds(200), () => Task.CompletedTask, TimeProvider.System);

        // 20 events a second for 2 seconds; the batcher may redraw at most once per 200 ms (the first at once).
        for (var i = 0; i < 40; i++)
        {
            batcher.Request();
            await Task.Delay(50);
        }
        await Task.Delay(300);

        Assert.Equal(40, batcher.Requests);
        Assert.InRange(batcher.Redraws, 1, 12);
    }

    [Fact]
    public async Task Dispose_StopsAPendingRedraw()
    {
        var count = 0;
        var batcher = new RenderBatcher(TimeSpan.FromMilliseconds(100), () => Task.FromResult(Interlocked.Increment(ref count)), TimeProvider.System);

        batcher.Request();
        batcher.Dispose();
        batcher.Request();
        await Task.Delay(300);

        Assert.Equal(0, count);
    }
}
