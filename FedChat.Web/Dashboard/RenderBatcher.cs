namespace FedChat.Web.Dashboard;

/// <summary>
/// Turns many "something changed" calls into at most one redraw per <c>interval</c>. A busy room
/// can send 20 activities a second; redrawing the map for each one would keep the server and the
/// projector's browser busy for nothing, when ten redraws a second look just as live.
/// </summary>
/// <remarks>
/// The first <see cref="Request"/> after a quiet spell redraws at once, so a single post shows without
/// delay; requests that follow within <c>interval</c> of that redraw ride along with the next one, which
/// runs <c>interval</c> after it. Safe to call from any thread.
/// </remarks>
public sealed class RenderBatcher : IDisposable
{
    private readonly TimeSpan _interval;
    private readonly Func<Task> _redraw;
    private readonly ITimer _timer;
    private readonly TimeProvider _time;
    private long _lastRedraw; // when the last redraw started (a TimeProvider timestamp); 0: never
    private int _scheduled; // 1 while a redraw is waiting for the timer
    private int _requests;
    private int _redraws;
    private bool _disposed;

    /// <summary>Creates a batcher; nothing happens until the first <see cref="Request"/>.</summary>
    /// <param name="interval">The shortest time between two redraws, e.g. 100 ms for at most 10 a second.</param>
    /// <param name="redraw">What to do, e.g. <c>() =&gt; InvokeAsync(StateHasChanged)</c>.</param>
    /// <param name="time">The clock whose timer is used.</param>
    public RenderBatcher(TimeSpan interval, Func<Task> redraw, TimeProvider time)
    {
        _interval = interval;
        _redraw = redraw;
        _time = time;
        _timer = time.CreateTimer(_ => Fire(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Gets how many times <see cref="Request"/> was called.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Gets how many redraws actually ran.</summary>
    public int Redraws => Volatile.Read(ref _redraws);

    /// <summary>Asks for a redraw soon. Cheap: most calls only count.</summary>
    public void Request()
    {
        Interlocked.Increment(ref _requests);
        if (Interlocked.Exchange(ref _scheduled, 1) == 0 && !_disposed)
        {
            // Due when the interval since the last redraw is over: at once after a quiet spell.
            var last = Interlocked.Read(ref _lastRedraw);
            var wait = last == 0 ? TimeSpan.Zero : _interval - _time.GetElapsedTime(last);
            _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Stops the timer; requests after this do nothing.</summary>
    public void Dispose()
    {
        _disposed = true;
        _timer.Dispose();
    }

    private void Fire()
    {
        // Cleared before redrawing: an event that arrives during the redraw schedules the next one.
        Interlocked.Exchange(ref _lastRedraw, _time.GetTimestamp());
        Volatile.Write(ref _scheduled, 0);
        if (!_disposed)
        {
            Interlocked.Increment(ref _redraws);
            _ = RedrawAsync();
        }
    }

    private async Task RedrawAsync()
    {
        try
        {
            await _redraw();
        }
        catch (ObjectDisposedException)
        {
            // The page was closed while the timer fired.
        }
    }
}
