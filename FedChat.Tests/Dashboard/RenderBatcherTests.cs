using FedChat.Web.Dashboard;

namespace FedChat.Tests.Dashboard;

public class RenderBatcherTests
{
    [Fact]
    public async Task Request_ManyTimesInABurst_RedrawsOnce()
    {
        var redrawn = new TaskCompletionSource();
        var count = 0;
        using var batcher = new RenderBatcher(TimeSpan.FromMilliseconds(50), () =>
        {
            Interlocked.Increment(ref count);
            redrawn.TrySetResult();
            return Task.CompletedTask;
        }, TimeProvider.System);

        for (var i = 0; i < 100; i++)
        {
            batcher.Request();
        }
        await redrawn.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await Task.Delay(200);

        Assert.Equal(1, count);
        Assert.Equal(100, batcher.Requests);
    }

    [Fact]
    public async Task Request_AtTwentyASecond_RedrawsAtMostFiveTimesASecond()
    {
        using var batcher = new RenderBatcher(TimeSpan.FromMilliseconds(200), () => Task.CompletedTask, TimeProvider.System);

        // 20 events a second for 2 seconds; the batcher may redraw at most once per 200 ms.
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
