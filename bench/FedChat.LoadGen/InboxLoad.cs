using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using FedChat.Core.ActivityStreams;

namespace FedChat.LoadGen;

/// <summary>The answer to one request: its status (0 when no answer came) and how long it took.</summary>
internal readonly record struct Outcome(SignedActivity Activity, int Status, double Milliseconds);

/// <summary>
/// Posts pre-signed activities to an inbox with a fixed number of requests in flight: each of
/// <c>concurrency</c> workers sends the next unsent activity as soon as its previous one is answered
/// (a closed loop, like a server's delivery workers). Bounded in count and in time.
/// </summary>
internal sealed class InboxLoad(HttpClient client)
{
    /// <summary>Sends every activity once, <paramref name="concurrency"/> at a time, and stops early at <paramref name="deadline"/>.</summary>
    public async Task<List<Outcome>> RunAsync(IReadOnlyList<SignedActivity> activities, int concurrency, TimeSpan deadline)
    {
        var outcomes = new ConcurrentBag<Outcome>();
        var next = -1;
        using var stop = new CancellationTokenSource(deadline);
        async Task Worker()
        {
            while (!stop.IsCancellationRequested)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= activities.Count)
                {
                    return;
                }
                outcomes.Add(await SendAsync(activities[index], stop.Token));
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker)));
        return [.. outcomes];
    }

    /// <summary>
    /// Sends every activity once at a fixed rate, <paramref name="perSecond"/> a second, whether or not
    /// earlier ones were answered yet (an open loop, like many servers delivering to us at once): the
    /// i-th is sent at i / rate seconds after the start. Bounded: at most <paramref name="maxInFlight"/>
    /// unanswered (a slower server then gets them late, which shows in the figures), and stops at
    /// <paramref name="deadline"/>.
    /// </summary>
    public async Task<List<Outcome>> RunAtRateAsync(IReadOnlyList<SignedActivity> activities, double perSecond, TimeSpan deadline, int maxInFlight = 64)
    {
        var outcomes = new ConcurrentBag<Outcome>();
        using var stop = new CancellationTokenSource(deadline);
        using var slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        var sends = new List<Task>(activities.Count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < activities.Count && !stop.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed, CancellationToken.None);
            }
            if (!await slots.WaitAsync(TimeSpan.FromTicks(Math.Max(0, (deadline - clock.Elapsed).Ticks))))
            {
                break; // the deadline passed while waiting for a free slot
            }
            var activity = activities[i];
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    outcomes.Add(await SendAsync(activity, stop.Token));
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
        await Task.WhenAll(sends);
        return [.. outcomes];
    }

    private async Task<Outcome> SendAsync(SignedActivity activity, CancellationToken cancellationToken)
    {
        var request = activity.Request;
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Url) { Content = new ByteArrayContent(request.Body ?? []) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(ActivityStreamsJson.MediaType);
        request.CopyHeadersTo(message);
        var clock = Stopwatch.StartNew();
        try
        {
            using var response = await client.SendAsync(message, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return new Outcome(activity, (int)response.StatusCode, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return new Outcome(activity, 0, clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>The value below which <paramref name="fraction"/> of the sorted values lie (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
